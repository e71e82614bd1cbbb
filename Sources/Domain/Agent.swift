import Foundation

/// A staff member, possibly in several organisations (domain.md §4).
public struct Agent: Sendable, Equatable, Codable {
    /// Appointment notifications the agent receives (notifications.md §3).
    public enum RdvNotificationsLevel: String, Sendable, Codable, CaseIterable {
        case all, others, soon, none
    }

    /// Opening-period and absence notifications.
    public enum NotificationLevel: String, Sendable, Codable, CaseIterable {
        case all, none
    }

    public var id: Int64?
    /// Absent only for intervenants.
    public var email: String?
    public var firstName: String?
    public var lastName: String
    public var externalID: String?
    public var passwordHash: String?
    public var invitationSentAt: Date?
    public var invitationAcceptedAt: Date?
    public var invitedByID: Int64?
    public var failedSignInCount: Int
    public var lockedUntil: Date?
    public var lastSignInAt: Date?
    public var rdvNotificationsLevel: RdvNotificationsLevel
    public var plageOuvertureNotificationLevel: NotificationLevel
    public var absenceNotificationLevel: NotificationLevel
    public var displaySaturdays: Bool
    public var displayCancelledRdv: Bool
    /// Secret webcal slug: the parameterised name + "-" + a random UUID.
    public var calendarUID: String?
    public var accountDeletionWarningSentAt: Date?
    public var deletedAt: Date?
    /// An agent belongs to 1..n services (domain.md §3).
    public var serviceIDs: [Int64]

    public init(
        id: Int64? = nil, email: String?, firstName: String?, lastName: String, externalID: String? = nil,
        passwordHash: String? = nil, invitationSentAt: Date? = nil, invitationAcceptedAt: Date? = nil,
        invitedByID: Int64? = nil, failedSignInCount: Int = 0, lockedUntil: Date? = nil, lastSignInAt: Date? = nil,
        rdvNotificationsLevel: RdvNotificationsLevel = .others,
        plageOuvertureNotificationLevel: NotificationLevel = .all, absenceNotificationLevel: NotificationLevel = .all,
        displaySaturdays: Bool = false, displayCancelledRdv: Bool = true, calendarUID: String? = nil,
        accountDeletionWarningSentAt: Date? = nil, deletedAt: Date? = nil, serviceIDs: [Int64]
    ) {
        self.id = id
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.externalID = externalID
        self.passwordHash = passwordHash
        self.invitationSentAt = invitationSentAt
        self.invitationAcceptedAt = invitationAcceptedAt
        self.invitedByID = invitedByID
        self.failedSignInCount = failedSignInCount
        self.lockedUntil = lockedUntil
        self.lastSignInAt = lastSignInAt
        self.rdvNotificationsLevel = rdvNotificationsLevel
        self.plageOuvertureNotificationLevel = plageOuvertureNotificationLevel
        self.absenceNotificationLevel = absenceNotificationLevel
        self.displaySaturdays = displaySaturdays
        self.displayCancelledRdv = displayCancelledRdv
        self.calendarUID = calendarUID
        self.accountDeletionWarningSentAt = accountDeletionWarningSentAt
        self.deletedAt = deletedAt
        self.serviceIDs = serviceIDs
    }

    /// "Marie DURAND", as in history authors (domain.md §0).
    public var fullName: String {
        [firstName, lastName.uppercased()].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// domain.md §4: never invited (intervenant) or invitation accepted.
    public var isComplete: Bool { invitationSentAt == nil || invitationAcceptedAt != nil }

    /// domain.md §4 "Inactive" tag: never signed in, or last sign-in more than one month old.
    public func isInactive(now: Date, calendar: Calendar = Calendar(identifier: .gregorian)) -> Bool {
        guard let lastSignInAt else { return true }
        guard let monthAgo = calendar.date(byAdding: .month, value: -1, to: now) else { return false }
        return lastSignInAt < monthAgo
    }

    /// domain.md §0: a soft-deleted agent's e-mail is replaced so it can be reused.
    public static func deletedEmail(id: Int64) -> String { "agent_\(id)@deleted.invalid" }

    /// domain.md §4. `isIntervenant`: the agent's roles are intervenant ones; `others`: the
    /// other agents, for the uniqueness of e-mail and external id.
    public func validate(isIntervenant: Bool = false, others: [Agent] = []) -> [ValidationIssue] {
        var issues = Check.required(lastName, "last_name")
        let rivals = others.filter { $0.id == nil || $0.id != id }
        if isIntervenant {
            // An intervenant has no e-mail, cannot sign in and receives nothing (domain.md §4).
            if !Check.isBlank(email) { issues.append(.error("email", "doit être vide pour un intervenant")) }
            if rdvNotificationsLevel != .none || plageOuvertureNotificationLevel != .none
                || absenceNotificationLevel != .none
            {
                issues.append(.error("rdv_notifications_level", "un intervenant ne reçoit aucune notification"))
            }
        } else {
            issues += Check.required(firstName, "first_name") + Check.required(email, "email")
        }
        if let email, !Check.isBlank(email) {
            if !EmailAddress.isValid(email) {
                issues.append(.error("email", Messages.invalidEmail))
            } else if rivals.contains(where: { $0.email.map(EmailAddress.normalised) == EmailAddress.normalised(email) }
            ) {
                issues.append(.error("email", Messages.notUnique))
            }
        }
        if let externalID, !Check.isBlank(externalID), rivals.contains(where: { $0.externalID == externalID }) {
            issues.append(.error("external_id", Messages.notUnique))
        }
        if serviceIDs.isEmpty {
            issues.append(.error("services", "doit contenir au moins un service"))
        }
        return issues
    }
}
