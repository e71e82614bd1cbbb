import Domain
import Foundation
import Testing

@Suite("Recurrence JSON and rules (slots.md §2, contracts.md §3)")
struct RecurrenceTests {
    private func decode(_ json: String) throws -> Recurrence {
        try JSONDecoder().decode(Recurrence.self, from: Data(json.utf8))
    }

    @Test func decodesTheWeeklyContractShape() throws {
        // Given the example of contracts.md §3
        let json = #"{"every": "week", "interval": 1, "on": ["monday"], "until": "2021-12-31"}"#
        // When
        let recurrence = try decode(json)
        // Then
        #expect(recurrence == .weekly([.monday], until: "2021-12-31"))
    }

    @Test func decodesTheMonthlyContractShapes() throws {
        #expect(
            try decode(#"{"every":"month","interval":1,"day":{"wednesday":3},"until":null}"#)
                == .monthly(Recurrence.NthWeekday(.wednesday, 3)))
        #expect(try decode(#"{"every":"month","interval":2}"#) == .monthly(interval: 2))
    }

    @Test func keepsOnlyTheDateOfStarts() throws {
        // slots.md §2: "a datetime is accepted; only its date counts"
        let recurrence = try decode(#"{"every":"week","starts":"2024-06-03T00:00:00+02:00"}"#)
        #expect(recurrence.starts == ymd("2024-06-03"))
        #expect(recurrence.interval == 1)
    }

    @Test(arguments: [
        #"{"every":"day","interval":1}"#,
        #"{"interval":1}"#,
        #"{"every":"week","on":["lundi"]}"#,
        #"{"every":"month","day":{"tuesday":2,"friday":1}}"#,
        #"{"every":"week","until":"2021-02-30"}"#,
    ])
    func refusesMalformedJSON(json: String) {
        #expect(throws: DecodingError.self) { try decode(json) }
    }

    @Test func encodesBackToTheContractShape() throws {
        // Given
        let recurrence = Recurrence.monthly(Recurrence.NthWeekday(.tuesday, 2), until: "2024-12-31")
        // When
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        let json = String(decoding: try encoder.encode(recurrence), as: UTF8.self)
        // Then
        #expect(json == #"{"day":{"tuesday":2},"every":"month","interval":1,"until":"2024-12-31"}"#)
        #expect(try decode(json) == recurrence)
    }

    @Test(arguments: [
        (Recurrence.weekly([.monday], interval: 0), "l'intervalle doit être un entier supérieur ou égal à 1"),
        (
            .weekly([.monday], until: "2021-05-03"),
            "la date de fin de la récurrence doit être postérieure au premier jour"
        ),
        (
            .weekly([.monday], until: "2021-05-01"),
            "la date de fin de la récurrence doit être postérieure au premier jour"
        ),
        (
            .weekly(Recurrence.Weekly(starts: ymd("2021-05-10"))),
            "la date de début de la récurrence doit être le premier jour"
        ),
        (.monthly(Recurrence.NthWeekday(.monday, 6)), "le rang du jour dans le mois doit être compris entre 1 et 5"),
    ])
    func refusesInvalidValues(recurrence: Recurrence, message: String) {
        // When validated for a series whose first day is Monday 2021-05-03
        let issues = recurrence.validate(firstDay: ymd("2021-05-03"))
        // Then
        #expect(issues == [.error("recurrence", message)])
    }

    @Test func acceptsAValidSeries() {
        #expect(
            Recurrence.weekly([.monday], interval: 2, until: "2021-05-04").validate(firstDay: ymd("2021-05-03")) == [])
    }

    @Test func fillsTheOrdinalFromTheFirstDay() {
        // slots.md §2: n = floor((day_of_month − 1) / 7) + 1
        #expect(Recurrence.NthWeekday(of: ymd("2024-07-17")) == Recurrence.NthWeekday(.wednesday, 3))
        #expect(Recurrence.NthWeekday(of: ymd("2024-07-29")) == Recurrence.NthWeekday(.monday, 5))
    }

    @Test func recurrenceEndsAtTheEndOfTheUntilDay() {
        #expect(
            Recurrence.weekly([.monday], until: "2021-12-31").endsAt(in: paris) == instant("2022-01-01T00:00:00+01:00"))
        #expect(Recurrence.weekly([.monday]).endsAt(in: paris) == nil)
    }
}
