import Dispatch
import HTTP
import HTTPTestSupport
import Sockets
import Testing

@Suite("Server: connections over real sockets", .serialized)
struct ServerConnectionTests {
    @Test func keepAliveServesSeveralRequestsOnOneConnection() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            for i in 1...3 {
                try client.send("GET /echo/\(i) HTTP/1.1\r\nHost: t\r\n\r\n")
                let response = try #require(try client.readResponse())
                #expect(response.status == 200)
                #expect(response.text == "GET /echo/\(i) ")
                #expect(response.header("Connection") == nil)
                #expect(response.header("Server") == "rdv")
                #expect(response.header("Date")?.hasSuffix(" GMT") == true)
            }
        }
    }

    @Test func http10WithoutKeepAliveIsClosedAfterTheResponse() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /a HTTP/1.0\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.header("Connection") == "close")
            #expect(try client.isClosedByServer())
        }
    }

    @Test func http10KeepAliveIsHonouredAndAnnounced() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            for _ in 1...2 {
                try client.send("GET /a HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(try client.readResponse()?.header("Connection") == "keep-alive")
            }
        }
    }

    @Test func connectionCloseIsHonoured() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /a HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /b HTTP/1.1\r\nHost: t\r\n\r\n")
            let responses = try client.readAllResponses()
            #expect(responses.map(\.text) == ["GET /a "])
            #expect(responses.first?.header("Connection") == "close")
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrderEvenWhenTheFirstIsSlow() throws {
        try withTestServer { server, responder in
            let client = try TestClient(port: server.port)
            try client.send(
                "GET /slow HTTP/1.1\r\nHost: t\r\n\r\nGET /inline HTTP/1.1\r\nHost: t\r\n\r\nPOST /p HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi"
            )
            responder.slowStarted.wait()
            responder.release.signal()
            let texts = try (1...3).map { _ in try #require(try client.readResponse()).text }
            #expect(texts == ["slow done", "GET /inline ", "POST /p hi"])
        }
    }

    @Test func aRequestSentOneByteAtATimeIsServed() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send(
                Array("POST /bytes HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello".utf8), inPiecesOf: 1)
            #expect(try client.readResponse()?.text == "POST /bytes hello")
        }
    }

    @Test func aSlowHandlerDoesNotStallOtherConnections() throws {
        try withTestServer { server, responder in
            let slow = try TestClient(port: server.port)
            try slow.send("GET /slow HTTP/1.1\r\nHost: t\r\n\r\n")
            responder.slowStarted.wait()
            // While the handler blocks, other connections (worker and inline routes) are served.
            for path in ["/other", "/inline"] {
                let other = try TestClient(port: server.port)
                try other.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try other.readResponse()?.status == 200)
            }
            responder.release.signal()
            #expect(try slow.readResponse()?.text == "slow done")
        }
    }

    @Test func peerClosingMidRequestFreesTheConnection() throws {
        try withTestServer { server, _ in
            let baseline = openFileDescriptorCount()
            for partial in ["GET /a HT", "POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc"] {
                let client = try TestClient(port: server.port)
                try client.send(partial)
                client.close()
            }
            #expect(waitFor { server.connectionCount == 0 })
            #expect(waitFor { openFileDescriptorCount() <= baseline })
            // The server still serves.
            let client = try TestClient(port: server.port)
            try client.send("GET /after HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse()?.status == 200)
        }
    }

    @Test func halfClosedClientStillGetsItsResponses() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /1 HTTP/1.1\r\nHost: t\r\n\r\nGET /2 HTTP/1.1\r\nHost: t\r\n\r\n")
            client.socket.shutdownWrite()
            #expect(try client.readAllResponses().map(\.text) == ["GET /1 ", "GET /2 "])
        }
    }

    @Test func expectContinueGetsAnInterimResponseThenTheFinalOne() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("PUT /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n")
            #expect(try client.readResponse()?.status == 100)
            try client.send("data")
            #expect(try client.readResponse()?.text == "PUT /up data")
        }
    }

    @Test func expectContinueWithAnOversizedBodyGets413WithoutTheBody() throws {
        try withTestServer({ $0.parserLimits.maxBodyBytes = 100 }) { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("PUT /up HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 101\r\n\r\n")
            #expect(try client.readResponse()?.status == 413)
        }
    }

    @Test func headResponseHasLengthButNoBody() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("HEAD /big?10 HTTP/1.1\r\nHost: t\r\n\r\nGET /big?3 HTTP/1.1\r\nHost: t\r\n\r\n")
            let head = try #require(try client.readResponse(expectBody: false))
            #expect(head.header("Content-Length") == "10")
            // The next response starts right after the head: no body bytes were sent.
            #expect(try client.readResponse()?.text == "xxx")
        }
    }

    @Test func streamedBodyIsSentChunked() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /stream?3 HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.header("Transfer-Encoding") == "chunked")
            #expect(
                response.text == String(repeating: "0", count: 1000) + String(repeating: "1", count: 1000)
                    + String(repeating: "2", count: 1000))
            // Keep-alive continues after the last chunk.
            try client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try client.readResponse()?.status == 200)
        }
    }

    @Test func streamedBodyToHTTP10IsDelimitedByClose() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /stream?2 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.header("Connection") == "close")
            #expect(response.body.count == 2000)
        }
    }

    @Test func handlerErrorBecomes500WithRequestIDAndKeepsTheConnection() throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send("GET /fail HTTP/1.1\r\nHost: t\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 500)
            #expect(response.text.contains("référence 1-") || response.text.contains("référence 0-"))
            try client.send("GET /teapot HTTP/1.1\r\nHost: t\r\n\r\n")
            let teapot = try #require(try client.readResponse())
            #expect(teapot.status == 418)
            #expect(teapot.text == "théière")
        }
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", 400),
        ("GET /" + String(repeating: "a", count: 9000) + " HTTP/1.1\r\n", 414),
        ("GET / HTTP/1.1\r\nHost: t\r\nX: " + String(repeating: "a", count: 70000) + "\r\n\r\n", 431),
        ("POST / HTTP/1.1\r\nHost: t\r\nContent-Length: 20000000\r\n\r\n", 413),
        ("POST / HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n", 501),
        ("GET / HTTP/3.0\r\nHost: t\r\n\r\n", 505),
    ])
    func malformedRequestGetsItsStatusThenAClose(raw: String, status: Int) throws {
        try withTestServer { server, _ in
            let client = try TestClient(port: server.port)
            try client.send(raw)
            let response = try #require(try client.readResponse())
            #expect(response.status == status)
            #expect(response.header("Connection") == "close")
            #expect(try client.isClosedByServer())
        }
    }

    @Test func overLimitConnectionsGet503AndTheServerGoesOn() throws {
        try withTestServer({ $0.maxConnections = 2 }) { server, _ in
            let held = try (1...2).map { _ in try TestClient(port: server.port) }
            for client in held {
                try client.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
                #expect(try client.readResponse()?.status == 200)
            }
            let extra = try TestClient(port: server.port)
            #expect(try extra.readResponse()?.status == 503)
            held[0].socket.shutdownWrite()
            #expect(waitFor { server.connectionCount < 2 })
            let later = try TestClient(port: server.port)
            try later.send("GET /a HTTP/1.1\r\nHost: t\r\n\r\n")
            #expect(try later.readResponse()?.status == 200)
        }
    }

    @Test func manyConnectionsLeakNoDescriptors() throws {
        try withTestServer { server, _ in
            let baseline = openFileDescriptorCount()
            for i in 0..<200 {
                let client = try TestClient(port: server.port)
                try client.send(i.isMultiple(of: 2) ? "GET /a HTTP/1.1\r\nHost: t\r\n\r\n" : "BAD\r\n\r\n")
                _ = try client.readResponse()
            }
            #expect(waitFor { server.connectionCount == 0 && openFileDescriptorCount() <= baseline })
        }
    }
}
