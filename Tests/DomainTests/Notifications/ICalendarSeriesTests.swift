import Domain
import Foundation
import Testing

@Suite("Recurring series as RRULE and EXDATE (slots.md §2 « iCal export »)")
struct ICalendarSeriesTests {
    /// Mondays and Thursdays 09:00–12:00 from Monday 3 June 2024 until 31 December 2024.
    static let weekly = SeriesPattern(
        firstDay: ICS.day("2024-06-03"), startTime: ICS.time("09:00"), endTime: ICS.time("12:00"),
        recurrence: .weekly(
            Recurrence.Weekly(interval: 1, weekdays: [.thursday, .monday], until: ICS.day("2024-12-31"))))

    static func exception(_ date: String, cancelled: Bool, day: String? = nil, from: String? = nil, to: String? = nil)
        -> OccurrenceException
    {
        OccurrenceException(
            seriesType: .openingPeriod, seriesID: 42, date: ICS.day(date), cancelled: cancelled,
            day: day.map(ICS.day), startTime: from.map(ICS.time), endTime: to.map(ICS.time))
    }

    @Test("Weekly series: RRULE with UNTIL at the last second of the until day (UTC), EXDATEs, a moved occurrence")
    func weeklyWithExceptions() {
        // Given the weekly series, a cancelled Monday, a Thursday moved to Friday 10:00–13:00, and an
        // exception on a Tuesday (not an occurrence: ignored)
        let exceptions = [
            Self.exception("2024-06-13", cancelled: false, day: "2024-06-14", from: "10:00", to: "13:00"),
            Self.exception("2024-06-10", cancelled: true),
            Self.exception("2024-06-11", cancelled: true),
        ]
        // When its VEVENTs are rendered
        let events = Self.weekly.calendarEvents(like: ICS.event(), exceptions: exceptions, timeZone: paris)
        let lines = ICS.eventLines(ICS.document(events))
        // Then the series, then the moved occurrence with the same UID
        #expect(
            lines == [
                "BEGIN:VEVENT", "UID:u1", "DTSTAMP:20240601T080000Z", "DTSTART;TZID=Europe/Paris:20240603T090000",
                "DTEND;TZID=Europe/Paris:20240603T120000", "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Permanence",
                "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;UNTIL=20241231T225959Z",
                "EXDATE;TZID=Europe/Paris:20240610T090000,20240613T090000", "END:VEVENT",
                "BEGIN:VEVENT", "UID:u1", "DTSTAMP:20240601T080000Z",
                "RECURRENCE-ID;TZID=Europe/Paris:20240613T090000", "DTSTART;TZID=Europe/Paris:20240614T100000",
                "DTEND;TZID=Europe/Paris:20240614T130000", "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Permanence",
                "END:VEVENT", "END:VCALENDAR",
            ])
    }

    struct RuleCase: Sendable, CustomTestStringConvertible {
        var label: String
        var firstDay: String
        var recurrence: Recurrence
        var rule: String
        var testDescription: String { label }
    }

    @Test(
        "RRULE per recurrence shape",
        arguments: [
            RuleCase(
                label: "weekly without weekdays: the first day's", firstDay: "2024-06-05",
                recurrence: .weekly(Recurrence.Weekly(interval: 2)), rule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE"),
            RuleCase(
                label: "monthly on the 3rd Wednesday", firstDay: "2024-07-17",
                recurrence: .monthly(Recurrence.Monthly(interval: 1, day: Recurrence.NthWeekday(.wednesday, 3))),
                rule: "FREQ=MONTHLY;INTERVAL=1;BYDAY=3WE"),
            RuleCase(
                label: "every 2 months on the 18th, until a summer day", firstDay: "2024-01-18",
                recurrence: .monthly(Recurrence.Monthly(interval: 2, until: ICS.day("2024-08-31"))),
                rule: "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=18;UNTIL=20240831T215959Z"),
        ])
    func rules(row: RuleCase) {
        // Given the recurrence
        // Then its RRULE is slots.md §2's
        #expect(row.recurrence.calendarRule(firstDay: ICS.day(row.firstDay), in: paris) == row.rule)
    }

    @Test("A single or multi-day series is one VEVENT without RRULE; exceptions are ignored")
    func singleSeries() {
        // Given a multi-day absence from Monday 1 July 14:00 to Friday 5 July 18:00
        let pattern = SeriesPattern(
            firstDay: ICS.day("2024-07-01"), startTime: ICS.time("14:00"), endDay: ICS.day("2024-07-05"),
            endTime: ICS.time("18:00"))
        // When
        let events = pattern.calendarEvents(
            like: ICS.event(), exceptions: [Self.exception("2024-07-01", cancelled: true)], timeZone: paris)
        // Then
        #expect(events.count == 1)
        #expect(events.first?.start == ICS.at("2024-07-01", "14:00"))
        #expect(events.first?.end == ICS.at("2024-07-05", "18:00"))
        #expect(events.first?.recurrenceRule == nil)
        #expect(events.first?.exceptionDates == [])
    }
}
