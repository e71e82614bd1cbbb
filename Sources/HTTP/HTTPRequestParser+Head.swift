/// The request being assembled, with what the framing rules need to know about its fields.
struct PartialHead: Sendable {
    var method = ""
    var target = ""
    var path = ""
    var query: String?
    var version = HTTPVersion.http1_1
    var headers = HTTPHeaders()
    var trailers = HTTPHeaders()
    var body: [UInt8] = []
    var fieldBytes = 0
    var fieldCount = 0
    var hostCount = 0
    var contentLength: Int?
    var contentLengthCount = 0
    var transferCodings: [String] = []
    var connectionClose = false
    var connectionKeepAlive = false
    var expectation: String?
    var expectsContinue = false
    /// Decoded body bytes accepted for this request, set by ``HTTPRequestParser/admitBody(limit:)``.
    var bodyLimit = 0

    mutating func add(_ field: (name: String, value: String), limits: HTTPParserLimits) throws {
        fieldCount += 1
        guard fieldCount <= limits.maxHeaderCount else { throw HTTPParseError.tooManyHeaderFields }
        headers.add(name: field.name, value: field.value)
        switch field.name.utf8.count {
        case 4 where HTTPHeaders.equalNames(field.name, "Host"):
            hostCount += 1
            // RFC 9112 §3.2: Host is uri-host [":" port]; anything else is a bad request.
            guard field.value.utf8.allSatisfy({ HTTPSyntax.host[Int($0)] }) else { throw HTTPParseError.invalidHost }
        case 6 where HTTPHeaders.equalNames(field.name, "Expect"):
            expectation = field.value.lowercased()
        case 10 where HTTPHeaders.equalNames(field.name, "Connection"):
            for option in field.value.lowercasedListElements() {
                if option == "close" { connectionClose = true }
                if option == "keep-alive" { connectionKeepAlive = true }
            }
        case 14 where HTTPHeaders.equalNames(field.name, "Content-Length"):
            // RFC 9112 §6.3: Content-Length = 1*DIGIT. Lists and repeated fields are refused
            // outright (even when equal): differing framing is how requests are smuggled.
            contentLengthCount += 1
            guard contentLengthCount == 1 else { throw HTTPParseError.multipleContentLength }
            contentLength = try Self.parseContentLength(field.value)
        case 17 where HTTPHeaders.equalNames(field.name, "Transfer-Encoding"):
            // RFC 9112 §6.1: codings listed in several fields form one list, in order.
            let codings = field.value.lowercasedListElements()
            guard !codings.isEmpty else { throw HTTPParseError.unsupportedTransferCoding }
            transferCodings += codings
        default:
            break
        }
    }

    mutating func addTrailer(_ field: (name: String, value: String), limits: HTTPParserLimits) throws {
        fieldCount += 1
        guard fieldCount <= limits.maxHeaderCount else { throw HTTPParseError.tooManyHeaderFields }
        trailers.add(name: field.name, value: field.value)
    }

    static func parseContentLength(_ value: String) throws -> Int {
        var result = 0
        guard !value.isEmpty else { throw HTTPParseError.invalidContentLength }
        for byte in value.utf8 {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw HTTPParseError.invalidContentLength
            }
            let (shifted, o1) = result.multipliedReportingOverflow(by: 10)
            let (sum, o2) = shifted.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            guard !o1, !o2 else { throw HTTPParseError.invalidContentLength }
            result = sum
        }
        return result
    }

    var keepAlive: Bool {
        // RFC 9112 §9.3: 1.1 persists unless "close"; 1.0 only with "keep-alive".
        if connectionClose { return false }
        return version == .http1_1 || connectionKeepAlive
    }

    func request() -> HTTPRequest {
        var request = HTTPRequest(
            method: method, target: target, version: version, headers: headers, body: body,
            trailers: trailers, keepAlive: keepAlive
        )
        request.path = path
        request.query = query
        return request
    }
}

extension HTTPRequestParser {
    /// request-line = method SP request-target SP HTTP-version (RFC 9112 §3), single spaces only.
    mutating func parseRequestLine(_ line: Range<Int>) throws {
        let (method, targetRange, versionRange) = try buffer.withUnsafeBufferPointer { p in
            var i = line.lowerBound
            while i < line.upperBound, HTTPSyntax.token[Int(p[i])] { i += 1 }
            guard i > line.lowerBound, i < line.upperBound else { throw Self.lineError(p, line, .invalidMethod) }
            guard p[i] == 0x20 else {
                throw p[i] == 0x0D ? HTTPParseError.bareCarriageReturn : HTTPParseError.invalidMethod
            }
            let method = String(decoding: UnsafeBufferPointer(rebasing: p[line.lowerBound..<i]), as: UTF8.self)
            i += 1
            let targetStart = i
            while i < line.upperBound, p[i] != 0x20 {
                guard HTTPSyntax.target[Int(p[i])] else {
                    throw p[i] == 0x0D ? HTTPParseError.bareCarriageReturn : HTTPParseError.invalidTarget
                }
                i += 1
            }
            guard i > targetStart, i < line.upperBound else { throw HTTPParseError.invalidRequestLine }
            return (method, targetStart..<i, (i + 1)..<line.upperBound)
        }
        head.method = method
        head.version = try parseVersion(versionRange)
        guard limits.implementedMethods.contains(method) else { throw HTTPParseError.unsupportedMethod }
        try parseTarget(targetRange)
    }

