import Foundation

/// A tenant, usually a département (domain.md §1).
public struct Territory: Sendable, Equatable, Codable {
    /// notifications.md §7; nil means the instance's `RDV_SMS_PROVIDER` (contracts.md §1).
    public enum SMSProvider: String, Sendable, Codable, CaseIterable {
        case none
        case httpJSON = "http_json"
        case mailToSMS = "mail_to_sms"
        case dev
    }

    public var id: Int64?
    public var name: String
    public var departementNumber: String?
    /// Derived from the département (README "Time"); a super admin may override it.
    public var timeZoneIdentifier: String
    public var phoneNumber: String?
    public var smsProvider: SMSProvider?
    /// Provider credentials as JSON; encrypted at rest by Persistence.
    public var smsConfiguration: String?
    public var settings: TerritorySettings

    public init(
        id: Int64? = nil, name: String, departementNumber: String? = nil, timeZoneIdentifier: String? = nil,
        phoneNumber: String? = nil, smsProvider: SMSProvider? = nil, smsConfiguration: String? = nil,
        settings: TerritorySettings = TerritorySettings()
    ) {
        self.id = id
        self.name = name
        self.departementNumber = departementNumber
        self.timeZoneIdentifier =
            timeZoneIdentifier ?? Territory.timeZoneIdentifier(departementNumber: departementNumber)
        self.phoneNumber = phoneNumber
        self.smsProvider = smsProvider
        self.smsConfiguration = smsConfiguration
        self.settings = settings
    }

    /// README "Time": Europe/Paris unless the département is one of the overseas ones.
    public static func timeZoneIdentifier(departementNumber: String?) -> String {
        switch departementNumber?.trimmingCharacters(in: .whitespaces) {
        case "971": "America/Guadeloupe"
        case "972": "America/Martinique"
        case "973": "America/Cayenne"
        case "974": "Indian/Reunion"
        case "976": "Indian/Mayotte"
        default: "Europe/Paris"
        }
    }

    public var timeZone: TimeZone? { TimeZone(identifier: timeZoneIdentifier) }

    /// domain.md §1. The name is filled from the département list before validation when blank.
    public func validate() -> [ValidationIssue] {
        var issues = Check.required(name, "name")
        if let departementNumber, departementNumber.count > 3 {
            issues.append(.error("departement_number", "doit comporter au plus 3 caractères"))
        }
        if timeZone == nil {
            issues.append(.error("time_zone", "n'est pas un fuseau horaire connu"))
        }
        return issues
    }
}

/// The territory's toggles (domain.md §1), all false by default.
public struct TerritorySettings: Sendable, Equatable, Codable {
    public var enableNotesField = false
    public var enableLogementField = false
    public var enableCaisseAffiliationField = false
    public var enableAffiliationNumberField = false
    public var enableFamilySituationField = false
    public var enableNumberOfChildrenField = false
    public var enableCaseNumber = false
    public var enableAddressDetails = false
    public var enableContextField = false
    public var enableWaitingRoomMailField = false
    public var enableWaitingRoomColorField = false
    public var visibleUsersThroughoutTheTerritory = false
    /// « Ouvert les dimanches et jours fériés »: holidays do not block slots (slots.md §3).
    public var openOnSundaysAndHolidays = false
    /// Whit Monday blocks slots (beyond the original, slots.md §3).
    public var whitMondayIsHoliday = false

    public init() {}
}
