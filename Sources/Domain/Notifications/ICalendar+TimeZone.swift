import Foundation

extension ICalendar {
    /// One STANDARD or DAYLIGHT sub-component (RFC 5545 §3.6.5).
    struct Observance: Equatable {
        var isDaylight: Bool
        var offsetFrom: Int
        var offsetTo: Int
        /// The first onset, local time in `offsetFrom`.
        var start: ICalendarDateTime
        /// `FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU`; nil for a zone without DST.
        var rule: String?
    }

    /// The year the observances start from: clients apply the yearly rules from then on.
    static let observanceEpochYear = 1970

    /// The VTIMEZONE of `zone`, derived from Foundation's transitions in `year`: a zone with two
    /// transitions that year gets a STANDARD and a DAYLIGHT observance, each with its yearly rule
    /// (the n-th or last weekday of its month), starting in 1970; a zone without DST a single
    /// STANDARD (RFC 5545 §3.6.5).
    static func timeZoneLines(_ zone: TimeZone, year: Int) -> [String] {
        var lines = ["BEGIN:VTIMEZONE", "TZID:\(zone.identifier)"]
        for observance in observances(zone, year: year) {
            let name = observance.isDaylight ? "DAYLIGHT" : "STANDARD"
            lines += [
                "BEGIN:\(name)", "DTSTART:\(observance.start.value)", "TZOFFSETFROM:\(offset(observance.offsetFrom))",
                "TZOFFSETTO:\(offset(observance.offsetTo))",
            ]
            if let rule = observance.rule { lines.append("RRULE:\(rule)") }
            lines.append("END:\(name)")
        }
        lines.append("END:VTIMEZONE")
        return lines
    }

    /// STANDARD first, then DAYLIGHT.
    static func observances(_ zone: TimeZone, year: Int) -> [Observance] {
        let yearStart = LocalDate(year: year, month: 1, day: 1)?.instant(at: .midnight, in: zone)
        let nextYearStart = LocalDate(year: year + 1, month: 1, day: 1)?.instant(at: .midnight, in: zone)
        if let yearStart, let nextYearStart, let first = zone.nextDaylightSavingTimeTransition(after: yearStart),
            let second = zone.nextDaylightSavingTimeTransition(after: first), second < nextYearStart,
            let one = yearlyObservance(zone, at: first), let other = yearlyObservance(zone, at: second)
        {
            return [one, other].sorted { !$0.isDaylight && $1.isDaylight }
        }
        let offset = zone.secondsFromGMT(for: yearStart ?? Date(timeIntervalSince1970: 0))
        let start = ICalendarDateTime(
            day: LocalDate(uncheckedYear: observanceEpochYear, month: 1, day: 1), time: .midnight)
        return [Observance(isDaylight: false, offsetFrom: offset, offsetTo: offset, start: start, rule: nil)]
    }

    /// The observance that begins at `transition`, as a yearly rule on the n-th (or last)
    /// weekday of the transition's month, first applied in 1970.
    static func yearlyObservance(_ zone: TimeZone, at transition: Date) -> Observance? {
        let from = zone.secondsFromGMT(for: transition.addingTimeInterval(-1))
        let to = zone.secondsFromGMT(for: transition)
        // The onset is written in the local time in force before it (RFC 5545 §3.6.5 DTSTART).
        let local = ICalendarDateTime(transition, in: TimeZone(secondsFromGMT: from) ?? .gmt)
        let day = local.day
        let isLast = day.day + 7 > LocalDate.daysInMonth(year: day.year, month: day.month)
        let ordinal = isLast ? -1 : day.weekdayOrdinalInMonth
        guard
            let firstOnset = LocalDate.nthWeekday(
                ordinal, day.weekday, year: observanceEpochYear, month: day.month)
        else { return nil }
        return Observance(
            isDaylight: zone.isDaylightSavingTime(for: transition), offsetFrom: from, offsetTo: to,
            start: ICalendarDateTime(day: firstOnset, time: local.time),
            rule: "FREQ=YEARLY;BYMONTH=\(day.month);BYDAY=\(ordinal)\(weekdayCode(day.weekday))")
    }
}

extension LocalDate {
    /// The `ordinal`-th `weekday` of the month (1…5), or its last one for −1; nil when the month
    /// has no such day.
    static func nthWeekday(_ ordinal: Int, _ weekday: Weekday, year: Int, month: Int) -> LocalDate? {
        if ordinal < 0 {
            guard let last = LocalDate(year: year, month: month, day: daysInMonth(year: year, month: month)) else {
                return nil
            }
            return last.adding(days: -((last.weekday.isoNumber - weekday.isoNumber + 7) % 7))
        }
        guard let first = LocalDate(year: year, month: month, day: 1) else { return nil }
        let day = 1 + (weekday.isoNumber - first.weekday.isoNumber + 7) % 7 + 7 * (ordinal - 1)
        return LocalDate(year: year, month: month, day: day)
    }
}
