/// Serialises response heads and chunk framing (RFC 9112 §4, §6, §7.1).
///
/// The server owns framing: `Content-Length`, `Transfer-Encoding` and `Connection` set by a
/// handler are replaced, so a handler can never produce an ambiguous message.
enum HTTPResponseWriter {
    private static let framingFields: Set<String> = [
        "content-length", "transfer-encoding", "connection", "date", "server",
    ]

    /// How the body that follows the head is delimited.
    enum Framing: Equatable {
        case length(Int)
        case chunked
        /// HTTP/1.0 client with a streamed body: the end of the body is the end of the connection.
        case closeDelimited
        case none
    }

    static func framing(for response: HTTPResponse, request version: HTTPVersion) -> Framing {
        guard response.status.allowsBody else { return .none }
        switch response.body {
        case .bytes(let bytes): return .length(bytes.count)
        case .stream: return version == .http1_1 ? .chunked : .closeDelimited
        }
    }

    /// The status line and header section, ending with the empty line.
    static func head(
        _ response: HTTPResponse, framing: Framing, keepAlive: Bool, requestVersion: HTTPVersion,
        date: String, serverName: String
    ) -> [UInt8] {
        var out = "HTTP/1.1 \(response.status.code) \(response.status.reasonPhrase)\r\n"
        out.reserveCapacity(256)
        out += "Date: \(date)\r\nServer: \(serverName)\r\n"
        for (name, value) in response.headers where !framingFields.contains(name.lowercased()) {
            // Header injection guard: a CR or LF from application data must never split the head.
            out += "\(sanitized(name)): \(sanitized(value))\r\n"
        }
        switch framing {
        case .length(let n): out += "Content-Length: \(n)\r\n"
        case .chunked: out += "Transfer-Encoding: chunked\r\n"
        case .closeDelimited, .none: break
        }
        if !keepAlive || framing == .closeDelimited {
            out += "Connection: close\r\n"
        } else if requestVersion == .http1_0 {
            out += "Connection: keep-alive\r\n"  // RFC 9112 §9.3: 1.0 persistence is explicit
        }
        out += "\r\n"
        return Array(out.utf8)
    }

    /// One chunk: size in hex, CRLF, data, CRLF (RFC 9112 §7.1).
    static func appendChunk(_ chunk: [UInt8], to out: inout [UInt8]) {
        out.append(contentsOf: String(chunk.count, radix: 16).utf8)
        out.append(contentsOf: [0x0D, 0x0A])
        out.append(contentsOf: chunk)
        out.append(contentsOf: [0x0D, 0x0A])
    }

    static let lastChunk: [UInt8] = Array("0\r\n\r\n".utf8)
    static let continueResponse: [UInt8] = Array("HTTP/1.1 100 Continue\r\n\r\n".utf8)

    private static func sanitized(_ s: String) -> String {
        // Scalars, not Characters: "\r\n" is a single Character in Swift.
        let forbidden: (Unicode.Scalar) -> Bool = { $0 == "\r" || $0 == "\n" || $0 == "\0" }
        guard s.unicodeScalars.contains(where: forbidden) else { return s }
        var result = String.UnicodeScalarView()
        result.append(contentsOf: s.unicodeScalars.filter { !forbidden($0) })
        return String(result)
    }
}
