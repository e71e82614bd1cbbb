import Foundation

/// An e-mail as RFC 5322 + MIME (RFC 2045–2047): a text and an HTML alternative, and an optional
/// calendar event both as a `text/calendar` part and as an `.ics` attachment (notifications.md).
public struct MailMessage: Sendable {
    public var from: String
    public var to: String
    public var subject: String
    public var text: String
    public var html: String?
    /// The ICS body and its METHOD (REQUEST, PUBLISH, CANCEL).
    public var calendar: (ics: String, method: String)?
    /// Used as Message-ID: the outbox idempotency key, so a re-sent duplicate is recognisable.
    public var messageID: String
    public var date: Date

    public init(
        from: String, to: String, subject: String, text: String, html: String? = nil,
        calendar: (ics: String, method: String)? = nil, messageID: String, date: Date
    ) {
        self.from = from
        self.to = to
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
        self.messageID = messageID
        self.date = date
    }

    /// The bare address of a `Name <address>` field.
    public static func address(_ field: String) -> String {
        guard let open = field.lastIndex(of: "<"), let close = field.lastIndex(of: ">"), open < close else {
            return field.trimmingCharacters(in: .whitespaces)
        }
        return String(field[field.index(after: open)..<close])
    }

    /// The message bytes, CRLF line ends, every part base64 so any UTF-8 text travels safely.
    public func rendered(boundarySeed: String) -> [UInt8] {
        let mixed = "mixed-\(boundarySeed)"
        let alternative = "alt-\(boundarySeed)"
        var lines = [
            "From: \(Self.encodeHeader(from))", "To: \(to)", "Subject: \(Self.encodeHeader(subject))",
            "Date: \(Self.rfc5322Date(date))", "Message-ID: <\(Self.messageIDLocalPart(messageID))@rdv>",
            "MIME-Version: 1.0", "Content-Type: multipart/mixed; boundary=\"\(mixed)\"", "",
            "--\(mixed)", "Content-Type: multipart/alternative; boundary=\"\(alternative)\"", "",
        ]
        lines += Self.part(type: "text/plain; charset=utf-8", body: text, boundary: alternative)
        if let html { lines += Self.part(type: "text/html; charset=utf-8", body: html, boundary: alternative) }
        if let calendar {
            lines += Self.part(
                type: "text/calendar; charset=utf-8; method=\(calendar.method)", body: calendar.ics,
                boundary: alternative)
        }
        lines += ["--\(alternative)--", ""]
        if let calendar {
            lines += [
                "--\(mixed)", "Content-Type: application/ics; name=\"rdv.ics\"",
                "Content-Disposition: attachment; filename=\"rdv.ics\"", "Content-Transfer-Encoding: base64", "",
            ]
            lines += Self.base64Lines(calendar.ics) + [""]
        }
        lines += ["--\(mixed)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// RFC 5322 §3.6.4: the left part of a msg-id is a dot-atom: other characters become dots.
    static func messageIDLocalPart(_ key: String) -> String {
        String(key.map { $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) ? $0 : "." })
    }

    static func part(type: String, body: String, boundary: String) -> [String] {
        ["--\(boundary)", "Content-Type: \(type)", "Content-Transfer-Encoding: base64", ""] + base64Lines(body) + [""]
    }

    /// RFC 2045 §6.8: lines of at most 76 characters.
    static func base64Lines(_ text: String) -> [String] {
        let encoded = Data(text.utf8).base64EncodedString()
        return stride(from: 0, to: encoded.count, by: 76).map { offset in
            let start = encoded.index(encoded.startIndex, offsetBy: offset)
            return String(
                encoded[start..<(encoded.index(start, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex)])
        }
    }

    /// RFC 2047 encoded-word for non-ASCII header text.
    static func encodeHeader(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return text }
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") {  // "Name <address>": encode the name only
            return encodeHeader(String(text[..<open]).trimmingCharacters(in: .whitespaces)) + " "
                + String(text[open...])
        }
        return "=?UTF-8?B?\(Data(text.utf8).base64EncodedString())?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
