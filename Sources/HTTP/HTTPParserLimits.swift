/// Size limits applied while parsing a request; each has a documented default.
public struct HTTPParserLimits: Sendable, Equatable {
    /// Request line, CRLF excluded; beyond it: 414.
    public var maxRequestLineLength = 8 * 1024
    /// The field section (all header lines, or all trailer lines); beyond it: 431.
    public var maxHeaderBlockBytes = 64 * 1024
    /// Number of header fields (trailer fields count too); beyond it: 431.
    public var maxHeaderCount = 100
    /// Decoded body; beyond it: 413. 1 MiB covers form posts; the server lets a responder raise
    /// it for the routes that take files (``HTTPResponder/maximumBodySize(method:path:)``).
    public var maxBodyBytes = 1024 * 1024
    /// A chunk-size line with its extensions; beyond it: 400.
    public var maxChunkLineLength = 4 * 1024
    /// Empty lines tolerated before a request line (RFC 9112 §2.2 asks for at least one).
    public var maxLeadingEmptyLines = 4

    /// Methods recognised; any other token gets 501 before routing (RFC 9110 §9.1). TRACE and
    /// QUERY (the safe method with a body of the httpbis draft) are recognised only so that each
    /// resource answers 405 with its `Allow` (RFC 9110 §15.5.6): no route serves them, so nothing
    /// is ever echoed. No CONNECT (no tunnels) or WebDAV/RTSP methods.
    public var implementedMethods: Set<String> = [
        "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "QUERY",
    ]

    public init() {}
}
