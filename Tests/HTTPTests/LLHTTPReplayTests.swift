import HTTP
import HTTPTestSupport
import Sockets
import Testing

/// Replays llhttp's strict-mode request fixtures against the live server (issue #2):
/// a request llhttp rejects must never be routed, and a request it accepts must be served.
@Suite("llhttp fixtures against the live server", .serialized)
struct LLHTTPReplayTests {
    /// Statuses that mean "refused before routing".
    static let refusals: Set<Int> = [400, 408, 411, 413, 414, 417, 431, 501, 505]

    /// Deliberate strictness beyond llhttp, by the parser error that explains our refusal.
    static let allowedRefusals: [HTTPParseError: String] = [
        .missingHost: "RFC 9112 §3.2: a 1.1 request without Host is refused with 400; llhttp does not check Host",
        .unsupportedMethod:
            "RFC 9110 §9.1: methods the product does not implement (CONNECT, REPORT, M-SEARCH, SOURCE…) get 501",
        .invalidVersion: "only HTTP/1.x is spoken; llhttp also accepts RTSP/1.0 and ICE/1.0",
        .invalidRequestLine: "HTTP/0.9 simple requests (no version) are not served",
        .fragmentInTarget: "RFC 9112 §3.2: a request-target has no fragment; a client sending '#' is broken",
        .unsupportedTransferCoding: "RFC 9112 §6.1: only chunked is implemented, other codings get 501 (issue #2)",
    ]

    /// Deliberate differences from llhttp for single cases, each with its reason. The test fails
    /// if an entry no longer differs, so the list stays honest.
    static let allowList: [String: String] = [:]

    /// Why our parser refuses these bytes (in-process, whole), to explain a difference.
    func parserVerdict(_ bytes: [UInt8]) -> HTTPParseError? {
        var parser = HTTPRequestParser()
        parser.append(bytes)
        do {
            while true {
                if case .needMoreData = try parser.next() { return nil }
            }
        } catch {
            return error as? HTTPParseError
        }
    }

    struct Outcome: CustomStringConvertible {
        var routed = 0
        var refused: [Int] = []
        var description: String { "routed \(routed), refused \(refused)" }
    }

    func replay(_ testCase: LLHTTPCase, port: UInt16, pieceSize: Int) throws -> Outcome {
        let client = try TestClient(port: port)
        // The peer may close early (after a refusal): writes then fail, which is fine.
        try? client.send(testCase.bytes, inPiecesOf: pieceSize)
        client.socket.shutdownWrite()
        var outcome = Outcome()
        for response in try client.readAllResponses() {
            if response.header("X-Routed") == "1" {
                outcome.routed += 1
            } else {
                outcome.refused.append(response.status)
            }
        }
        return outcome
    }

    /// llhttp codes 22 and 23 pause on CONNECT/Upgrade: the message before them was accepted.
    func llhttpRejects(_ testCase: LLHTTPCase) -> Bool {
        testCase.rejected && testCase.errorCode != 22 && testCase.errorCode != 23
    }

    /// Our verdict agrees with llhttp's: the messages it completed are routed, nothing after an
    /// error is routed, and an accepted case is not refused.
    func agrees(_ testCase: LLHTTPCase, _ outcome: Outcome) -> Bool {
        guard outcome.routed == testCase.completedMessages else { return false }
        if llhttpRejects(testCase) {
            return outcome.refused.allSatisfy(Self.refusals.contains)
        }
        return outcome.refused.isEmpty
    }

    func run(pieceSize: Int) throws {
        let cases = try LLHTTPFixtures.load()
        #expect(cases.count > 100, "fixtures missing or not parsed")
        var differing: [String: String] = [:]
        try withTestServer { server, _ in
            for testCase in cases where pieceSize == Int.max || !testCase.noScan {
                let outcome = try replay(testCase, port: server.port, pieceSize: pieceSize)
                let key = "\(testCase.file): \(testCase.title)"
                let verdict = parserVerdict(testCase.bytes)
                if !agrees(testCase, outcome), verdict.flatMap({ Self.allowedRefusals[$0] }) == nil {
                    differing[key] =
                        "llhttp: \(testCase.completedMessages) message(s), \(llhttpRejects(testCase) ? "then \(testCase.errorReason ?? "error")" : "accepted"); we: \(outcome), parser: \(verdict.map { "\($0)" } ?? "accepts")"
                }
                if llhttpRejects(testCase) {
                    // The hard rule, allow-list or not: nothing llhttp refuses is routed.
                    #expect(outcome.routed <= testCase.completedMessages, "\(key) was routed: \(outcome)")
                }
            }
        }
        for (key, detail) in differing.sorted(by: { $0.key < $1.key }) where Self.allowList[key] == nil {
            Issue.record("\(key) (pieces of \(pieceSize == Int.max ? "all" : "\(pieceSize)")): \(detail)")
        }
        for key in Self.allowList.keys where differing[key] == nil && pieceSize == Int.max {
            Issue.record("allow-list entry no longer differs: \(key)")
        }
    }

    @Test func casesSentWhole() throws { try run(pieceSize: Int.max) }

    @Test func casesSentInSmallFragments() throws { try run(pieceSize: 3) }

    @Test func casesSentOneByteAtATime() throws { try run(pieceSize: 1) }
}
