import Foundation

/// SMS text normalisation to the GSM 03.38 7-bit alphabet, and its length in septets
/// (notifications.md §6 "Normalisation", "Length").
public enum GSM7 {
    /// The basic alphabet (GSM 03.38 table, one septet each).
    static let basic: Set<Character> = Set(
        "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡"
            + "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà")
    /// The extension table, sent as escape + character: two septets each.
    static let extension_: Set<Character> = Set("€[]{}\\^~|")

    static let replacements: [Character: String] = [
        "œ": "oe", "Œ": "OE",
        "’": "'", "‘": "'", "«": "\"", "»": "\"", "“": "\"", "”": "\"",
        "–": "-", "—": "-", "…": "...",
        "\u{00A0}": " ", "\u{202F}": " ", "\u{2009}": " ", "\t": " ",
    ]

    /// The text in GSM-7: basic and extension characters kept, the replacements above, other
    /// letters reduced to their base letter (â → a, À → A), anything else dropped.
    public static func normalise(_ text: String) -> String {
        var result = ""
        for character in text.precomposedStringWithCanonicalMapping {
            if basic.contains(character) || extension_.contains(character) {
                result.append(character)
            } else if let replacement = replacements[character] {
                result += replacement
            } else if let base = baseLetter(of: character) {
                result.append(base)
            }
        }
        return result
    }

    /// Septets: one per basic character, two per extension character (notifications.md §6).
    public static func septetCount(_ text: String) -> Int {
        text.reduce(0) { $0 + septets(of: $1) }
    }

    /// Parts needed: one up to 160 septets, else concatenated parts of 153 septets (7 go to the
    /// user data header). An extension character (escape + character) is never split across two
    /// parts, so a part may end one septet short and the count can exceed ⌈septets / 153⌉.
    public static func smsCount(_ text: String) -> Int {
        guard septetCount(text) > 160 else { return 1 }
        var parts = 1
        var used = 0
        for character in text {
            let size = septets(of: character)
            if used + size > 153 {
                parts += 1
                used = 0
            }
            used += size
        }
        return parts
    }

    /// "\r\n" is one Character in Swift but two septets on the wire.
    static func septets(of character: Character) -> Int {
        extension_.contains(character) || character == "\r\n" ? 2 : 1
    }

    /// The first scalar of the canonical decomposition, when it is a basic letter: â → a, Ô → O.
    private static func baseLetter(of character: Character) -> Character? {
        guard let first = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first else {
            return nil
        }
        let base = Character(first)
        return base.isLetter && basic.contains(base) ? base : nil
    }
}
