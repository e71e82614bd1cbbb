import Logging

/// What a handler knows about the request beyond its bytes.
public struct RequestContext: Sendable {
    /// Unique within the process; logged with the access line and with any error.
    public let requestID: String
    public let logger: Logger
    /// The client's IP address as seen by the socket (rate limits, audit).
    public let remoteAddress: String

    public init(requestID: String, logger: Logger, remoteAddress: String = "") {
        self.requestID = requestID
        self.logger = logger
        self.remoteAddress = remoteAddress
    }
}

/// The application side of the server: turns a request into a response.
///
/// `respond` runs on a worker thread and may block (SQLite); when ``canRespondInline(to:)`` says
/// so it runs directly on the I/O thread instead, which is only for handlers that never block and
/// take microseconds (health checks), since they delay every connection of that thread.
public protocol HTTPResponder: Sendable {
    func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse
    func canRespondInline(to request: HTTPRequest) -> Bool
    /// The largest body this request may carry, asked once its head is parsed and before any
    /// body byte is read (a larger Content-Length gets 413 without reading it, and without a
    /// `100 Continue`); nil keeps the server's ``HTTPParserLimits/maxBodyBytes`` (1 MiB). Runs
    /// on the I/O thread: it must not block. `path` is still percent-encoded.
    func maximumBodySize(method: String, path: String) -> Int?
}

extension HTTPResponder {
    public func canRespondInline(to request: HTTPRequest) -> Bool { false }
    public func maximumBodySize(method: String, path: String) -> Int? { nil }
}

extension HTTPResponder {
    /// Runs the handler; an error becomes its own status, or 500 with the request id logged.
    func safeResponse(to request: HTTPRequest, context: RequestContext) -> HTTPResponse {
        do {
            return try respond(to: request, context: context)
        } catch let error as any HTTPResponseError {
            return .text(error.publicMessage, status: error.status)
        } catch {
            context.logger.error(
                "handler failed", metadata: ["id": "\(context.requestID)", "error": "\(String(reflecting: error))"])
            return .text(
                "Erreur interne du serveur (référence \(context.requestID)).\n", status: .internalServerError)
        }
    }
}
