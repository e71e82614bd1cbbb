import Foundation

/// The shape shared by opening periods and absences: a first day, times of day, and an optional
/// recurrence (slots.md §2). Expansion works on this value so both entities share it.
public struct SeriesPattern: Sendable, Equatable {
    public var firstDay: LocalDate
    public var startTime: TimeOfDay
    /// `end_day` of a multi-day absence; `first_day` otherwise.
    public var endDay: LocalDate
    public var endTime: TimeOfDay
    public var recurrence: Recurrence?

    public init(
        firstDay: LocalDate, startTime: TimeOfDay, endDay: LocalDate? = nil, endTime: TimeOfDay,
        recurrence: Recurrence? = nil
    ) {
        self.firstDay = firstDay
        self.startTime = startTime
        self.endDay = endDay ?? firstDay
        self.endTime = endTime
        self.recurrence = recurrence
    }

    /// slots.md §2: a regular occurrence lies in [first_day, until] and matches the pattern.
    /// A non-recurring series has exactly one, on `first_day`.
    public func isRegularOccurrence(_ date: LocalDate) -> Bool {
        guard let recurrence else { return date == firstDay }
        guard date >= firstDay else { return false }
        if let until = recurrence.until, date > until { return false }
        return recurrence.matches(date, firstDay: firstDay)
    }

    /// Regular occurrence dates in [first, last] (both inclusive), before exceptions; the loop
    /// only walks the requested window (slots.md §12).
    public func regularDates(from first: LocalDate, through last: LocalDate) -> [LocalDate] {
        guard first <= last else { return [] }
        guard let recurrence else { return first <= firstDay && firstDay <= last ? [firstDay] : [] }
        let lower = max(first, firstDay)
        let upper = recurrence.until.map { min($0, last) } ?? last
        return lower.through(upper).filter { recurrence.matches($0, firstDay: firstDay) }
    }

    /// slots.md §2 "Expansion" over the window [first, last]: the regular occurrences, minus
    /// those carrying an exception, plus each moved occurrence whose new day is in the window
    /// (wherever its original date lies). Exceptions that are not on a regular occurrence are
    /// ignored (validation refuses them, domain.md §7b).
    public func occurrences(
        from first: LocalDate, through last: LocalDate, exceptions: [OccurrenceException] = []
    ) -> [Occurrence] {
        guard first <= last else { return [] }
        guard recurrence != nil else { return singleOccurrence(from: first, through: last) }
        let applicable = exceptions.filter { isRegularOccurrence($0.date) }
        let changedDates = Set(applicable.map(\.date))
        var result = regularDates(from: first, through: last).filter { !changedDates.contains($0) }.map {
            Occurrence(originalDate: $0, day: $0, startTime: startTime, endTime: endTime)
        }
        for exception in applicable where !exception.cancelled && (first...last).contains(exception.day) {
            result.append(
                Occurrence(
                    originalDate: exception.date, day: exception.day, startTime: exception.startTime ?? startTime,
                    endTime: exception.endTime ?? endTime, isMoved: true))
        }
        return result.sorted()
    }

    /// A single-day series, or a multi-day absence kept whole when it touches the window.
    private func singleOccurrence(from first: LocalDate, through last: LocalDate) -> [Occurrence] {
        guard firstDay <= last && endDay >= first else { return [] }
        return [
            Occurrence(originalDate: firstDay, day: firstDay, startTime: startTime, endDay: endDay, endTime: endTime)
        ]
    }

    /// The last day anything of the series happens, nil when endless: `until` (or the end day),
    /// pushed later by a moved occurrence (domain.md §7 "Expiration").
    public func lastDay(exceptions: [OccurrenceException] = []) -> LocalDate? {
        guard let recurrence else { return endDay }
        guard let until = recurrence.until else { return nil }
        let moved = exceptions.filter { !$0.cancelled && isRegularOccurrence($0.date) }.map(\.day)
        return ([until] + moved).max()
    }

    /// domain.md §7/§8 "Expiration": expired once its last day is before today.
    public func isExpired(today: LocalDate, exceptions: [OccurrenceException] = []) -> Bool {
        guard let last = lastDay(exceptions: exceptions) else { return false }
        return last < today
    }
}
