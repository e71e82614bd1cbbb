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

extension AppDatabase {
    /// Plans one webhook delivery. `key` is `webhook:<endpoint id>:<event id>` (planning twice
    /// plans once); `orderingKey` is `webhook:<endpoint id>:<model>:<record id>`. Deleting the
    /// endpoint deletes its pending deliveries (ON DELETE CASCADE).
    public func planWebhookDelivery(_ payload: WebhookPayload, key: String, orderingKey: String, dueAt: Date) throws {
        let due = Int64(dueAt.timeIntervalSince1970)
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        try writer.write { db in
            // ON CONFLICT ignores only the duplicate key; a CHECK violation still fails loudly.
            try db.execute(
                sql: """
                    INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, webhook_endpoint_id,
                                                 ordering_key)
                    VALUES ('webhook', ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (idempotency_key) DO NOTHING
                    """, arguments: [json, due, due, key, payload.endpointID, orderingKey])
        }
    }
}
