import Foundation

/// An office or agency inside a territory (domain.md §2).
public struct Organisation: Sendable, Equatable, Codable {
    public enum Verticale: String, Sendable, Codable, CaseIterable {
        case rdvInsertion = "rdv_insertion"
        case rdvSolidarites = "rdv_solidarites"
        case rdvAideNumerique = "rdv_aide_numerique"
        /// Lets a user book several family members in one appointment.
        case rdvMairie = "rdv_mairie"
    }

    public var id: Int64?
    public var territoryID: Int64
    public var name: String
    public var phoneNumber: String?
    public var email: String?
    public var website: String?
    /// Free text for opening hours.
    public var horaires: String?
    public var externalID: String?
    public var verticale: Verticale

    public init(
        id: Int64? = nil, territoryID: Int64, name: String, phoneNumber: String? = nil, email: String? = nil,
        website: String? = nil, horaires: String? = nil, externalID: String? = nil,
        verticale: Verticale = .rdvSolidarites
    ) {
        self.id = id
        self.territoryID = territoryID
        self.name = name
        self.phoneNumber = phoneNumber
        self.email = email
        self.website = website
        self.horaires = horaires
        self.externalID = externalID
        self.verticale = verticale
    }

    /// domain.md §2: at least one of phone, website or e-mail is set.
    public var isContactable: Bool {
        !Check.isBlank(phoneNumber) || !Check.isBlank(website) || !Check.isBlank(email)
    }

    /// domain.md §2. `previous` is the stored version (nil on create); `siblings` are the other
    /// organisations of the same territory.
    public func validate(previous: Organisation? = nil, siblings: [Organisation] = []) -> [ValidationIssue] {
        var issues = Check.required(name, "name")
        let rivals = siblings.filter { $0.territoryID == territoryID && ($0.id == nil || $0.id != id) }
        if !Check.isBlank(name), rivals.contains(where: { Check.sameText($0.name, name) }) {
            issues.append(.error("name", Messages.notUnique))
        }
        if let externalID, !Check.isBlank(externalID), rivals.contains(where: { $0.externalID == externalID }) {
            issues.append(.error("external_id", Messages.notUnique))
        }
        if let previous, previous.territoryID != territoryID {
            issues.append(.error("territory_id", "ne peut pas être modifié"))
        }
        // A valid number or a 4-digit short number such as "3949".
        if let phoneNumber, !Check.isBlank(phoneNumber),
            !PhoneNumber.isValid(phoneNumber) && !PhoneNumber.isShortNumber(phoneNumber)
        {
            issues.append(.error("phone_number", Messages.invalidPhone))
        }
        // The organisation's e-mail is the Reply-To of every e-mail about its appointments.
        if let email, !Check.isBlank(email), !EmailAddress.isValid(email) {
            issues.append(.error("email", Messages.invalidEmail))
        }
        return issues
    }
}
