import Domain
import Foundation
import Testing

@Suite("Recurrence expansion (slots.md §2)")
struct RecurrenceExpansionTests {
    private func days(_ occurrences: [Occurrence]) -> [String] {
        occurrences.map { $0.day.description }
    }

    @Test func weeklyOnSeveralDaysStartsOnTheFirstDay() {
        // Given S11: Mon/Tue/Thu/Fri 09–11 whose first day is Tue 2021-10-26
        let period = OpeningPeriod.make(
            firstDay: "2021-10-26", startTime: "09:00", endTime: "11:00",
            recurrence: .weekly([.monday, .tuesday, .thursday, .friday]))
        // When
        let occurrences = period.occurrences(from: ymd("2021-10-25"), through: ymd("2021-10-30"))
        // Then
        #expect(days(occurrences) == ["2021-10-26", "2021-10-28", "2021-10-29"])
        #expect(occurrences.first?.startTime == time("09:00"))
        #expect(occurrences.first?.endTime == time("11:00"))
    }

    @Test func everyTwoWeeksOnMondayAndThursday() {
        // Given a series from Monday 2024-06-03, every 2 weeks on Monday and Thursday
        let period = OpeningPeriod.make(firstDay: "2024-06-03", recurrence: .weekly([.monday, .thursday], interval: 2))
        // When
        let occurrences = period.occurrences(from: ymd("2024-06-01"), through: ymd("2024-07-05"))
        // Then weeks of 3 June, 17 June and 1 July only
        #expect(
            days(occurrences) == ["2024-06-03", "2024-06-06", "2024-06-17", "2024-06-20", "2024-07-01", "2024-07-04"])
    }

    @Test func weeksAreCountedFromTheMondayOfTheFirstDaysWeek() {
        // Given the same rule, first day Thursday 2024-06-06
        let period = OpeningPeriod.make(firstDay: "2024-06-06", recurrence: .weekly([.monday, .thursday], interval: 2))
        // When
        let occurrences = period.occurrences(from: ymd("2024-06-01"), through: ymd("2024-06-30"))
        // Then Monday 3 June is before the first day; the next Monday is in week +2
        #expect(days(occurrences) == ["2024-06-06", "2024-06-17", "2024-06-20"])
    }

    @Test func weeklyWithoutWeekdaysUsesTheFirstDaysWeekday() {
        let period = OpeningPeriod.make(firstDay: "2021-05-05", recurrence: .weekly([]))
        let occurrences = period.occurrences(from: ymd("2021-05-01"), through: ymd("2021-05-20"))
        #expect(days(occurrences) == ["2021-05-05", "2021-05-12", "2021-05-19"])
    }

    @Test func monthlyOnTheSecondTuesday() {
        // Given the 2nd Tuesday of each month from 2024-01-09
        let period = OpeningPeriod.make(
            firstDay: "2024-01-09", recurrence: .monthly(Recurrence.NthWeekday(.tuesday, 2)))
        // When
        let occurrences = period.occurrences(from: ymd("2024-01-01"), through: ymd("2024-06-30"))
        // Then
        #expect(
            days(occurrences) == ["2024-01-09", "2024-02-13", "2024-03-12", "2024-04-09", "2024-05-14", "2024-06-11"])
    }

    @Test func monthlyOnTheFifthWeekdaySkipsMonthsWithoutOne() {
        // Given the 5th Monday from 2024-07-29
        let period = OpeningPeriod.make(firstDay: "2024-07-29", recurrence: .monthly(Recurrence.NthWeekday(.monday, 5)))
        // When
        let occurrences = period.occurrences(from: ymd("2024-07-01"), through: ymd("2024-12-31"))
        // Then
        #expect(days(occurrences) == ["2024-07-29", "2024-09-30", "2024-12-30"])
    }

    @Test func monthlyOnDay31SkipsShortMonths() {
        // Given the same day of month as 2024-01-31, no `day` rule
        let period = OpeningPeriod.make(firstDay: "2024-01-31", recurrence: .monthly())
        // When
        let occurrences = period.occurrences(from: ymd("2024-01-01"), through: ymd("2024-12-31"))
        // Then
        #expect(
            days(occurrences) == [
                "2024-01-31", "2024-03-31", "2024-05-31", "2024-07-31", "2024-08-31", "2024-10-31", "2024-12-31",
            ])
    }

    @Test func monthlyEveryTwoMonths() {
        let period = OpeningPeriod.make(firstDay: "2024-01-18", recurrence: .monthly(interval: 2))
        let occurrences = period.occurrences(from: ymd("2024-01-01"), through: ymd("2024-06-30"))
        #expect(days(occurrences) == ["2024-01-18", "2024-03-18", "2024-05-18"])
    }

    @Test func untilIsInclusive() {
        // Given S19: a weekly Monday series whose `until` is Monday 2019-07-22
        let period = OpeningPeriod.make(firstDay: "2019-07-01", recurrence: .weekly([.monday], until: "2019-07-22"))
        // When / Then
        #expect(days(period.occurrences(from: ymd("2019-07-22"), through: ymd("2019-07-23"))) == ["2019-07-22"])
        #expect(period.occurrences(from: ymd("2019-07-23"), through: ymd("2019-08-15")).isEmpty)
    }

    @Test func singlePeriodHasOneOccurrenceOnItsFirstDay() {
        let period = OpeningPeriod.make(firstDay: "2021-05-03")
        #expect(days(period.occurrences(from: ymd("2021-05-03"), through: ymd("2021-05-08"))) == ["2021-05-03"])
        #expect(period.occurrences(from: ymd("2021-05-04"), through: ymd("2021-05-08")).isEmpty)
        #expect(period.occurrences(from: ymd("2021-05-08"), through: ymd("2021-05-03")).isEmpty)
    }

    @Test func cancelledAndMovedOccurrences() {
        // Given slots.md §13: Monday 09:00–12:00 from 2026-06-01, 06-15 cancelled, 06-22 moved to
        // Tue 06-23 14:00–16:00
        let period = OpeningPeriod.make(
            firstDay: "2026-06-01", startTime: "09:00", endTime: "12:00", recurrence: .weekly([.monday]))
        let exceptions: [OccurrenceException] = [
            .cancelled("2026-06-15"), .moved("2026-06-22", to: "2026-06-23", start: "14:00", end: "16:00"),
        ]
        // When
        let occurrences = period.occurrences(
            from: ymd("2026-06-01"), through: ymd("2026-06-30"), exceptions: exceptions)
        // Then
        #expect(
            occurrences.map(\.description) == [
                "2026-06-01 09:00–12:00", "2026-06-08 09:00–12:00", "2026-06-23 14:00–16:00", "2026-06-29 09:00–12:00",
            ])
        #expect(occurrences[2].originalDate == ymd("2026-06-22"))
        #expect(occurrences[2].isMoved)
    }

    @Test func aMovedOccurrenceFollowsItsNewDayAcrossTheWindow() {
        // Given 06-22 moved to 06-23
        let period = OpeningPeriod.make(firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let exceptions: [OccurrenceException] = [.moved("2026-06-22", to: "2026-06-23", start: "14:00", end: "16:00")]
        // When the window holds only the new day; then only the original one
        let newDay = period.occurrences(from: ymd("2026-06-23"), through: ymd("2026-06-23"), exceptions: exceptions)
        let oldDay = period.occurrences(from: ymd("2026-06-22"), through: ymd("2026-06-22"), exceptions: exceptions)
        // Then
        #expect(newDay.map(\.description) == ["2026-06-23 14:00–16:00"])
        #expect(oldDay.isEmpty)
    }

    @Test func anExceptionOnANonOccurrenceIsIgnored() {
        // Given S73's invalid exception on Wednesday 2026-06-17 of a Monday series
        let period = OpeningPeriod.make(firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let exceptions: [OccurrenceException] = [.moved("2026-06-17", start: "14:00", end: "16:00")]
        // When
        let occurrences = period.occurrences(
            from: ymd("2026-06-15"), through: ymd("2026-06-21"), exceptions: exceptions)
        // Then
        #expect(occurrences.map(\.description) == ["2026-06-15 09:00–11:20"])
    }

    @Test func aMultiDayAbsenceIsOneInterval() {
        // Given an absence from Mon 2021-05-03 14:00 to Wed 2021-05-05 10:00
        let absence = Absence.make(firstDay: "2021-05-03", startTime: "14:00", endDay: "2021-05-05", endTime: "10:00")
        // When the window only touches its middle day
        let occurrences = absence.occurrences(from: ymd("2021-05-04"), through: ymd("2021-05-04"))
        // Then
        #expect(occurrences.map(\.description) == ["2021-05-03 14:00–2021-05-05 10:00"])
        #expect(
            occurrences.first?.interval(in: paris)
                == DateInterval(start: instant("2021-05-03T14:00:00+02:00"), end: instant("2021-05-05T10:00:00+02:00")))
    }

    @Test(arguments: [
        ("2021-05-02", false), ("2021-05-03", false), ("2021-05-04", true),
    ])
    func aSinglePeriodExpiresTheDayAfter(today: String, expired: Bool) {
        // Given S98: a non-recurring period on 2021-05-03
        #expect(OpeningPeriod.make(firstDay: "2021-05-03").isExpired(today: ymd(today)) == expired)
    }

    @Test func aSeriesExpiresAfterUntilUnlessAMovedOccurrenceIsLater() {
        // Given a series until 2021-05-31 whose last occurrence moved to 2021-06-02
        let period = OpeningPeriod.make(firstDay: "2021-05-03", recurrence: .weekly([.monday], until: "2021-05-31"))
        let moved: [OccurrenceException] = [.moved("2021-05-31", to: "2021-06-02", start: "09:00", end: "10:00")]
        // Then
        #expect(period.isExpired(today: ymd("2021-06-01")))
        #expect(!period.isExpired(today: ymd("2021-06-01"), exceptions: moved))
        #expect(period.isExpired(today: ymd("2021-06-03"), exceptions: moved))
        #expect(!OpeningPeriod.make(recurrence: .weekly([.monday])).isExpired(today: ymd("2099-01-01")))
    }

    @Test func aMultiDayAbsenceExpiresAfterItsEndDay() {
        let absence = Absence.make(firstDay: "2021-05-03", endDay: "2021-05-05")
        #expect(!absence.isExpired(today: ymd("2021-05-05")))
        #expect(absence.isExpired(today: ymd("2021-05-06")))
    }
}
