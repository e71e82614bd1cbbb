import Domain
import Foundation
import Testing

@Suite("Motif validation (domain.md §6)")
struct MotifValidationTests {
    @Test func aValidMotifHasNoIssue() {
        #expect(Motif.make().validate() == [])
    }

    @Test(arguments: [LocationType.home, .phone, .visio])
    func aCollectiveMotifMustBeOnSite(locationType: LocationType) {
        // Given S91: a collective motif away from the office
        let motif = Motif.make(locationType: locationType, collectif: true)
        // When
        let issues = motif.validate()
        // Then
        #expect(issues == [.error("location_type", "Les RDV collectifs doivent avoir lieu sur place")])
    }

    @Test func aCollectiveMotifOnSiteIsAccepted() {
        #expect(Motif.make(locationType: .publicOffice, collectif: true).validate() == [])
    }

    @Test func secretariatAndFollowUpAreExclusive() {
        // Given S93
        let motif = Motif.make(followUp: true, forSecretariat: true)
        // Then
        #expect(
            motif.validate() == [.error("for_secretariat", "un motif de suivi ne peut pas être ouvert au secrétariat")])
    }

    @Test(arguments: [
        (1800, 1800, ["error max_public_booking_delay: doit être supérieur au délai minimum de réservation"]),
        (7200, 3600, ["error max_public_booking_delay: doit être supérieur au délai minimum de réservation"]),
        (1800, 1801, []),
        (
            600, 1200,
            [
                "error min_public_booking_delay: doit être d'au moins 30 minutes",
                "error max_public_booking_delay: doit être d'au moins 30 minutes",
            ]
        ),
        (
            0, 0,
            [
                "error min_public_booking_delay: doit être d'au moins 30 minutes",
                "error max_public_booking_delay: doit être d'au moins 30 minutes",
                "error max_public_booking_delay: doit être supérieur au délai minimum de réservation",
            ]
        ),
    ])
    func bookingDelays(min: Int, max: Int, expected: [String]) {
        // Given S94 and the 1800 s floor
        let motif = Motif.make(minPublicBookingDelay: min, maxPublicBookingDelay: max)
        // Then
        #expect(summary(motif.validate()) == expected)
    }

    @Test func collectifAndLocationTypeFreezeOnceUsed() {
        // Given S92: a motif with appointments
        let stored = Motif.make()
        let changed = Motif.make(locationType: .phone, collectif: true)
        // When
        let used = changed.validate(Motif.ValidationContext(previous: stored, hasAppointments: true))
        let unused = Motif.make(locationType: .phone).validate(Motif.ValidationContext(previous: stored))
        // Then
        #expect(
            summary(used) == [
                "error location_type: Les RDV collectifs doivent avoir lieu sur place",
                "error collectif: ne peut plus être modifié car des RDV existent pour ce motif",
                "error location_type: ne peut plus être modifié car des RDV existent pour ce motif",
            ])
        #expect(unused == [])
    }

    @Test(arguments: [
        (Motif.make(name: " "), "error name: doit être rempli(e)"),
        (Motif.make(color: ""), "error color: doit être rempli(e)"),
        (Motif.make(color: "#12345"), "error color: doit être au format #RRGGBB"),
        (Motif.make(color: "1f77b4"), "error color: doit être au format #RRGGBB"),
        (Motif.make(color: "#1g77b4"), "error color: doit être au format #RRGGBB"),
        (Motif.make(defaultDurationInMin: 0), "error default_duration_in_min: doit être supérieure à 0"),
    ])
    func fieldRules(motif: Motif, expected: String) {
        #expect(summary(motif.validate()) == [expected])
    }

    @Test func theServiceMustBeActiveAndNotTheSecretariat() {
        // Given
        let context = Motif.ValidationContext(
            service: Service(id: 1, name: "Secrétariat", shortName: "Secr."), activeServiceIDs: [2],
            enabledCategoryIDs: [])
        var motif = Motif.make()
        motif.motifCategoryID = 9
        // Then
        #expect(
            summary(motif.validate(context)) == [
                "error service_id: ne peut pas être le service Secrétariat",
                "error service_id: n'est pas activé dans ce territoire",
                "error motif_category_id: n'est pas activée dans ce territoire",
            ])
    }

    @Test func theNameIsUniquePerOrganisationLocationTypeAndService() {
        // Given a sibling with the same name, and a deleted one
        let siblings = [Motif.make(id: 2), Motif.make(id: 3, locationType: .phone)]
        let deleted = [Motif.make(id: 2, deletedAt: instant("2021-01-01T00:00:00Z"))]
        // Then
        #expect(
            summary(Motif.make().validate(Motif.ValidationContext(siblings: siblings))) == [
                "error name: est déjà utilisé"
            ])
        #expect(Motif.make().validate(Motif.ValidationContext(siblings: deleted)) == [])
        #expect(Motif.make(id: 2).validate(Motif.ValidationContext(siblings: [Motif.make(id: 2)])) == [])
    }

    @Test(arguments: [("#ffffff", "#000000"), ("#000000", "#FFFFFF"), ("#1f77b4", "#FFFFFF"), ("#ffcc00", "#000000")])
    func textColourFollowsYIQBrightness(color: String, text: String) {
        #expect(Motif.make(color: color).textColor == text)
    }

    @Test(arguments: [
        ("Consultation", LocationType.publicOffice, "consultation-public_office"),
        ("Dépistage IST", .phone, "depistage_ist-phone"),
        ("  Cœur & âme : RDV n°2 ", .home, "coeur_ame_rdv_n_2-home"),
    ])
    func nameWithLocationTypeGroupsTheSameMotif(name: String, locationType: LocationType, expected: String) {
        #expect(Motif.make(name: name, locationType: locationType).nameWithLocationType == expected)
    }

    @Test func bookabilityFlags() {
        #expect(!Motif.make(bookableBy: .agents).bookableOutsideOfOrganisation)
        #expect(Motif.make(bookableBy: .agentsAndPrescripteurs).bookableOutsideOfOrganisation)
        #expect(!Motif.make(bookableBy: .agentsAndPrescripteurs).bookablePublicly)
        #expect(Motif.make(bookableBy: .everyone).bookablePublicly)
        #expect(LocationType.publicOffice.rawValue == "public_office")
        #expect(
            BookableBy.agentsAndPrescripteursAndInvitedUsers.rawValue == "agents_and_prescripteurs_and_invited_users")
    }
}
