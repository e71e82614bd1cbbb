import Foundation
import Notifications
import Sockets
import Testing

/// A real SMTP server on 127.0.0.1: Python's aiosmtpd (installed in `.venv` by `make test`),
/// storing every message it accepts in a Maildir that Python's own `email` parser then reads.
final class SMTPSink {
    let process = Process()
    let maildir: URL
    let port: UInt16

    static var python: String {
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    init() throws {
        maildir = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-maildir-\(UUID().uuidString)")
        port = UInt16.random(in: 40_000...59_000)
        process.executableURL = URL(fileURLWithPath: Self.python)
        let module = [
            "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:\(port)", "-c", "aiosmtpd.handlers.Mailbox", maildir.path,
        ]
        process.arguments = Self.python.hasSuffix("env") ? ["python3"] + module : module
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<500 {
            if let socket = try? Socket.connect(to: SocketAddress(host: "127.0.0.1", port: port)) {
                socket.close()
                return
            }
            usleep(10_000)
        }
        kill(process.processIdentifier, SIGKILL)
        throw SMTPError(
            description: "aiosmtpd did not start (run make test, which installs it in .venv)", permanent: true)
    }

    deinit {
        // aiosmtpd's event loop does not stop on SIGTERM: kill it.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: maildir)
    }

    /// The stored messages, parsed by Python's `email` package (an independent MIME parser).
    func messages() throws -> [[String: Any]] {
        let script = """
            import email, email.policy, json, mailbox, sys
            out = []
            for message in mailbox.Maildir(sys.argv[1], create=False):
                parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
                parts = [p.get_content_type() for p in parsed.walk()]
                text = next(p.get_content() for p in parsed.walk() if p.get_content_type() == "text/plain")
                out.append({"subject": parsed["subject"], "from": parsed["from"], "to": parsed["to"],
                            "rcpt": message["X-RcptTo"], "message_id": parsed["message-id"], "parts": parts, "text": text})
            print(json.dumps(out))
            """
        let parser = Process()
        parser.executableURL = URL(fileURLWithPath: Self.python)
        parser.arguments = (Self.python.hasSuffix("env") ? ["python3"] : []) + ["-c", script, maildir.path]
        let pipe = Pipe()
        parser.standardOutput = pipe
        try parser.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        parser.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}

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
        #expect(throws: SMTPError.self) {
            try client.send(Array("Subject: x\r\n\r\nx".utf8), from: "a@localhost", to: ["b@localhost"])
        }
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
