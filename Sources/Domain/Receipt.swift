import Foundation

/// The record of one notification attempt (domain.md §13, « Accusé d'envoi »).
public struct Receipt: Sendable, Equatable, Codable {
    public enum Event: String, Sendable, Codable, CaseIterable {
        case rdvCreated = "rdv_created"
        case rdvUpdated = "rdv_updated"
        case rdvUpcomingReminder = "rdv_upcoming_reminder"
        case rdvCancelled = "rdv_cancelled"
        case newCreneauAvailable = "new_creneau_available"
    }

    public enum Channel: String, Sendable, Codable, CaseIterable {
        case sms, mail, webhook
    }

    public enum DeliveryResult: String, Sendable, Codable, CaseIterable {
        case processed, sent, delivered, failure
    }

    public var id: Int64?
    public var appointmentID: Int64?
    public var userID: Int64?
    public var organisationID: Int64?
    public var event: Event
    public var channel: Channel
    public var result: DeliveryResult
    public var errorMessage: String?
    public var smsProvider: String?
    public var smsCount: Int?
    /// SMS text or e-mail subject.
    public var content: String?
    public var smsPhoneNumber: String?
    public var emailAddress: String?
    public var idempotencyKey: String?
    public var createdAt: Date

    public init(
        id: Int64? = nil, appointmentID: Int64?, userID: Int64?, organisationID: Int64?, event: Event,
        channel: Channel, result: DeliveryResult, errorMessage: String? = nil, smsProvider: String? = nil,
        smsCount: Int? = nil, content: String? = nil, smsPhoneNumber: String? = nil, emailAddress: String? = nil,
        idempotencyKey: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.appointmentID = appointmentID
        self.userID = userID
        self.organisationID = organisationID
        self.event = event
        self.channel = channel
        self.result = result
        self.errorMessage = errorMessage
        self.smsProvider = smsProvider
        self.smsCount = smsCount
        self.content = content
        self.smsPhoneNumber = smsPhoneNumber
        self.emailAddress = emailAddress
        self.idempotencyKey = idempotencyKey
        self.createdAt = createdAt
    }

    /// Personal fields are blanked after 6 months; the row is deleted after 2 years (domain.md §13).
    public static let personalDataRetentionInMonths = 6
    public static let retentionInYears = 2

    /// The receipt with its personal fields blanked.
    public var anonymised: Receipt {
        var copy = self
        copy.content = nil
        copy.smsPhoneNumber = nil
        copy.emailAddress = nil
        return copy
    }
}
