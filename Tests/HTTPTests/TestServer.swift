import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Synchronization

/// A responder with routes that exercise the server: echo, a handler that blocks until released,
/// failures, and a streamed body. Every routed response carries `X-Routed: 1`.
final class TestResponder: HTTPResponder {
    /// `/slow` blocks until this is signalled once per request.
    let release = DispatchSemaphore(value: 0)
    let slowStarted = DispatchSemaphore(value: 0)

    /// Requests `/count` reached the handler.
    let countCalls = Atomic<Int>(0)
    /// Signalled when the server asks the body limit of `/count` (its head has been parsed).
    let countHeadParsed = DispatchSemaphore(value: 0)
    /// The body limit `/upload` asks for, above the server's default.
    static let uploadLimit = 4 * 1024 * 1024

    struct Teapot: HTTPResponseError {
        var status: HTTPStatus { HTTPStatus(418, "I'm a teapot") }
        var publicMessage: String { "théière" }
    }

    struct Boom: Error {}

    func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        var response: HTTPResponse
        switch request.path {
        case "/slow":
            slowStarted.signal()
            release.wait()
            response = .text("slow done")
        case "/count":
            countCalls.add(1, ordering: .relaxed)
            response = .text("counted")
        case "/fail":
            throw Boom()
        case "/teapot":
            throw Teapot()
        case "/stream":
            let count = Int(request.query ?? "") ?? 3
            response = HTTPResponse(body: .stream(CountingStream(chunks: count, chunkSize: 1000)))
        case "/big":
            let size = Int(request.query ?? "") ?? 1000
            response = HTTPResponse(body: .bytes([UInt8](repeating: UInt8(ascii: "x"), count: size)))
        default:
            let body = "\(request.method) \(request.target) \(String(decoding: request.body, as: UTF8.self))"
            response = .text(body)
        }
        response.headers["X-Routed"] = "1"
        return response
    }

    func canRespondInline(to request: HTTPRequest) -> Bool { request.path == "/inline" }

    func maximumBodySize(method: String, path: String) -> Int? {
        switch path {
        case "/upload": return Self.uploadLimit
        case "/count":
            countHeadParsed.signal()
            return nil
        default: return nil
        }
    }
}

/// Yields `chunks` chunks of `chunkSize` bytes: "0000…", "1111…", …
final class CountingStream: HTTPBodyStream {
    private let produced = Mutex(0)
    let chunks: Int
    let chunkSize: Int

    init(chunks: Int, chunkSize: Int) {
        self.chunks = chunks
        self.chunkSize = chunkSize
    }

    func nextChunk() throws -> [UInt8]? {
        produced.withLock { n in
            guard n < chunks else { return nil }
            defer { n += 1 }
            return [UInt8](repeating: UInt8(ascii: "0") + UInt8(n % 10), count: chunkSize)
        }
    }
}

/// Starts a server on 127.0.0.1:0 with small deadlines, runs `body`, then shuts it down.
func withTestServer(
    _ configure: (inout ServerConfiguration) -> Void = { _ in },
    _ body: (HTTPServer, TestResponder) throws -> Void
) throws {
    var configuration = ServerConfiguration()
    configuration.host = "127.0.0.1"
    configuration.port = 0
    configuration.eventLoopCount = 2
    configuration.workerCount = 4
    configure(&configuration)
    let responder = TestResponder()
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let server = try HTTPServer(configuration: configuration, responder: responder, logger: logger)
    server.start()
    defer {
        server.shutdown()
        server.waitUntilStopped()
    }
    try body(server, responder)
}
