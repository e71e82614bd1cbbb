import Domain
import Foundation
import Testing

@Suite("Phone numbers and e-mails (domain.md §0)")
struct ContactFormatTests {
    @Test(arguments: [
        ("06 12 34 56 78", "+33612345678", true),
        ("0612345678", "+33612345678", true),
        ("+33 6 12 34 56 78", "+33612345678", true),
        ("0033612345678", "+33612345678", true),
        ("07.12.34.56.78", "+33712345678", true),
        ("03 21 00 00 00", "+33321000000", false),
        ("0690 12 34 56", "+590690123456", true),
        ("+590 590 12 34 56", "+590590123456", false),
        ("0694123456", "+594694123456", true),
        ("0696123456", "+596696123456", true),
        ("0262123456", "+262262123456", false),
        ("0692123456", "+262692123456", true),
        ("0639123456", "+262639123456", true),
    ])
    func parsesFrenchNumbers(raw: String, e164: String, mobile: Bool) throws {
        // When
        let number = try #require(PhoneNumber(raw))
        // Then
        #expect(number.e164 == e164)
        #expect(number.isMobile == mobile)
    }

    @Test(arguments: ["", "12345", "061234567", "06123456789", "+44 20 7946 0958", "abcdefghij", "0012345678"])
    func rejectsOtherNumbers(raw: String) {
        #expect(PhoneNumber(raw) == nil)
    }

    @Test func shortNumbersHaveFourDigits() {
        #expect(PhoneNumber.isShortNumber("3949"))
        #expect(!PhoneNumber.isShortNumber("394"))
        #expect(!PhoneNumber.isShortNumber("39a9"))
    }

    @Test(arguments: [
        ("  Jean.Dupont@Example.FR ", "jean.dupont@example.fr"),
        ("jean.@example.fr", "jean@example.fr"),
        ("jean..dupont@example..fr", "jean.dupont@example.fr"),
    ])
    func normalisesEmails(raw: String, expected: String) {
        #expect(EmailAddress.normalised(raw) == expected)
        #expect(EmailAddress.isValid(raw))
    }

    @Test(arguments: ["jean", "jean@", "@example.fr", "jean@example", "jean dupont@example.fr", "a@b@c.fr"])
    func rejectsMalformedEmails(raw: String) {
        #expect(!EmailAddress.isValid(raw))
    }

    /// An address is written into `To`, `Reply-To` and `RCPT TO`: nothing in it may end the header
    /// line or open a second address, even where normalisation would trim it away.
    @Test(arguments: [
        "contact@mds.fr\r\nBcc: tous@example.fr", "contact@mds.fr\n", "contact@mds.fr\r", "\ncontact@mds.fr",
        "con\u{0}tact@mds.fr", "contact@mds.fr\u{85}", "contact@mds.fr\u{7F}", "contact@mds.fr>, autre@example.fr",
        "\"jean\"@example.fr", "jean<x>@example.fr", "jean,autre@example.fr", "jean;x@example.fr",
        "jean@[10.0.0.1]", "jean(commentaire)@example.fr", "jean:x@example.fr", "jean\\x@example.fr",
    ])
    func rejectsAddressesThatCouldInjectHeaders(raw: String) {
        #expect(!EmailAddress.isValid(raw))
    }

    @Test(arguments: ["prénom.nom@mairie-arras.fr", "a+rdv@example.fr", "o'brien@example.ie", "x_y-z@sub.example.fr"])
    func acceptsOrdinaryAddresses(raw: String) {
        #expect(EmailAddress.isValid(raw))
    }
}
