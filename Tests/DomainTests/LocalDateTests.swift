import Domain
import Foundation
import Testing

@Suite("LocalDate")
struct LocalDateTests {
    @Test(arguments: [
        ("2021-05-03", 2021, 5, 3),
        ("2024-02-29", 2024, 2, 29),
        ("2000-02-29", 2000, 2, 29),
        ("0001-01-01", 1, 1, 1),
        ("9999-12-31", 9999, 12, 31),
    ])
    func parsesRealDates(text: String, year: Int, month: Int, day: Int) throws {
        // When
        let parsed = try #require(LocalDate(text))
        // Then
        #expect(parsed.year == year)
        #expect(parsed.month == month)
        #expect(parsed.day == day)
        #expect(parsed.description == text)
    }

    @Test(arguments: [
        "2023-02-29", "1900-02-29", "2021-04-31", "2021-13-01", "2021-00-10", "2021-01-00", "0000-01-01",
        "2021-5-3", "21-05-03", "2021/05/03", "2021-05-03T10:00", " 2021-05-03", "", "abcd-ef-gh", "2021-05-+3",
    ])
    func rejectsAnythingElse(text: String) {
        // When / Then
        #expect(LocalDate(text) == nil)
    }

    @Test(arguments: [
        ("1970-01-01", Weekday.thursday),
        ("2021-05-03", .monday),
        ("2021-10-26", .tuesday),
        ("2024-02-29", .thursday),
        ("2026-06-07", .sunday),
        ("1969-12-31", .wednesday),
    ])
    func knowsItsWeekday(text: String, weekday: Weekday) {
        #expect(ymd(text).weekday == weekday)
    }

    @Test(arguments: [
        ("2021-05-03", 1, "2021-05-04"),
        ("2021-12-31", 1, "2022-01-01"),
        ("2024-02-28", 1, "2024-02-29"),
        ("2023-02-28", 1, "2023-03-01"),
        ("2021-03-01", -1, "2021-02-28"),
        ("2021-05-03", 365, "2022-05-03"),
    ])
    func addsDays(start: String, days: Int, expected: String) {
        // When
        let result = ymd(start).adding(days: days)
        // Then
        #expect(result == ymd(expected))
        #expect(ymd(start).days(until: ymd(expected)) == days)
    }

    @Test(arguments: [
        ("2024-01-31", 1, "2024-02-29"),
        ("2023-01-31", 1, "2023-02-28"),
        ("2026-06-15", 6, "2026-12-15"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-03-15", -3, "2025-12-15"),
    ])
    func addsMonthsClampingTheDay(start: String, months: Int, expected: String) {
        #expect(ymd(start).adding(months: months) == ymd(expected))
    }

    @Test func comparesChronologically() {
        #expect(ymd("2021-05-03") < ymd("2021-05-04"))
        #expect(ymd("2020-12-31") < ymd("2021-01-01"))
        #expect(ymd("2021-02-01") > ymd("2021-01-31"))
        #expect(!(ymd("2021-05-03") < ymd("2021-05-03")))
    }

    @Test func mondayOfWeekStartsTheIsoWeek() {
        #expect(ymd("2021-10-31").mondayOfWeek == ymd("2021-10-25"))  // a Sunday
        #expect(ymd("2021-10-25").mondayOfWeek == ymd("2021-10-25"))
    }

    @Test func codesAsAPlainString() throws {
        // Given
        let value = ["first_day": ymd("2021-05-03")]
        // When
        let json = String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
        let back = try JSONDecoder().decode([String: LocalDate].self, from: Data(json.utf8))
        // Then
        #expect(json == #"{"first_day":"2021-05-03"}"#)
        #expect(back == value)
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode([String: LocalDate].self, from: Data(#"{"d":"2021-02-30"}"#.utf8))
        }
    }

    @Test func convertsToAndFromInstantsInTheTerritoryTimeZone() throws {
        // Given 23:30 UTC on 2 May is already 3 May in Paris (UTC+2)
        let late = instant("2021-05-02T23:30:00Z")
        // Then
        #expect(LocalDate(late, in: paris) == ymd("2021-05-03"))
        #expect(ymd("2021-05-03").instant(at: time("09:00"), in: paris) == instant("2021-05-03T09:00:00+02:00"))
        // On the DST change day (31 March 2024, 02:00 → 03:00) wall-clock 09:00 stays 09:00.
        #expect(ymd("2024-03-31").instant(at: time("09:00"), in: paris) == instant("2024-03-31T09:00:00+02:00"))
        #expect(ymd("2021-05-03").instant(at: .endOfDay, in: paris) == instant("2021-05-04T00:00:00+02:00"))
    }
}
