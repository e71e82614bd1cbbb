import Domain
import Foundation
import Testing

@Suite("User validation (domain.md §11)")
struct UserValidationTests {
    private let today = ymd("2026-06-01")

    @Test func aValidUserHasNoIssue() {
        #expect(User.make().validate(today: today) == [])
    }

    @Test(arguments: [
        ("2026-06-02", ["error birth_date: ne peut pas être dans le futur"]),
        ("2026-06-01", []),
        ("1896-06-01", []),
        ("1896-05-31", ["error birth_date: ne peut pas être il y a plus de 130 ans"]),
    ])
    func birthDateIsPlausible(birthDate: String, expected: [String]) {
        #expect(summary(User.make(birthDate: birthDate).validate(today: today)) == expected)
    }

    @Test func namesAreRequiredAndContactsWellFormed() {
        // Given
        let user = User.make(firstName: "", lastName: " ", email: "jean@", phoneNumber: "12345")
        // Then
        #expect(
            summary(user.validate(today: today)) == [
                "error first_name: doit être rempli(e)",
                "error last_name: doit être rempli(e)",
                "error email: n'est pas une adresse e-mail valide",
                "error phone_number: n'est pas un numéro de téléphone valide",
            ])
    }

    @Test(arguments: [("ab12cd34ef", true), ("AB12CD34EF", true), ("AB12CD34E", false), ("AB12CD34E!", false)])
    func antsNumberHasTenLettersOrDigits(number: String, valid: Bool) {
        var user = User.make()
        user.antsPreDemandeNumber = number
        let expected =
            valid ? [] : [ValidationIssue.error("ants_pre_demande_number", "doit comporter 10 lettres ou chiffres")]
        #expect(user.validate(today: today) == expected)
    }

    @Test func invitationTokenHasEightUppercaseLettersOrDigits() {
        var user = User.make()
        user.rdvInvitationToken = "AB12CD34"
        #expect(user.validate(today: today) == [])
        user.rdvInvitationToken = "ab12cd34"
        #expect(
            user.validate(today: today) == [
                .error("rdv_invitation_token", "doit comporter 8 lettres majuscules ou chiffres")
            ])
    }

    @Test func responsibleCyclesAreRefused() {
        // Given a user responsible for itself; then for its own responsible
        let selfResponsible = User.make(id: 1, responsibleID: 1)
        let relative = User.make(id: 1, responsibleID: 2)
        let responsible = User.make(id: 2, responsibleID: 1)
        // Then
        #expect(
            selfResponsible.validate(today: today)
                == [.error("responsible_id", "un usager ne peut pas être son propre responsable")])
        #expect(
            relative.validate(today: today, responsible: responsible)
                == [.error("responsible_id", "un usager ne peut pas être le responsable de son responsable")])
        #expect(relative.validate(today: today, responsible: User.make(id: 2)) == [])
    }

    @Test func duplicatesAreDetected() {
        // Given an existing file with the same e-mail (other case), names, birth date and phone
        let existing = User.make(id: 9, firstName: "JEAN", email: "Jean@Example.fr", phoneNumber: "+33 6 12 34 56 78")
        // When
        let issues = User.make(id: nil).duplicateIssues(among: [existing])
        // Then
        #expect(
            summary(issues) == [
                "error email: est déjà utilisé par un autre usager",
                "warning base: Un usager avec les mêmes nom, prénom et date de naissance existe déjà",
                "warning phone_number: Un usager avec le même numéro de téléphone existe déjà",
            ])
        #expect(User.make(id: 9).duplicateIssues(among: [existing]) == [])
    }

    @Test func aRelativeFallsBackToTheResponsiblesContact() {
        let relative = User.make(id: 2, email: nil, phoneNumber: "", responsibleID: 1)
        let filled = relative.withContactFallback(from: User.make(id: 1))
        #expect(filled.email == "jean@example.fr")
        #expect(filled.phoneNumber == "0612345678")
        #expect(relative.isRelative)
    }
}
