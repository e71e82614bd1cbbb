import Foundation

/// An agent's unavailability, possibly recurring; it blocks the agent in every organisation
/// (domain.md §8, « Indisponibilité »).
public struct Absence: Sendable, Equatable, Codable {
    public var id: Int64?
    public var agentID: Int64
    /// Optional: the organisation it was created from (history, webhooks, time zone).
    public var organisationID: Int64?
    public var title: String
    public var firstDay: LocalDate
    public var startTime: TimeOfDay
    /// Defaults to `first_day`; later for a multi-day absence.
    public var endDay: LocalDate
    public var endTime: TimeOfDay
    public var recurrence: Recurrence?

    public init(
        id: Int64? = nil, agentID: Int64, organisationID: Int64? = nil, title: String, firstDay: LocalDate,
        startTime: TimeOfDay, endDay: LocalDate? = nil, endTime: TimeOfDay, recurrence: Recurrence? = nil
    ) {
        self.id = id
        self.agentID = agentID
        self.organisationID = organisationID
        self.title = title
        self.firstDay = firstDay
        self.startTime = startTime
        self.endDay = endDay ?? firstDay
        self.endTime = endTime
        self.recurrence = recurrence
    }

    /// `end_day` > `first_day` (domain.md §8).
    public var isMultiDay: Bool { endDay > firstDay }

    public var pattern: SeriesPattern {
        SeriesPattern(
            firstDay: firstDay, startTime: startTime, endDay: endDay, endTime: endTime, recurrence: recurrence)
    }

    public static let multiDayRecurrenceMessage = "une indisponibilité sur plusieurs jours ne peut pas être récurrente"
    /// The form's notice (domain.md §8): creating an absence never cancels appointments.
    public static let existingAppointmentsNotice = "Les RDV existants sur cette période ne sont pas annulés."

    /// slots.md §2 expansion; a multi-day absence is one interval from `first_day` to `end_day`.
    public func occurrences(
        from first: LocalDate, through last: LocalDate, exceptions: [OccurrenceException] = []
    ) -> [Occurrence] {
        pattern.occurrences(from: first, through: last, exceptions: exceptions)
    }

    /// domain.md §8: expiration as §7; a multi-day absence expires when `end_day` < today.
    public func isExpired(today: LocalDate, exceptions: [OccurrenceException] = []) -> Bool {
        pattern.isExpired(today: today, exceptions: exceptions)
    }

    /// domain.md §8: title required; end instant after the start instant; a multi-day absence
    /// cannot recur (S96); the recurrence itself as slots.md §2.
    public func validate() -> [ValidationIssue] {
        var issues = Check.required(title, "title")
        if endDay < firstDay {
            issues.append(.error("end_day", "doit être postérieure ou égale au premier jour"))
        } else if !isMultiDay && endTime <= startTime {
            issues.append(.error("end_time", Messages.endBeforeStart))
        }
        if let recurrence {
            if isMultiDay {
                issues.append(.error("recurrence", Self.multiDayRecurrenceMessage))
            }
            issues += recurrence.validate(firstDay: firstDay)
        }
        return issues
    }
}
