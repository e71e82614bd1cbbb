import Cryptography
import Domain
import Foundation

/// An e-mail as RFC 5322 + MIME (RFC 2045–2047), in the structure of notifications.md §9: a text
/// and an HTML alternative (quoted-printable), and for an event the ICS both as a
/// `text/calendar` alternative and as an `invitation.ics` attachment (base64).
public struct MailMessage: Sendable {
    public var from: String
    public var to: String
    public var replyTo: String?
    public var subject: String
    public var text: String
    public var html: String?
    /// The ICS body and its METHOD (REQUEST, PUBLISH, CANCEL).
    public var calendar: (ics: String, method: String)?
    /// The outbox idempotency key: the Message-ID is derived from it, so a re-sent duplicate
    /// carries the same Message-ID and mail clients drop it (notifications.md §12).
    public var messageID: String
    /// The right-hand side of the Message-ID: the host of `RDV_PUBLIC_URL`.
    public var host: String
    public var date: Date

    public init(
        from: String, to: String, replyTo: String? = nil, subject: String, text: String, html: String? = nil,
        calendar: (ics: String, method: String)? = nil, messageID: String, host: String = "localhost", date: Date
    ) {
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.subject = subject
        self.text = text
        self.html = html
        self.calendar = calendar
        self.messageID = messageID
        self.host = host
        self.date = date
    }

    /// The bare address of a `Name <address>` field.
    public static func address(_ field: String) -> String { EmailAddress.bare(field) }

    /// `<hash of the idempotency key>@<host>` (notifications.md §9): stable across retries and free
    /// of the personal identifiers a key may hold.
    public var messageIDHeader: String { Self.messageIDHeader(key: messageID, host: host) }

    public static func messageIDHeader(key: String, host: String) -> String {
        "<\(Digest.hex(Digest.sha256(Array(key.utf8))).prefix(32))@\(host)>"
    }

    /// The message bytes with CRLF line ends. Throws a permanent ``SMTPError`` rather than
    /// write a header value holding CR, LF or NUL (see ``headerLine(_:_:)``).
    public func rendered(boundarySeed: String) throws(SMTPError) -> [UInt8] {
        // "=_" never occurs in quoted-printable or base64 output, so no body line can be taken for
        // a boundary (RFC 2045 §6.7, RFC 2046 §5.1.1); the hash keeps it unpredictable.
        let unique = Digest.hex(Digest.sha256(Array((messageID + "|" + boundarySeed).utf8))).prefix(24)
        let mixed = "=_mixed_\(unique)"
        let alternative = "=_alt_\(unique)"
        // The raw values are checked, before any encoding: an encoded-word would hide a line
        // break from the reader, but a value that holds one was not meant for a header at all.
        try Self.checkHeaderValue("Subject", subject)
        try Self.checkHeaderValue("Message-ID", host)
        var lines = [
            "Date: \(Self.rfc5322Date(date))", "Message-ID: \(messageIDHeader)",
            try Self.headerLine("From", Self.encodeAddressHeader(from), raw: from),
        ]
        if let replyTo { lines.append(try Self.headerLine("Reply-To", Self.encodeAddressHeader(replyTo), raw: replyTo)) }
        lines += [
            try Self.headerLine("To", to), "Subject: \(Self.encodeHeader(subject))", "MIME-Version: 1.0",
            "Auto-Submitted: auto-generated",
            "Content-Type: multipart/mixed; boundary=\"\(mixed)\"", "",
            "--\(mixed)", "Content-Type: multipart/alternative; boundary=\"\(alternative)\"", "",
        ]
        lines += Self.quotedPrintablePart(type: "text/plain; charset=utf-8", body: text, boundary: alternative)
        if let html {
            lines += Self.quotedPrintablePart(type: "text/html; charset=utf-8", body: html, boundary: alternative)
        }
        if let calendar {
            try Self.checkHeaderValue("Content-Type", calendar.method)
            lines += Self.base64Part(
                type: "text/calendar; charset=utf-8; method=\(calendar.method)", body: calendar.ics,
                boundary: alternative)
        }
        lines += ["--\(alternative)--", ""]
        if let calendar {
            lines += [
                "--\(mixed)", "Content-Type: application/ics; name=\"invitation.ics\"",
                "Content-Disposition: attachment; filename=\"invitation.ics\"", "Content-Transfer-Encoding: base64", "",
            ]
            lines += Self.base64Lines(calendar.ics) + [""]
        }
        lines += ["--\(mixed)--", ""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }

    /// `Name: value`, refusing a `raw` value (default: `value`) that holds CR, LF or NUL.
    ///
    /// RFC 5322 §2.2: a header field ends at CRLF, so a line break inside a value (an
    /// organisation e-mail `a@b.fr\r\nBcc: …`) would add headers or start the body; §3.5 and RFC
    /// 5321 §4.1.2 keep NUL out of messages. The refusal is a permanent error: the same
    /// value fails the same way at every retry, and sending it altered would be guessing.
    static func headerLine(_ name: String, _ value: String, raw: String? = nil) throws(SMTPError) -> String {
        try checkHeaderValue(name, raw ?? value)
        return "\(name): \(value)"
    }

    static func checkHeaderValue(_ name: String, _ value: String) throws(SMTPError) {
        guard !containsLineBreakOrNUL(value) else {
            // The value is not quoted: it may be a recipient's address (no personal data in logs).
            throw SMTPError(description: "refused: the \(name) header contains CR, LF or NUL", permanent: true)
        }
    }

    /// CR, LF or NUL, looked for in the scalars (a "\r\n" pair is one Character in Swift).
    static func containsLineBreakOrNUL(_ value: String) -> Bool {
        value.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }
    }

