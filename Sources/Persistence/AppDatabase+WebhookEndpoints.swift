import Cryptography
import Domain
import Foundation
import GRDB

/// A webhook endpoint of « Espace admin » → « Webhooks » (admin.md §3, notifications.md §13),
/// with how its deliveries went.
public struct WebhookEndpointRow: Sendable, Equatable {
    public let id: Int64
    public let organisationID: Int64
    public let organisationName: String
    public let targetURL: String
    public let subscriptions: [String]
    /// Outbox rows still to send, sent, and given up (`failed`).
    public let pending: Int
    public let sent: Int
    public let failed: Int
}

/// What a replay planned, by subscription.
public struct WebhookReplay: Sendable, Equatable {
    public let planned: [String: Int]
}

extension AppDatabase {
    /// notifications.md §13, in the form's order.
    public static let webhookModels = [
        "rdv", "absence", "plage_ouverture", "user", "user_profile", "organisation", "motif", "lieu", "agent", "agent_role",
        "referent_assignation",
    ]

    /// A new secret: 32 random bytes as hex (the HMAC-SHA256 key of `X-Lapin-Signature`).
    static func newWebhookSecret() -> String { Digest.hex(SecureRandom.bytes(32)) }

    public func webhookEndpoints(territoryID: Int64) throws -> [WebhookEndpointRow] {
        try writer.read { db in try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: nil) }
    }

    public func webhookEndpoint(id: Int64, territoryID: Int64) throws -> WebhookEndpointRow? {
        try writer.read { db in try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: id).first }
    }

    private static func webhookEndpoints(_ db: Database, territoryID: Int64, endpointID: Int64?) throws -> [WebhookEndpointRow] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT e.id, e.organisation_id, o.name AS organisation_name, e.target_url, e.subscriptions,
                       (SELECT count(*) FROM outbox_messages m WHERE m.webhook_endpoint_id = e.id AND m.status IN ('pending', 'in_flight')) AS pending,
                       (SELECT count(*) FROM outbox_messages m WHERE m.webhook_endpoint_id = e.id AND m.status = 'sent') AS sent,
                       (SELECT count(*) FROM outbox_messages m WHERE m.webhook_endpoint_id = e.id AND m.status = 'failed') AS failed
                FROM webhook_endpoints e JOIN organisations o ON o.id = e.organisation_id
                WHERE o.territory_id = ? AND (? IS NULL OR e.id = ?)
                ORDER BY o.name, e.target_url
                """, arguments: [territoryID, endpointID, endpointID]
        ).map { row in
            let subscriptions = (try? JSONDecoder().decode([String].self, from: Data((row["subscriptions"] as String).utf8))) ?? []
            return WebhookEndpointRow(
                id: row["id"], organisationID: row["organisation_id"], organisationName: row["organisation_name"],
                targetURL: row["target_url"], subscriptions: webhookModels.filter(subscriptions.contains),
                pending: row["pending"], sent: row["sent"], failed: row["failed"])
        }
    }

    /// The rules of a target URL and its subscriptions; the organisation must be the territory's.
    static func webhookIssues(
        _ db: Database, territoryID: Int64, organisationID: Int64, targetURL: String, subscriptions: [String], exceptID: Int64?
    ) throws -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let belongs = try Bool.fetchOne(
            db, sql: "SELECT EXISTS (SELECT 1 FROM organisations WHERE id = ? AND territory_id = ?)",
            arguments: [organisationID, territoryID]) ?? false
        if !belongs { issues.append(.error("organisation_id", "doit être une organisation du territoire")) }
        let components = URLComponents(string: targetURL)
        if targetURL.isEmpty {
            issues.append(.error("target_url", "doit être rempli(e)"))
        } else if !["http", "https"].contains(components?.scheme?.lowercased() ?? "") || (components?.host ?? "").isEmpty {
            issues.append(.error("target_url", "doit être une adresse commençant par https:// ou http://"))
        } else if try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM webhook_endpoints WHERE organisation_id = ? AND target_url = ? AND id IS NOT ?)",
            arguments: [organisationID, targetURL, exceptID]) == true
        {
            issues.append(.error("target_url", "est déjà celle d'un webhook de cette organisation"))
        }
        if subscriptions.isEmpty || !subscriptions.allSatisfy(webhookModels.contains) {
            issues.append(.error("subscriptions", "Choisissez au moins un type d'enregistrement."))
        }
        return issues
    }

    /// Creates the endpoint with `secret` (a partner's own, api.md §6) or a new one, returned
    /// once; `replay`: the `created` events of the existing records go out too
    /// (notifications.md §13, api.md `trigger`).
    public func createWebhookEndpoint(
        territoryID: Int64, organisationID: Int64, targetURL: String, subscriptions: [String], replay: Bool,
        secret chosen: String? = nil, publicURL: String, now: Date
    ) throws -> Result<(id: Int64, secret: String), ValidationRefusal> {
        try writer.write { db in
            let issues = try Self.webhookIssues(
                db, territoryID: territoryID, organisationID: organisationID, targetURL: targetURL,
                subscriptions: subscriptions, exceptID: nil)
            guard issues.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            let secret = chosen ?? Self.newWebhookSecret()
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisationID, targetURL, secret, try Self.subscriptionsJSON(subscriptions), Self.epoch(now), Self.epoch(now),
                ])
            let id = db.lastInsertedRowID
            if replay { _ = try Self.replayWebhookEvents(db, endpointID: id, publicURL: publicURL, now: now) }
            return .success((id, secret))
        }
    }

    /// `secret`: a partner's new secret (api.md §6 PATCH); nil keeps the current one.
    public func updateWebhookEndpoint(
        id: Int64, territoryID: Int64, targetURL: String, subscriptions: [String], secret: String? = nil, now: Date
    ) throws -> [ValidationIssue] {
        try writer.write { db in
            guard let endpoint = try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: id).first else {
                return [.error("base", "Ce webhook n'existe plus.")]
            }
            let issues = try Self.webhookIssues(
                db, territoryID: territoryID, organisationID: endpoint.organisationID, targetURL: targetURL,
                subscriptions: subscriptions, exceptID: id)
            guard issues.isEmpty else { return issues }
            try db.execute(
                sql: """
                    UPDATE webhook_endpoints SET target_url = ?, subscriptions = ?, secret = coalesce(?, secret), updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [targetURL, try Self.subscriptionsJSON(subscriptions), secret, Self.epoch(now), id])
            return []
        }
    }

    /// A new secret, returned once; deliveries already planned are signed with it when sent.
    public func regenerateWebhookSecret(id: Int64, territoryID: Int64, now: Date) throws -> String? {
        try writer.write { db in
            guard try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: id).first != nil else { return nil }
            let secret = Self.newWebhookSecret()
            try db.execute(
                sql: "UPDATE webhook_endpoints SET secret = ?, updated_at = ? WHERE id = ?", arguments: [secret, Self.epoch(now), id])
            return secret
        }
    }

    /// Deletes the endpoint; its undelivered outbox rows go with it (ON DELETE CASCADE), its
    /// receipts stay.
    public func deleteWebhookEndpoint(id: Int64, territoryID: Int64) throws -> Bool {
        try writer.write { db in
            guard try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: id).first != nil else { return false }
            try db.execute(sql: "DELETE FROM webhook_endpoints WHERE id = ?", arguments: [id])
            return true
        }
    }

    /// « Rejouer les événements »: a `created` event for every existing record of the
    /// organisation the endpoint subscribes to, in one transaction.
    public func replayWebhookEvents(id: Int64, territoryID: Int64, publicURL: String, now: Date) throws -> WebhookReplay? {
        try writer.write { db in
            guard try Self.webhookEndpoints(db, territoryID: territoryID, endpointID: id).first != nil else { return nil }
            return try Self.replayWebhookEvents(db, endpointID: id, publicURL: publicURL, now: now)
        }
    }

    static func replayWebhookEvents(_ db: Database, endpointID: Int64, publicURL: String, now: Date) throws -> WebhookReplay {
        guard
            let endpoint = try Row.fetchOne(
                db,
                sql: """
                    SELECT e.organisation_id, e.subscriptions, t.time_zone FROM webhook_endpoints e
                    JOIN organisations o ON o.id = e.organisation_id JOIN territories t ON t.id = o.territory_id WHERE e.id = ?
                    """, arguments: [endpointID])
        else { return WebhookReplay(planned: [:]) }
        let organisationID: Int64 = endpoint["organisation_id"]
        let zone = TimeZone(identifier: endpoint["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        let subscriptions = (try? JSONDecoder().decode([String].self, from: Data((endpoint["subscriptions"] as String).utf8))) ?? []
        let eventID = UUID().uuidString.lowercased()
        let organisation = try APIShapes.organisation(db, id: organisationID) ?? .null
        var planned: [String: Int] = [:]
        func plan(_ model: String, _ className: String, record: String, _ data: JSONValue?) throws {
            guard let data else { return }
            try planRecordWebhook(
                db, endpointID: endpointID, model: className, record: record, data: data, event: .created,
                eventID: "\(eventID):\(record)", zone: zone, now: now)
            planned[model, default: 0] += 1
        }
        for model in webhookModels where subscriptions.contains(model) {
            switch model {
            case "rdv":
                for id in try Int64.fetchAll(
                    db, sql: "SELECT id FROM appointments WHERE organisation_id = ? ORDER BY id", arguments: [organisationID])
                {
                    try plan(model, "Rdv", record: "rdv:\(id)", try APIShapes.rdv(db, id: id, links: SiteLinks(publicURL: publicURL)))
                }
            case "user", "user_profile":
                for profile in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT p.id, p.user_id FROM user_profiles p JOIN users u ON u.id = p.user_id
                        WHERE p.organisation_id = ? AND u.deleted_at IS NULL ORDER BY p.id
                        """, arguments: [organisationID])
                {
                    let userID: Int64 = profile["user_id"]
                    let nested = model == "user_profile"
                    let user =
                        try APIShapes.user(db, id: userID, scope: [organisationID], zone: zone, nested: nested) ?? .null
                    if nested {
                        try plan(
                            model, "UserProfile", record: "user_profile:\(profile["id"] as Int64)",
                            .object([("user", user), ("organisation", organisation)]))
                    } else {
                        try plan(model, "User", record: "user:\(userID)", user)
                    }
                }
            case "organisation":
                try plan(model, "Organisation", record: "organisation:\(organisationID)", try APIShapes.organisation(db, id: organisationID))
            case "motif":
                for id in try Int64.fetchAll(
                    db, sql: "SELECT id FROM motifs WHERE organisation_id = ? AND deleted_at IS NULL ORDER BY id",
                    arguments: [organisationID])
                {
                    try plan(model, "Motif", record: "motif:\(id)", try APIShapes.motif(db, id: id, zone: zone))
                }
            case "plage_ouverture":
                for id in try Int64.fetchAll(
                    db, sql: "SELECT id FROM opening_periods WHERE organisation_id = ? ORDER BY id", arguments: [organisationID])
                {
                    try plan(
                        model, "PlageOuverture", record: "plage_ouverture:\(id)",
                        try APIShapes.openingPeriod(db, id: id, links: SiteLinks(publicURL: publicURL), now: now))
                }
            case "absence":
                for id in try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT id FROM absences WHERE organisation_id = ?
                           OR (organisation_id IS NULL AND agent_id IN (SELECT agent_id FROM agent_roles WHERE organisation_id = ?))
                        ORDER BY id
                        """, arguments: [organisationID, organisationID])
                {
                    try plan(
                        model, "Absence", record: "absence:\(id)",
                        try APIShapes.absence(db, id: id, links: SiteLinks(publicURL: publicURL), now: now))
                }
            case "lieu":
                for id in try Int64.fetchAll(
                    db, sql: "SELECT id FROM places WHERE organisation_id = ? ORDER BY id", arguments: [organisationID])
                {
                    try plan(model, "Lieu", record: "lieu:\(id)", try APIShapes.lieu(db, id: id))
                }
            case "agent", "agent_role":
                for role in try Row.fetchAll(
                    db, sql: "SELECT id, agent_id FROM agent_roles WHERE organisation_id = ? ORDER BY id", arguments: [organisationID])
                {
                    let agentID: Int64 = role["agent_id"]
                    let roleID: Int64 = role["id"]
                    if model == "agent" {
                        try plan(model, "Agent", record: "agent:\(agentID)", try APIShapes.agent(db, id: agentID))
                    } else {
                        try plan(model, "AgentRole", record: "agent_role:\(roleID)", try APIShapes.agentRole(db, id: roleID))
                    }
                }
            case "referent_assignation":
                for pair in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT x.user_id, x.agent_id FROM referents x
                        JOIN user_profiles p ON p.user_id = x.user_id AND p.organisation_id = ?1
                        JOIN agent_roles r ON r.agent_id = x.agent_id AND r.organisation_id = ?1
                        ORDER BY x.user_id, x.agent_id
                        """, arguments: [organisationID])
                {
                    let userID: Int64 = pair["user_id"]
                    let agentID: Int64 = pair["agent_id"]
                    try plan(
                        model, "ReferentAssignation", record: "referent_assignation:\(userID):\(agentID)",
                        .object([
                            ("user", try APIShapes.user(db, id: userID, scope: [organisationID], zone: zone, nested: true) ?? .null),
                            ("agent", try APIShapes.agent(db, id: agentID) ?? .null),
                        ]))
                }
            default:
                break
            }
        }
        return WebhookReplay(planned: planned)
    }

    static func subscriptionsJSON(_ subscriptions: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(webhookModels.filter(subscriptions.contains)), as: UTF8.self)
    }
}
