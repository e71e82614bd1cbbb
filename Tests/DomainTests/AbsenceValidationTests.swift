import Domain
import Foundation
import Testing

@Suite("Absence validation (domain.md §8)")
struct AbsenceValidationTests {
    @Test func aValidAbsenceHasNoIssue() {
        #expect(Absence.make().validate() == [])
        #expect(Absence.make(endDay: "2021-05-06", endTime: "08:00").validate() == [])
        #expect(Absence.make(recurrence: .weekly([.tuesday])).validate() == [])
    }

    @Test func aMultiDayAbsenceCannotRecur() {
        // Given S96
        let absence = Absence.make(firstDay: "2021-05-04", endDay: "2021-05-05", recurrence: .weekly([.tuesday]))
        // Then
        #expect(
            absence.validate() == [
                .error("recurrence", "une indisponibilité sur plusieurs jours ne peut pas être récurrente")
            ])
    }

    @Test(arguments: [
        ("2021-05-04", "12:00", "2021-05-04", "12:00", "error end_time: doit être postérieure à l'heure de début"),
        ("2021-05-04", "12:00", "2021-05-04", "09:00", "error end_time: doit être postérieure à l'heure de début"),
        ("2021-05-04", "09:00", "2021-05-03", "18:00", "error end_day: doit être postérieure ou égale au premier jour"),
    ])
    func theEndMustFollowTheStart(firstDay: String, start: String, endDay: String, end: String, expected: String) {
        let absence = Absence.make(firstDay: firstDay, startTime: start, endDay: endDay, endTime: end)
        #expect(summary(absence.validate()) == [expected])
    }

    @Test func aTitleIsRequired() {
        var absence = Absence.make()
        absence.title = "  "
        #expect(absence.validate() == [.error("title", "doit être rempli(e)")])
    }

    @Test func theFormNoticeIsExact() {
        #expect(Absence.existingAppointmentsNotice == "Les RDV existants sur cette période ne sont pas annulés.")
    }
}
