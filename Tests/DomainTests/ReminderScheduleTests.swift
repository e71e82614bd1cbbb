import Domain
import Foundation
import Testing

@Suite("Reminder schedule (notifications.md §4)")
struct ReminderScheduleTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var label: String
        var startsAt: String
        var zone: String
        var departement: String?
        var whitMonday = false
        var expected: String
        var testDescription: String { label }
    }

    /// Each row of the notifications.md §4 table, on concrete dates; expected instants are literals.
    static let table: [Case] = [
        Case(
            label: "Thursday 10:00 -> Tuesday 10:00", startsAt: "2021-06-10T10:00:00+02:00", zone: "Europe/Paris",
            departement: "62", expected: "2021-06-08T10:00:00+02:00"),
        Case(
            label: "Monday 10:00 -> Friday 10:00 (Sunday skipped)", startsAt: "2021-06-14T10:00:00+02:00",
            zone: "Europe/Paris", departement: "62", expected: "2021-06-11T10:00:00+02:00"),
        Case(
            label: "Tuesday 10:00 -> Saturday 10:00", startsAt: "2021-06-15T10:00:00+02:00", zone: "Europe/Paris",
            departement: "62", expected: "2021-06-12T10:00:00+02:00"),
        Case(
            label: "Wed 2 Jan 2019 -> Sat 29 Dec 2018 (1 Jan holiday)", startsAt: "2019-01-02T10:00:00+01:00",
            zone: "Europe/Paris", departement: "62", expected: "2018-12-29T10:00:00+01:00"),
        Case(
            label: "Mon 28 Dec 2026, 67 -> Wed 23 Dec (Saint-Étienne, Noël)", startsAt: "2026-12-28T10:00:00+01:00",
            zone: "Europe/Paris", departement: "67", expected: "2026-12-23T10:00:00+01:00"),
        Case(
            label: "Mon 28 Dec 2026, 62 -> Thu 24 Dec (Noël)", startsAt: "2026-12-28T10:00:00+01:00",
            zone: "Europe/Paris", departement: "62", expected: "2026-12-24T10:00:00+01:00"),
        Case(
            label: "Wed 27 May 2026, Whit Monday off -> Mon 25 May", startsAt: "2026-05-27T10:00:00+02:00",
            zone: "Europe/Paris", departement: "62", expected: "2026-05-25T10:00:00+02:00"),
        Case(
            label: "Wed 22 Dec 2027 09:00, 974 -> Sat 18 Dec 09:00 Réunion time",
            startsAt: "2027-12-22T09:00:00+04:00", zone: "Indian/Reunion", departement: "974",
            expected: "2027-12-18T09:00:00+04:00"),
    ]

    /// Beyond the table: the flag, another overseas holiday, a clock change, no département.
    static let more: [Case] = [
        Case(
            label: "Wed 27 May 2026, Whit Monday on -> Sat 23 May", startsAt: "2026-05-27T10:00:00+02:00",
            zone: "Europe/Paris", departement: "62", whitMonday: true, expected: "2026-05-23T10:00:00+02:00"),
        Case(
            label: "Fri 29 May 2026 09:00, 971 -> Tue 26 May (27 May abolition day)",
            startsAt: "2026-05-29T09:00:00-04:00", zone: "America/Guadeloupe", departement: "971",
            expected: "2026-05-26T09:00:00-04:00"),
        Case(
            label: "Tue 30 Mar 2021 after the spring clock change keeps 10:00 wall time",
            startsAt: "2021-03-30T10:00:00+02:00", zone: "Europe/Paris", departement: nil,
            expected: "2021-03-27T10:00:00+01:00"),
        Case(
            label: "Seconds and minutes are kept", startsAt: "2021-06-10T14:35:20+02:00", zone: "Europe/Paris",
            departement: nil, expected: "2021-06-08T14:35:20+02:00"),
    ]

    @Test(arguments: table + more)
    func reminderGoesOnTheSecondWorkingDayBefore(row: Case) throws {
        // Given
        let zone = try #require(TimeZone(identifier: row.zone))
        // When
        let moment = ReminderSchedule.moment(
            for: instant(row.startsAt), timeZone: zone, departementNumber: row.departement,
            whitMondayIsHoliday: row.whitMonday)
        // Then
        #expect(moment == instant(row.expected))
    }

    @Test(arguments: [
        // The table's rows again as raw instants: Thursday in June 2021, 2 Jan 2019, 22 Dec 2027 in 974.
        (1_623_312_000, "Europe/Paris", "62", 1_623_139_200),
        (1_546_419_600, "Europe/Paris", "62", 1_546_074_000),
        (1_829_451_600, "Indian/Reunion", "974", 1_829_106_000),
    ])
    func reminderInstantsAsEpochSeconds(startsAt: Int, zone: String, departement: String, expected: Int) throws {
        // Given
        let timeZone = try #require(TimeZone(identifier: zone))
        // When
        let moment = ReminderSchedule.moment(
            for: Date(timeIntervalSince1970: TimeInterval(startsAt)), timeZone: timeZone,
            departementNumber: departement, whitMondayIsHoliday: false)
        // Then
        #expect(moment == Date(timeIntervalSince1970: TimeInterval(expected)))
    }

    @Test(arguments: [
        (Int64(42), "2021-05-03T09:00:00+02:00", "reminder:42:2021-05-03T07:00:00Z"),
        (7, "2027-12-22T09:00:00+04:00", "reminder:7:2027-12-22T05:00:00Z"),
        (1, "2019-01-01T00:30:05+01:00", "reminder:1:2018-12-31T23:30:05Z"),
        (9_000_000_001, "1969-12-31T23:59:59Z", "reminder:9000000001:1969-12-31T23:59:59Z"),
    ])
    func idempotencyKeyNamesTheAppointmentAndItsUTCStart(id: Int64, startsAt: String, expected: String) {
        // When
        let key = ReminderSchedule.idempotencyKey(appointmentID: id, startsAt: instant(startsAt))
        // Then
        #expect(key == expected)
    }

    @Test func idempotencyKeyDropsFractionsOfASecond() {
        // Given an instant read with milliseconds
        let startsAt = Date(timeIntervalSince1970: 1_620_025_200.75)
        // When
        let key = ReminderSchedule.idempotencyKey(appointmentID: 42, startsAt: startsAt)
        // Then
        #expect(key == "reminder:42:2021-05-03T07:00:00Z")
    }
}
