/// The protocol version of a request (RFC 9112 §2.3). Only 1.0 and 1.1 are accepted.
public struct HTTPVersion: Sendable, Hashable, CustomStringConvertible {
    public let major: Int
    public let minor: Int
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)
    public var description: String { "HTTP/\(major).\(minor)" }
}

/// A complete request: head, body (de-chunked) and trailer fields.
public struct HTTPRequest: Sendable {
    public var method: String
    /// The request-target exactly as received (RFC 9112 §3.2).
    public var target: String
    /// The path of the target, still percent-encoded; `*` for asterisk-form, the authority for CONNECT.
    public var path: String
    /// The query of the target without `?`, still percent-encoded.
    public var query: String?
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var body: [UInt8]
    public var trailers: HTTPHeaders
    /// Whether the client allows the connection to stay open after this request (RFC 9112 §9.3).
    public var keepAlive: Bool

    public init(
        method: String, target: String, version: HTTPVersion = .http1_1, headers: HTTPHeaders = [:],
        body: [UInt8] = [], trailers: HTTPHeaders = [:], keepAlive: Bool = true
    ) {
        self.method = method
        self.target = target
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        self.path = parts.first.map(String.init) ?? target
        self.query = parts.count > 1 ? String(parts[1]) : nil
        self.version = version
        self.headers = headers
        self.body = body
        self.trailers = trailers
        self.keepAlive = keepAlive
    }

    public var isHead: Bool { method == "HEAD" }
}
