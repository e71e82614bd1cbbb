import Foundation

extension Recurrence {
    /// slots.md §2 "Expansion": whether `date` matches the pattern of a series starting on
    /// `firstDay` (ignoring the bounds `first_day`…`until`, which the caller applies).
    public func matches(_ date: LocalDate, firstDay: LocalDate) -> Bool {
        let start = starts ?? firstDay
        switch self {
        case .weekly(let weekly):
            let weekdays = weekly.weekdays.isEmpty ? [start.weekday] : weekly.weekdays
            guard weekdays.contains(date.weekday) else { return false }
            // Whole weeks between the Mondays of both weeks (weeks start on Monday).
            let weeks = start.mondayOfWeek.days(until: date.mondayOfWeek) / 7
            return Self.isMultiple(weeks, of: weekly.interval)
        case .monthly(let monthly):
            guard Self.isMultiple(date.absoluteMonth - start.absoluteMonth, of: monthly.interval) else { return false }
            if let rule = monthly.day {
                return date.weekday == rule.weekday && date.weekdayOrdinalInMonth == rule.ordinal
            }
            // Same day of month; months lacking it (the 31st…) never match, so they are skipped.
            return date.day == start.day
        }
    }

    private static func isMultiple(_ count: Int, of interval: Int) -> Bool {
        interval >= 1 && count >= 0 && count % interval == 0
    }

    /// slots.md §2 constraints on the JSON value, reported on the `recurrence` field.
    public func validate(firstDay: LocalDate) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if interval < 1 {
            issues.append(.error("recurrence", "l'intervalle doit être un entier supérieur ou égal à 1"))
        }
        if let starts, starts != firstDay {
            issues.append(.error("recurrence", "la date de début de la récurrence doit être le premier jour"))
        }
        if let until, until <= firstDay {
            issues.append(.error("recurrence", "la date de fin de la récurrence doit être postérieure au premier jour"))
        }
        if case .monthly(let monthly) = self, let day = monthly.day, !(1...5).contains(day.ordinal) {
            issues.append(.error("recurrence", "le rang du jour dans le mois doit être compris entre 1 et 5"))
        }
        return issues
    }
}
