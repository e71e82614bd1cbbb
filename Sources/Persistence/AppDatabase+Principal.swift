import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// The agent as the policies see it (permissions.md §1), in one read: roles with their
    /// organisations' territories, services (the « Secrétariat » one recognised by name, as
    /// domain.md §3 says), territorial admin roles and fine rights.
    public func principal(agentID: Int64) throws -> Principal {
        try writer.read { db in
            let memberships = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT r.organisation_id, o.territory_id, r.access_level FROM agent_roles r
                        JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = ?
                        """), arguments: [agentID]
            ).map {
                Principal.Membership(
                    organisationID: $0["organisation_id"], territoryID: $0["territory_id"],
                    level: AgentRole.AccessLevel(rawValue: $0["access_level"]) ?? .basic)
            }
            let services = try Row.fetchAll(
                db.cachedStatement(
                    sql: "SELECT s.id, s.name FROM agent_services x JOIN services s ON s.id = x.service_id WHERE x.agent_id = ?"),
                arguments: [agentID])
            let adminTerritories = try Int64.fetchSet(
                db.cachedStatement(sql: "SELECT territory_id FROM territorial_roles WHERE agent_id = ?"),
                arguments: [agentID])
            var rights: [Int64: Principal.TerritorialRights] = [:]
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM territorial_access_rights WHERE agent_id = ?"),
                arguments: [agentID])
            {
                rights[row["territory_id"]] = Principal.TerritorialRights(
                    inviteAgents: row["allow_to_invite_agents"], manageTeams: row["allow_to_manage_teams"],
                    manageAccessRights: row["allow_to_manage_access_rights"])
            }
            return Principal(
                agentID: agentID, memberships: memberships, serviceIDs: Set(services.map { $0["id"] as Int64 }),
                isSecretary: services.contains { Service(name: $0["name"], shortName: "").isSecretariat },
                adminTerritoryIDs: adminTerritories, rights: rights)
        }
    }
}
