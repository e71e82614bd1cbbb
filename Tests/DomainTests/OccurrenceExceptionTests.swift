import Domain
import Foundation
import Testing

@Suite("Occurrence exception validation (domain.md §7b)")
struct OccurrenceExceptionTests {
    private let mondays = OpeningPeriod.make(firstDay: "2026-06-01", recurrence: .weekly([.monday])).pattern

    @Test func aCancelledRegularOccurrenceIsValid() {
        #expect(OccurrenceException.cancelled("2026-06-15").validate(series: mondays) == [])
    }

    @Test func aDateThatIsNotAnOccurrenceIsRefused() {
        // Given S73: Wednesday 2026-06-17 of a Monday series
        let exception = OccurrenceException.cancelled("2026-06-17")
        // Then
        #expect(
            exception.validate(series: mondays) == [.error("date", "ne correspond à aucune occurrence de la série")])
    }

    @Test func theSeriesMustRecur() {
        let single = OpeningPeriod.make(firstDay: "2026-06-01").pattern
        #expect(
            OccurrenceException.cancelled("2026-06-01").validate(series: single)
                == [.error("series_id", "la série doit être récurrente")])
    }

    @Test func aMovedOccurrenceNeedsOrderedTimes() {
        // Given
        let missing = OccurrenceException(seriesType: .absence, seriesID: 1, date: ymd("2026-06-15"), cancelled: false)
        let reversed = OccurrenceException.moved("2026-06-15", start: "16:00", end: "14:00")
        // Then
        #expect(
            summary(missing.validate(series: mondays)) == [
                "error start_time: doit être rempli(e)", "error end_time: doit être rempli(e)",
            ])
        #expect(reversed.validate(series: mondays) == [.error("end_time", "doit être postérieure à l'heure de début")])
        #expect(missing.day == ymd("2026-06-15"))
    }

    @Test func oneExceptionPerOccurrence() {
        let first = OccurrenceException.cancelled("2026-06-15")
        var second = OccurrenceException.moved("2026-06-15", start: "14:00", end: "16:00")
        second.id = 2
        #expect(
            second.validate(series: mondays, siblings: [first])
                == [.error("date", "cette occurrence a déjà été modifiée")])
    }
}
