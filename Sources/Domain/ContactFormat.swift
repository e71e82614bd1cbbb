import Foundation

/// E-mail normalisation and checks (domain.md §0 "Normalisation").
public enum EmailAddress {
    /// Trimmed, lower-cased, with the obvious typos fixed: ".@" → "@", ".." → "." (domain.md §0).
    public static func normalised(_ raw: String) -> String {
        var email = raw.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        email = email.replacingOccurrences(of: ".@", with: "@")
        while email.contains("..") {
            email = email.replacingOccurrences(of: "..", with: ".")
        }
        return email
    }

    /// The bare address of a `Name <address>` field (RFC 5322 name-addr), or the trimmed field.
    public static func bare(_ field: String) -> String {
        guard let open = field.lastIndex(of: "<"), let close = field.lastIndex(of: ">"), open < close else {
            return field.trimmingCharacters(in: .whitespaces)
        }
        return String(field[field.index(after: open)..<close])
    }

    /// The one e-mail check of the domain (users, agents, prescribers, organisations): a
    /// pragmatic shape check — one "@", a non-empty local part, a dotted domain, no spaces — that
    /// also keeps out everything that could change the meaning of a mail header the address is
    /// written into (`To`, `Reply-To`, an SMTP `RCPT TO`):
    /// - no control character anywhere in the raw value, not even a trailing line feed that
    ///   normalisation would trim: CR/LF end a header line (RFC 5322 §2.2) and would let the
    ///   value add `Bcc:` or a body; NUL is forbidden in messages (RFC 5322 §3.5, RFC 5321 §4.1.2);
    /// - none of the RFC 5322 §3.2.3 "specials" that are not part of a dot-atom (`<>()[]:;@\,"`,
    ///   besides the one "@"): they would open a second address, a group or a comment. Quoted
    ///   local parts (RFC 5322 §3.4.1) are therefore refused, which no real mailbox here needs.
    public static func isValid(_ raw: String) -> Bool {
        guard !raw.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else { return false }
        let email = normalised(raw)
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !email.contains(where: \.isWhitespace),
            !email.contains(where: { "<>()[]:;\\,\"".contains($0) })
        else { return false }
        let labels = parts[1].split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty }
    }
}

/// A French phone number, overseas included (domain.md §0 "Normalisation").
public struct PhoneNumber: Sendable, Hashable {
    /// The E.164 country code: 33 (metropolitan), 590 (GP), 594 (GF), 596 (MQ) or 262 (RE, YT).
    public let countryCode: String
    /// The 9-digit national significant number (without the trunk "0").
    public let nationalNumber: String

    /// The stored `phone_number_formatted` value.
    public var e164: String { "+" + countryCode + nationalNumber }

    /// Mobile: 6 or 7 in metropolitan France; the overseas mobile ranges elsewhere (domain.md §0).
    public var isMobile: Bool {
        if countryCode == "33" { return nationalNumber.hasPrefix("6") || nationalNumber.hasPrefix("7") }
        return Self.overseasMobilePrefixes.contains { nationalNumber.hasPrefix($0) }
    }

    /// Parses "06 12 34 56 78", "06.12.34.56.78", "+33 6 12 34 56 78", "0033612345678",
    /// "+590 690 12 34 56"…; nil when it is not a French number.
    public init?(_ raw: String) {
        var text = raw.filter { !" .-()\u{00A0}".contains($0) }
        if text.hasPrefix("00") { text = "+" + text.dropFirst(2) }
        guard !text.isEmpty else { return nil }
        if text.hasPrefix("+") {
            let digits = String(text.dropFirst())
            guard let code = ["33", "590", "594", "596", "262", "269"].first(where: { digits.hasPrefix($0) })
            else { return nil }
            var national = String(digits.dropFirst(code.count))
            if national.count == 10, national.hasPrefix("0") { national.removeFirst() }  // "+33 06…"
            self.init(countryCode: code == "269" ? "262" : code, national: national)
        } else {
            guard text.count == 10, text.hasPrefix("0") else { return nil }
            let national = String(text.dropFirst())
            self.init(countryCode: Self.countryCode(forNational: national), national: national)
        }
    }

    private init?(countryCode: String, national: String) {
        guard national.count == 9, national.allSatisfy(\.isASCIIDigit), national.first != "0" else { return nil }
        self.countryCode = countryCode
        self.nationalNumber = national
    }

    /// Overseas numbers dialled nationally ("0690…") belong to their territory's country code.
    private static func countryCode(forNational national: String) -> String {
        let prefixes: [(String, String)] = [
            ("590", "590"), ("690", "590"), ("691", "590"),
            ("594", "594"), ("694", "594"),
            ("596", "596"), ("696", "596"), ("697", "596"),
            ("262", "262"), ("263", "262"), ("692", "262"), ("693", "262"),
            ("269", "262"), ("639", "262"),
        ]
        return prefixes.first { national.hasPrefix($0.0) }?.1 ?? "33"
    }

    private static let overseasMobilePrefixes = ["690", "691", "694", "696", "697", "692", "693", "639"]

    /// A valid French number (domain.md §11 "a valid French number").
    public static func isValid(_ raw: String) -> Bool { PhoneNumber(raw) != nil }

    /// A 4-digit short number such as "3949", allowed for organisations (domain.md §2).
    public static func isShortNumber(_ raw: String) -> Bool {
        let text = raw.filter { $0 != " " }
        return text.count == 4 && text.allSatisfy(\.isASCIIDigit)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
    var isASCIIUppercaseOrDigit: Bool { isASCII && (isNumber || isUppercase) }
}
