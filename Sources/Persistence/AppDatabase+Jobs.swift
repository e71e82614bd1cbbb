import Domain
import Foundation
import GRDB

/// The super admin's job dashboard (admin.md §11): the outbox by kind and status, and the rows
/// given up, each of which « Relancer » puts back in the queue.
public struct OutboxCount: Sendable, Equatable {
    public let kind: String
    public let status: String
    public let count: Int
}

public struct FailedJob: Sendable, Equatable {
    public let id: Int64
    public let kind: String
    /// The event of a message, or the webhook's model and event (« Rdv created »).
    public let event: String
    public let attempts: Int
    public let lastError: String?
    public let failedAt: Date
    /// A credential e-mail whose body was erased after the failure (its link must not linger)
    /// cannot be sent again: a new link has to be asked for.
    public let isErased: Bool
}

public enum JobRetry: Sendable, Equatable {
    case retried, notFound, erased
}

extension AppDatabase {
    static let erasedBody = "(effacé après envoi)"

    public func outboxCounts() throws -> [OutboxCount] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT kind, status, count(*) AS n FROM outbox_messages GROUP BY kind, status ORDER BY kind, status"
            ).map { OutboxCount(kind: $0["kind"], status: $0["status"], count: $0["n"]) }
        }
    }

    public func failedJobs(limit: Int = 50) throws -> [FailedJob] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, kind, attempts, last_error, updated_at,
                           coalesce(json_extract(payload, '$.event'),
                                    json_extract(payload, '$.body') ->> '$.meta.model' || ' ' || (json_extract(payload, '$.body') ->> '$.meta.event'),
                                    kind) AS event,
                           json_extract(payload, '$.body') = ? AS erased
                    FROM outbox_messages WHERE status = 'failed' ORDER BY updated_at DESC, id DESC LIMIT ?
                    """, arguments: [Self.erasedBody, limit]
            ).map {
                FailedJob(
                    id: $0["id"], kind: $0["kind"], event: $0["event"] ?? "", attempts: $0["attempts"],
                    lastError: $0["last_error"], failedAt: Date(timeIntervalSince1970: TimeInterval($0["updated_at"] as Int64)),
                    isErased: ($0["erased"] as Bool?) ?? false)
            }
        }
    }

    /// « Relancer »: a failed row is due again now, with its attempts counted afresh (the
    /// retry policy of notifications.md §12 starts over). Its idempotency key is unchanged, so
    /// a provider that did get the first copy can still drop this one.
    public func retryJob(id: Int64, now: Date) throws -> JobRetry {
        try writer.write { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT json_extract(payload, '$.body') = ? AS erased FROM outbox_messages WHERE id = ? AND status = 'failed'",
                    arguments: [Self.erasedBody, id])
            else { return .notFound }
            if (row["erased"] as Bool?) == true { return .erased }
            let epoch = Self.epoch(now)
            try db.execute(
                sql: """
                    UPDATE outbox_messages SET status = 'pending', attempts = 0, next_attempt_at = max(due_at, ?),
                        claimed_at = NULL, lease_until = NULL, updated_at = ?
                    WHERE id = ? AND status = 'failed'
                    """, arguments: [epoch, epoch, id])
            return .retried
        }
    }
}

/// An agent found by the operator for « Se connecter en tant que ».
public struct SuperAdminAgentRow: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let email: String?
    public let organisations: String
}

extension AppDatabase {
    /// Agents (not deleted) whose e-mail or name contains `query`, by name; 20 at most.
    public func superAdminAgents(matching query: String) throws -> [SuperAdminAgentRow] {
        let (condition, arguments) = Self.agentSearchCondition(query)
        guard !arguments.isEmpty else { return [] }
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.first_name, g.last_name, g.email,
                           (SELECT group_concat(name, ', ') FROM (SELECT o.name FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                            WHERE r.agent_id = g.id ORDER BY o.name)) AS organisations
                    FROM agents g WHERE g.deleted_at IS NULL AND \(condition)
                    ORDER BY g.last_name, g.first_name, g.id LIMIT 20
                    """, arguments: StatementArguments(arguments)
            ).map {
                SuperAdminAgentRow(
                    id: $0["id"], name: Self.agentName($0), email: $0["email"], organisations: $0["organisations"] ?? "")
            }
        }
    }
}

extension AppDatabase {
    /// The SQL condition on agents `g` of an agent search: each word of `query` is in the e-mail
    /// or the name; LIKE wildcards typed in the query are characters. No words: "1", no arguments.
    static func agentSearchCondition(_ query: String) -> (sql: String, arguments: [String]) {
        let patterns = query.lowercased().split(separator: " ").map { word in
            "%" + word.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
        }
        guard !patterns.isEmpty else { return ("1", []) }
        let conditions = patterns.map { _ in
            "(lower(coalesce(g.email, '')) LIKE ? ESCAPE '\\' OR lower(coalesce(g.first_name, '') || ' ' || g.last_name) LIKE ? ESCAPE '\\')"
        }
        return (conditions.joined(separator: " AND "), patterns.flatMap { [$0, $0] })
    }
}

/// A recurring job as the dashboard shows it: its next planned run and its last one done.
public struct ScheduledJob: Sendable, Equatable {
    public let name: String
    public let nextRun: Date?
    public let lastRun: Date?
}

extension AppDatabase {
    /// booking.md §11: each recurring job (`job` rows, by the name in their payload).
    public func scheduledJobs() throws -> [ScheduledJob] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(payload, '$.job') AS name,
                           min(CASE WHEN status IN ('pending', 'in_flight') THEN due_at END) AS next_run,
                           max(CASE WHEN status = 'sent' THEN due_at END) AS last_run
                    FROM outbox_messages WHERE kind = 'job' GROUP BY name ORDER BY name
                    """
            ).map { row in
                func date(_ column: String) -> Date? {
                    (row[column] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
                }
                return ScheduledJob(name: row["name"] ?? "", nextRun: date("next_run"), lastRun: date("last_run"))
            }
        }
    }
}
