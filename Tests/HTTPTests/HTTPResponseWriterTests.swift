import Testing

@testable import HTTP

@Suite("Response writer")
struct HTTPResponseWriterTests {
    func head(_ response: HTTPResponse, keepAlive: Bool = true, version: HTTPVersion = .http1_1) -> String {
        let framing = HTTPResponseWriter.framing(for: response, request: version)
        let bytes = HTTPResponseWriter.head(
            response, framing: framing, keepAlive: keepAlive, requestVersion: version,
            date: "Wed, 25 Nov 2026 20:00:00 GMT", serverName: "rdv")
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func headHasStatusDateServerFieldsAndLength() {
        let text = head(.text("ok"))
        #expect(
            text == "HTTP/1.1 200 OK\r\nDate: Wed, 25 Nov 2026 20:00:00 GMT\r\nServer: rdv\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: 2\r\n\r\n")
    }

    @Test func framingFieldsFromHandlersAreReplaced() {
        let response = HTTPResponse(
            headers: ["Content-Length": "99", "Transfer-Encoding": "chunked", "Connection": "upgrade"],
            body: .bytes([1]))
        #expect(head(response, keepAlive: false).hasSuffix("Content-Length: 1\r\nConnection: close\r\n\r\n"))
    }

    @Test func headerInjectionIsNeutralised() {
        let response = HTTPResponse(headers: ["Location": "/a\r\nSet-Cookie: x=1"], body: .empty)
        #expect(head(response).contains("Location: /aSet-Cookie: x=1\r\n"))
    }

    @Test func noContentHasNoLength() {
        #expect(!head(HTTPResponse(status: .noContent)).contains("Content-Length"))
    }

    @Test func http10KeepAliveIsExplicit() {
        #expect(head(.text("x"), version: .http1_0).contains("Connection: keep-alive\r\n"))
    }

    @Test func chunkFraming() {
        var out: [UInt8] = []
        HTTPResponseWriter.appendChunk(Array(repeating: 0x61, count: 26), to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "1a\r\n" + String(repeating: "a", count: 26) + "\r\n")
    }

    @Test func imfFixdate() {
        #expect(HTTPDate.format(secondsSinceEpoch: 784_111_777) == "Sun, 06 Nov 1994 08:49:37 GMT")
    }
}
