import Domain
import Cryptography
import Foundation
import GRDB

/// What sign-in needs to know about an agent.
public struct AgentAccount: Sendable, Equatable {
    public let id: Int64
    public let email: String
    public let firstName: String?
    public let lastName: String
    public let passwordHash: String?
    public let failedSignInCount: Int
    public let lockedUntil: Date?

    public var displayName: String { [firstName, lastName.uppercased()].compactMap { $0 }.joined(separator: " ") }
}

/// An organisation the agent has a role in, for the home page.
public struct AgentOrganisation: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let territoryID: Int64
    public let territoryName: String
    public let accessLevel: AgentRole.AccessLevel

    public init(id: Int64, name: String, territoryID: Int64, territoryName: String, accessLevel: AgentRole.AccessLevel) {
        self.id = id
        self.name = name
        self.territoryID = territoryID
        self.territoryName = territoryName
        self.accessLevel = accessLevel
    }
}

extension AppDatabase {
    public func agentAccount(email: String) throws -> AgentAccount? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM agents WHERE email = ? AND deleted_at IS NULL",
                arguments: [email.trimmingCharacters(in: .whitespaces).lowercased()]
            ).map(Self.account)
        }
    }

    public func agentAccount(id: Int64) throws -> AgentAccount? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM agents WHERE id = ? AND deleted_at IS NULL", arguments: [id])
                .map(Self.account)
        }
    }

    static func account(_ row: Row) -> AgentAccount {
        AgentAccount(
            id: row["id"], email: row["email"] ?? "", firstName: row["first_name"], lastName: row["last_name"],
            passwordHash: row["password_hash"], failedSignInCount: row["failed_sign_in_count"],
            lockedUntil: (row["locked_until"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    /// booking.md §3.2: 10 consecutive failures lock the account for 15 minutes.
    public func recordFailedSignIn(agentID: Int64, now: Date, maxFailures: Int = 10, lockout: TimeInterval = 15 * 60)
        throws
    {
        try writer.write { db in
            try Self.recordFailedSignIn(db, table: "agents", id: agentID, now: now, maxFailures: maxFailures, lockout: lockout)
        }
    }

    /// The lockout counter of an account table (`agents` or `users`, booking.md §3.2–§3.3); the
    /// table is one of ours, never from a request.
    static func recordFailedSignIn(
        _ db: Database, table: String, id: Int64, now: Date, maxFailures: Int, lockout: TimeInterval
    ) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try db.execute(
            sql: """
                UPDATE \(table) SET failed_sign_in_count = failed_sign_in_count + 1,
                    locked_until = CASE WHEN failed_sign_in_count + 1 >= ? THEN ? ELSE locked_until END,
                    updated_at = ?
                WHERE id = ?
                """,
            arguments: [maxFailures, epoch + Int64(lockout), epoch, id])
        try db.execute(
            sql: "UPDATE \(table) SET failed_sign_in_count = 0 WHERE id = ? AND failed_sign_in_count >= ?",
            arguments: [id, maxFailures])
    }

    /// A success resets the counter and records the moment (audit: api/sign-in history).
    public func recordSuccessfulSignIn(agentID: Int64, now: Date) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE agents SET failed_sign_in_count = 0, locked_until = NULL, last_sign_in_at = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [epoch, epoch, agentID])
        }
    }

    public func agentOrganisations(agentID: Int64) throws -> [AgentOrganisation] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.name, t.id AS territory_id, t.name AS territory_name, r.access_level
                    FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                    JOIN territories t ON t.id = o.territory_id
                    WHERE r.agent_id = ? ORDER BY o.name
                    """, arguments: [agentID]
            ).map {
                // The schema's CHECK constraint allows only the three levels.
                AgentOrganisation(
                    id: $0["id"], name: $0["name"], territoryID: $0["territory_id"], territoryName: $0["territory_name"],
                    accessLevel: AgentRole.AccessLevel(rawValue: $0["access_level"]) ?? .basic)
            }
        }
    }
}
