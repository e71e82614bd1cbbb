import Foundation
import Notifications

/// A real SMTP server on 127.0.0.1: Python's aiosmtpd (installed in `.venv` by `make test`) run by
/// `Fixtures/smtp_server.py`, storing every message it accepts in a Maildir that Python's own
/// `email` parser then reads. It listens on an ephemeral port it reports on stdout, so nothing
/// polls for readiness.
final class SMTPSink {
    enum TLS: String {
        case none, starttls, implicit
    }

    let process = Process()
    let directory: URL
    let port: UInt16

    static var python: String {
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    static func pythonArguments(_ arguments: [String]) -> [String] {
        python.hasSuffix("env") ? ["python3"] + arguments : arguments
    }

    /// `certificate` is required with TLS; `user` and `password` make AUTH mandatory.
    init(
        tls: TLS = .none, certificate: TestCertificates.Server? = nil, user: String? = nil, password: String? = nil,
        excludingMechanisms excluded: [String] = [], rejectingEHLO: Bool = false
    ) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = packageRoot.appendingPathComponent("Tests/NotificationsTests/Fixtures/smtp_server.py").path
        var arguments = [script, directory.appendingPathComponent("maildir").path, "--tls", tls.rawValue]
        if let certificate { arguments += ["--cert", certificate.certificate, "--key", certificate.key] }
        if let user, let password { arguments += ["--user", user, "--password", password] }
        arguments += excluded.flatMap { ["--exclude-mechanism", $0] }
        if rejectingEHLO { arguments.append("--reject-ehlo") }
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = Self.pythonArguments(arguments)
        let output = Pipe()
        let log = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = UInt16(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let reason = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw SMTPError(
                description: "aiosmtpd did not start (make test installs it in .venv): \(reason)", permanent: true)
        }
        self.port = port
    }

    deinit {
        // aiosmtpd's event loop does not stop on SIGTERM: kill it.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Parses an iCalendar text with Python's `icalendar` (an independent parser): the calendar's
    /// METHOD and time zones, and the first VEVENT's fields.
    static func parseCalendar(_ ics: String) throws -> [String: Any] {
        let script = """
            import json, sys
            from icalendar import Calendar
            c = Calendar.from_ical(sys.stdin.read())
            ev = next(iter(c.walk("VEVENT")))
            attendees = ev.get("attendee") or []
            attendees = attendees if isinstance(attendees, list) else [attendees]
            print(json.dumps({"method": str(c.get("method")), "prodid": str(c.get("prodid")),
                "timezones": [str(t.get("tzid")) for t in c.walk("VTIMEZONE")],
                "uid": str(ev.get("uid")), "sequence": int(ev.get("sequence", 0)), "status": str(ev.get("status")),
                "summary": str(ev.get("summary")), "location": str(ev.get("location")) if ev.get("location") else None,
                "description": str(ev.get("description")), "organizer": str(ev.get("organizer")),
                "attendees": [str(a) for a in attendees], "tzid": ev.get("dtstart").params.get("TZID"),
                "dtstart": ev.decoded("dtstart").isoformat(), "dtend": ev.decoded("dtend").isoformat()}))
            """
        let parser = Process()
        parser.executableURL = URL(fileURLWithPath: python)
        parser.arguments = pythonArguments(["-c", script])
        let input = Pipe()
        let output = Pipe()
        parser.standardInput = input
        parser.standardOutput = output
        try parser.run()
        input.fileHandleForWriting.write(Data(ics.utf8))
        try input.fileHandleForWriting.close()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        parser.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// The stored messages, parsed by Python's `email` package (an independent MIME parser), with
    /// what the server saw: `tls` (the TLS version or "none") and `auth` (the mechanism or "none").
    func messages() throws -> [[String: Any]] {
        let script = """
            import email, email.policy, json, mailbox, os, sys
            out = []
            for message in (mailbox.Maildir(sys.argv[1], create=False) if os.path.isdir(sys.argv[1]) else []):
                parsed = email.message_from_bytes(message.as_bytes(), policy=email.policy.default)
                parts = [p.get_content_type() for p in parsed.walk()]
                text = next((p.get_content() for p in parsed.walk() if p.get_content_type() == "text/plain"), None)
                html = next((p.get_content() for p in parsed.walk() if p.get_content_type() == "text/html"), None)
                calendar = next((p for p in parsed.walk() if p.get_content_type() == "text/calendar"), None)
                attachment = next((p for p in parsed.walk() if p.get_content_disposition() == "attachment"), None)
                out.append({"subject": parsed["subject"], "from": parsed["from"], "to": parsed["to"],
                            "rcpt": message["X-RcptTo"], "message_id": parsed["message-id"], "parts": parts,
                            "text": text, "html": html, "tls": message["X-TLS"], "auth": message["X-Auth"],
                            "reply_to": parsed["reply-to"], "auto_submitted": parsed["auto-submitted"],
                            "calendar_method": calendar.get_param("method") if calendar else None,
                            "calendar": calendar.get_content() if calendar else None,
                            "attachment_name": attachment.get_filename() if attachment else None,
                            "attachment_is_calendar": bool(attachment and calendar
                                and attachment.get_content() == calendar.get_content().encode())})
            print(json.dumps(out))
            """
        let parser = Process()
        parser.executableURL = URL(fileURLWithPath: Self.python)
        parser.arguments = Self.pythonArguments(["-c", script, directory.appendingPathComponent("maildir").path])
        let pipe = Pipe()
        parser.standardOutput = pipe
        try parser.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        parser.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}
