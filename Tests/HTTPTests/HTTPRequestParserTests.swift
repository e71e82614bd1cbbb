import HTTP
import Testing

/// Parses `raw` whole and returns every complete request; throws the parser's error.
func parseAll(_ raw: String, limits: HTTPParserLimits = HTTPParserLimits()) throws -> [HTTPRequest] {
    try parseAll(Array(raw.utf8), pieces: Int.max, limits: limits)
}

/// Parses `bytes` fed in pieces of `pieces` bytes.
func parseAll(_ bytes: [UInt8], pieces: Int, limits: HTTPParserLimits = HTTPParserLimits()) throws -> [HTTPRequest] {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    var offset = 0
    repeat {
        let end = min(bytes.count, offset + max(1, min(pieces, bytes.count)))
        parser.append(Array(bytes[offset..<end]))
        offset = end
        loop: while true {
            switch try parser.next() {
            case .needMoreData: break loop
            case .sendContinue: continue
            case .request(let request): requests.append(request)
            }
        }
    } while offset < bytes.count
    return requests
}

@Suite("Request parser: accepted requests")
struct HTTPRequestParserTests {
    @Test func simpleGetHasMethodTargetPathQueryAndHeaders() throws {
        // Given a GET with a query
        let requests = try parseAll("GET /usagers?q=jean&page=2 HTTP/1.1\r\nHost: rdv.example\r\nAccept: */*\r\n\r\n")
        // Then
        #expect(requests.count == 1)
        let r = try #require(requests.first)
        #expect(r.method == "GET")
        #expect(r.target == "/usagers?q=jean&page=2")
        #expect(r.path == "/usagers")
        #expect(r.query == "q=jean&page=2")
        #expect(r.version == .http1_1)
        #expect(r.headers["host"] == "rdv.example")
        #expect(r.headers["ACCEPT"] == "*/*")
        #expect(r.body.isEmpty)
        #expect(r.keepAlive)
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: a\r\n\r\n", true),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n", false),
        ("GET / HTTP/1.1\r\nHost: a\r\nConnection: Keep-Alive, CLOSE\r\n\r\n", false),
        ("GET / HTTP/1.0\r\n\r\n", false),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", true),
        ("GET / HTTP/1.0\r\nConnection: keep-alive\r\nConnection: close\r\n\r\n", false),
    ])
    func keepAliveFollowsVersionAndConnectionOptions(raw: String, keepAlive: Bool) throws {
        #expect(try parseAll(raw).first?.keepAlive == keepAlive)
    }

    @Test func fieldValuesAreTrimmedOfOptionalWhitespace() throws {
        let r = try #require(try parseAll("GET / HTTP/1.1\r\nHost:a\r\nX-A: \t v a l \t\r\nX-Empty:\r\n\r\n").first)
        #expect(r.headers["X-A"] == "v a l")
        #expect(r.headers["X-Empty"] == "")
        #expect(r.headers["Host"] == "a")
    }

    @Test func contentLengthBodyIsRead() throws {
        let r = try #require(try parseAll("POST /f HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\nnom=Dupont&").first)
        #expect(String(decoding: r.body, as: UTF8.self) == "nom=Dupont&")
    }

    @Test func chunkedBodyWithExtensionsAndTrailersIsDecoded() throws {
        let raw =
            "POST /f HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
            + "4;name=value;flag\r\nWiki\r\n" + "5;q=\"quoted \\\" string\"\r\npedia\r\n"
            + "000\r\nX-Checksum: abc\r\n\r\n"
        let r = try #require(try parseAll(raw).first)
        #expect(String(decoding: r.body, as: UTF8.self) == "Wikipedia")
        #expect(r.trailers["X-Checksum"] == "abc")
        #expect(r.headers["X-Checksum"] == nil)
    }

    @Test func transferEncodingIsCaseInsensitiveAndMayBeSplitAcrossFields() throws {
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: CHUNKED\r\n\r\n1\r\nx\r\n0\r\n\r\n"
        #expect(try parseAll(raw).first?.body == [UInt8(ascii: "x")])
    }

    @Test func pipelinedRequestsComeOutInOrder() throws {
        let raw =
            "GET /1 HTTP/1.1\r\nHost: a\r\n\r\nPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\n\r\nokGET /3 HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(try parseAll(raw).map(\.target) == ["/1", "/2", "/3"])
    }

    @Test func bodyBytesAreNeverTakenForLineEnds() throws {
        // Regression (found by the fuzzer): a body holding CRLF, followed by a pipelined request.
        let raw =
            "POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 8\r\n\r\nq=42\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\n"
        #expect(try parseAll(raw).map(\.target) == ["/1", "/2"])
    }

    @Test(arguments: [1, 2, 3, 7, 64])
    func fragmentedInputGivesTheSameRequests(pieceSize: Int) throws {
        let raw = Array(
            ("POST /a?b=c HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3;x=y\r\nabc\r\n0\r\nT: 1\r\n\r\n"
                + "GET /z HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nxyz").utf8)
        let requests = try parseAll(raw, pieces: pieceSize)
        #expect(requests.map(\.target) == ["/a?b=c", "/z"])
        #expect(requests.map { String(decoding: $0.body, as: UTF8.self) } == ["abc", "xyz"])
    }

    @Test func leadingEmptyLinesBeforeTheRequestLineAreIgnored() throws {
        #expect(try parseAll("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n").count == 1)
    }

    @Test func absoluteFormGivesPathAndQuery() throws {
        let r = try #require(
            try parseAll("GET http://rdv.example:8080/a/b?c=d HTTP/1.1\r\nHost: rdv.example\r\n\r\n").first)
        #expect(r.path == "/a/b")
        #expect(r.query == "c=d")
        let bare = try #require(try parseAll("GET https://rdv.example HTTP/1.1\r\nHost: rdv.example\r\n\r\n").first)
        #expect(bare.path == "/")
    }

    @Test func asteriskFormIsForOptionsOnly() throws {
        #expect(try parseAll("OPTIONS * HTTP/1.1\r\nHost: a\r\n\r\n").first?.path == "*")
        #expect(throws: HTTPParseError.invalidTarget) { try parseAll("GET * HTTP/1.1\r\nHost: a\r\n\r\n") }
    }

    @Test func authorityFormIsForConnectOnly() throws {
        var limits = HTTPParserLimits()
        limits.implementedMethods.insert("CONNECT")
        let r = try parseAll("CONNECT rdv.example:443 HTTP/1.1\r\nHost: rdv.example:443\r\n\r\n", limits: limits)
        #expect(r.first?.path == "rdv.example:443")
        #expect(throws: HTTPParseError.invalidTarget) {
            try parseAll("GET rdv.example:443 HTTP/1.1\r\nHost: a\r\n\r\n")
        }
    }

    @Test func expectContinueAsksForAnInterimResponseBeforeTheBody() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT /f HTTP/1.1\r\nHost: a\r\nExpect: 100-Continue\r\nContent-Length: 2\r\n\r\n".utf8))
        #expect(try parser.next().isSendContinue)
        #expect(try parser.next().isNeedMoreData)
        parser.append(Array("hi".utf8))
        let r = try #require(try parser.next().request)
        #expect(r.body == Array("hi".utf8))
    }

    @Test func expectContinueIsIgnoredInHTTP10() throws {
        #expect(try parseAll("PUT / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 1\r\n\r\nx").count == 1)
    }

    @Test func higherHTTP1MinorVersionIsServedAsHTTP11() throws {
        #expect(try parseAll("GET / HTTP/1.2\r\nHost: a\r\n\r\n").first?.version == .http1_1)
    }

    @Test func obsTextIsAcceptedInFieldValues() throws {
        let bytes = Array("GET / HTTP/1.1\r\nHost: a\r\nX: caf".utf8) + [0xE9] + Array("\r\n\r\n".utf8)
        #expect(try parseAll(bytes, pieces: .max).count == 1)
    }

    @Test func parserStateReportsProgress() throws {
        var parser = HTTPRequestParser()
        #expect(!parser.isMidRequest)
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 4\r\n".utf8))
        _ = try parser.next()
        #expect(parser.isMidRequest && !parser.isReadingBody)
        parser.append(Array("\r\nab".utf8))
        _ = try parser.next()
        #expect(parser.isReadingBody)
        parser.append(Array("cd".utf8))
        #expect(try parser.next().request != nil)
        #expect(!parser.isMidRequest)
    }
}

