import Domain
import Foundation
import GRDB

/// The payload of a `webhook` outbox row: the endpoint and the exact body, kept as a string
/// because those bytes are what gets signed at every attempt (notifications.md §13).
public struct WebhookPayload: Codable, Sendable, Equatable {
    public var endpointID: Int64
    public var body: String

    public init(endpointID: Int64, body: String) {
        self.endpointID = endpointID
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case endpointID = "endpoint_id"
        case body
    }
}

/// Webhook deliveries are outbox rows planned in the transaction of the change (notifications.md
/// §13): one per subscribed endpoint of the record's organisation, its body built now (so a
/// destroy carries the record as it was), ordered per endpoint and record.
extension AppDatabase {
    /// The endpoint a `webhook` row goes to; nil once the endpoint is deleted.
    public func webhookEndpoint(id: Int64) throws -> (url: String, secret: String)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT target_url, secret FROM webhook_endpoints WHERE id = ?", arguments: [id])
                .map { ($0["target_url"], $0["secret"]) }
        }
    }

    /// Plans one webhook delivery in a transaction of its own (tests, replays); a change plans its
    /// webhooks with the `Database` version, in its transaction. `key` is `webhook:<endpoint id>:<event id>` (planning twice
    /// plans once); `orderingKey` is `webhook:<endpoint id>:<model>:<record id>`. Deleting the
    /// endpoint deletes its pending deliveries (ON DELETE CASCADE).
    public func planWebhookDelivery(_ payload: WebhookPayload, key: String, orderingKey: String, dueAt: Date) throws {
        try writer.write { db in
            try Self.planWebhookDelivery(
                db, payload, key: key, orderingKey: orderingKey, appointmentID: nil, dueAt: dueAt)
        }
    }

    static func planWebhookDelivery(
        _ db: Database, _ payload: WebhookPayload, key: String, orderingKey: String, appointmentID: Int64?, dueAt: Date
    ) throws {
        let due = epoch(dueAt)
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        // ON CONFLICT ignores only the duplicate key; a CHECK violation still fails loudly.
        try db.execute(
            sql: """
                INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, webhook_endpoint_id,
                                             ordering_key, appointment_id)
                VALUES ('webhook', ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING
                """, arguments: [json, due, due, key, payload.endpointID, orderingKey, appointmentID])
    }

    /// Plans the `Rdv` webhook of an appointment for every endpoint of its organisation subscribed
    /// to `rdv`.
    static func planAppointmentWebhooks(
        _ db: Database, appointmentID: Int64, event: WebhookBody.Event, reason: WebhookBody.Reason? = nil,
        publicURL: String, now: Date
    ) throws {
        guard
            let organisation = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.organisation_id, t.time_zone FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id WHERE a.id = ?
                    """, arguments: [appointmentID])
        else { return }
        let organisationID: Int64 = organisation["organisation_id"]
        let endpoints = try Int64.fetchAll(
            db,
            sql: """
                SELECT id FROM webhook_endpoints WHERE organisation_id = ?
                  AND EXISTS (SELECT 1 FROM json_each(subscriptions) WHERE value = 'rdv') ORDER BY id
                """, arguments: [organisationID])
        guard !endpoints.isEmpty,
            let data = try APIShapes.rdv(db, id: appointmentID, links: SiteLinks(publicURL: publicURL))
        else { return }
        let timeZone = TimeZone(identifier: organisation["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        let body = WebhookBody.make(
            dataJSON: data.text, model: "Rdv", event: event, reason: reason, timestamp: now, timeZone: timeZone)
        let eventID = UUID().uuidString.lowercased()
        for endpoint in endpoints {
            try planWebhookDelivery(
                db, WebhookPayload(endpointID: endpoint, body: body), key: "webhook:\(endpoint):\(eventID)",
                orderingKey: "webhook:\(endpoint):rdv:\(appointmentID)", appointmentID: appointmentID, dueAt: now)
        }
    }
}
