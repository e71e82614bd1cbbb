import Foundation

/// An opening period or an absence as its agent's e-mail needs it (notifications.md §2, §8, §10).
public struct NotifiedSeries: Sendable, Equatable {
    /// Raw values are the original model names: UID prefixes and event codes.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        case openingPeriod = "plage_ouverture"
        case absence
    }

    public var kind: Kind
    public var id: Int64
    public var title: String
    public var agentID: Int64
    public var organisationID: Int64?
    public var pattern: SeriesPattern
    /// The series' cancelled and moved occurrences (domain.md §7b): EXDATEs and moved VEVENTs.
    public var exceptions: [OccurrenceException]
    /// Opening periods: the place, shown as « Lieu » and as LOCATION.
    public var place: NotifiedPlace?
    /// `updated_at` after the change (for a deletion, its moment): the version in idempotency keys.
    public var updatedAt: Date
    /// The ICS SEQUENCE: the number of notified changes so far (notifications.md §10).
    public var sequence: Int

    public init(
        kind: Kind, id: Int64, title: String, agentID: Int64, organisationID: Int64?, pattern: SeriesPattern,
        exceptions: [OccurrenceException] = [], place: NotifiedPlace? = nil, updatedAt: Date, sequence: Int = 0
    ) {
        self.kind = kind
        self.id = id
        self.title = title
        self.agentID = agentID
        self.organisationID = organisationID
        self.pattern = pattern
        self.exceptions = exceptions
        self.place = place
        self.updatedAt = updatedAt
        self.sequence = sequence
    }

    public init(
        _ period: OpeningPeriod, id: Int64, place: NotifiedPlace?, exceptions: [OccurrenceException] = [],
        updatedAt: Date, sequence: Int = 0
    ) {
        self.init(
            kind: .openingPeriod, id: id, title: period.title, agentID: period.agentID,
            organisationID: period.organisationID, pattern: period.pattern, exceptions: exceptions, place: place,
            updatedAt: updatedAt, sequence: sequence)
    }

    public init(
        _ absence: Absence, id: Int64, exceptions: [OccurrenceException] = [], updatedAt: Date, sequence: Int = 0
    ) {
        self.init(
            kind: .absence, id: id, title: absence.title, agentID: absence.agentID,
            organisationID: absence.organisationID, pattern: absence.pattern, exceptions: exceptions,
            updatedAt: updatedAt, sequence: sequence)
    }

    /// `plage_ouverture_<id>@<host>`, `absence_<id>@<host>` (notifications.md §10, api.md §7 `ical_uid`).
    public func calendarUID(host: String) -> String { "\(kind.rawValue)_\(id)@\(host)" }
}

/// What happened to an opening period or absence (the webhook events of notifications.md §13).
public enum SeriesChange: String, Sendable, Codable, CaseIterable {
    case created, updated, destroyed
}

/// One agent e-mail about an opening period or absence, ready for an outbox row. A sibling of
/// `PlannedMessage`, whose appointment id and appointment event codes do not apply here.
public struct PlannedSeriesMessage: Sendable, Equatable, Codable {
    public var recipient: NotificationRecipient
    public var address: String
    public var kind: NotifiedSeries.Kind
    public var seriesID: Int64
    public var change: SeriesChange
    public var subject: String
    /// The plain-text part.
    public var body: String
    /// The HTML part, the same content as `body`.
    public var html: String
    /// REQUEST, or CANCEL for a deletion (notifications.md §10).
    public var calendarMethod: CalendarMethod
    public var ics: String
    /// `<kind>_<change>:<series id>:<updated_at epoch seconds>:agent-<id>:mail`, e.g.
    /// `plage_ouverture_updated:42:1717236000:agent-7:mail`: one message per version of the record
    /// and recipient, so a retry or a re-plan of the same change is dropped by the unique outbox
    /// column while a later edit (a new `updated_at`) is a new message (notifications.md §12).
    public var idempotencyKey: String

    public init(
        recipient: NotificationRecipient, address: String, kind: NotifiedSeries.Kind, seriesID: Int64,
        change: SeriesChange, subject: String, body: String, html: String, calendarMethod: CalendarMethod, ics: String,
        idempotencyKey: String
    ) {
        self.recipient = recipient
        self.address = address
        self.kind = kind
        self.seriesID = seriesID
        self.change = change
        self.subject = subject
        self.body = body
        self.html = html
        self.calendarMethod = calendarMethod
        self.ics = ics
        self.idempotencyKey = idempotencyKey
    }

    /// `plage_ouverture_created`, `absence_destroyed`…: the receipt's event code.
    public var event: String { "\(kind.rawValue)_\(change.rawValue)" }

    /// `<kind>_<change>:<id>:<updated_at>:s<sequence>:<recipient>:mail`: the ICS sequence numbers
    /// the notified changes of the record (each one increments it in its transaction), so two
    /// changes in the same second are two messages and a retry of one change stays one; the
    /// update instant tells apart a new record that reuses a deleted one's id.
    public static func idempotencyKey(
        kind: NotifiedSeries.Kind, change: SeriesChange, seriesID: Int64, updatedAt: Date, sequence: Int,
        recipient: NotificationRecipient
    ) -> String {
        let version = Int64(updatedAt.timeIntervalSince1970.rounded(.down))
        return "\(kind.rawValue)_\(change.rawValue):\(seriesID):\(version):s\(sequence):\(recipient.key):"
            + NotificationChannel.mail.rawValue
    }
}
