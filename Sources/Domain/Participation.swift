import Foundation

/// One user's presence in an appointment, with its own status (domain.md §10).
public struct Participation: Sendable, Equatable, Codable {
    public var id: Int64?
    public var appointmentID: Int64
    public var userID: Int64
    public var status: AppointmentStatus
    public var sendLifecycleNotifications: Bool
    public var sendReminderNotification: Bool
    public var createdByType: CreatorType
    public var createdByID: Int64?
    /// Internal prescription by an agent.
    public var createdByAgentPrescripteur: Bool
    /// Seeds the link secret `tkn`; valid 12 weeks (domain.md §10).
    public var tokenCreatedAt: Date?

    public init(
        id: Int64? = nil, appointmentID: Int64, userID: Int64, status: AppointmentStatus = .unknown,
        sendLifecycleNotifications: Bool = true, sendReminderNotification: Bool = true,
        createdByType: CreatorType = .agent, createdByID: Int64? = nil, createdByAgentPrescripteur: Bool = false,
        tokenCreatedAt: Date? = nil
    ) {
        self.id = id
        self.appointmentID = appointmentID
        self.userID = userID
        self.status = status
        self.sendLifecycleNotifications = sendLifecycleNotifications
        self.sendReminderNotification = sendReminderNotification
        self.createdByType = createdByType
        self.createdByID = createdByID
        self.createdByAgentPrescripteur = createdByAgentPrescripteur
        self.tokenCreatedAt = tokenCreatedAt
    }

    /// Both notification flags default to true only for `visible_and_notified` motifs (domain.md §10).
    public init(appointmentID: Int64, userID: Int64, motif: Motif, createdByType: CreatorType, createdByID: Int64?) {
        self.init(
            appointmentID: appointmentID, userID: userID, sendLifecycleNotifications: motif.notifiesUsersByDefault,
            sendReminderNotification: motif.notifiesUsersByDefault, createdByType: createdByType,
            createdByID: createdByID)
    }

    /// The link token lives 12 weeks (domain.md §10).
    public static let tokenValidity: TimeInterval = 12 * 7 * 24 * 3600

    public func isTokenValid(now: Date) -> Bool {
        guard let tokenCreatedAt else { return false }
        return now.timeIntervalSince(tokenCreatedAt) < Self.tokenValidity
    }

    /// domain.md §10: (appointment, user) is unique.
    public func validate(others: [Participation] = []) -> [ValidationIssue] {
        let duplicate = others.contains {
            ($0.id == nil || $0.id != id) && $0.appointmentID == appointmentID && $0.userID == userID
        }
        return duplicate ? [.error("user_id", "participe déjà à ce RDV")] : []
    }
}
