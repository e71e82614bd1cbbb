import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// The development provider's « boîte d'envoi »: messages are stored, never sent.
    /// `now` is the process clock's (contracts.md §2): under `RDV_NOW` the « Boîte d'envoi » dates
    /// its messages in the simulated time, like everything else.
    public func storeDevMessage(_ message: RenderedMessage, outboxID: Int64?, now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO dev_outbox_messages (channel, recipient, subject, body, html_body, ics, outbox_message_id,
                                                     territory_id, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, (SELECT o.territory_id FROM appointments a
                                                  JOIN organisations o ON o.id = a.organisation_id WHERE a.id = ?), ?)
                    """,
                arguments: [
                    message.channel, message.recipient, message.subject, message.body, message.html, message.ics,
                    outboxID, message.appointmentID, Int64(now.timeIntervalSince1970),
                ])
        }
    }

    /// The « Boîte d'envoi » of an agent (notifications.md §7): the newest development messages
    /// about appointments of the organisations the agent administers (messages hold users' data
    /// and links: never those of another organisation).
    public func devOutboxMessages(adminAgentID: Int64, limit: Int = 100) throws -> [DevOutboxMessage] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT d.* FROM dev_outbox_messages d
                    JOIN outbox_messages m ON m.id = d.outbox_message_id
                    JOIN appointments a ON a.id = m.appointment_id
                    WHERE a.organisation_id IN (SELECT organisation_id FROM agent_roles
                                                WHERE agent_id = ? AND access_level = 'admin')
                    ORDER BY d.created_at DESC, d.id DESC LIMIT ?
                    """, arguments: [adminAgentID, limit]
            ).map(Self.devOutboxMessage)
        }
    }

    /// The operator's « Boîte d'envoi » (admin.md §11): every development message, newest first
    /// (the invitations of new territories' admins among them).
    public func devOutboxMessages(limit: Int = 100) throws -> [DevOutboxMessage] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM dev_outbox_messages ORDER BY created_at DESC, id DESC LIMIT ?", arguments: [limit]
            ).map(Self.devOutboxMessage)
        }
    }

    static func devOutboxMessage(_ row: Row) -> DevOutboxMessage {
        DevOutboxMessage(
            id: row["id"], channel: row["channel"], recipient: row["recipient"], subject: row["subject"],
            body: row["body"], hasCalendar: (row["ics"] as String?) != nil,
            createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)))
    }
}

/// A message kept by the development provider.
public struct DevOutboxMessage: Sendable, Equatable {
    public var id: Int64
    /// `sms` or `mail`.
    public var channel: String
    public var recipient: String
    public var subject: String?
    public var body: String
    public var hasCalendar: Bool
    public var createdAt: Date
}
