import Cryptography
import Foundation
import GRDB

/// A signed-in session (booking.md §3): the cookie carries a random 256-bit id; the database
/// keeps only its SHA-256, so a leaked database cannot be replayed as cookies.
public struct SessionRecord: Sendable, Equatable {
    public let id: Int64
    public let agentID: Int64?
    public let userID: Int64?
    /// A token link's session (permissions.md §4): the participation it is bound to.
    public var participationID: Int64? = nil
    /// The instance operator's session (admin.md §11).
    public var superAdminID: Int64? = nil
    /// « Se connecter en tant que »: the operator behind this agent session.
    public var impersonatedBySuperAdminID: Int64? = nil
    public let csrfSecret: [UInt8]
    public let lastSeenAt: Date
    public let expiresAt: Date
    /// The idle expiry was last slid a minute ago or more.
    public var needsTouch = false
    /// The lifetimes of this kind of session (its principal's).
    public var policy: SessionPolicy = .agent
}

/// Idle and absolute lifetimes (issue #4): agents 14 days sliding; users 30 minutes idle.
public struct SessionPolicy: Sendable, Equatable {
    public var idle: TimeInterval
    public var absolute: TimeInterval

    public static let agent = SessionPolicy(idle: 14 * 86_400, absolute: 30 * 86_400)
    public static let user = SessionPolicy(idle: 30 * 60, absolute: 12 * 3600)
    /// A token link's session (permissions.md §4): 10 minutes idle.
    public static let tokenLink = SessionPolicy(idle: 10 * 60, absolute: 12 * 3600)
}

extension AppDatabase {
    /// Opens a new session for an agent and returns the cookie token (hex of 32 random bytes).
    /// A fresh id at every sign-in: no session fixation.
    public func createAgentSession(
        agentID: Int64, method: String = "password", ip: String?, userAgent: String?, now: Date,
        policy: SessionPolicy = .agent
    ) throws -> String {
        try createSession(holder: "agent_id", id: agentID, method: method, ip: ip, userAgent: userAgent, now: now, policy: policy)
    }

    /// « Se connecter en tant que » (admin.md §11): an agent session opened by the operator, who
    /// stays named in it (`impersonated_by_super_admin_id`); the agent's lifetimes.
    public func createImpersonationSession(
        agentID: Int64, superAdminID: Int64, ip: String?, userAgent: String?, now: Date
    ) throws -> String {
        try createSession(
            holder: "agent_id", id: agentID, method: "password", ip: ip, userAgent: userAgent, now: now, policy: .agent,
            impersonatedBy: superAdminID)
    }

    /// A session of the instance operator (admin.md §11), with the agents' lifetimes.
    public func createSuperAdminSession(superAdminID: Int64, ip: String?, userAgent: String?, now: Date) throws -> String {
        try createSession(
            holder: "super_admin_id", id: superAdminID, method: "password", ip: ip, userAgent: userAgent, now: now,
            policy: .agent)
    }

    /// `holder`: the principal's column, one of ours (never from a request).
    func createSession(
        holder: String, id: Int64, method: String, ip: String?, userAgent: String?, now: Date, policy: SessionPolicy,
        impersonatedBy: Int64? = nil
    ) throws -> String {
        let token = SecureRandom.bytes(32)
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO sessions (token_hash, \(holder), auth_method, csrf_secret, ip, user_agent, last_seen_at,
                                          expires_at, created_at, updated_at, impersonated_by_super_admin_id)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    Data(Digest.sha256(token)), id, method, Data(SecureRandom.bytes(32)), ip,
                    userAgent.map { String($0.prefix(255)) },
                    epoch, epoch + Int64(policy.idle), epoch, epoch, impersonatedBy,
                ])
        }
        return Digest.hex(token)
    }

    /// The live session of a cookie token, read in a read transaction: a page never waits for
    /// the write lock, and an unknown token writes nothing. nil when unknown or expired (an
    /// expired row is left to `deleteExpiredSessions`). `needsTouch` says the idle expiry is due
    /// to slide (at most once a minute); the caller does it with `touchSession`, best effort.
    /// The lifetimes are the principal's: a user's session ends sooner than an agent's.
    public func session(token: String, now: Date) throws -> SessionRecord? {
        guard let bytes = Digest.bytes(hex: token), bytes.count == 32 else { return nil }
        let hash = Data(Digest.sha256(bytes))
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.read { db -> SessionRecord? in
            guard
                let row = try Row.fetchOne(
                    db.cachedStatement(
                        sql: """
                            SELECT id, agent_id, user_id, super_admin_id, participation_id, impersonated_by_super_admin_id,
                                   csrf_secret, created_at, expires_at, last_seen_at
                            FROM sessions WHERE token_hash = ?
                            """), arguments: [hash])
            else { return nil }
            let created: Int64 = row["created_at"]
            let expires: Int64 = row["expires_at"]
            let lastSeen: Int64 = row["last_seen_at"]
            let policy: SessionPolicy =
                row["user_id"] != nil ? .user : row["participation_id"] != nil ? .tokenLink : .agent
            guard epoch < expires, epoch < created + Int64(policy.absolute) else { return nil }
            let secret: Data = row["csrf_secret"]
            return SessionRecord(
                id: row["id"], agentID: row["agent_id"], userID: row["user_id"], participationID: row["participation_id"],
                superAdminID: row["super_admin_id"],
                impersonatedBySuperAdminID: row["impersonated_by_super_admin_id"], csrfSecret: Array(secret),
                lastSeenAt: Date(timeIntervalSince1970: TimeInterval(lastSeen)),
                expiresAt: Date(timeIntervalSince1970: TimeInterval(expires)),
                needsTouch: epoch - lastSeen >= 60, policy: policy)
        }
    }

    /// Slides the idle expiry of a live session (never past its absolute end).
    public func touchSession(id: Int64, now: Date, policy: SessionPolicy = .agent) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE sessions SET last_seen_at = ?1,
                        expires_at = MAX(MIN(?1 + ?2, created_at + ?3), created_at + 1), updated_at = ?1
                    WHERE id = ?4 AND expires_at > ?1
                    """,
                arguments: [epoch, Int64(policy.idle), Int64(policy.absolute), id])
        }
    }

    /// Forgets sessions past their idle or absolute end (run by the scheduler's housekeeping).
    public func deleteExpiredSessions(now: Date, policy: SessionPolicy = .agent) throws -> Int {
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db in
            try db.execute(
                sql: "DELETE FROM sessions WHERE expires_at <= ? OR created_at + ? <= ?",
                arguments: [epoch, Int64(policy.absolute), epoch])
            return db.changesCount
        }
    }

    /// Sign-out: the session row is deleted, the cookie becomes worthless.
    public func destroySession(id: Int64) throws {
        try writer.write { db in try db.execute(sql: "DELETE FROM sessions WHERE id = ?", arguments: [id]) }
    }
}
