import Domain
import Foundation
import Testing

@Suite("Opening period validation (domain.md §7)")
struct OpeningPeriodValidationTests {
    @Test func aValidPeriodHasNoIssue() {
        #expect(OpeningPeriod.make().validate(.make()) == [])
    }

    @Test(arguments: [("11:00", "11:00"), ("11:00", "10:59"), ("09:00", "00:00")])
    func theEndMustFollowTheStart(start: String, end: String) {
        // Given S95: end ≤ start
        let period = OpeningPeriod.make(startTime: start, endTime: end)
        // Then
        #expect(period.validate(.make()) == [.error("end_time", "doit être postérieure à l'heure de début")])
    }

    @Test func anOnSiteMotifNeedsAPlace() {
        // Given S95: no place while a motif is public_office
        let period = OpeningPeriod.make(placeID: nil)
        // Then
        #expect(
            period.validate(.make(place: nil)) == [.error("place_id", "doit être rempli(e) pour un motif sur place")])
        #expect(period.validate(.make(motifs: [.make(locationType: .phone)], place: nil)) == [])
    }

    @Test(arguments: [Place.Availability.disabled, .singleUse])
    func thePlaceMustBeEnabled(availability: Place.Availability) {
        // Given S95: a disabled or single-use place
        let context = OpeningPeriod.ValidationContext.make(place: .make(availability: availability))
        // Then
        #expect(
            OpeningPeriod.make().validate(context) == [.error("place_id", "doit être un lieu ouvert de l'organisation")]
        )
    }

    @Test func thePlaceMustBelongToTheOrganisation() {
        let context = OpeningPeriod.ValidationContext.make(place: .make(organisationID: 2))
        #expect(OpeningPeriod.make().validate(context) == [.error("place_id", "doit appartenir à l'organisation")])
    }

    @Test(arguments: [
        (Motif.make(collectif: true), "error motifs: le motif « Consultation » est collectif"),
        (
            Motif.make(deletedAt: Date(timeIntervalSince1970: 0)),
            "error motifs: le motif « Consultation » n'est pas un motif actif de l'organisation"
        ),
        (
            Motif.make(organisationID: 2),
            "error motifs: le motif « Consultation » n'est pas un motif actif de l'organisation"
        ),
        (Motif.make(serviceID: 7), "error motifs: l'agent ne peut pas assurer le motif « Consultation »"),
    ])
    func linkedMotifsMustBeIndividualActiveAndHoldable(motif: Motif, expected: String) {
        #expect(summary(OpeningPeriod.make().validate(.make(motifs: [motif]))) == [expected])
    }

    @Test func aSecretaryMayHoldSecretariatMotifsOfOtherServices() {
        let motif = Motif.make(serviceID: 7, forSecretariat: true)
        #expect(OpeningPeriod.make().validate(.make(motifs: [motif], agentIsSecretary: true)) == [])
    }

    @Test func requiredFields() {
        // Given no title, no motif, an agent without a role
        let period = OpeningPeriod.make(title: "", motifIDs: [])
        // Then
        #expect(
            summary(period.validate(.make(motifs: [], agentHasRoleInOrganisation: false))) == [
                "error title: doit être rempli(e)",
                "error agent_id: l'agent n'a pas de rôle dans cette organisation",
                "error motifs: doit contenir au moins un motif",
            ])
    }

    @Test func anInvalidRecurrenceIsReported() {
        let period = OpeningPeriod.make(recurrence: .weekly([.monday], interval: 0))
        #expect(
            period.validate(.make()) == [.error("recurrence", "l'intervalle doit être un entier supérieur ou égal à 1")]
        )
    }

    @Test func aMotifLongerThanThePeriodIsABenignWarning() {
        // Given a 40-minute period and a 60-minute motif
        let period = OpeningPeriod.make(startTime: "09:00", endTime: "09:40")
        // When
        let issues = period.validate(.make(motifs: [.make(defaultDurationInMin: 60)]))
        // Then
        #expect(
            issues == [
                .warning(
                    "motifs",
                    "La durée du motif « Consultation » (60 min) dépasse celle de la plage d'ouverture (40 min)")
            ])
        #expect(issues.hasNoErrors)
    }
}

@Suite("Opening period overlap warning (domain.md §7)")
struct OpeningPeriodOverlapTests {
    private let overlapWithB = [
        ValidationIssue.warning("base", "Cette plage d'ouverture chevauche la plage d'ouverture « B »")
    ]

    @Test func overlappingTimesOnACommonDateWarn() {
        // Given two Monday series of the same agent, 09:00–11:20 and 11:00–12:00
        let mine = OpeningPeriod.make(id: 1, firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let other = OpeningPeriod.make(
            id: 2, title: "B", firstDay: "2026-06-08", startTime: "11:00", endTime: "12:00",
            recurrence: .weekly([.monday]))
        // Then
        #expect(mine.overlapWarnings(with: [other], today: ymd("2026-06-01")) == overlapWithB)
    }

    @Test func touchingTimesDoNotOverlap() {
        let mine = OpeningPeriod.make(id: 1, firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let other = OpeningPeriod.make(
            id: 2, title: "B", firstDay: "2026-06-01", startTime: "11:20", endTime: "12:00",
            recurrence: .weekly([.monday]))
        #expect(mine.overlapWarnings(with: [other], today: ymd("2026-06-01")) == [])
    }

    @Test func disjointWeekdaysOtherAgentsAndExpiredPeriodsAreSkipped() {
        let mine = OpeningPeriod.make(id: 1, firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let tuesday = OpeningPeriod.make(id: 2, title: "B", firstDay: "2026-06-02", recurrence: .weekly([.tuesday]))
        let otherAgent = OpeningPeriod.make(id: 3, agentID: 9, firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let expired = OpeningPeriod.make(id: 4, firstDay: "2026-05-25")
        #expect(mine.overlapWarnings(with: [tuesday, otherAgent, expired, mine], today: ymd("2026-06-01")) == [])
    }

    @Test func aCancelledCommonOccurrenceRemovesTheOverlap() {
        // Given a single period on 2026-06-15 and a Monday series whose 06-15 occurrence is cancelled
        let mine = OpeningPeriod.make(
            id: 1, firstDay: "2026-06-01", recurrence: .weekly([.monday], until: "2026-06-22"))
        let other = OpeningPeriod.make(id: 2, title: "B", firstDay: "2026-06-15")
        // Then
        #expect(mine.overlapWarnings(with: [other], today: ymd("2026-06-01")) == overlapWithB)
        #expect(
            mine.overlapWarnings(with: [other], exceptions: [1: [.cancelled("2026-06-15")]], today: ymd("2026-06-01"))
                == [])
    }

    @Test func onlyTheNextSixMonthsAreChecked() {
        // Given a single period 7 months ahead on a Monday of the series
        let mine = OpeningPeriod.make(id: 1, firstDay: "2026-06-01", recurrence: .weekly([.monday]))
        let later = OpeningPeriod.make(id: 2, title: "B", firstDay: "2027-01-04")
        #expect(mine.overlapWarnings(with: [later], today: ymd("2026-06-01")) == [])
        #expect(mine.overlapWarnings(with: [later], today: ymd("2026-08-01")) == overlapWithB)
    }
}
