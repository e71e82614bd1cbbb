import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// notifications.md §13 for `agent` and `agent_role`: each change of an agent or of its role
/// plans its event in the change's transaction, `destroyed` bodies built before the delete.
@Suite("Agent webhooks")
struct AgentWebhooksTests {
    static let now = AppointmentQueryTests.now
    static let publicURL = "http://localhost"

    /// "Model event data.id" of each planned webhook, in order.
    private func events(_ db: AppDatabase) throws -> [String] {
        try plannedWebhooks(db, meta: ["model", "event"], withID: true)
    }

    @Test func anAgentsInvitationRoleChangeRenameAndRemovalAreSent() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try db.importDocument(
            try InterchangeDecoding.decode(Data(AppointmentQueryTests.fixture.utf8)), clock: FixedClock(Self.now))
        try db.writer.write { db in
            try db.execute(sql: "UPDATE agent_roles SET access_level = 'admin' WHERE agent_id = 1")
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                    VALUES (1, 'https://partenaire.example.fr/hook', 's', '["agent", "agent_role"]')
                    """)
        }
        let outcome = try db.inviteAgent(
            AgentInvitationRequest(
                email: "claire@example.fr", firstName: "Claire", lastName: "Durand", level: .basic, serviceIDs: [1],
                organisationID: 1, invitedByID: 1, mayAddExistingAgent: false, confirmsServiceMerge: false),
            publicURL: Self.publicURL, now: Self.now
        ).get()
        let invited: Int64? = if case .invited(let id, _) = outcome { id } else { nil }
        let agentID = try #require(invited)
        let roleID = try #require(try db.writer.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM agent_roles WHERE agent_id = ?", arguments: [agentID])
        })
        #expect(try events(db) == ["Agent created \(agentID)", "AgentRole created \(roleID)"])
        let role = try #require(try db.writer.read { db in
            try String.fetchOne(
                db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE kind = 'webhook' ORDER BY id DESC LIMIT 1")
        })
        #expect(
            role.hasPrefix(
                #"{"data":{"id":\#(roleID),"access_level":"basic","agent":{"id":\#(agentID),"email":"claire@example.fr","first_name":"Claire","last_name":"Durand","inclusion_connect_open_id_sub":null},"organisation":{"id":1,"name":"MDS Arras","#
            ))
        try db.changeAccessLevel(
            roleID: roleID, organisationID: 1, level: .admin, email: nil, invitedByID: 1, publicURL: Self.publicURL, now: Self.now
        ).get()
        try db.updateAgentName(agentID: agentID, firstName: "Claire", lastName: "Dupré", now: Self.now)
        try db.removeAgentRole(roleID: roleID, organisationID: 1, author: "Alice MARTIN", now: Self.now).get()
        #expect(
            try events(db) == [
                "Agent created \(agentID)", "AgentRole created \(roleID)", "AgentRole updated \(roleID)",
                "Agent updated \(agentID)", "AgentRole destroyed \(roleID)", "Agent destroyed \(agentID)",
            ])
        // « Rejouer les événements »: one `created` per agent and per role of the organisation.
        let endpoint = try #require(try db.writer.read { try Int64.fetchOne($0, sql: "SELECT id FROM webhook_endpoints") })
        let replay = try db.writer.write { db in
            try AppDatabase.replayWebhookEvents(db, endpointID: endpoint, publicURL: Self.publicURL, now: Self.now)
        }
        #expect(replay.planned == ["agent": 2, "agent_role": 2])
    }
}
