import Foundation
import HTTP
import Logging

/// The real `rdv` executable and a free port, for the tests that run it as a process.
enum RDVProcess {
    /// The `rdv` executable next to the test bundle (same build directory).
    static var binary: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("rdv")
    }

    /// A free port: bind 0, read it, release it.
    static func freePort() throws -> UInt16 {
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, responder: NoResponder(), logger: Logger(label: "p"))
        defer { server.waitUntilStopped() }
        server.shutdown()
        return server.port
    }

    private struct NoResponder: HTTPResponder {
        func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse { .text("") }
    }
}
