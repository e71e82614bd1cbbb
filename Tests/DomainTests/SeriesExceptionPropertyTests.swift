import Domain
import Foundation
import Testing

/// slots.md §2 with domain.md §7b exceptions: for random weekly and monthly series, random
/// cancelled and moved occurrences and a random window, `SeriesPattern.occurrences` equals an
/// expansion written here from the spec's text, with Foundation's calendar for weekdays and
/// months (seeded, 300 cases).
@Suite("Series with single-occurrence edits, against an expansion by hand")
struct SeriesExceptionPropertyTests {
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()

    static func parts(_ day: LocalDate) -> (year: Int, month: Int, day: Int, isoWeekday: Int) {
        let date = Date(timeIntervalSince1970: TimeInterval(day.daysSinceEpoch) * 86_400)
        let c = calendar.dateComponents([.year, .month, .day, .weekday], from: date)
        // Foundation: Sunday = 1 … Saturday = 7; ISO: Monday = 1 … Sunday = 7.
        return (c.year!, c.month!, c.day!, (c.weekday! + 5) % 7 + 1)
    }

    static let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday, .saturday, .sunday]

    /// The spec's "regular occurrence" test, written from slots.md §2.
    static func isRegular(_ d: LocalDate, first: LocalDate, recurrence: Recurrence) -> Bool {
        guard d >= first, recurrence.until.map({ d <= $0 }) ?? true else { return false }
        let (dp, fp) = (parts(d), parts(first))
        switch recurrence {
        case .weekly(let weekly):
            let on = weekly.weekdays.isEmpty ? [weekdays[fp.isoWeekday - 1]] : weekly.weekdays
            guard on.contains(weekdays[dp.isoWeekday - 1]) else { return false }
            let mondayOfD = d.daysSinceEpoch - (dp.isoWeekday - 1)
            let mondayOfFirst = first.daysSinceEpoch - (fp.isoWeekday - 1)
            return ((mondayOfD - mondayOfFirst) / 7) % weekly.interval == 0
        case .monthly(let monthly):
            let months = (dp.year - fp.year) * 12 + (dp.month - fp.month)
            guard months % monthly.interval == 0 else { return false }
            if let nth = monthly.day {
                return weekdays[dp.isoWeekday - 1] == nth.weekday && (dp.day - 1) / 7 + 1 == nth.ordinal
            }
            return dp.day == fp.day
        }
    }

    struct Expected: Hashable, Comparable {
        let original: LocalDate
        let day: LocalDate
        let start: TimeOfDay
        let end: TimeOfDay
        let moved: Bool
        static func < (a: Expected, b: Expected) -> Bool {
            (a.day, a.start.minutesSinceMidnight, a.original) < (b.day, b.start.minutesSinceMidnight, b.original)
        }
    }

    @Test(arguments: 0..<300)
    func theEngineAppliesExceptionsAsTheSpecSays(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed) &* 2_654_435_761 &+ 17)
        func pick(_ range: ClosedRange<Int>) -> Int { Int.random(in: range, using: &g) }
        let first = try #require(LocalDate("2026-01-05")?.adding(days: pick(0...400)))
        let start = TimeOfDay(minutesSinceMidnight: pick(7...12) * 60 + pick(0...3) * 15)!
        let end = TimeOfDay(minutesSinceMidnight: start.minutesSinceMidnight + pick(1...6) * 30)!
        let until: LocalDate? = pick(0...3) == 0 ? nil : first.adding(days: pick(20...200))
        let interval = pick(1...3)
        let recurrence: Recurrence
        switch pick(0...2) {
        case 0:
            let on = Self.weekdays.filter { _ in pick(0...2) == 0 }
            recurrence = .weekly(.init(interval: interval, weekdays: on, until: until))
        case 1: recurrence = .monthly(.init(interval: interval, day: .init(of: first), until: until))
        default: recurrence = .monthly(.init(interval: interval, day: nil, until: until))
        }
        let pattern = SeriesPattern(firstDay: first, startTime: start, endTime: end, recurrence: recurrence)
        // Regular dates over a generous span, and random exceptions on some of them.
        let span = (0...260).compactMap { first.adding(days: $0) }.filter { Self.isRegular($0, first: first, recurrence: recurrence) }
        var exceptions: [OccurrenceException] = []
        for date in span where pick(0...3) == 0 {
            if pick(0...1) == 0 {
                exceptions.append(.init(seriesType: .openingPeriod, seriesID: 1, date: date, cancelled: true))
            } else {
                let newStart = TimeOfDay(minutesSinceMidnight: pick(6...18) * 60)!
                let newEnd = TimeOfDay(minutesSinceMidnight: newStart.minutesSinceMidnight + pick(1...4) * 30)!
                exceptions.append(
                    .init(
                        seriesType: .openingPeriod, seriesID: 1, date: date, cancelled: false,
                        day: date.adding(days: pick(-3...3)), startTime: newStart, endTime: newEnd))
            }
        }
        let windowStart = try #require(first.adding(days: pick(-10...150)))
        let windowEnd = try #require(windowStart.adding(days: pick(0...90)))

        // slots.md §2: the regular occurrences of the window without an exception, and every
        // moved occurrence whose new day is in the window. A regular occurrence moved in from
        // outside the window counts (the spec's "when that day is in the window"; reading the
        // expansion as window-only would hide an occurrence moved from the 6th to the 3rd in a
        // search of the 1st–5th).
        var expected: [Expected] = []
        var day = windowStart
        while day <= windowEnd {
            if Self.isRegular(day, first: first, recurrence: recurrence), !exceptions.contains(where: { $0.date == day }) {
                expected.append(Expected(original: day, day: day, start: start, end: end, moved: false))
            }
            day = day.adding(days: 1)!
        }
        for e in exceptions where !e.cancelled && e.day >= windowStart && e.day <= windowEnd {
            if let s = e.startTime, let t = e.endTime, Self.isRegular(e.date, first: first, recurrence: recurrence) {
                expected.append(Expected(original: e.date, day: e.day, start: s, end: t, moved: true))
            }
        }
        let actual = pattern.occurrences(from: windowStart, through: windowEnd, exceptions: exceptions).map {
            Expected(original: $0.originalDate, day: $0.day, start: $0.startTime, end: $0.endTime, moved: $0.isMoved)
        }
        #expect(actual.sorted() == expected.sorted(), "seed \(seed): \(recurrence), first \(first), window \(windowStart)…\(windowEnd)")
    }
}
