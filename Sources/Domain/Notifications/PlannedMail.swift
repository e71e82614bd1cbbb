import Foundation

/// The e-mails of notifications.md §2 outside the appointment lifecycle: raw values are the
/// receipt event codes (`[a-z0-9_.]` only, like `rdv_created`).
public enum MailEvent: String, Sendable, Codable, CaseIterable {
    case prescriberConfirmation = "prescriber_confirmation"
    case userArrived = "user_arrived"
    case exportReady = "export_ready"
    case accountDeletionWarning = "account_deletion_warning"
    case signInCode = "sign_in_code"
    case agentInvitation = "agent_invitation"
    case passwordReset = "password_reset"
    case userConfirmation = "user_confirmation"
    case userInvitation = "user_invitation"
}

/// One e-mail without calendar part (notifications.md §9: only the text and HTML parts), ready
/// for an outbox row. A sibling of `PlannedMessage` and `PlannedSeriesMessage`, planned by
/// `MailPlanner`.
public struct PlannedMail: Sendable, Equatable, Codable {
    public var event: MailEvent
    /// The user or agent it goes to; nil for a prescriber or an address without account (the
    /// sign-in code of an unknown e-mail).
    public var recipient: NotificationRecipient?
    /// Normalised.
    public var address: String
    /// The appointment it is about, for its receipts (prescriber confirmation, user arrived).
    public var appointmentID: Int64?
    public var subject: String
    /// The plain-text part.
    public var text: String
    /// The HTML part, the same content as `text`, every value escaped.
    public var html: String
    /// `<event>:<subject record>:<version>:<recipient>:mail`, one message per (event, record,
    /// recipient), so a retry or a re-plan is dropped by the unique outbox column
    /// (notifications.md §12). Versions are epoch seconds; keys hold ids, never the address,
    /// the code or a link token:
    /// - `prescriber_confirmation:<appointment id>:<starts_at UTC ISO-8601>:user-<beneficiary id>:prescriber-<id>:mail`
    /// - `user_arrived:<appointment id>:<arrived_at>:agent-<id>:mail`
    /// - `export_ready:<export id>:agent-<id>:mail`
    /// - `account_deletion_warning:<warned at>:agent-<id>:mail` (a new warning after 2 years is a new key)
    /// - `sign_in_code:<code id>:mail` (a code row belongs to one address)
    /// - `agent_invitation`, `password_reset`, `user_confirmation`, `user_invitation`:
    ///   `<event>:<issued at>:<user-<id> | agent-<id>>:mail`; re-sending issues a new link, hence a new key.
    public var idempotencyKey: String

    public init(
        event: MailEvent, recipient: NotificationRecipient?, address: String, appointmentID: Int64? = nil,
        subject: String, text: String, html: String, idempotencyKey: String
    ) {
        self.event = event
        self.recipient = recipient
        self.address = address
        self.appointmentID = appointmentID
        self.subject = subject
        self.text = text
        self.html = html
        self.idempotencyKey = idempotencyKey
    }

    /// The text and HTML parts of `body`, the subject as the HTML title.
    init(
        event: MailEvent, recipient: NotificationRecipient?, address: String, appointmentID: Int64? = nil,
        subject: String, body: MailBody, key: [String]
    ) {
        self.init(
            event: event, recipient: recipient, address: address, appointmentID: appointmentID, subject: subject,
            text: body.text, html: body.html(title: subject),
            idempotencyKey: ([event.rawValue] + key + [NotificationChannel.mail.rawValue]).joined(separator: ":"))
    }

    /// Epoch seconds: the version segment of keys.
    public static func version(_ instant: Date) -> String {
        String(Int64(instant.timeIntervalSince1970.rounded(.down)))
    }
}

/// The person an account e-mail goes to: an agent or a user, with its e-mail (domain.md §4, §11).
public struct MailAccount: Sendable, Equatable {
    public var recipient: NotificationRecipient
    public var email: String?
    /// Soft-deleted accounts get nothing.
    public var isDeleted: Bool

    public init(recipient: NotificationRecipient, email: String?, isDeleted: Bool = false) {
        self.recipient = recipient
        self.email = email
        self.isDeleted = isDeleted
    }

    /// Intervenants have no e-mail, so they get nothing either.
    public init(agent: Agent, id: Int64) {
        self.init(recipient: .agent(id), email: agent.email, isDeleted: agent.deletedAt != nil)
    }

    public init(user: User, id: Int64) {
        self.init(recipient: .user(id), email: user.email, isDeleted: user.deletedAt != nil)
    }

    /// The normalised address, when the account is live and its e-mail valid. Account e-mails
    /// ignore `notify_by_email`: they are what the person asked for, not notifications.
    var address: String? {
        guard !isDeleted, let email, EmailAddress.isValid(email) else { return nil }
        return EmailAddress.normalised(email)
    }
}