    private static func lineError(_ p: UnsafeBufferPointer<UInt8>, _ line: Range<Int>, _ error: HTTPParseError)
        -> HTTPParseError
    {
        p[line].contains(0x0D) ? .bareCarriageReturn : error
    }

    /// HTTP-version = "HTTP/" DIGIT "." DIGIT (RFC 9112 §2.3). Major versions other than 1 get 505;
    /// a higher 1.x minor is served as 1.1 (RFC 9110 §2.5).
    func parseVersion(_ range: Range<Int>) throws -> HTTPVersion {
        let v = buffer[range]
        guard v.count == 8, v.starts(with: "HTTP/".utf8), v[range.lowerBound + 6] == UInt8(ascii: ".") else {
            throw v.contains(0x0D) ? HTTPParseError.bareCarriageReturn : HTTPParseError.invalidVersion
        }
        let major = v[range.lowerBound + 5]
        let minor = v[range.lowerBound + 7]
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard digits.contains(major), digits.contains(minor) else { throw HTTPParseError.invalidVersion }
        guard major == UInt8(ascii: "1") else { throw HTTPParseError.unsupportedVersion }
        return minor == UInt8(ascii: "0") ? .http1_0 : .http1_1
    }

    /// The four request-target forms of RFC 9112 §3.2.
    mutating func parseTarget(_ range: Range<Int>) throws {
        guard !buffer[range].contains(UInt8(ascii: "#")) else { throw HTTPParseError.fragmentInTarget }
        let target = String(decoding: buffer[range], as: UTF8.self)
        head.target = target
        let first = buffer[range.lowerBound]
        if first == UInt8(ascii: "/") {
            splitPathAndQuery(Substring(target))  // origin-form
        } else if head.method == "CONNECT" {
            // authority-form, only for CONNECT (§3.2.3)
            guard target.utf8.allSatisfy({ HTTPSyntax.host[Int($0)] }), target.contains(":") else {
                throw HTTPParseError.invalidTarget
            }
            head.path = target
        } else if target == "*" {
            // asterisk-form, only for a server-wide OPTIONS (§3.2.4)
            guard head.method == "OPTIONS" else { throw HTTPParseError.invalidTarget }
            head.path = "*"
        } else {
            // absolute-form (§3.2.2): scheme "://" authority path-abempty [ "?" query ]
            guard let colon = target.firstIndex(of: ":"), Self.isScheme(target[..<colon]),
                target[colon...].hasPrefix("://")
            else {
                throw HTTPParseError.invalidTarget
            }
            let rest = target[target.index(colon, offsetBy: 3)...]
            let pathStart = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            guard rest[..<pathStart].utf8.allSatisfy({ HTTPSyntax.host[Int($0)] || $0 == UInt8(ascii: "@") }) else {
                throw HTTPParseError.invalidTarget
            }
            splitPathAndQuery(rest[pathStart...])
            if head.path.isEmpty { head.path = "/" }
        }
    }

    private mutating func splitPathAndQuery(_ s: Substring) {
        if let q = s.firstIndex(of: "?") {
            head.path = String(s[..<q])
            head.query = String(s[s.index(after: q)...])
        } else {
            head.path = String(s)
        }
    }

    private static func isScheme(_ s: Substring) -> Bool {
        guard let first = s.utf8.first, (first | 0x20) >= UInt8(ascii: "a"), (first | 0x20) <= UInt8(ascii: "z") else {
            return false
        }
        return s.utf8.allSatisfy { HTTPSyntax.token[Int($0)] && $0 != UInt8(ascii: "_") }
    }

    /// field-line = field-name ":" OWS field-value OWS (RFC 9112 §5).
    func parseFieldLine(_ line: Range<Int>) throws -> (name: String, value: String) {
        try buffer.withUnsafeBufferPointer { p in
            let first = p[line.lowerBound]
            // §5.2: obs-fold (a line starting with SP or HTAB) is refused with 400.
            guard first != 0x20, first != 0x09 else { throw HTTPParseError.obsoleteLineFolding }
            var i = line.lowerBound
            while i < line.upperBound, HTTPSyntax.token[Int(p[i])] { i += 1 }
            guard i < line.upperBound, p[i] == UInt8(ascii: ":") else {
                // §5.1: no whitespace between field name and colon (a smuggling vector).
                if i < line.upperBound, p[i] == 0x20 || p[i] == 0x09 { throw HTTPParseError.whitespaceBeforeColon }
                if i < line.upperBound, p[i] == 0x0D { throw HTTPParseError.bareCarriageReturn }
                throw HTTPParseError.invalidHeaderName
            }
            guard i > line.lowerBound else { throw HTTPParseError.invalidHeaderName }
            let name = String(decoding: UnsafeBufferPointer(rebasing: p[line.lowerBound..<i]), as: UTF8.self)
            var start = i + 1
            var end = line.upperBound
            while start < end, p[start] == 0x20 || p[start] == 0x09 { start += 1 }
            while end > start, p[end - 1] == 0x20 || p[end - 1] == 0x09 { end -= 1 }
            for j in start..<end where !HTTPSyntax.fieldValue[Int(p[j])] {
                throw p[j] == 0x0D ? HTTPParseError.bareCarriageReturn : HTTPParseError.invalidHeaderValue
            }
            let value = String(decoding: UnsafeBufferPointer(rebasing: p[start..<end]), as: UTF8.self)
            return (name, value)
        }
    }

