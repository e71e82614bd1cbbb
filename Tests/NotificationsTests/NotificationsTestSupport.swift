import DatabaseTestSupport
import Foundation
import GRDB
import HTTP
import Logging
@_spi(RawDatabase) import Persistence
import Synchronization

/// A migrated database in a fresh temporary directory (production configuration, real SQLite).
func makeTestDatabase() throws -> (AppDatabase, URL) {
    try TemplateDatabase.make(prefix: "rdv-outbox")
}

func fetchRows(_ db: AppDatabase, _ sql: String) throws -> [Row] {
    try db.writer.read { try Row.fetchAll($0, sql: sql) }
}

/// A fake provider or webhook receiver on a real socket (our HTTP server on 127.0.0.1:0): it
/// answers with scripted replies in order (then 200) and records every request it received.
final class StubEndpoint: HTTPResponder {
    enum Reply: Sendable {
        case status(Int, body: String = "")
        /// Answers 200 only once the test calls ``releaseHeld()``: provokes a client timeout
        /// without sleeping.
        case hold
        /// 307 to `location`: a client that follows it would POST the same body there.
        case redirect(String)
    }

    private let state: Mutex<(replies: [Reply], requests: [HTTPRequest], held: Int, released: Bool)>
    private let gate = DispatchSemaphore(value: 0)

    init(_ replies: [Reply]) { state = Mutex((replies, [], 0, false)) }

    var requests: [HTTPRequest] { state.withLock { $0.requests } }

    func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        let reply = state.withLock { s in
            s.requests.append(request)
            return s.replies.isEmpty ? Reply.status(200) : s.replies.removeFirst()
        }
        switch reply {
        case .status(let code, let body):
            return HTTPResponse(
                status: HTTPStatus(code), headers: ["Content-Type": "application/json"], body: .bytes(Array(body.utf8)))
        case .redirect(let location):
            return HTTPResponse(status: HTTPStatus(307), headers: ["Location": location])
        case .hold:
            // Counted and checked under the lock, so a release never misses a held request.
            let mustWait = state.withLock { s in
                if !s.released { s.held += 1 }
                return !s.released
            }
            if mustWait { gate.wait() }
            return HTTPResponse(status: .ok)
        }
    }

    /// Lets every held request answer, and later ones answer at once.
    func releaseHeld() {
        let held = state.withLock { s in
            defer { (s.held, s.released) = (0, true) }
            return s.held
        }
        for _ in 0..<held { gate.signal() }
    }
}

/// Runs `body` with a stub server answering `replies`; `body` gets the server's base URL.
func withStubServer(_ replies: [StubEndpoint.Reply], _ body: (String, StubEndpoint) throws -> Void) throws {
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.eventLoopCount = 1
    configuration.workerCount = 2
    configuration.shutdownGracePeriod = .seconds(1)
    var logger = Logger(label: "stub")
    logger.logLevel = .critical
    let endpoint = StubEndpoint(replies)
    let server = try HTTPServer(configuration: configuration, responder: endpoint, logger: logger)
    server.start()
    defer {
        endpoint.releaseHeld()
        server.shutdown()
        server.waitUntilStopped()
    }
    try body("http://127.0.0.1:\(server.port)", endpoint)
}
