import Dispatch
import Glibc
import HTTP
import HTTPTestSupport
import Sockets
import Sockets
import Testing

/// Waits up to `milliseconds` for the server to send something on `client`'s socket.
func serverHasSpoken(_ client: TestClient, withinMilliseconds milliseconds: Int32) -> Bool {
    var entry = pollfd(fd: client.socket.fd, events: Int16(POLLIN), revents: 0)
    return poll(&entry, 1, milliseconds) > 0
}

/// Closes `client` with a TCP reset (SO_LINGER 0), as a client that gives up abruptly does.
func reset(_ client: TestClient) {
    var option = linger(l_onoff: 1, l_linger: 0)
    _ = setsockopt(client.socket.fd, SOL_SOCKET, SO_LINGER, &option, socklen_t(MemoryLayout<linger>.size))
    client.close()
}

@Suite("Server: request body limits, budget and deadlines", .serialized)
struct ServerBodyLimitTests {
    @Test func bodyOverTheOneMebibyteDefaultGets413BeforeItIsSent() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            // Only the head is sent: the answer cannot wait for the body.
            try client.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: 1048577\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
        }
    }

    @Test func responderRaisesTheLimitForItsRouteOnly() throws {
        try withTestServer { server, _ in
            let body = [UInt8](repeating: UInt8(ascii: "u"), count: 2 * 1024 * 1024)
            let upload = try TestClient(port: server.port)
            try upload.send("POST /upload HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n")
            try upload.send(body)
            let accepted = try #require(try upload.readResponse())
            #expect(accepted.status == 200)
            #expect(accepted.body.count == "POST /upload ".utf8.count + body.count)

            let other = try TestClient(port: server.port)
            try other.send("POST /form HTTP/1.1\r\nHost: t\r\nContent-Length: \(body.count)\r\n\r\n")
            #expect(try other.readResponse()?.status == 413)
        }
    }

    @Test func expectContinueOverTheRouteLimitGets413InsteadOf100() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send(
                "PUT /upload HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\n"
                    + "Content-Length: \(TestResponder.uploadLimit + 1)\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 413)
            #expect(try client.isClosedByServer())
        }
    }

    @Test func declaredBodyOverTheRemainingBudgetGets503WithRetryAfter() throws {
        try withTestServer({ $0.maxBodyBytesInFlight = 1000 }) { server, _ in
            // The first request is admitted (its 100 Continue says so) and holds 800 bytes.
            let first = try TestClient(port: server.port)
            try first.send("POST /a HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 800\r\n\r\n")
            #expect(try first.readResponse()?.status == 100)
            #expect(server.bodyBytesInFlight == 800)

            let second = try TestClient(port: server.port)
            try second.send("POST /b HTTP/1.1\r\nHost: t\r\nContent-Length: 300\r\n\r\n")
            let refused = try #require(try second.readResponse())
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") == "1")
            #expect(refused.header("Connection") == "close")

            // Once the first response is written, its share comes back.
            try first.send([UInt8](repeating: UInt8(ascii: "a"), count: 800))
            #expect(try first.readResponse()?.status == 200)
            #expect(waitFor { server.bodyBytesInFlight == 0 })
            let third = try TestClient(port: server.port)
            try third.send("POST /c HTTP/1.1\r\nHost: t\r\nContent-Length: 300\r\n\r\n" + String(repeating: "c", count: 300))
            #expect(try third.readResponse()?.status == 200)
        }
    }

    @Test func chunkedBodyGrowingOverTheBudgetGets503() throws {
        try withTestServer({ $0.maxBodyBytesInFlight = 1000 }) { server, _ in
            let client = try TestClient(port: server.port)
            let chunk = "258\r\n" + String(repeating: "z", count: 600) + "\r\n"  // 0x258 = 600
            try client.send("POST /a HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n" + chunk + chunk + "0\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "1")
            #expect(waitFor { server.bodyBytesInFlight == 0 })
        }
    }

    @Test func closedConnectionReturnsItsShareOfTheBudget() throws {
        try withTestServer({ $0.maxBodyBytesInFlight = 1000 }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("POST /a HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 900\r\n\r\n")
            #expect(try client.readResponse()?.status == 100)
            #expect(server.bodyBytesInFlight == 900)
            client.close()
            #expect(waitFor { server.bodyBytesInFlight == 0 })
        }
    }

    @Test func tricklingBodyIsCutOffAtTheTotalBodyDeadline() throws {
        // Every pause (50 ms) is shorter than the body timeout (300 ms), so only the total
        // deadline, max(300 ms, 40 B / 1000 B/s), can stop this client; at a byte per 50 ms the
        // whole body would take 2 s.
        try withTestServer({
            $0.bodyTimeout = .milliseconds(300)
            $0.minimumBodyBytesPerSecond = 1000
        }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("POST /slowly HTTP/1.1\r\nHost: t\r\nContent-Length: 40\r\n\r\n")
            let started = DispatchTime.now().uptimeNanoseconds
            var sent = 0
            while sent < 40, !serverHasSpoken(client, withinMilliseconds: 50) {
                try client.send("b")
                sent += 1
            }
            let response = try #require(try client.readResponse())
            #expect(response.status == 408)
            #expect(sent < 40)
            let elapsed = DispatchTime.now().uptimeNanoseconds - started
            #expect(elapsed < 1_500_000_000)
        }
    }
}
