import Domain
import Foundation
import GRDB

/// notifications.md §13 for the records of one organisation (lieux, motifs, the organisation
/// itself, referents): one delivery per endpoint of the organisation subscribed to the record's
/// type, planned in the change's transaction, its body the api.md §7 shape.
extension AppDatabase {
    static func planOrganisationWebhooks(
        _ db: Database, organisationID: Int64, subscription: String, model: String, record: String,
        event: WebhookBody.Event, reason: WebhookBody.Reason? = nil, now: Date, data: (TimeZone) throws -> JSONValue?
    ) throws {
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT e.id AS endpoint_id, t.time_zone FROM webhook_endpoints e
                    JOIN organisations o ON o.id = e.organisation_id JOIN territories t ON t.id = o.territory_id
                    WHERE e.organisation_id = ? AND EXISTS (SELECT 1 FROM json_each(e.subscriptions) WHERE value = ?)
                    ORDER BY e.id
                    """), arguments: [organisationID, subscription])
        guard !rows.isEmpty else { return }
        let eventID = UUID().uuidString.lowercased()
        for row in rows {
            let zone = TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
            guard let body = try data(zone) else { continue }
            try planRecordWebhook(
                db, endpointID: row["endpoint_id"], model: model, record: record, data: body, event: event,
                reason: reason, eventID: eventID, zone: zone, now: now)
        }
    }

    static func planPlaceWebhooks(_ db: Database, placeID: Int64, organisationID: Int64, event: WebhookBody.Event, now: Date) throws {
        try planOrganisationWebhooks(
            db, organisationID: organisationID, subscription: "lieu", model: "Lieu", record: "lieu:\(placeID)", event: event,
            now: now
        ) { _ in try APIShapes.lieu(db, id: placeID) }
    }

    static func planMotifWebhooks(_ db: Database, motifID: Int64, organisationID: Int64, event: WebhookBody.Event, now: Date) throws {
        try planOrganisationWebhooks(
            db, organisationID: organisationID, subscription: "motif", model: "Motif", record: "motif:\(motifID)",
            event: event, now: now
        ) { zone in try APIShapes.motif(db, id: motifID, zone: zone) }
    }

    static func planOrganisationRecordWebhooks(_ db: Database, organisationID: Int64, now: Date) throws {
        try planOrganisationWebhooks(
            db, organisationID: organisationID, subscription: "organisation", model: "Organisation",
            record: "organisation:\(organisationID)", event: .updated, now: now
        ) { _ in try APIShapes.organisation(db, id: organisationID) }
    }

    /// `referent_assignation` (`{user, agent}`) to every organisation where the user has a profile
    /// and the agent a role.
    static func planReferentWebhooks(_ db: Database, userID: Int64, agentID: Int64, event: WebhookBody.Event, now: Date) throws {
        let organisations = try Int64.fetchAll(
            db,
            sql: """
                SELECT p.organisation_id FROM user_profiles p JOIN agent_roles r ON r.organisation_id = p.organisation_id
                WHERE p.user_id = ? AND r.agent_id = ? ORDER BY p.organisation_id
                """, arguments: [userID, agentID])
        for organisationID in organisations {
            try planOrganisationWebhooks(
                db, organisationID: organisationID, subscription: "referent_assignation", model: "ReferentAssignation",
                record: "referent_assignation:\(userID):\(agentID)", event: event, now: now
            ) { zone in
                .object([
                    ("user", try APIShapes.user(db, id: userID, scope: [organisationID], zone: zone, nested: true) ?? .null),
                    ("agent", try APIShapes.agent(db, id: agentID) ?? .null),
                ])
            }
        }
    }
}
