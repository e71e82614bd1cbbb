import Foundation
import Testing

@testable import Persistence

@Suite("ISO-8601 instants")
struct ISO8601Tests {
    @Test(arguments: [
        ("2021-05-03T09:00:00+02:00", 1_620_025_200.0),
        ("2021-05-03T07:00:00Z", 1_620_025_200.0),
        ("2021-05-03T07:00:00.250Z", 1_620_025_200.0),
        ("2024-02-29T23:30:00-03:30", 1_709_262_000.0),
        ("1970-01-01T00:00:00Z", 0.0),
    ])
    func parsesInstantsWithOffsets(text: String, epoch: Double) {
        #expect(ISO8601.parse(text)?.timeIntervalSince1970 == epoch)
    }

    @Test(arguments: [
        "2021-05-03 09:00:00+02:00", "2021-05-03T09:00:00", "2021-02-30T09:00:00Z", "2021-05-03T24:00:00Z",
        "2021-05-03T09:00:00+2:00", "", "2021-13-01T00:00:00Z",
    ])
    func refusesMalformedInstants(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func formatsWithTheZonesOffsetInSummerAndWinter() {
        let paris = TimeZone(identifier: "Europe/Paris")!
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1_620_025_200), in: paris) == "2021-05-03T09:00:00+02:00")
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1_609_495_200), in: paris) == "2021-01-01T11:00:00+01:00")
        let reunion = TimeZone(identifier: "Indian/Reunion")!
        #expect(ISO8601.format(Date(timeIntervalSince1970: 1_620_025_200), in: reunion) == "2021-05-03T11:00:00+04:00")
    }
}
