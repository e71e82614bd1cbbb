import Domain
import Foundation
import Testing

@Suite("Agenda layout")
struct AgendaLayoutTests {
    @Test(arguments: [
        (9 * 60, 9 * 60 + 30, 8, 2),  // 09:00–09:30
        (7 * 60, 20 * 60, 0, 52),  // the whole grid
        (9 * 60 + 5, 9 * 60 + 10, 8, 1),  // inside one row
        (6 * 60, 6 * 60 + 30, 0, 1),  // before the grid: one row at its top
        (21 * 60, 22 * 60, 51, 1),  // after the grid: one row at its bottom
        (19 * 60 + 30, 23 * 60, 50, 2),  // cut at 20:00
    ])
    func rowsOfAnInterval(start: Int, end: Int, first: Int, count: Int) {
        let rows = AgendaLayout.rows(startMinute: start, endMinute: end)
        #expect(rows.first == first)
        #expect(rows.count == count)
    }

    @Test func overlappingIntervalsShareLanes() {
        // Given 09:00–10:00, 09:30–10:30, 10:00–11:00 (one group), then 12:00–12:30 alone
        let lanes = AgendaLayout.lanes([(540, 600), (570, 630), (600, 660), (720, 750)])
        #expect(lanes.map(\.lane) == [0, 1, 0, 0])
        #expect(lanes.map(\.count) == [2, 2, 2, 1])
    }

    @Test func moreThanFourOverlapsShareTheLastLane() {
        let lanes = AgendaLayout.lanes(Array(repeating: (start: 540, end: 600), count: 6))
        #expect(lanes.map(\.lane) == [0, 1, 2, 3, 3, 3])
        #expect(Set(lanes.map(\.count)) == [4])
    }

    @Test func businessHoursAreMondayToSaturdaySevenToSeven() {
        #expect(AgendaLayout.isBusinessHours(.saturday, minute: 7 * 60))
        #expect(!AgendaLayout.isBusinessHours(.monday, minute: 19 * 60))
        #expect(!AgendaLayout.isBusinessHours(.sunday, minute: 10 * 60))
    }

    @Test func weekendDaysFollowTheSettingsAndTheEvents() {
        let weekdays: [Weekday] = [.monday, .tuesday, .wednesday, .thursday, .friday]
        #expect(AgendaLayout.shownWeekdays(displaySaturdays: false, openOnSundays: false, busyWeekdays: []) == weekdays)
        #expect(
            AgendaLayout.shownWeekdays(displaySaturdays: true, openOnSundays: false, busyWeekdays: [.sunday])
                == weekdays + [.saturday, .sunday])
        #expect(
            AgendaLayout.shownWeekdays(displaySaturdays: false, openOnSundays: true, busyWeekdays: [])
                == weekdays + [.sunday])
    }

    @Test func localDayAndMinuteFollowTheZone() throws {
        let paris = try #require(TimeZone(identifier: "Europe/Paris"))
        // 2026-03-29T01:30:00Z is 03:30 in Paris (summer time started at 02:00)
        let local = AgendaLayout.local(Date(timeIntervalSince1970: 1_774_747_800), in: paris)
        #expect(local.day == LocalDate("2026-03-29"))
        #expect(local.minute == 3 * 60 + 30)
        #expect(AgendaLayout.shortDayLabel(try #require(LocalDate("2026-12-03"))) == "jeu. 03/12")
    }
}