    static func base64Part(type: String, body: String, boundary: String) -> [String] {
        ["--\(boundary)", "Content-Type: \(type)", "Content-Transfer-Encoding: base64", ""] + base64Lines(body) + [""]
    }

    static func quotedPrintablePart(type: String, body: String, boundary: String) -> [String] {
        ["--\(boundary)", "Content-Type: \(type)", "Content-Transfer-Encoding: quoted-printable", ""]
            + quotedPrintable(body)  // the CRLF before the next boundary belongs to it (RFC 2046 §5.1.1)
    }

    /// RFC 2045 §6.7: printable ASCII except "=" travels as is; other octets as =XX; a space or tab
    /// before a line end is encoded; lines end in CRLF; longer lines get soft breaks ("=" at the end)
    /// so that no encoded line exceeds 76 characters and no =XX is split.
    static func quotedPrintable(_ text: String) -> [String] {
        let hex = Array("0123456789ABCDEF".utf8)
        let normalised = text.replacingOccurrences(of: "\r\n", with: "\n")
        return normalised.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            let bytes = Array(line.utf8)
            var output = ""
            var current: [UInt8] = []
            for (index, byte) in bytes.enumerated() {
                let isLast = index == bytes.count - 1
                let literal =
                    (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                    || ((byte == 0x20 || byte == 0x09) && !isLast)
                let token = literal ? [byte] : [UInt8(ascii: "="), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
                // Keep room for the soft break "=": at most 75 characters before it.
                if current.count + token.count > (isLast ? 76 : 75) {
                    output += String(decoding: current, as: UTF8.self) + "=\r\n"
                    current = []
                }
                current += token
            }
            return output + String(decoding: current, as: UTF8.self)
        }
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

    /// A mailbox header (`Name <address>`): only the display name is encoded (RFC 2047 §5).
    static func encodeAddressHeader(_ field: String) -> String {
        guard let open = field.lastIndex(of: "<"), field.hasSuffix(">") else { return encodeHeader(field) }
        return encodeHeader(String(field[..<open]).trimmingCharacters(in: .whitespaces)) + " " + String(field[open...])
    }

    /// RFC 2047 encoded-words for non-ASCII header text (a Subject).
    static func encodeHeader(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { !$0.isASCII || $0.value < 0x20 }) else { return text }
        // RFC 2047 §2: an encoded-word is at most 75 characters and a line with it at most 76, so
        // longer text becomes several words on folded lines (the whitespace between encoded-words
        // is not part of the text, §6.2); a word never splits a UTF-8 sequence. 39 bytes → 52
        // base64 characters + 12 = 64, which fits after "Subject: " too.
        var words: [[UInt8]] = []
        var chunk: [UInt8] = []
        for scalar in text.unicodeScalars {
            let bytes = Array(String(scalar).utf8)
            if chunk.count + bytes.count > 39 {
                words.append(chunk)
                chunk = []
            }
            chunk += bytes
        }
        if !chunk.isEmpty { words.append(chunk) }
        return words.map { "=?UTF-8?B?\(Data($0).base64EncodedString())?=" }.joined(separator: "\r\n ")
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss '+0000'"
        return formatter.string(from: date)
    }
}