extension HTTPRequestParser.Event {
    var isSendContinue: Bool {
        if case .sendContinue = self { true } else { false }
    }
    var isNeedMoreData: Bool {
        if case .needMoreData = self { true } else { false }
    }
    var request: HTTPRequest? {
        if case .request(let request) = self { request } else { nil }
    }
}

extension HTTPRequestParser.Step {
    var bodyAhead: (method: String, path: String, declaredLength: Int?)? {
        if case .bodyAhead(let method, let path, let length) = self { (method, path, length) } else { nil }
    }
    var event: HTTPRequestParser.Event? {
        if case .event(let event) = self { event } else { nil }
    }
}

@Suite("Request parser: body admission")
struct HTTPRequestParserAdmissionTests {
    @Test func stepPausesAfterTheHeadBeforeAnyBodyByte() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST /up?x=1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello".utf8))
        let ahead = try #require(try parser.step().bodyAhead)
        #expect(ahead.method == "POST" && ahead.path == "/up" && ahead.declaredLength == 5)
        #expect(parser.bodyBytesHeld == 5)
        // Until admitted, the parser stays at the same point.
        #expect(try parser.step().bodyAhead?.declaredLength == 5)
        try parser.admitBody(limit: 5)
        let request = try #require(try parser.step().event?.request)
        #expect(request.body == Array("hello".utf8))
    }

    @Test func admissionRefusesADeclaredLengthOverTheLimit() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\n".utf8))
        _ = try #require(try parser.step().bodyAhead)
        #expect(throws: HTTPParseError.bodyTooLarge) { try parser.admitBody(limit: 5) }
    }

    @Test func admittedLimitAppliesToChunkedBodiesAboveTheParserDefault() throws {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 4
        var parser = HTTPRequestParser(limits: limits)
        parser.append(
            Array("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nabcdef\r\n0\r\n\r\n".utf8))
        let ahead = try #require(try parser.step().bodyAhead)
        #expect(ahead.declaredLength == nil)
        try parser.admitBody(limit: 6)
        let request = try #require(try parser.step().event?.request)
        #expect(request.body == Array("abcdef".utf8))
    }

    @Test func continueIsAskedOnlyAfterAdmission() throws {
        var parser = HTTPRequestParser()
        parser.append(Array("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n".utf8))
        _ = try #require(try parser.step().bodyAhead)
        try parser.admitBody(limit: 2)
        #expect(try parser.step().event?.isSendContinue == true)
    }

    @Test func defaultBodyLimitIsOneMebibyte() {
        #expect(HTTPParserLimits().maxBodyBytes == 1_048_576)
    }
}
