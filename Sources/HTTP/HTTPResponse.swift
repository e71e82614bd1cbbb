/// A response body: bytes of known length, or a stream sent with chunked encoding.
public enum HTTPBody: Sendable {
    case bytes([UInt8])
    /// Pulled chunk by chunk by the connection as the socket drains; for large bodies.
    case stream(any HTTPBodyStream)

    public static let empty = HTTPBody.bytes([])
}

/// A source of body chunks. `nextChunk()` is called on an I/O thread when the previous chunk has
/// been written, so it must return quickly (a file read is fine, a database query is not).
public protocol HTTPBodyStream: Sendable {
    /// The next chunk, or nil at the end. An empty chunk is skipped.
    func nextChunk() throws -> [UInt8]?
}

public struct HTTPResponse: Sendable {
    public var status: HTTPStatus
    public var headers: HTTPHeaders
    public var body: HTTPBody

    public init(status: HTTPStatus = .ok, headers: HTTPHeaders = [:], body: HTTPBody = .empty) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A UTF-8 plain-text response.
    public static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/plain; charset=utf-8"], body: .bytes(Array(text.utf8)))
    }
}

/// An error that knows the response it deserves; anything else thrown by a handler becomes 500.
public protocol HTTPResponseError: Error {
    var status: HTTPStatus { get }
    /// A short text for the client; must not leak internals.
    var publicMessage: String { get }
}
