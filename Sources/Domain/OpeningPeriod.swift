import Foundation

/// An agent's bookable availability window, possibly recurring (domain.md §7, « Plage d'ouverture »).
public struct OpeningPeriod: Sendable, Equatable, Codable {
    public var id: Int64?
    public var agentID: Int64
    public var organisationID: Int64
    public var title: String
    /// Required when a linked motif is `public_office`.
    public var placeID: Int64?
    public var firstDay: LocalDate
    public var startTime: TimeOfDay
    public var endTime: TimeOfDay
    /// nil: a single occurrence on `first_day` (slots.md §2).
    public var recurrence: Recurrence?
    /// At least one individual motif of the organisation.
    public var motifIDs: [Int64]

    public init(
        id: Int64? = nil, agentID: Int64, organisationID: Int64, title: String, placeID: Int64?,
        firstDay: LocalDate, startTime: TimeOfDay, endTime: TimeOfDay, recurrence: Recurrence? = nil,
        motifIDs: [Int64]
    ) {
        self.id = id
        self.agentID = agentID
        self.organisationID = organisationID
        self.title = title
        self.placeID = placeID
        self.firstDay = firstDay
        self.startTime = startTime
        self.endTime = endTime
        self.recurrence = recurrence
        self.motifIDs = motifIDs
    }

    public var pattern: SeriesPattern {
        SeriesPattern(firstDay: firstDay, startTime: startTime, endTime: endTime, recurrence: recurrence)
    }

    /// `recurrence_ends_at`: the end of the `until` day, nil when endless or single (domain.md §7).
    public func recurrenceEndsAt(in timeZone: TimeZone) -> Date? {
        recurrence?.endsAt(in: timeZone)
    }

    /// slots.md §2 expansion over [first, last] with this period's exceptions applied.
    public func occurrences(
        from first: LocalDate, through last: LocalDate, exceptions: [OccurrenceException] = []
    ) -> [Occurrence] {
        pattern.occurrences(from: first, through: last, exceptions: exceptions)
    }

    /// domain.md §7 "Expiration": single → `first_day` < today; recurring → `until` < today,
    /// unless a moved occurrence is later.
    public func isExpired(today: LocalDate, exceptions: [OccurrenceException] = []) -> Bool {
        pattern.isExpired(today: today, exceptions: exceptions)
    }
}
