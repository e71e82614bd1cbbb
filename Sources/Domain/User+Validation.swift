import Foundation

extension User {
    /// The oldest plausible birth date is 130 years ago (domain.md §11).
    public static let maximumAgeInYears = 130

    /// domain.md §11 field rules. `today` is the local day (from the Clock); `responsible` is the
    /// loaded responsible of a relative.
    public func validate(today: LocalDate, responsible: User? = nil) -> [ValidationIssue] {
        var issues = Check.required(firstName, "first_name") + Check.required(lastName, "last_name")
        if let birthDate {
            if birthDate > today {
                issues.append(.error("birth_date", "ne peut pas être dans le futur"))
            } else if let oldest = today.adding(years: -Self.maximumAgeInYears), birthDate < oldest {
                issues.append(.error("birth_date", "ne peut pas être il y a plus de 130 ans"))
            }
        }
        if let email, !Check.isBlank(email), !EmailAddress.isValid(email) {
            issues.append(.error("email", Messages.invalidEmail))
        }
        if let phoneNumber, !Check.isBlank(phoneNumber), !PhoneNumber.isValid(phoneNumber) {
            issues.append(.error("phone_number", Messages.invalidPhone))
        }
        if let ants = antsPreDemandeNumber, !Check.isBlank(ants), !Self.isCode(ants.uppercased(), length: 10) {
            issues.append(.error("ants_pre_demande_number", "doit comporter 10 lettres ou chiffres"))
        }
        if let token = rdvInvitationToken, !Self.isCode(token, length: 8) {
            issues.append(.error("rdv_invitation_token", "doit comporter 8 lettres majuscules ou chiffres"))
        }
        issues += responsibleIssues(responsible)
        return issues
    }

    /// A user cannot be their own responsible, nor the responsible of their responsible.
    private func responsibleIssues(_ responsible: User?) -> [ValidationIssue] {
        guard let responsibleID else { return [] }
        if let id, responsibleID == id {
            return [.error("responsible_id", "un usager ne peut pas être son propre responsable")]
        }
        if let id, let responsible, responsible.responsibleID == id {
            return [.error("responsible_id", "un usager ne peut pas être le responsable de son responsable")]
        }
        return []
    }

    private static func isCode(_ text: String, length: Int) -> Bool {
        text.count == length && text.allSatisfy(\.isASCIIUppercaseOrDigit)
    }

    /// domain.md §11 "Duplicate detection" (agent side): same e-mail → hard error; same first
    /// name + last name + birth date → benign warning; same phone → benign warning.
    public func duplicateIssues(among others: [User]) -> [ValidationIssue] {
        let rivals = others.filter { ($0.id == nil || $0.id != id) && $0.deletedAt == nil }
        var issues: [ValidationIssue] = []
        if let email, !Check.isBlank(email),
            rivals.contains(where: { $0.email.map(EmailAddress.normalised) == EmailAddress.normalised(email) })
        {
            issues.append(.error("email", "est déjà utilisé par un autre usager"))
        }
        if let birthDate,
            rivals.contains(where: {
                $0.birthDate == birthDate && Check.sameText($0.firstName, firstName)
                    && Check.sameText($0.lastName, lastName)
            })
        {
            issues.append(.warning("base", "Un usager avec les mêmes nom, prénom et date de naissance existe déjà"))
        }
        if let phone = phoneNumber.flatMap(PhoneNumber.init),
            rivals.contains(where: { $0.phoneNumber.flatMap(PhoneNumber.init) == phone })
        {
            issues.append(.warning("phone_number", "Un usager avec le même numéro de téléphone existe déjà"))
        }
        return issues
    }
}
