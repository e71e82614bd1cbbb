import HTTP
import HTTPTestSupport
import Logging
import Synchronization
import Testing

@Suite("Access log redaction")
struct AccessLogRedactionTests {
    let redaction = AccessLogRedaction()

    @Test(arguments: [
        ("/calendrier/3f9c2b7e.ics", "/calendrier/[redacted].ics"),
        ("/calendrier/3f9c2b7e.ics/extra", "/calendrier/[redacted].ics/extra"),
        ("/calendrier/.ics", "/calendrier/.ics"),
        ("/calendrier/agenda.html", "/calendrier/agenda.html"),
        ("/r/42/Xk9_secret", "/r/42/[redacted]"),
        ("/r/42/Xk9_secret/", "/r/42/[redacted]/"),
        ("/r/42", "/r/42"),
        ("/rdv/42/abc", "/rdv/42/abc"),
        ("/agents/sign_in", "/agents/sign_in"),
    ])
    func pathSecretsAreReplaced(path: String, logged: String) {
        #expect(redaction.redact(path: path) == logged)
    }

    @Test func tokenQueryValuesAreReplacedAndOthersKept() {
        #expect(
            redaction.redact(path: "/users/invitation/accept", query: "invitation_token=abc&lang=fr&tkn=zz&token=")
                == "/users/invitation/accept?invitation_token=[redacted]&lang=fr&tkn=[redacted]&token=[redacted]")
        #expect(
            redaction.redact(path: "/p", query: "reset_password_token=1&confirmation_token=2&tokens=3&flag")
                == "/p?reset_password_token=[redacted]&confirmation_token=[redacted]&tokens=3&flag")
    }

    @Test func patternsAndKeysComeFromConfiguration() {
        let custom = AccessLogRedaction(queryKeys: ["k"], pathPatterns: ["/files/*/{secret}", "/s/key-{secret}"])
        #expect(custom.redact(path: "/files/7/abc", query: "k=1&tkn=2") == "/files/7/[redacted]?k=[redacted]&tkn=2")
        #expect(custom.redact(path: "/s/key-123") == "/s/key-[redacted]")
        #expect(custom.redact(path: "/calendrier/x.ics") == "/calendrier/x.ics")
        #expect(AccessLogRedaction(queryKeys: [], pathPatterns: []).redact(path: "/r/1/2", query: "tkn=3") == "/r/1/2?tkn=3")
    }

    @Test func accessLogLineCarriesNoSecret() throws {
        let captured = CapturedLog()
        let logger = Logger(label: "test") { _ in CapturingLogHandler(log: captured) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        let server = try HTTPServer(configuration: configuration, responder: TestResponder(), logger: logger)
        server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        let client = try TestClient(port: server.port)
        try client.send("GET /calendrier/s3cr3t-calendar-uid.ics HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse()?.status == 200)
        try client.send("GET /r/12/s3cr3t-link-token HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse()?.status == 200)
        // The line is logged once the response is written, possibly just after the client read it.
        #expect(waitFor { captured.lines.count { $0.hasPrefix("GET ") } == 2 })
        let lines = captured.lines
        #expect(lines.filter { $0.hasPrefix("GET ") } == ["GET /calendrier/[redacted].ics 200", "GET /r/12/[redacted] 200"])
        #expect(lines.allSatisfy { !$0.contains("s3cr3t") })
    }
}

/// Every message and metadata value logged through ``CapturingLogHandler``, one entry each.
final class CapturedLog: Sendable {
    private let storage = Mutex<[String]>([])
    var lines: [String] { storage.withLock { $0 } }
    func append(_ entries: [String]) { storage.withLock { $0 += entries } }
}

struct CapturingLogHandler: LogHandler {
    let log: CapturedLog
    var logLevel: Logger.Level = .trace
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        log.append(["\(event.message)"] + (event.metadata ?? [:]).map { "\($0.key)=\($0.value)" })
    }
}
