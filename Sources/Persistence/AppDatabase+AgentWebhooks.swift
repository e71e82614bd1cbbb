import Domain
import Foundation
import GRDB

/// notifications.md §13 for agents and their roles: an `Agent` event goes to every organisation
/// where the agent has a role, an `AgentRole` event to the role's organisation. Callers plan them
/// in the change's transaction, `destroyed` ones before the delete.
extension AppDatabase {
    /// `Agent` to each of the agent's organisations, or only to `organisationIDs` when given
    /// (an agent joining one more organisation is `created` for that one only).
    static func planAgentWebhooks(
        _ db: Database, agentID: Int64, event: WebhookBody.Event, reason: WebhookBody.Reason? = nil,
        organisationIDs: [Int64]? = nil, now: Date
    ) throws {
        let organisations =
            try organisationIDs
            ?? Int64.fetchAll(
                db, sql: "SELECT organisation_id FROM agent_roles WHERE agent_id = ? ORDER BY organisation_id",
                arguments: [agentID])
        guard let body = try APIShapes.agent(db, id: agentID) else { return }
        for organisationID in organisations {
            try planOrganisationWebhooks(
                db, organisationID: organisationID, subscription: "agent", model: "Agent", record: "agent:\(agentID)",
                event: event, reason: reason, now: now
            ) { _ in body }
        }
    }

    static func planAgentRoleWebhooks(
        _ db: Database, roleID: Int64, organisationID: Int64, event: WebhookBody.Event, reason: WebhookBody.Reason? = nil,
        now: Date
    ) throws {
        try planOrganisationWebhooks(
            db, organisationID: organisationID, subscription: "agent_role", model: "AgentRole",
            record: "agent_role:\(roleID)", event: event, reason: reason, now: now
        ) { _ in try APIShapes.agentRole(db, id: roleID) }
    }
}
