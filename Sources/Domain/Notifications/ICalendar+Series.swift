import Foundation

extension Recurrence {
    /// The RRULE value of slots.md §2 "iCal export": `FREQ=WEEKLY;INTERVAL=n;BYDAY=MO,TH`,
    /// `FREQ=MONTHLY;INTERVAL=n;BYDAY=3WE` or `FREQ=MONTHLY;INTERVAL=n;BYMONTHDAY=18`, then
    /// `;UNTIL=` the end of the `until` day in UTC. UNTIL is inclusive (RFC 5545 §3.3.10), so it is
    /// the last second of that day: midnight itself would admit an occurrence starting at 00:00
    /// the next day.
    public func calendarRule(firstDay: LocalDate, in timeZone: TimeZone) -> String {
        let start = starts ?? firstDay
        var parts: [String]
        switch self {
        case .weekly(let weekly):
            let weekdays = weekly.weekdays.isEmpty ? [start.weekday] : Set(weekly.weekdays).sorted()
            parts = [
                "FREQ=WEEKLY", "INTERVAL=\(weekly.interval)",
                "BYDAY=" + weekdays.map(ICalendar.weekdayCode).joined(separator: ","),
            ]
        case .monthly(let monthly):
            parts = ["FREQ=MONTHLY", "INTERVAL=\(monthly.interval)"]
            if let day = monthly.day {
                parts.append("BYDAY=\(day.ordinal)\(ICalendar.weekdayCode(day.weekday))")
            } else {
                parts.append("BYMONTHDAY=\(start.day)")
            }
        }
        if let end = endsAt(in: timeZone) {
            parts.append("UNTIL=" + ICalendar.utc(end.addingTimeInterval(-1)))
        }
        return parts.joined(separator: ";")
    }
}

extension SeriesPattern {
    /// The VEVENTs of an opening period or absence (slots.md §2 "iCal export"): `event` (its UID,
    /// summary, status…) timed as the series' first occurrence, with the RRULE and an EXDATE for
    /// each cancelled or moved occurrence; then, for each moved occurrence, a VEVENT with the same
    /// UID whose RECURRENCE-ID is the original occurrence. Exceptions that are not on a regular
    /// occurrence are ignored, as in expansion.
    public func calendarEvents(
        like event: ICalendarEvent, exceptions: [OccurrenceException], timeZone: TimeZone
    ) -> [ICalendarEvent] {
        var series = event
        series.start = ICalendarDateTime(day: firstDay, time: startTime)
        series.end = ICalendarDateTime(day: endDay, time: endTime)
        guard let recurrence else { return [series] }
        let applicable = exceptions.filter { isRegularOccurrence($0.date) }.sorted { $0.date < $1.date }
        series.recurrenceRule = recurrence.calendarRule(firstDay: firstDay, in: timeZone)
        series.exceptionDates = applicable.map { ICalendarDateTime(day: $0.date, time: startTime) }
        let moved = applicable.filter { !$0.cancelled }.map { exception in
            var occurrence = event
            occurrence.recurrenceID = ICalendarDateTime(day: exception.date, time: startTime)
            occurrence.start = ICalendarDateTime(day: exception.day, time: exception.startTime ?? startTime)
            occurrence.end = ICalendarDateTime(day: exception.day, time: exception.endTime ?? endTime)
            return occurrence
        }
        return [series] + moved
    }
}
