import Foundation

/// An appointment notification event; raw values are the spec's event codes, also stored in
/// receipts (notifications.md §2, domain.md §13).
public enum NotificationEvent: String, Sendable, Codable, CaseIterable {
    case rdvCreated = "rdv_created"
    case rdvUpdated = "rdv_updated"
    case rdvCancelled = "rdv_cancelled"
    case rdvUpcomingReminder = "rdv_upcoming_reminder"
    /// The waiting-list job found earlier slots (booking.md §8).
    case newCreneauAvailable = "new_creneau_available"
}

/// The channels a planned appointment message goes through (notifications.md §1; webhooks
/// follow §13 and are not planned here).
public enum NotificationChannel: String, Sendable, Codable, CaseIterable {
    case sms, mail
}

/// The ICS METHOD attached to an e-mail (notifications.md §10): REQUEST for agents, PUBLISH for
/// users, CANCEL for cancellations.
public enum CalendarMethod: String, Sendable, Codable, CaseIterable {
    case request = "REQUEST"
    case publish = "PUBLISH"
    case cancel = "CANCEL"
}

/// Who receives a planned message.
public struct NotificationRecipient: Sendable, Hashable, Codable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case user, agent
    }

    public var kind: Kind
    public var id: Int64

    public init(kind: Kind, id: Int64) {
        self.kind = kind
        self.id = id
    }

    public static func user(_ id: Int64) -> NotificationRecipient { NotificationRecipient(kind: .user, id: id) }
    public static func agent(_ id: Int64) -> NotificationRecipient { NotificationRecipient(kind: .agent, id: id) }

    /// "user-7", "agent-3": the recipient segment of idempotency keys.
    public var key: String { "\(kind.rawValue)-\(id)" }
}

/// One message to one recipient on one channel, ready for an outbox row (notifications.md §1, §12).
public struct PlannedMessage: Sendable, Equatable, Codable {
    public var recipient: NotificationRecipient
    public var channel: NotificationChannel
    /// The e-mail address, or the E.164 mobile number for SMS.
    public var address: String
    /// For agents of an updated appointment this is the per-agent event: `rdv_created` for added
    /// agents, `rdv_cancelled` for removed ones (notifications.md §2).
    public var event: NotificationEvent
    public var appointmentID: Int64
    /// E-mails only.
    public var subject: String?
    /// The SMS text (GSM-7 normalised), or the e-mail's plain-text part.
    public var body: String
    /// E-mails only: the HTML part, the same content as `body` (notifications.md §8).
    public var html: String?
    /// E-mails only: the ICS part's METHOD (notifications.md §10).
    public var calendarMethod: CalendarMethod?
    /// The rendered ICS document (CRLF lines); present exactly when `calendarMethod` is.
    public var ics: String?
    /// Unique per (event, appointment, start, recipient, channel): a retry or a re-plan yields the
    /// same key, so the unique outbox column drops the duplicate (notifications.md §12).
    public var idempotencyKey: String

    public init(
        recipient: NotificationRecipient, channel: NotificationChannel, address: String, event: NotificationEvent,
        appointmentID: Int64, subject: String?, body: String, html: String? = nil, calendarMethod: CalendarMethod?,
        ics: String? = nil, idempotencyKey: String
    ) {
        self.recipient = recipient
        self.channel = channel
        self.address = address
        self.event = event
        self.appointmentID = appointmentID
        self.subject = subject
        self.body = body
        self.html = html
        self.calendarMethod = calendarMethod
        self.ics = ics
        self.idempotencyKey = idempotencyKey
    }

    /// notifications.md §12: `<event>:<appointment id>:<starts_at>[:<change id>]:<recipient>:<channel>`;
    /// reminders use `reminder:<appointment id>:<starts_at>:<recipient>:<channel>`, the fan-out
    /// of the planned reminder row `reminder:<appointment id>:<starts_at>` (§4), so a manual and
    /// an automatic reminder of one start share keys and never both go out.
    public static func idempotencyKey(
        event: NotificationEvent, appointmentID: Int64, startsAt: Date, changeID: String? = nil,
        recipient: NotificationRecipient, channel: NotificationChannel
    ) -> String {
        let start = ReminderSchedule.utcISO8601(startsAt)
        if event == .rdvUpcomingReminder {
            return "reminder:\(appointmentID):\(start):\(recipient.key):\(channel.rawValue)"
        }
        let change = changeID.map { ":" + $0 } ?? ""
        return "\(event.rawValue):\(appointmentID):\(start)\(change):\(recipient.key):\(channel.rawValue)"
    }
}
