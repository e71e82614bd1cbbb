import Foundation
import Notifications
import Testing

@Suite("SMTP client against a real SMTP server", .serialized)
struct SMTPClientTests {
    @Test func aMessageArrivesWithItsMIMEStructureAndText() throws {
        let sink = try SMTPSink()
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .off))
        let message = MailMessage(
            from: "RDV Service Public <ne-pas-repondre@localhost>", to: "jeanne@example.fr",
            subject: "RDV confirmé le lundi 3 mai à 9h00",
            text: "Bonjour,\nvotre rendez-vous est confirmé.\n.\nUne ligne qui commence par un point.",
            html: "<p>Bonjour,</p><p>votre rendez-vous est confirmé.</p>", messageID: "rdv_created:1:u1:mail",
            date: Date(timeIntervalSince1970: 1_620_025_200))
        try client.send(
            message.rendered(boundarySeed: "b1"), from: MailMessage.address(message.from), to: ["jeanne@example.fr"])
        let stored = try sink.messages()
        #expect(stored.count == 1)
        let mail = try #require(stored.first)
        #expect(mail["subject"] as? String == "RDV confirmé le lundi 3 mai à 9h00")
        #expect(mail["to"] as? String == "jeanne@example.fr")
        #expect(mail["rcpt"] as? String == "jeanne@example.fr")
        #expect(mail["message_id"] as? String == message.messageIDHeader)
        #expect(mail["parts"] as? [String] == ["multipart/mixed", "multipart/alternative", "text/plain", "text/html"])
        // Dot-stuffing is undone by the server: the lone "." line and the leading dot survive.
        #expect(
            mail["text"] as? String
                == "Bonjour,\nvotre rendez-vous est confirmé.\n.\nUne ligne qui commence par un point.")
    }

    @Test func requiredStartTLSIsNeverSkipped() throws {
        let sink = try SMTPSink()
        let client = SMTPClient(
            configuration: SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .required))
        let error = #expect(throws: SMTPError.self) {
            try client.send(Array("Subject: x\r\n\r\nx".utf8), from: "a@localhost", to: ["b@localhost"])
        }
        #expect(error?.permanent == true)
        #expect(try sink.messages().isEmpty)
    }

    @Test func noServerIsATemporaryError() {
        let client = SMTPClient(configuration: SMTPConfiguration(host: "127.0.0.1", port: 1, startTLS: .off))
        do {
            try client.send(Array("x".utf8), from: "a@localhost", to: ["b@localhost"])
            Issue.record("expected a failure")
        } catch let error as SMTPError {
            #expect(!error.permanent)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test(arguments: [
        ("smtp://u:p%40ss@mail.example:587?starttls=required", "mail.example", 587, "u", "p@ss", "required"),
        ("smtp://localhost:2525", "localhost", 2525, nil, nil, "optional"),
    ])
    func configurationFromTheURL(url: String, host: String, port: Int, user: String?, password: String?, tls: String)
        throws
    {
        let configuration = try SMTPConfiguration(url: url)
        #expect(configuration.host == host)
        #expect(Int(configuration.port) == port)
        #expect(configuration.username == user)
        #expect(configuration.password == password)
        #expect(configuration.startTLS.rawValue == tls)
    }
}
