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
    /// A message about no appointment that still belongs to a territory (« Envoyer un SMS de
    /// test »): its SMS provider and its receipt's territory.
    public var territoryID: Int64?

    public init(
        event: String, channel: String, recipient: String, subject: String? = nil, body: String, html: String? = nil,
        ics: String? = nil, calendarMethod: String? = nil, replyTo: String? = nil, appointmentID: Int64? = nil,
        territoryID: Int64? = nil
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
        self.territoryID = territoryID
    }

    enum CodingKeys: String, CodingKey {
        case event, channel, recipient, subject, body, html, ics
        case calendarMethod = "calendar_method"
        case replyTo = "reply_to"
        case appointmentID = "appointment_id"
        case territoryID = "territory_id"
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
