import HTTP
import Testing

@Suite("Request parser: refusals, each with its exact error and status")
struct HTTPRequestParserRejectionTests {
    static let cases: [(String, String, HTTPParseError)] = [
        ("no Host in 1.1", "GET / HTTP/1.1\r\n\r\n", .missingHost),
        ("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", .multipleHost),
        ("two Host fields in 1.0", "GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n", .multipleHost),
        ("Host with a path", "GET / HTTP/1.1\r\nHost: a/b\r\n\r\n", .invalidHost),
        ("double space", "GET  / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("tab separator", "GET\t/ HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
        ("no version", "GET /\r\nHost: a\r\n\r\n", .invalidRequestLine),
        ("method with @", "G@T / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidMethod),
        ("lower-case protocol", "GET / http/1.1\r\nHost: a\r\n\r\n", .invalidVersion),
        ("version letters", "GET / HTTP/1.x\r\nHost: a\r\n\r\n", .invalidVersion),
        ("version with three digits", "GET / HTTP/1.10\r\nHost: a\r\n\r\n", .invalidVersion),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: a\r\n\r\n", .unsupportedVersion),
        ("HTTP/0.9", "GET / HTTP/0.9\r\n\r\n", .unsupportedVersion),
        ("fragment in target", "GET /a#b HTTP/1.1\r\nHost: a\r\n\r\n", .fragmentInTarget),
        ("unimplemented method", "PROPFIND / HTTP/1.1\r\nHost: a\r\n\r\n", .unsupportedMethod),
        ("CONNECT", "CONNECT a:443 HTTP/1.1\r\nHost: a:443\r\n\r\n", .unsupportedMethod),
        ("relative target", "GET a/b HTTP/1.1\r\nHost: a\r\n\r\n", .invalidTarget),
        ("bare LF after request line", "GET / HTTP/1.1\nHost: a\r\n\r\n", .bareLineFeed),
        ("bare LF after a field", "GET / HTTP/1.1\r\nHost: a\n\r\n", .bareLineFeed),
        ("bare CR in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\rb\r\n\r\n", .bareCarriageReturn),
        ("bare CR ending the request line", "GET / HTTP/1.1\rHost: a\r\n\r\n", .bareCarriageReturn),
        ("space before colon", "GET / HTTP/1.1\r\nHost : a\r\n\r\n", .whitespaceBeforeColon),
        ("tab before colon", "GET / HTTP/1.1\r\nHost\t: a\r\n\r\n", .whitespaceBeforeColon),
        ("obs-fold", "GET / HTTP/1.1\r\nHost: a\r\nX: 1\r\n 2\r\n\r\n", .obsoleteLineFolding),
        ("empty field name", "GET / HTTP/1.1\r\nHost: a\r\n: x\r\n\r\n", .invalidHeaderName),
        ("field name with (", "GET / HTTP/1.1\r\nHo(st: a\r\n\r\n", .invalidHeaderName),
        ("field without colon", "GET / HTTP/1.1\r\nHost: a\r\nX\r\n\r\n", .invalidHeaderName),
        ("NUL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{0}b\r\n\r\n", .invalidHeaderValue),
        ("DEL in a value", "GET / HTTP/1.1\r\nHost: a\r\nX: a\u{7F}\r\n\r\n", .invalidHeaderValue),
        (
            "CL and TE", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n",
            .contentLengthWithTransferEncoding
        ),
        (
            "repeated equal CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
            .multipleContentLength
        ),
        (
            "differing CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nxy",
            .multipleContentLength
        ),
        ("CL list", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 1, 1\r\n\r\nx", .invalidContentLength),
        ("negative CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n", .invalidContentLength),
        ("signed CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +1\r\n\r\nx", .invalidContentLength),
        ("empty CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n", .invalidContentLength),
        (
            "overflowing CL", "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 99999999999999999999\r\n\r\n",
            .invalidContentLength
        ),
        ("TE gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n", .unsupportedTransferCoding),
        (
            "TE gzip, chunked", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n",
            .unsupportedTransferCoding
        ),
        (
            "TE identity", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: identity\r\n\r\n",
            .unsupportedTransferCoding
        ),
        ("TE empty", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: \r\n\r\n", .unsupportedTransferCoding),
        (
            "TE chunked, gzip", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
            .chunkedNotFinal
        ),
        (
            "TE chunked twice",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n",
            .chunkedNotFinal
        ),
        ("TE in 1.0", "POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", .transferEncodingInHTTP10),
        (
            "chunk size not hex", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            .invalidChunkSize
        ),
        (
            "space after chunk size",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1 \r\nx\r\n0\r\n\r\n", .invalidChunkSize
        ),
        (
            "negative chunk size", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n",
            .invalidChunkSize
        ),
        (
            "overflowing chunk size",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nfffffffffffffffff\r\n", .invalidChunkSize
        ),
        (
            "chunk data too long",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nxy\r\n0\r\n\r\n",
            .invalidChunkTerminator
        ),
        (
            "chunk data with bare LF",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\n0\r\n\r\n", .invalidChunkTerminator
        ),
        (
            "chunk ext without name", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;=x\r\nx\r\n",
            .invalidChunkExtension
        ),
        (
            "chunk ext unterminated quote",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\"x\r\nx\r\n", .invalidChunkExtension
        ),
        (
            "chunk ext empty value", "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;a=\r\nx\r\n",
            .invalidChunkExtension
        ),
        (
            "trailer obs-fold",
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nT: 1\r\n 2\r\n\r\n",
            .obsoleteLineFolding
        ),
        (
            "expectation other than 100-continue", "GET / HTTP/1.1\r\nHost: a\r\nExpect: 200-ok\r\n\r\n",
            .unsupportedExpectation
        ),
        ("too many leading empty lines", "\r\n\r\n\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n", .invalidRequestLine),
    ]

    @Test(arguments: cases)
    func refusedWithExactError(name: String, raw: String, expected: HTTPParseError) {
        #expect(throws: expected, "\(name)") { try parseAll(raw) }
        // The same bytes one at a time reach the same verdict.
        #expect(throws: expected, "\(name), byte by byte") { try parseAll(Array(raw.utf8), pieces: 1) }
    }

    @Test func nonASCIIInTargetIsRefused() {
        let bytes = Array("GET /caf".utf8) + [0xC3, 0xA9] + Array(" HTTP/1.1\r\nHost: a\r\n\r\n".utf8)
        #expect(throws: HTTPParseError.invalidTarget) { try parseAll(bytes, pieces: .max) }
    }

    @Test(arguments: [
        (HTTPParseError.invalidMethod, 400), (.missingHost, 400), (.bareLineFeed, 400), (.multipleContentLength, 400),
        (.contentLengthWithTransferEncoding, 400), (.chunkedNotFinal, 400), (.invalidChunkSize, 400),
        (.requestLineTooLong, 414), (.headerBlockTooLarge, 431), (.tooManyHeaderFields, 431),
        (.bodyTooLarge, 413), (.unsupportedTransferCoding, 501), (.unsupportedMethod, 501), (.unsupportedVersion, 505),
        (.unsupportedExpectation, 417),
    ])
    func eachErrorHasItsStatus(error: HTTPParseError, status: Int) {
        #expect(error.status.code == status)
    }
}

@Suite("Request parser: limits")
struct HTTPRequestParserLimitTests {
    static func target(length: Int) -> String { "/" + String(repeating: "a", count: length - 1) }

    @Test func requestLineAtTheLimitIsAccepted() throws {
        // "GET " + target + " HTTP/1.1" is exactly 8 KiB
        let line = "GET \(Self.target(length: 8192 - 13)) HTTP/1.1"
        #expect(line.utf8.count == 8192)
        #expect(try parseAll(line + "\r\nHost: a\r\n\r\n").count == 1)
    }

    @Test func requestLineOverTheLimitGets414EvenBeforeItEnds() {
        let line = "GET \(Self.target(length: 8192 - 12)) HTTP/1.1"
        #expect(throws: HTTPParseError.requestLineTooLong) { try parseAll(line + "\r\nHost: a\r\n\r\n") }
        // Without any line end: refused as soon as the limit is passed, not when memory runs out.
        #expect(throws: HTTPParseError.requestLineTooLong) {
            try parseAll("GET /" + String(repeating: "a", count: 9000))
        }
    }

    @Test func headerBlockOverTheLimitGets431() {
        let big = "X-Big: " + String(repeating: "v", count: 64 * 1024) + "\r\n"
        #expect(throws: HTTPParseError.headerBlockTooLarge) {
            try parseAll("GET / HTTP/1.1\r\nHost: a\r\n" + big + "\r\n")
        }
        #expect(throws: HTTPParseError.headerBlockTooLarge) { try parseAll("GET / HTTP/1.1\r\nHost: a\r\n" + big) }
    }

    @Test func headerFieldCountIsLimited() throws {
        let fields = (1...99).map { "X-\($0): v\r\n" }.joined()
        #expect(try parseAll("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "\r\n").count == 1)  // 100 fields
        #expect(throws: HTTPParseError.tooManyHeaderFields) {
            try parseAll("GET / HTTP/1.1\r\nHost: a\r\n" + fields + "X-100: v\r\n\r\n")
        }
    }

    @Test func trailerFieldsCountTowardsTheFieldLimit() {
        var limits = HTTPParserLimits()
        limits.maxHeaderCount = 3
        let raw = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: 1\r\nB: 2\r\n\r\n"
        #expect(throws: HTTPParseError.tooManyHeaderFields) { try parseAll(raw, limits: limits) }
    }

    @Test func declaredBodyOverTheLimitGets413BeforeItArrives() {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 10
        #expect(throws: HTTPParseError.bodyTooLarge) {
            try parseAll("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", limits: limits)
        }
    }

    @Test func chunkedBodyOverTheLimitGets413() throws {
        var limits = HTTPParserLimits()
        limits.maxBodyBytes = 10
        let head = "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
        #expect(try parseAll(head + "5\r\n12345\r\n5\r\n67890\r\n0\r\n\r\n", limits: limits).first?.body.count == 10)
        #expect(throws: HTTPParseError.bodyTooLarge) {
            try parseAll(head + "5\r\n12345\r\n6\r\n", limits: limits)
        }
    }

    @Test func chunkLineIsBounded() {
        let raw =
            "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1;" + String(repeating: "a", count: 5000)
        #expect(throws: HTTPParseError.invalidChunkSize) { try parseAll(raw) }
    }
}
