import Domain
import Testing

/// booking.md §5.2: who may prescribe a motif of another organisation (the `Cast` of
/// AuthorizationTests: organisation 1 in territory 62).
@Suite("Internal prescription policy")
struct PrescriptionPolicyTests {
    static func prescribe(_ p: Principal, territory: Int64 = 62, service: Int64 = 1, open: Bool = true) -> Access {
        MotifPolicy.prescribe(
            p, currentOrganisationID: 1, motifTerritoryID: territory, serviceID: service,
            bookableOutsideOfOrganisation: open)
    }

    @Test func aBasicAgentPrescribesForItsOwnServicesOnly() {
        #expect(Self.prescribe(Cast.basic) == .allowed)
        #expect(Self.prescribe(Cast.basic, service: 2) == .refused)
    }

    @Test func secretariesAndAdminsPrescribeForEveryService() {
        #expect(Self.prescribe(Cast.secretary, service: 2) == .allowed)
        #expect(Self.prescribe(Cast.orgAdmin, service: 1) == .allowed)
    }

    @Test func motifsForAgentsOnlyAndOtherTerritoriesAreAbsent() {
        #expect(Self.prescribe(Cast.basic, open: false) == .hidden)
        #expect(Self.prescribe(Cast.basic, territory: 59) == .hidden)
        #expect(Self.prescribe(Cast.otherOrganisation) == .hidden)
    }
}
