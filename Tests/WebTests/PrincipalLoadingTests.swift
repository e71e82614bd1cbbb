import Domain
import Foundation
import Persistence
import Testing

@Suite("Principal from the database")
struct PrincipalLoadingTests {
    /// Alice of the web fixture: admin of MDS Arras, basic in MDS Lens, PMI, no territorial role.
    @Test func rolesServicesAndTerritoriesAreRead() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let principal = try db.principal(agentID: 1)
        #expect(principal.memberships.map(\.level).sorted { $0.rawValue < $1.rawValue } == [.admin, .basic])
        #expect(principal.isAdmin(of: 1))
        #expect(!principal.isAdmin(of: 2))
        #expect(principal.serviceIDs.count == 1)
        #expect(!principal.isSecretary)
        #expect(principal.adminTerritoryIDs.isEmpty)
        #expect(OrganisationPolicy.show(principal, organisationID: 2) == .allowed)
        #expect(OrganisationPolicy.update(principal, organisationID: 2) == .refused)
    }
}
