import Domain
import Foundation
import Testing

@Suite("Slot engine: holidays, DST, exceptions and absences (slots.md §2, §3, §4 step 3, §13)")
struct SlotEngineCalendarTests {
    struct HolidayCase: Sendable, CustomTestStringConvertible {
        var day: String
        var departement: String
        var whitMondayIsHoliday = false
        var openOnSundaysAndHolidays = false
        /// The slots of a 09:00–10:00 period that day with a 60-min motif.
        var expected: [String]
        var testDescription: String { "\(day) in \(departement)" }
    }

    @Test(arguments: [
        // §13: Ascension 2026 (Easter 5 April + 39) in any territory
        HolidayCase(day: "2026-05-14", departement: "62", expected: []),
        HolidayCase(day: "2026-05-14", departement: "974", expected: []),
        // §13, S68: Whit Monday 2026 offers slots by default, none when the territory turns it on
        HolidayCase(day: "2026-05-25", departement: "62", expected: ["2026-05-25T09:00:00+02:00"]),
        HolidayCase(day: "2026-05-25", departement: "62", whitMondayIsHoliday: true, expected: []),
        // S16: Fête du Travail 2024
        HolidayCase(day: "2024-05-01", departement: "62", expected: []),
        // S66: Good Friday 2026 in 67, not in 62; Saint-Étienne 2024 in 57
        HolidayCase(day: "2026-04-03", departement: "67", expected: []),
        HolidayCase(day: "2026-04-03", departement: "62", expected: ["2026-04-03T09:00:00+02:00"]),
        HolidayCase(day: "2024-12-26", departement: "57", expected: []),
        // S67: 22 May is Martinique's abolition day, not Guadeloupe's (27 May)
        HolidayCase(day: "2026-05-22", departement: "972", expected: []),
        HolidayCase(day: "2026-05-22", departement: "971", expected: ["2026-05-22T09:00:00+02:00"]),
        // S69: open on holidays; no Sunday rule whatever the setting
        HolidayCase(
            day: "2026-07-14", departement: "62", openOnSundaysAndHolidays: true,
            expected: ["2026-07-14T09:00:00+02:00"]),
        HolidayCase(day: "2026-07-14", departement: "62", expected: []),
        HolidayCase(day: "2026-07-12", departement: "62", expected: ["2026-07-12T09:00:00+02:00"]),
        HolidayCase(
            day: "2026-07-12", departement: "62", openOnSundaysAndHolidays: true,
            expected: ["2026-07-12T09:00:00+02:00"]),
    ])
    func holidaysBlockTheirWholeDay(_ row: HolidayCase) {
        // Given a period 09:00–10:00 on `day` in the territory (times in Paris for every row, so
        // that only the holiday rule varies)
        let territory = SlotTerritory.make(
            departement: row.departement, whitMondayIsHoliday: row.whitMondayIsHoliday,
            openOnSundaysAndHolidays: row.openOnSundaysAndHolidays)
        // When searching that day
        let slots = searchSlots(
            duration: 60, periods: [.make(day: row.day, end: "10:00")], from: row.day, through: row.day,
            now: "2024-01-01T08:00:00+01:00", territory: territory)
        // Then
        #expect(parisStarts(slots) == row.expected)
    }

