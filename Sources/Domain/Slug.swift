import Foundation

public enum Slug {
    /// Rails' `parameterize`: the text in ASCII (accents dropped, « œ » → « oe »), lower-cased,
    /// every run of other characters → `separator`, trimmed at both ends.
    public static func parameterize(_ text: String, separator: String = "-") -> String {
        let ascii = text.replacingOccurrences(of: "œ", with: "oe").replacingOccurrences(of: "Œ", with: "Oe")
            .replacingOccurrences(of: "æ", with: "ae").replacingOccurrences(of: "Æ", with: "Ae")
            .folding(options: [.diacriticInsensitive], locale: Locale(identifier: "en_US_POSIX")).lowercased()
        var slug = ""
        for scalar in ascii.unicodeScalars {
            if scalar.isASCII && CharacterSet.alphanumerics.contains(scalar) {
                slug.unicodeScalars.append(scalar)
            } else if !slug.hasSuffix(separator) {
                slug += separator
            }
        }
        return slug.trimmingCharacters(in: CharacterSet(charactersIn: separator))
    }
}
