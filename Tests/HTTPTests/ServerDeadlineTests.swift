import Dispatch
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Sockets
import Synchronization
import Synchronization
import Testing

/// Each deadline is configured small (150 ms) and observed by blocking reads with a 5 s receive
/// timeout: the test waits for the server's action, never sleeps for a fixed time.
@Suite("Server: deadlines and graceful shutdown", .serialized)
struct ServerDeadlineTests {
    @Test func slowRequestHeadGets408ThenClose() throws {
        try withTestServer({ $0.headerTimeout = .milliseconds(150) }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Slow:")
            let response = try #require(try client.readResponse())
            #expect(response.status == 408)
            #expect(response.header("Connection") == "close")
            #expect(try client.isClosedByServer())
        }
    }

    @Test func silentNewConnectionIsClosedAtTheHeaderDeadline() throws {
        try withTestServer({ $0.headerTimeout = .milliseconds(150) }) { server, _ in
            let client = try TestClient(port: server.port)
            #expect(try client.isClosedByServer())
        }
    }

    @Test func stalledBodyGets408() throws {
        try withTestServer({ $0.bodyTimeout = .milliseconds(150) }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nab")
            #expect(try client.readResponse()?.status == 408)
            #expect(try client.isClosedByServer())
        }
    }

    @Test func idleKeepAliveConnectionIsClosedWithoutAResponse() throws {
        try withTestServer({ $0.idleTimeout = .milliseconds(150) }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET / HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse()?.status == 200)
            #expect(try client.isClosedByServer())
            #expect(waitFor { server.connectionCount == 0 })
        }
    }

    @Test func clientThatStopsReadingIsDroppedAtTheWriteDeadline() throws {
        try withTestServer({ $0.writeTimeout = .milliseconds(150) }) { server, _ in
            let client = try TestClient(port: server.port)
            // 200 MB streamed: far more than the socket buffers hold, and the client never reads.
            try client.send("GET /stream?200000 HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(waitFor { server.connectionCount == 1 })
            #expect(waitFor(timeoutMilliseconds: 10_000) { server.connectionCount == 0 })
        }
    }

    @Test func shutdownLetsTheRequestInFlightFinishAndClosesIdleConnections() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        let responder = TestResponder()
        let server = try HTTPServer(configuration: configuration, responder: responder, logger: .init(label: "t"))
        server.start()

        let idle = try TestClient(port: server.port)
        try idle.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try idle.readResponse()?.status == 200)
        let busy = try TestClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        responder.slowStarted.wait()

        // When shutdown begins, the idle connection is closed and new connections are refused.
        server.shutdown()
        #expect(try idle.isClosedByServer())
        #expect(waitFor { (try? TestClient(port: server.port)) == nil })

        // Then the request in flight completes, marked as the connection's last.
        responder.release.signal()
        let response = try #require(try busy.readResponse())
        #expect(response.text == "slow done")
        #expect(response.header("Connection") == "close")
        #expect(try busy.isClosedByServer())
        busy.socket.shutdownWrite()  // ends the server's lingering close at once
        server.waitUntilStopped()
        #expect(server.connectionCount == 0)
    }

    @Test func shutdownClosesConnectionsStillBusyAfterTheGracePeriod() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriod = .milliseconds(100)
        let responder = TestResponder()
        let server = try HTTPServer(configuration: configuration, responder: responder, logger: .init(label: "t"))
        server.start()
        let busy = try TestClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        responder.slowStarted.wait()
        server.shutdown()
        #expect(try busy.isClosedByServer())
        responder.release.signal()  // lets the worker thread end
        server.waitUntilStopped()
    }

    @Test func queuedJobOfAResetConnectionIsDroppedBeforeItRuns() throws {
        try withTestServer({ $0.workerCount = 1 }) { server, responder in
            let busy = try TestClient(port: server.port)
            try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            responder.slowStarted.wait()  // the only worker is taken

            // Head and body in one write: once the head is parsed the request is queued.
            let gone = try TestClient(port: server.port)
            try gone.send("POST /count HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx")
            responder.countHeadParsed.wait()
            reset(gone)
            #expect(waitFor { server.connectionCount == 1 })

            responder.release.signal()
            #expect(try busy.readResponse()?.text == "slow done")
            // The worker takes jobs in order: by this response, the dropped job's turn has passed.
            try busy.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try busy.readResponse()?.status == 200)
            #expect(responder.countCalls.load(ordering: .relaxed) == 0)
        }
    }

    @Test func stopIsBoundedByTheGracePeriodWhileAHandlerIsStuck() throws {
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.workerCount = 1
        configuration.shutdownGracePeriod = .milliseconds(200)
        let responder = TestResponder()
        let server = try HTTPServer(configuration: configuration, responder: responder, logger: .init(label: "t"))
        server.start()
        let busy = try TestClient(port: server.port)
        try busy.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
        responder.slowStarted.wait()
        let queued = try TestClient(port: server.port)
        try queued.send("GET /count HTTP/1.1\r\nHost: t\r\n\r\n")

        server.shutdown()
        let stopped = DispatchSemaphore(value: 0)
        Thread {
            server.waitUntilStopped()
            stopped.signal()
        }.start()
        // The handler never returns during the wait: the stop must not wait for it.
        #expect(stopped.wait(timeout: .now() + 3) == .success)
        #expect(try busy.isClosedByServer())
        #expect(try queued.isClosedByServer())
        responder.release.signal()  // lets the worker thread end
    }
}