    /// Applies the message framing rules once the field section is complete (RFC 9112 §6).
    mutating func finishHead() throws {
        // RFC 9112 §3.2: a 1.1 request has exactly one Host; more than one is refused in any version.
        if head.hostCount > 1 { throw HTTPParseError.multipleHost }
        if head.version == .http1_1 && head.hostCount == 0 { throw HTTPParseError.missingHost }
        if let expectation = head.expectation, head.version == .http1_1 {
            // RFC 9110 §10.1.1: 100-continue is the only expectation defined; 1.0 requests ignore it.
            guard expectation == "100-continue" else { throw HTTPParseError.unsupportedExpectation }
            head.expectsContinue = true
        }
        if !head.transferCodings.isEmpty {
            // RFC 9112 §6.1: Transfer-Encoding in a 1.0 request is faulty framing; with
            // Content-Length it is a smuggling shape, refused rather than "TE wins".
            if head.version == .http1_0 { throw HTTPParseError.transferEncodingInHTTP10 }
            if head.contentLength != nil { throw HTTPParseError.contentLengthWithTransferEncoding }
            // §6.3: chunked must be final and applied once; any other coding is not implemented (501).
            let chunkedCount = head.transferCodings.filter { $0 == "chunked" }.count
            if chunkedCount > 1 || (chunkedCount == 1 && head.transferCodings.last != "chunked") {
                throw HTTPParseError.chunkedNotFinal
            }
            guard head.transferCodings == ["chunked"] else { throw HTTPParseError.unsupportedTransferCoding }
            state = .chunkLine
            return
        }
        // §6.3: no framing field means no body; its size is checked by admitBody(limit:).
        state = .body(remaining: head.contentLength ?? 0)
    }

    /// chunk-size [ chunk-ext ] (RFC 9112 §7.1); no whitespace anywhere (BWS is refused, as llhttp does).
    func parseChunkLine(_ line: Range<Int>) throws -> Int {
        try buffer.withUnsafeBufferPointer { p in
            var i = line.lowerBound
            var size = 0
            while i < line.upperBound, let digit = HTTPSyntax.hexValue(p[i]) {
                guard size <= (Int.max >> 4) else { throw HTTPParseError.invalidChunkSize }
                size = size << 4 | digit
                i += 1
            }
            guard i > line.lowerBound else { throw HTTPParseError.invalidChunkSize }
            while i < line.upperBound {
                // chunk-ext = *( ";" chunk-ext-name [ "=" chunk-ext-val ] ), val = token / quoted-string
                guard p[i] == UInt8(ascii: ";") else { throw HTTPParseError.invalidChunkSize }
                i += 1
                let nameStart = i
                while i < line.upperBound, HTTPSyntax.token[Int(p[i])] { i += 1 }
                guard i > nameStart else { throw HTTPParseError.invalidChunkExtension }
                guard i < line.upperBound, p[i] == UInt8(ascii: "=") else { continue }
                i += 1
                if i < line.upperBound, p[i] == UInt8(ascii: "\"") {
                    i = try Self.skipQuotedString(p, from: i + 1, end: line.upperBound)
                } else {
                    let valueStart = i
                    while i < line.upperBound, HTTPSyntax.token[Int(p[i])] { i += 1 }
                    guard i > valueStart else { throw HTTPParseError.invalidChunkExtension }
                }
            }
            return size
        }
    }

    /// RFC 9110 §5.6.4: qdtext and quoted-pair up to the closing DQUOTE; returns the index after it.
    static func skipQuotedString(_ p: UnsafeBufferPointer<UInt8>, from start: Int, end: Int) throws -> Int {
        var i = start
        while i < end {
            let byte = p[i]
            if byte == UInt8(ascii: "\"") { return i + 1 }
            if byte == UInt8(ascii: "\\") {
                guard i + 1 < end, HTTPSyntax.fieldValue[Int(p[i + 1])] else {
                    throw HTTPParseError.invalidChunkExtension
                }
                i += 2
                continue
            }
            guard HTTPSyntax.fieldValue[Int(byte)] else { throw HTTPParseError.invalidChunkExtension }
            i += 1
        }
        throw HTTPParseError.invalidChunkExtension
    }
}
