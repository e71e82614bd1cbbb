import Domain
import Foundation
import Testing

@Suite("TimeOfDay")
struct TimeOfDayTests {
    @Test(arguments: [
        ("00:00", 0), ("09:00", 540), ("11:20", 680), ("23:59", 1439), ("24:00", 1440),
    ])
    func parsesHoursAndMinutes(text: String, minutes: Int) throws {
        // When
        let parsed = try #require(TimeOfDay(text))
        // Then
        #expect(parsed.minutesSinceMidnight == minutes)
        #expect(parsed.description == text)
    }

    @Test(arguments: ["24:01", "25:00", "12:60", "9:00", "09:0", "0900", "09h00", "09:00:00", "", "-1:00", "ab:cd"])
    func rejectsAnythingElse(text: String) {
        #expect(TimeOfDay(text) == nil)
    }

    @Test func comparesAndFormats() {
        #expect(time("09:00") < time("09:01"))
        #expect(time("23:59") < .endOfDay)
        #expect(time("10:30").frenchDescription == "10h30")
        #expect(TimeOfDay(minutesSinceMidnight: 615) == time("10:15"))
        #expect(TimeOfDay(minutesSinceMidnight: 1441) == nil)
    }
}
