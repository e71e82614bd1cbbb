import Foundation

/// The password rule of booking.md §3 (no composition rules): length, not common, not personal.
public struct PasswordRule: Sendable {
    public static let tooShort = "Le mot de passe doit contenir au moins 12 caractères."
    public static let tooLong = "Le mot de passe ne doit pas dépasser 128 caractères."
    public static let tooCommon = "Ce mot de passe est trop courant."
    public static let personal = "Le mot de passe ne doit pas contenir votre nom ou votre adresse e-mail."

    /// Common passwords, already folded (lower-case, without accents).
    let commonPasswords: Set<String>

    public init(commonPasswords: some Sequence<String>) {
        self.commonPasswords = Set(commonPasswords.map(Self.fold))
    }

    /// Case- and accent-insensitive comparisons (booking.md §3).
    static func fold(_ text: String) -> String {
        TextFolding.folded(text)
    }

    public func validate(_ password: String, email: String?, firstName: String?, lastName: String?) -> [ValidationIssue]
    {
        var issues: [ValidationIssue] = []
        let length = password.unicodeScalars.count
        if length < 12 { issues.append(.error("password", Self.tooShort)) }
        if length > 128 { issues.append(.error("password", Self.tooLong)) }
        let folded = Self.fold(password)
        if commonPasswords.contains(folded) { issues.append(.error("password", Self.tooCommon)) }
        var personal = [firstName, lastName, email].compactMap { $0 }
        if let email, let at = email.firstIndex(of: "@") { personal.append(String(email[..<at])) }
        if personal.map(Self.fold).contains(where: { $0.count >= 3 && folded.contains($0) }) {
            issues.append(.error("password", Self.personal))
        }
        return issues
    }
}
