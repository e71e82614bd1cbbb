import Domain
import Foundation
import GRDB

/// A claimed row of the outbox (style.md §8.12: planned, claimed, receipted work).
public struct OutboxMessage: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    public let payload: String
    public let dueAt: Date
    public let attempts: Int
    public let appointmentID: Int64?
    public let idempotencyKey: String
    /// The claim this copy belongs to: an outcome is recorded only while the row is still in this
    /// claim (a worker whose lease expired and whose row was claimed again records nothing).
    public let claimedAt: Int64
}

/// The body of an `email` or `sms` outbox row: a message already planned and rendered.
public struct RenderedMessage: Codable, Sendable, Equatable {
    public var event: String
    public var channel: String
    /// E.164 number or e-mail address.
    public var recipient: String
    public var subject: String?
    public var body: String
    /// E-mails: the HTML alternative.
    public var html: String?
    /// E-mails about an event: the ICS document and its METHOD (notifications.md §9–§10).
    public var ics: String?
    public var calendarMethod: String?
    /// E-mails: the organisation's address (notifications.md §8 envelope); nil = the support one.
    public var replyTo: String?
    /// The appointment concerned: checked before each attempt (notifications.md §12). Kept in the
    /// payload because the row's foreign key is cleared when the appointment is deleted.
    public var appointmentID: Int64?

    public init(
        event: String, channel: String, recipient: String, subject: String? = nil, body: String, html: String? = nil,
        ics: String? = nil, calendarMethod: String? = nil, replyTo: String? = nil, appointmentID: Int64? = nil
    ) {
        self.event = event
        self.channel = channel
        self.recipient = recipient
        self.subject = subject
        self.body = body
        self.html = html
        self.ics = ics
        self.calendarMethod = calendarMethod
        self.replyTo = replyTo
        self.appointmentID = appointmentID
    }

    enum CodingKeys: String, CodingKey {
        case event, channel, recipient, subject, body, html, ics
        case calendarMethod = "calendar_method"
        case replyTo = "reply_to"
        case appointmentID = "appointment_id"
    }
}

/// One delivery attempt's record (domain.md §13 « Accusé d'envoi »), as the `receipts` table
/// stores it: the event is a string because receipts also record webhook, opening-period and
/// account e-mail events, beyond the appointment events of `NotificationEvent`.
public struct DeliveryReceipt: Sendable, Equatable {
    public var event: String
    public var channel: String
    public var result: String
    public var errorMessage: String?
    public var smsProvider: String?
    public var smsCount: Int?
    public var content: String?
    public var phoneNumber: String?
    public var emailAddress: String?

    public init(
        event: String, channel: String, result: String, errorMessage: String? = nil, smsProvider: String? = nil,
        smsCount: Int? = nil, content: String? = nil, phoneNumber: String? = nil, emailAddress: String? = nil
    ) {
        self.event = event
        self.channel = channel
        self.result = result
        self.errorMessage = errorMessage
        self.smsProvider = smsProvider
        self.smsCount = smsCount
        self.content = content
        self.phoneNumber = phoneNumber
        self.emailAddress = emailAddress
    }
}

