import HTTP

/// Feeds `data` to a fresh parser whole, then again split at a position taken from its first byte,
/// draining every event: nothing may crash, and both feedings must agree on the outcome.
func fuzzParser(_ data: UnsafeRawBufferPointer) {
    var limits = HTTPParserLimits()
    limits.maxRequestLineLength = 512
    limits.maxHeaderBlockBytes = 2048
    limits.maxHeaderCount = 20
    limits.maxBodyBytes = 4096
    limits.maxChunkLineLength = 128
    let whole = outcome(of: [data], limits: limits)
    let split = data.isEmpty ? 0 : Int(data[0]) % (data.count + 1)
    let parts = [UnsafeRawBufferPointer(rebasing: data[..<split]), UnsafeRawBufferPointer(rebasing: data[split...])]
    let fragmented = outcome(of: parts, limits: limits)
    precondition(whole == fragmented, "fragmentation changed the outcome: \(whole) vs \(fragmented)")
}

/// The requests parsed (method, target, body size) and the final error, if any.
func outcome(of parts: [UnsafeRawBufferPointer], limits: HTTPParserLimits) -> [String] {
    var parser = HTTPRequestParser(limits: limits)
    var events: [String] = []
    do {
        for part in parts {
            parser.append(part)
            loop: while true {
                switch try parser.next() {
                case .needMoreData: break loop
                case .sendContinue: continue
                case .request(let r): events.append("\(r.method) \(r.target) \(r.body.count) \(r.keepAlive)")
                }
            }
        }
    } catch {
        events.append("error \(error)")
    }
    return events
}

#if FUZZING
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
        fuzzParser(UnsafeRawBufferPointer(start: data, count: size))
        return 0
    }
#else
    import Foundation

    /// Without libFuzzer: replays the files given as arguments (e.g. a crash file) through the parser.
    @main
    struct FuzzReplay {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                let data = try Data(contentsOf: URL(fileURLWithPath: path))
                data.withUnsafeBytes { fuzzParser($0) }
                print("\(path): ok")
            }
        }
    }
#endif
