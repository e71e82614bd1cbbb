import Domain
import Foundation
import GRDB
import Logging
@_spi(RawDatabase) import Persistence
import Testing

@testable import Notifications

/// Issue 10 §3: a value with a line break must never reach a header or an SMTP command line
/// (RFC 5322 §2.2, RFC 5321 §2.3.8); the message is refused, permanently, and nothing is sent.
@Suite("Header injection", .serialized)
struct MailHeaderInjectionTests {
    static let date = Date(timeIntervalSince1970: 1_620_025_200)

    func message(
        from: String = "RDV <ne-pas-repondre@rdv.example.fr>", to: String = "jeanne@example.fr",
        replyTo: String? = "accueil@mds.fr", subject: String = "RDV confirmé", method: String = "REQUEST"
    ) -> MailMessage {
        MailMessage(
            from: from, to: to, replyTo: replyTo, subject: subject, text: "Bonjour", calendar: ("BEGIN:VCALENDAR", method),
            messageID: "k", host: "rdv.example.fr", date: Self.date)
    }

    func refusal(_ message: MailMessage) -> SMTPError? {
        #expect(throws: SMTPError.self) { try message.rendered(boundarySeed: "b") }
    }

    @Test(arguments: ["\r\n", "\n", "\r", "\u{0}"])
    func aLineBreakOrNULInAnyHeaderValueIsRefusedPermanently(bad: String) throws {
        let cases: [(String, MailMessage)] = [
            ("Reply-To", message(replyTo: "accueil@mds.fr\(bad)Bcc: tous@example.fr")),
            ("From", message(from: "RDV\(bad)Bcc: x@y.fr <ne-pas-repondre@rdv.example.fr>")),
            ("To", message(to: "jeanne@example.fr\(bad)Bcc: x@y.fr")),
            ("Subject", message(subject: "RDV\(bad)Bcc: x@y.fr")),
            ("Content-Type", message(method: "REQUEST\(bad)X: y")),
        ]
        for (header, bad) in cases {
            let error = try #require(refusal(bad))
            #expect(error == SMTPError(description: "refused: the \(header) header contains CR, LF or NUL", permanent: true))
        }
        // The same message without the bad character renders.
        let rendered = String(decoding: try message().rendered(boundarySeed: "b"), as: UTF8.self)
        #expect(rendered.contains("\r\nReply-To: accueil@mds.fr\r\n"))
    }

    @Test func anEnvelopeAddressWithALineBreakIsRefusedBeforeConnecting() {
        // Port 1: nothing listens; the refusal must come first, and be permanent.
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 1, startTLS: .off))
        for (sender, recipient) in [
            ("a@localhost", "b@localhost>\r\nRCPT TO:<c@localhost"), ("a@localhost\n", "b@localhost"),
        ] {
            let error = #expect(throws: SMTPError.self) {
                try client.send(Array("x".utf8), from: sender, to: [recipient])
            }
            #expect(error == SMTPError(description: "refused: an envelope address contains CR, LF or NUL", permanent: true))
        }
    }

    /// An organisation e-mail stored before it was validated (issue 10 §3) flows into Reply-To:
    /// the e-mails fail at once, with a receipt, and the SMTP server receives nothing.
    @Test func anOrganisationEmailWithALineBreakFailsTheEmailsPermanentlyAndSendsNothing() throws {
        let (db, directory) = try ReminderHandlerTests().setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { db in
            try db.execute(sql: "UPDATE organisations SET email = ?", arguments: ["mds@example.fr\r\nbcc: tous@example.fr"])
        }
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .excused, author: .user(1), now: AppointmentChangeTests.now,
            publicURL: AppointmentChangeTests.url)
        let sink = try SMTPSink()
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .off))
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(AppointmentChangeTests.now),
            handlers: ["email": EmailHandler(client: client, from: "x@rdv.example.fr", host: "rdv.example.fr")],
            logger: Logger(label: "t"))
        try scheduler.runOnce()
        let rows = try fetchRows(db, "SELECT status, attempts, last_error FROM outbox_messages WHERE kind = 'email'")
        #expect(rows.count == 2)
        #expect(
            rows.allSatisfy {
                $0["status"] == "failed" && $0["attempts"] == 1
                    && $0["last_error"] == "refused: the Reply-To header contains CR, LF or NUL"
            })
        #expect(try sink.messages().isEmpty)
    }
}
