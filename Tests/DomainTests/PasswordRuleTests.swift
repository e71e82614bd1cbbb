import Domain
import Testing

@Suite("Password rule (booking.md §3)")
struct PasswordRuleTests {
    let rule = PasswordRule(commonPasswords: ["motdepasse123", "Azertyuiop123", "Été2024!été2024"])

    @Test(arguments: [
        ("court", [PasswordRule.tooShort]),
        ("douze-caract", []),
        ("AZERTYUIOP123", [PasswordRule.tooCommon]),
        ("ete2024!ETE2024", [PasswordRule.tooCommon]),
        ("un mot de passe long", []),
        ("jeanne.durand est là", [PasswordRule.personal]),
        ("ma clé DURAND 2026", [PasswordRule.personal]),
        ("clé de Jeanne 1234", [PasswordRule.personal]),
        ("Ed et ses amis 2026", []),  // "Ed" is shorter than 3 characters: not checked
        (String(repeating: "x", count: 129), [PasswordRule.tooLong]),
    ])
    func messages(password: String, expected: [String]) {
        let issues = rule.validate(password, email: "jeanne.durand@example.fr", firstName: "Jeanne", lastName: "Durand")
        #expect(issues.map(\.message) == expected)
        #expect(issues.allSatisfy { $0.field == "password" && $0.severity == .error })
    }

    @Test func lengthCountsUnicodeScalars() {
        // 12 scalars with accents and an emoji
        #expect(rule.validate("éèàçù€🙂abcde", email: nil, firstName: nil, lastName: nil).isEmpty)
    }
}
