import Foundation

extension OpeningPeriod {
    public static let overlapMessagePrefix = "Cette plage d'ouverture chevauche"

    /// How far ahead overlaps are looked for (domain.md §7: until today + 6 months).
    static let overlapHorizonInMonths = 6

    /// domain.md §7 "Overlap benign warning": another non-expired period of the same agent has
    /// overlapping times of day on a date carrying an occurrence of both, between max(both first
    /// days, today) and min(both ends, today + 6 months), exceptions applied.
    /// `exceptions` maps a series id to its exceptions (this period's under its own id, if any).
    public func overlapWarnings(
        with others: [OpeningPeriod], exceptions: [Int64: [OccurrenceException]] = [:], today: LocalDate
    ) -> [ValidationIssue] {
        let mine = id.flatMap { exceptions[$0] } ?? []
        return others.compactMap { other in
            guard other.agentID == agentID, other.id == nil || other.id != id else { return nil }
            let theirs = other.id.flatMap { exceptions[$0] } ?? []
            guard !other.isExpired(today: today, exceptions: theirs),
                overlaps(other, mine: mine, theirs: theirs, today: today)
            else { return nil }
            return .warning("base", "\(Self.overlapMessagePrefix) la plage d'ouverture « \(other.title) »")
        }
    }

    private func overlaps(
        _ other: OpeningPeriod, mine: [OccurrenceException], theirs: [OccurrenceException], today: LocalDate
    ) -> Bool {
        if mine.isEmpty && theirs.isEmpty
            && Self.patternsNeverMeet(recurrence, other.recurrence, firstDay, other.firstDay)
        {
            return false
        }
        guard let horizon = today.adding(months: Self.overlapHorizonInMonths) else { return false }
        let lower = max(firstDay, other.firstDay, today)
        let upper =
            [horizon, pattern.lastDay(exceptions: mine), other.pattern.lastDay(exceptions: theirs)]
            .compactMap { $0 }.min() ?? horizon
        guard lower <= upper else { return false }
        let theirOccurrences = Dictionary(
            grouping: other.occurrences(from: lower, through: upper, exceptions: theirs), by: \.day)
        return occurrences(from: lower, through: upper, exceptions: mine).contains { occurrence in
            (theirOccurrences[occurrence.day] ?? []).contains {
                occurrence.startTime < $0.endTime && $0.startTime < occurrence.endTime
            }
        }
    }

    /// The quick skips of domain.md §7: weekly series on disjoint weekdays, monthly series on
    /// different week-numbers or weekdays.
    private static func patternsNeverMeet(
        _ lhs: Recurrence?, _ rhs: Recurrence?, _ lhsFirstDay: LocalDate, _ rhsFirstDay: LocalDate
    ) -> Bool {
        switch (lhs, rhs) {
        case (.weekly(let a)?, .weekly(let b)?):
            let daysA = Set(a.weekdays.isEmpty ? [lhsFirstDay.weekday] : a.weekdays)
            let daysB = Set(b.weekdays.isEmpty ? [rhsFirstDay.weekday] : b.weekdays)
            return daysA.isDisjoint(with: daysB)
        case (.monthly(let a)?, .monthly(let b)?):
            guard let dayA = a.day, let dayB = b.day else { return false }
            return dayA != dayB
        default:
            return false
        }
    }
}
