import Foundation
import HTTPTestSupport
import Notifications

/// A real SMTP server on 127.0.0.1: Python's aiosmtpd (installed in `.venv` by `make test`) run by
/// `Fixtures/smtp_server.py`, storing every message it accepts in a Maildir that Python's own
/// `email` parser then reads. It listens on an ephemeral port it reports on stdout, so nothing
/// polls for readiness.
final class SMTPSink {
    enum TLS: String {
        case none, starttls, implicit
    }

    let server: SMTPTestServer
    var port: UInt16 { server.port }

    static var python: String { SMTPTestServer.python }

    static func pythonArguments(_ arguments: [String]) -> [String] { SMTPTestServer.pythonArguments(arguments) }

    /// `certificate` is required with TLS; `user` and `password` make AUTH mandatory.
    init(
        tls: TLS = .none, certificate: TestCertificates.Server? = nil, user: String? = nil, password: String? = nil,
        excludingMechanisms excluded: [String] = [], rejectingEHLO: Bool = false, rejectingRecipients: [String] = []
    ) throws {
        var options = ["--tls", tls.rawValue]
        if let certificate { options += ["--cert", certificate.certificate, "--key", certificate.key] }
        if let user, let password { options += ["--user", user, "--password", password] }
        options += excluded.flatMap { ["--exclude-mechanism", $0] }
        if rejectingEHLO { options.append("--reject-ehlo") }
        options += rejectingRecipients.flatMap { ["--reject-rcpt", $0] }
        server = try SMTPTestServer(options: options)
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
            box = mailbox.Maildir(sys.argv[1], create=False) if os.path.isdir(sys.argv[1]) else None
            for key in (box.keys() if box is not None else []):
                message = parsed = email.message_from_bytes(box.get_bytes(key), policy=email.policy.default)
                parts = [p.get_content_type() for p in parsed.walk()]
                # Parts keep the CRLF line ends they travelled with: compare texts with LF.
                lf = lambda t: t.replace("\\r\\n", "\\n") if isinstance(t, str) else t
                text = lf(next((p.get_content() for p in parsed.walk() if p.get_content_type() == "text/plain"), None))
                html = lf(next((p.get_content() for p in parsed.walk() if p.get_content_type() == "text/html"), None))
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
        parser.arguments = Self.pythonArguments(["-c", script, server.maildir.path])
        let pipe = Pipe()
        parser.standardOutput = pipe
        try parser.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        parser.waitUntilExit()
        return (try JSONSerialization.jsonObject(with: data) as? [[String: Any]]) ?? []
    }
}
