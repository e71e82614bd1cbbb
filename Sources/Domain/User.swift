import Foundation

/// A member of the public, with or without an account; a relative when `responsibleID` is set
/// (domain.md §11, « Usager »).
public struct User: Sendable, Equatable, Codable {
    public enum CaisseAffiliation: String, Sendable, Codable, CaseIterable {
        case aucune, caf, msa
    }

    public enum Logement: String, Sendable, Codable, CaseIterable {
        case sdf, heberge
        case enAccessionPropriete = "en_accession_propriete"
        case proprietaire, autre, locataire
    }

    public enum CreatedThrough: String, Sendable, Codable, CaseIterable {
        case agentCreation = "agent_creation"
        case userSignUp = "user_sign_up"
        case userRelativeCreation = "user_relative_creation"
        case agentCreationAPI = "agent_creation_api"
        case prescripteur
        case unknown
    }

    public var id: Int64?
    public var firstName: String
    public var lastName: String
    public var birthName: String?
    public var birthDate: LocalDate?
    public var email: String?
    public var phoneNumber: String?
    public var address: String?
    public var addressDetails: String?
    public var postCode: String?
    public var cityName: String?
    /// INSEE code.
    public var cityCode: String?
    public var latitude: Double?
    public var longitude: Double?
    public var caisseAffiliation: CaisseAffiliation?
    public var affiliationNumber: String?
    public var familySituation: String?
    public var numberOfChildren: Int?
    public var caseNumber: String?
    public var notes: String?
    public var logement: Logement?
    /// 10 characters [A-Z0-9], stored upper-cased.
    public var antsPreDemandeNumber: String?
    public var notifyBySMS: Bool
    public var notifyByEmail: Bool
    /// Set for a relative (« proche »): notifications go to the responsible.
    public var responsibleID: Int64?
    public var createdThrough: CreatedThrough
    /// 8 characters [A-Z0-9], for invitation links.
    public var rdvInvitationToken: String?
    public var rdvInvitationTokenCreatedAt: Date?
    public var passwordHash: String?
    public var confirmedAt: Date?
    public var failedSignInCount: Int
    public var lockedUntil: Date?
    public var invitationCreatedAt: Date?
    public var invitationAcceptedAt: Date?
    /// Set when an agent or the user edits the file; read by retention (booking.md §11).
    public var lastModifiedAt: Date?
    public var deletedAt: Date?

    public init(
        id: Int64? = nil, firstName: String, lastName: String, birthName: String? = nil, birthDate: LocalDate? = nil,
        email: String? = nil, phoneNumber: String? = nil, responsibleID: Int64? = nil,
        createdThrough: CreatedThrough = .unknown
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.birthName = birthName
        self.birthDate = birthDate
        self.email = email
        self.phoneNumber = phoneNumber
        self.notifyBySMS = true
        self.notifyByEmail = true
        self.responsibleID = responsibleID
        self.createdThrough = createdThrough
        self.failedSignInCount = 0
    }

    /// A relative has a responsible and no login (domain.md §11).
    public var isRelative: Bool { responsibleID != nil }

    /// Relatives fall back to their responsible's empty contact and address fields (domain.md §11).
    public func withContactFallback(from responsible: User) -> User {
        var user = self
        func fill(_ field: WritableKeyPath<User, String?>) {
            if Check.isBlank(user[keyPath: field]) { user[keyPath: field] = responsible[keyPath: field] }
        }
        [\User.email, \.phoneNumber, \.address, \.addressDetails, \.postCode, \.cityName, \.cityCode].forEach(fill)
        if user.latitude == nil, user.longitude == nil {
            user.latitude = responsible.latitude
            user.longitude = responsible.longitude
        }
        return user
    }

    /// domain.md §11: the anonymised names and e-mail of a user deleted from every organisation.
    public static let deletedName = "Usager supprimé"
    public static func deletedEmail(id: Int64) -> String { "user_\(id)@deleted.invalid" }
}