    @Test func s65AscensionIsComputedForAnyYear() {
        // Given S65: a weekly Thursday period in 2027 (Easter 28 March, Ascension 6 May)
        let period = SlotPeriod.make(day: "2027-01-07", end: "10:00", recurrence: .weekly([.thursday]))
        // When searching May 2027
        let slots = searchSlots(
            duration: 60, periods: [period], from: "2027-05-01", through: "2027-05-31", now: "2027-04-01T08:00:00+02:00"
        )
        // Then no slot on 05-06, normal slots on the other Thursdays
        #expect(
            parisStarts(slots) == [
                "2027-05-13T09:00:00+02:00", "2027-05-20T09:00:00+02:00", "2027-05-27T09:00:00+02:00",
            ])
    }

    @Test(arguments: [
        // Last Sunday of March 2026: 02:00 CET → 03:00 CEST; Saturday is UTC+1, Sunday and Monday UTC+2
        (
            "2026-03-28", "2026-03-30",
            [
                "2026-03-28T08:00:00Z", "2026-03-28T09:00:00Z", "2026-03-29T07:00:00Z", "2026-03-29T08:00:00Z",
                "2026-03-30T07:00:00Z", "2026-03-30T08:00:00Z",
            ]
        ),
        // Last Sunday of October 2026: 03:00 CEST → 02:00 CET; Saturday is UTC+2, Sunday and Monday UTC+1
        (
            "2026-10-24", "2026-10-26",
            [
                "2026-10-24T07:00:00Z", "2026-10-24T08:00:00Z", "2026-10-25T08:00:00Z", "2026-10-25T09:00:00Z",
                "2026-10-26T08:00:00Z", "2026-10-26T09:00:00Z",
            ]
        ),
    ])
    func dstWeeksKeepLocalWallClockTimes(first: String, last: String, expected: [String]) {
        // Given a weekly Saturday/Sunday/Monday period 09:00–11:00 (local) and a 60-min motif
        let period = SlotPeriod.make(day: first, recurrence: .weekly([.saturday, .sunday, .monday]))
        // When searching those three days
        let slots = searchSlots(
            duration: 60, periods: [period], from: first, through: last, now: "2026-01-05T08:00:00+01:00")
        // Then each day gives 09:00 and 10:00 local time, at the right instants
        #expect(slots.map(\.startsAt) == expected.map(instant))
        #expect(slots.map { $0.endsAt.timeIntervalSince($0.startsAt) } == Array(repeating: 3600, count: 6))
    }

    @Test func dstNightRoundingCountsRealMinutes() {
        // Given a period 01:00–04:00 on Sun 2026-10-25 (the 02:00–03:00 hour happens twice, so
        // the occurrence lasts 4 hours), a 60-min motif, now 01:07 CEST (UTC+2)
        let slots = searchSlots(
            duration: 60, periods: [.make(day: "2026-10-25", start: "01:00", end: "04:00")], from: "2026-10-25",
            through: "2026-10-25", now: "2026-10-24T23:07:00Z")
        // Then slots start at 01:10 CEST and every real hour while they fit before 04:00 CET
        #expect(
            slots.map(\.startsAt) == [
                instant("2026-10-24T23:10:00Z"), instant("2026-10-25T00:10:00Z"), instant("2026-10-25T01:10:00Z"),
            ])
    }

    @Test func workedExampleCancelledAndMovedOccurrences() {
        // Given §13, S70, S71: weekly Monday 09:00–12:00 from 2026-06-01, the 06-15 occurrence
        // cancelled, the 06-22 one moved to Tue 06-23 14:00–16:00; a 120-min motif, place 3
        let period = SlotPeriod.make(
            placeID: 3, day: "2026-06-01", start: "09:00", end: "12:00", recurrence: .weekly([.monday]),
            exceptions: [
                .cancelled("2026-06-15"), .moved("2026-06-22", to: "2026-06-23", start: "14:00", end: "16:00"),
            ])
        // When searching June 2026
        let slots = searchSlots(
            duration: 120, periods: [period], from: "2026-06-01", through: "2026-06-30",
            now: "2026-05-31T08:00:00+02:00")
        // Then occurrences on 1, 8, 29 June 09:00–12:00 and 23 June 14:00–16:00, at the same place
        #expect(
            parisStarts(slots) == [
                "2026-06-01T09:00:00+02:00", "2026-06-08T09:00:00+02:00", "2026-06-23T14:00:00+02:00",
                "2026-06-29T09:00:00+02:00",
            ])
        #expect(slots.allSatisfy { $0.placeID == 3 })
    }

    @Test func aMovedOccurrenceCountsWhereItLands() {
        // Given the 06-22 occurrence moved to Tue 06-23; searching 06-23 only
        let period = SlotPeriod.make(
            day: "2026-06-01", start: "09:00", end: "12:00", recurrence: .weekly([.monday]),
            exceptions: [.moved("2026-06-22", to: "2026-06-23", start: "14:00", end: "16:00")])
        // When
        let slots = searchSlots(
            duration: 120, periods: [period], from: "2026-06-23", through: "2026-06-23",
            now: "2026-05-31T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-23T14:00:00+02:00"])
    }

    @Test func s72CancellingAnAbsenceOccurrenceFreesThatAfternoonOnly() {
        // Given S72: weekly Tuesday period 09:00–18:00, weekly Tuesday absence 14:00–17:00 whose
        // 2026-06-16 occurrence is cancelled; a 180-min motif
        let period = SlotPeriod.make(day: "2026-06-02", start: "09:00", end: "18:00", recurrence: .weekly([.tuesday]))
        let absence = SlotAbsence.make(
            day: "2026-06-02", start: "14:00", end: "17:00", recurrence: .weekly([.tuesday]),
            exceptions: [
                OccurrenceException(seriesType: .absence, seriesID: 1, date: ymd("2026-06-16"), cancelled: true)
            ])
        // When searching 06-09..06-16
        let slots = searchSlots(
            duration: 180, periods: [period], absences: [absence], from: "2026-06-09", through: "2026-06-16",
            now: "2026-06-01T08:00:00+02:00")
        // Then 06-09 keeps 09:00 only (09:00–14:00, 17:00–18:00); 06-16 is whole again
        #expect(
            parisStarts(slots) == [
                "2026-06-09T09:00:00+02:00", "2026-06-16T09:00:00+02:00", "2026-06-16T12:00:00+02:00",
                "2026-06-16T15:00:00+02:00",
            ])
    }

    @Test func aMovedAbsenceOccurrenceBlocksItsNewTime() {
        // Given a weekly Tuesday absence 09:00–10:00 whose 06-09 occurrence moves to 10:00–11:00
        let absence = SlotAbsence.make(
            day: "2026-06-02", start: "09:00", end: "10:00", recurrence: .weekly([.tuesday]),
            exceptions: [
                OccurrenceException(
                    seriesType: .absence, seriesID: 1, date: ymd("2026-06-09"), cancelled: false,
                    startTime: time("10:00"), endTime: time("11:00"))
            ])
        // When searching 06-09 with a period 09:00–11:00
        let slots = searchSlots(
            duration: 60, periods: [.make(day: "2026-06-09")], absences: [absence], from: "2026-06-09",
            through: "2026-06-09", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-09T09:00:00+02:00"])
    }

    @Test(arguments: [
        // the whole absence is in the range
        ("2026-06-01", ["2026-06-01T09:00:00+02:00", "2026-06-01T10:00:00+02:00", "2026-06-03T10:00:00+02:00"]),
        // the absence began before the range: still one interval (slots.md §2)
        ("2026-06-02", ["2026-06-03T10:00:00+02:00"]),
    ])
    func aMultiDayAbsenceIsOneInterval(first: String, expected: [String]) {
        // Given a Mon–Wed period 09:00–11:00 and an absence from Mon 06-01 14:00 to Wed 06-03 10:00
        let period = SlotPeriod.make(day: "2026-06-01", recurrence: .weekly([.monday, .tuesday, .wednesday]))
        let absence = SlotAbsence.make(day: "2026-06-01", start: "14:00", endDay: "2026-06-03", end: "10:00")
        // When searching from `first` to Wed 06-03
        let slots = searchSlots(
            duration: 60, periods: [period], absences: [absence], from: first, through: "2026-06-03",
            now: "2026-05-31T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == expected)
    }
}
