import Domain
import Foundation
import Testing

@Suite("Appointment validation (domain.md §9)")
struct AppointmentValidationTests {
    /// Monday 2026-06-01 10:00 in Paris.
    private let clock = FixedClock(instant("2026-06-01T10:00:00+02:00"))

    @Test func aValidFutureAppointmentHasNoIssue() {
        #expect(Appointment.make().validate(.make(), clock: clock) == [])
    }

    @Test(arguments: [
        (
            "2017-12-31T23:59:00+01:00",
            ["error starts_at: doit être en 2018 ou après", "warning starts_at: Ce RDV est dans le passé"]
        ),
        (
            "2017-06-01T10:00:00+02:00",
            ["error starts_at: doit être en 2018 ou après", "warning starts_at: Ce RDV est dans le passé"]
        ),
        ("2018-01-01T00:00:00+01:00", ["warning starts_at: Ce RDV est dans le passé"]),
        ("2031-06-01T10:00:00+02:00", []),
        ("2031-06-01T10:01:00+02:00", ["error starts_at: ne peut pas être à plus de 5 ans dans le futur"]),
    ])
    func theStartMustBePlausible(startsAt: String, expected: [String]) {
        // Given S97: now is 2026-06-01 10:00; the bounds are 2018 (local year) and now + 5 years
        let appointment = Appointment.make(startsAt: startsAt)
        // Then
        #expect(summary(appointment.validate(.make(), clock: clock)) == expected)
    }

    @Test func theEndMustFollowTheStart() {
        let appointment = Appointment.make(durationInMin: 0)
        #expect(
            appointment.validate(.make(), clock: clock) == [.error("ends_at", "doit être postérieure au début du RDV")])
        #expect(Appointment.make(durationInMin: 45).durationInMin == 45)
    }

    @Test(arguments: [
        (Optional<Place>.none, "error place_id: doit être rempli(e) pour un motif sur place"),
        (
            Place.make(availability: .disabled),
            "error place_id: doit être un lieu ouvert de l'organisation, ou un lieu ponctuel"
        ),
        (Place.make(organisationID: 2), "error place_id: doit appartenir à l'organisation"),
    ])
    func anOnSiteAppointmentNeedsAnOpenPlaceOfTheOrganisation(place: Place?, expected: String) {
        #expect(summary(Appointment.make().validate(.make(place: place), clock: clock)) == [expected])
    }

    @Test func aSingleUsePlaceAndAPlacelessPhoneAppointmentAreAccepted() {
        #expect(Appointment.make().validate(.make(place: .make(availability: .singleUse)), clock: clock) == [])
        let phone = Appointment.make(placeID: nil)
        #expect(phone.validate(.make(motif: .make(locationType: .phone), place: nil), clock: clock) == [])
    }

    @Test func referencesAndParticipants() {
        // Given another organisation than the motif's, no agent, no participant
        let appointment = Appointment.make(organisationID: 2, placeID: nil, agentIDs: [])
        let context = Appointment.ValidationContext.make(
            motif: .make(locationType: .home), place: nil, participationsCount: 0)
        // Then
        #expect(
            summary(appointment.validate(context, clock: clock)) == [
                "error organisation_id: doit être l'organisation du motif",
                "error agents: doit contenir au moins un agent",
                "error users: doit contenir au moins un usager",
            ])
    }

    @Test func theMotifNeverChanges() {
        var context = Appointment.ValidationContext.make()
        context.previous = Appointment.make(motifID: 5)
        #expect(Appointment.make().validate(context, clock: clock) == [.error("motif_id", "ne peut pas être modifié")])
    }

    @Test(arguments: [AppointmentStatus.excused, .noshow])
    func aCollectiveAppointmentOnlyAllowsUnknownSeenAndRevoked(status: AppointmentStatus) {
        let context = Appointment.ValidationContext.make(motif: .make(collectif: true), participationsCount: 0)
        let appointment = Appointment.make(status: status, name: "Atelier")
        #expect(
            appointment.validate(context, clock: clock) == [
                .error("status", "n'est pas possible pour un RDV collectif")
            ])
    }

    @Test func collectiveSeatsAndTitle() {
        // Given a collective appointment with 0 seats and a 51-character title
        let context = Appointment.ValidationContext.make(motif: .make(collectif: true), participationsCount: 0)
        let appointment = Appointment.make(name: String(repeating: "a", count: 51), maxParticipantsCount: 0)
        // Then
        #expect(
            summary(appointment.validate(context, clock: clock)) == [
                "error max_participants_count: doit être supérieur à 0",
                "warning name: L'intitulé sera tronqué à 50 caractères dans les SMS",
            ])
        let fifty = Appointment.make(name: String(repeating: "a", count: 50), maxParticipantsCount: nil)
        #expect(fifty.validate(context, clock: clock) == [])
    }

    @Test func titleAndSeatsAreForCollectiveAppointmentsOnly() {
        let appointment = Appointment.make(name: "Atelier", maxParticipantsCount: 3)
        #expect(
            summary(appointment.validate(.make(), clock: clock)) == [
                "error name: est réservé aux RDV collectifs",
                "error max_participants_count: est réservé aux RDV collectifs",
            ])
    }

    @Test func anIdenticalAppointmentIsADuplicate() {
        // Given a stored appointment with the same everything, and a cancelled one
        let mine = Appointment.make(id: nil)
        let stored = Appointment.make(id: 7)
        let cancelled = Appointment.make(id: 8, status: .revoked)
        // Then
        #expect(
            mine.duplicateIssue(userIDs: [1], among: [(stored, [1])])
                == .error(
                    "base",
                    "Il existe déjà un RDV au même moment, au même lieu, pour le même motif, avec les mêmes usagers et agents"
                ))
        #expect(mine.duplicateIssue(userIDs: [1, 2], among: [(stored, [1])]) == nil)
        #expect(mine.duplicateIssue(userIDs: [1], among: [(cancelled, [1])]) == nil)
    }

    @Test func visioURLUsesTheUUIDWithoutDashes() {
        #expect(
            Appointment.make().visioURL()
                == "https://webconf.numerique.gouv.fr/RdvServicePublic000102030405060708090a0b0c0d0e0f")
    }
}