extension AppDatabase {
    /// Claims up to `limit` due rows in one IMMEDIATE transaction: pending rows whose
    /// `next_attempt_at` has come, and in-flight rows whose lease expired (their worker died
    /// between claim and record: the at-least-once window). Claimed rows get a lease. A row with an
    /// `ordering_key` waits while an earlier row with that key is unsettled (notifications.md §13:
    /// a record's webhook events arrive in order).
    public func claimDueMessages(now: Date, kinds: [String], limit: Int = 10, lease: TimeInterval = 120) throws
        -> [OutboxMessage]
    {
        guard !kinds.isEmpty else { return [] }
        let kindList = kinds.map { "'\($0.filter(\.isLetter))'" }.joined(separator: ",")
        let epoch = Int64(now.timeIntervalSince1970)
        return try immediateWrite { db in
            // notifications.md §13: a webhook row waits while an earlier row for the same endpoint
            // and record (same ordering key, lower id) is unsettled.
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox_messages m
                    WHERE kind IN (\(kindList))
                      AND ((status = 'pending' AND next_attempt_at <= :now) OR (status = 'in_flight' AND lease_until <= :now))
                      AND NOT EXISTS (
                        SELECT 1 FROM outbox_messages e
                        WHERE e.ordering_key = m.ordering_key AND e.id < m.id AND e.status IN ('pending', 'in_flight'))
                    ORDER BY next_attempt_at, id LIMIT :limit
                    """, arguments: ["now": epoch, "limit": limit])
            return try rows.map { row in
                let id: Int64 = row["id"]
                try db.execute(
                    sql: """
                        UPDATE outbox_messages SET status = 'in_flight', claimed_at = ?, lease_until = ?, updated_at = ?
                        WHERE id = ?
                        """, arguments: [epoch, epoch + Int64(lease), epoch, id])
                return OutboxMessage(
                    id: id, kind: row["kind"], payload: row["payload"],
                    dueAt: Date(timeIntervalSince1970: TimeInterval(row["due_at"] as Int64)),
                    attempts: row["attempts"],
                    appointmentID: row["appointment_id"], idempotencyKey: row["idempotency_key"], claimedAt: epoch)
            }
        }
    }

    /// The message went out: sent, with its receipt, in one transaction. Returns false, recording
    /// nothing, when the row is no longer in this claim.
    @discardableResult
    public func markSent(_ message: OutboxMessage, now: Date, receipt: DeliveryReceipt?) throws -> Bool {
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox_messages SET status = 'sent', sent_at = ?, attempts = attempts + 1, lease_until = NULL,
                        last_error = NULL, updated_at = ?
                    WHERE id = ? AND status = 'in_flight' AND claimed_at = ?
                    """, arguments: [epoch, epoch, message.id, message.claimedAt])
            guard db.changesCount == 1 else { return false }
            if let receipt { try Self.insertReceipt(db, receipt, message: message, now: now) }
            try Self.eraseCredentials(db, messageID: message.id)
            return true
        }
    }

    /// The e-mails whose body is a credential (a sign-in code, an invitation, reset or
    /// confirmation link): only their hash is stored elsewhere, so once the message is settled
    /// (sent, given up or dropped) its body is erased, and a copy of the database opens no
    /// account. Receipts keep the subject only.
    static let credentialEvents: [MailEvent] = [
        .signInCode, .agentInvitation, .passwordReset, .userConfirmation, .userInvitation,
    ]

    static func eraseCredentials(_ db: Database, messageID: Int64) throws {
        let events = credentialEvents.map(\.rawValue)
        try db.execute(
            sql: """
                UPDATE outbox_messages
                SET payload = json_set(payload, '$.body', '(effacé après envoi)', '$.html', '(effacé après envoi)')
                WHERE id = ? AND kind = 'email' AND status <> 'pending'
                  AND json_extract(payload, '$.event') IN (\(events.map { _ in "?" }.joined(separator: ", ")))
                """, arguments: StatementArguments([messageID] as [any DatabaseValueConvertible] + events))
    }

    /// The attempt failed: retried at `retryAt`, or given up (`failed`) when nil.
    @discardableResult
    public func markFailed(
        _ message: OutboxMessage, now: Date, error: String, retryAt: Date?, receipt: DeliveryReceipt?
    ) throws -> Bool {
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox_messages SET status = ?, attempts = min(attempts + 1, 20), last_error = ?, lease_until = NULL,
                        next_attempt_at = max(next_attempt_at, ?), updated_at = ?
                    WHERE id = ? AND status = 'in_flight' AND claimed_at = ?
                    """,
                arguments: [
                    retryAt == nil ? "failed" : "pending", String(error.prefix(500)),
                    Int64((retryAt ?? now).timeIntervalSince1970), epoch, message.id, message.claimedAt,
                ])
            guard db.changesCount == 1 else { return false }
            if let receipt { try Self.insertReceipt(db, receipt, message: message, now: now) }
            try Self.eraseCredentials(db, messageID: message.id)
            return true
        }
    }

    /// Work that became pointless (appointment cancelled, deleted or past) is recorded and
    /// dropped, not retried (style.md §5).
    public func markDropped(_ message: OutboxMessage, now: Date, reason: String) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE outbox_messages SET status = 'cancelled', last_error = ?, lease_until = NULL, updated_at = ?
                    WHERE id = ? AND status = 'in_flight' AND claimed_at = ?
                    """, arguments: [reason, epoch, message.id, message.claimedAt])
            try Self.eraseCredentials(db, messageID: message.id)
        }
    }

    /// Plans concrete messages (fan-out of a reminder, or an event's notifications) in one
    /// transaction; a key already planned is ignored, so planning twice sends once.
    public func planMessages(
        _ messages: [(kind: String, payload: String, key: String, appointmentID: Int64?)], dueAt: Date
    ) throws {
        try writer.write { db in
            for message in messages {
                try Self.insertOutboxRow(
                    db, kind: message.kind, payload: message.payload, key: message.key,
                    appointmentID: message.appointmentID, dueAt: dueAt)
            }
        }
    }

    /// One `email` or `sms` row for a rendered message, due at `dueAt`, in the caller's transaction.
    static func insertRenderedMessage(_ db: Database, _ message: RenderedMessage, key: String, dueAt: Date) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try insertOutboxRow(
            db, kind: message.channel == "sms" ? "sms" : "email",
            payload: String(decoding: try encoder.encode(message), as: UTF8.self), key: key,
            appointmentID: message.appointmentID, dueAt: dueAt)
    }

    /// The unique key makes planning the same message twice a no-op (notifications.md §12).
    static func insertOutboxRow(
        _ db: Database, kind: String, payload: String, key: String, appointmentID: Int64?, dueAt: Date
    ) throws {
        let due = epoch(dueAt)
        try db.execute(
            sql: """
                INSERT OR IGNORE INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, appointment_id)
                VALUES (?, ?, ?, ?, ?, ?)
                """, arguments: [kind, payload, due, due, key, appointmentID])
    }

    /// notifications.md §12 "before each attempt": why a message about an appointment must not go
    /// out any more (deleted, started, or, for reminders, cancelled), or nil when it may.
    public func staleness(of message: RenderedMessage, now: Date) throws -> String? {
        guard let id = message.appointmentID else { return nil }
        guard
            let row = try writer.read({ db in
                try Row.fetchOne(db, sql: "SELECT starts_at, status FROM appointments WHERE id = ?", arguments: [id])
            })
        else { return "appointment deleted" }
        if (row["starts_at"] as Int64) <= Int64(now.timeIntervalSince1970) { return "appointment already started" }
        if message.event == "rdv_upcoming_reminder", ["excused", "revoked", "noshow"].contains(row["status"] as String)
        {
            return "appointment cancelled"
        }
        return nil
    }

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
            ).map {
                DevOutboxMessage(
                    id: $0["id"], channel: $0["channel"], recipient: $0["recipient"], subject: $0["subject"],
                    body: $0["body"], hasCalendar: ($0["ics"] as String?) != nil,
                    createdAt: Date(timeIntervalSince1970: TimeInterval($0["created_at"] as Int64)))
            }
        }
    }

    /// The appointment and endpoint are read from the row itself: their foreign keys are cleared
    /// when the appointment or endpoint is deleted while the message is on its way.
    /// Dated by the process clock, as the retention jobs and « Historique des notifications »
    /// read it (booking.md §11).
    static func insertReceipt(_ db: Database, _ receipt: DeliveryReceipt, message: OutboxMessage, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO receipts (appointment_id, outbox_message_id, event, channel, result, error_message, sms_provider,
                                      sms_count, content, sms_phone_number, email_address, idempotency_key,
                                      webhook_endpoint_id, created_at)
                VALUES ((SELECT appointment_id FROM outbox_messages WHERE id = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                        ?10, ?11, (SELECT webhook_endpoint_id FROM outbox_messages WHERE id = ?1 AND kind = 'webhook'), ?12)
                """,
            arguments: [
                message.id, receipt.event, receipt.channel, receipt.result, receipt.errorMessage, receipt.smsProvider,
                receipt.smsCount, receipt.content, receipt.phoneNumber, receipt.emailAddress, message.idempotencyKey,
                Int64(now.timeIntervalSince1970),
            ])
    }
}

/// A territory's SMS choice (notifications.md §7): its provider (nil = the instance's
/// `RDV_SMS_PROVIDER`) and its credentials, sealed with the instance secret (domain.md §1).
public struct TerritorySMSSettings: Sendable, Equatable {
    public var provider: String?
    public var sealedConfiguration: String?
}

extension AppDatabase {
    /// The SMS settings of the territory of an appointment; nil when the appointment is gone.
    public func smsSettings(appointmentID: Int64) throws -> TerritorySMSSettings? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT t.sms_provider, t.sms_configuration FROM appointments a
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    WHERE a.id = ?
                    """, arguments: [appointmentID]
            ).map { TerritorySMSSettings(provider: $0["sms_provider"], sealedConfiguration: $0["sms_configuration"]) }
        }
    }

    /// The instance secret (`RDV_SECRET_KEY`, else generated once and kept in the database): the
    /// key of link tokens and of the sealed SMS credentials.
    public func instanceSecret() throws -> [UInt8] {
        try writer.write { db in try Self.instanceSecret(db, instance: instance) }
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

/// Calls `onCommit` after each committed transaction that inserted outbox rows, whatever wrote
/// them (a booking, a status change, an import, a fan-out): the scheduler wakes at once instead of
/// waiting for its next poll (notifications.md §1). Runs on the writer's queue: keep it short.
final class OutboxCommitObserver: TransactionObserver {
    private let onCommit: @Sendable () -> Void
    private var inserted = false

    init(onCommit: @escaping @Sendable () -> Void) { self.onCommit = onCommit }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        if case .insert(let table) = eventKind { return table == "outbox_messages" }
        return false
    }

    func databaseDidChange(with event: DatabaseEvent) { inserted = true }

    func databaseDidCommit(_ db: Database) {
        guard inserted else { return }
        inserted = false
        onCommit()
    }

    func databaseDidRollback(_ db: Database) { inserted = false }
}

extension AppDatabase {
    /// `onCommit` runs after every commit that planned outbox rows, for the life of the database.
    public func observeOutboxCommits(_ onCommit: @escaping @Sendable () -> Void) {
        writer.add(transactionObserver: OutboxCommitObserver(onCommit: onCommit), extent: .databaseLifetime)
    }
}
