import Cryptography
import Domain
import Foundation
import GRDB

/// The single-use links of agents' accounts (booking.md §3.2, domain.md §4): the invitation
/// (14 days) and the password reset (2 hours). The link carries 32 random bytes in hex; the
/// database keeps only their SHA-256, like sessions, so a leaked database opens no account.
public enum AgentAccountLink: String, Sendable, CaseIterable {
    case invitation = "agent_invitation"
    case passwordReset = "agent_password_reset"
    /// admin.md §6: a new e-mail address is confirmed through a link sent to it.
    case emailChange = "agent_email_change"

    public var lifetime: TimeInterval {
        switch self {
        case .invitation: 14 * 86_400
        case .passwordReset: 2 * 3600
        // As a user's sign-up confirmation (booking.md §3.3).
        case .emailChange: 3 * 86_400
        }
    }
}

/// The agent a live link belongs to: what the « Choisissez votre mot de passe » form and the
/// password rule need (booking.md §3.4: the password must not contain the name or e-mail).
public struct AgentAccountLinkHolder: Sendable, Equatable {
    public let agentID: Int64
    public let email: String
    public let firstName: String?
    public let lastName: String

    public init(agentID: Int64, email: String, firstName: String?, lastName: String) {
        self.agentID = agentID
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
    }
}

/// What a « Mot de passe oublié ? » request did. The page answers the same sentence whatever it
/// is (booking.md §3.2); the case is for tests and logs only.
public enum AgentPasswordResetRequest: Sendable, Equatable {
    /// A link was issued and its e-mail planned (the token is returned for tests).
    case sent(token: String)
    /// A link was sent to this account less than `minimumInterval` ago: nothing sent.
    case throttled
    /// No live account has this e-mail.
    case unknownEmail
}

/// « Mon compte » and « Préférences de notifications » (admin.md §6) of one agent.
public struct AgentAccountSettings: Sendable, Equatable {
    public let agentID: Int64
    public let email: String?
    public let firstName: String?
    public let lastName: String
    public let passwordHash: String?
    public var preferences: AgentNotificationPreferences
    /// The webcal slug; nil until the « Synchronisation calendrier » page first shows it.
    public let calendarUID: String?
}

/// The columns of agents behind « Préférences de notifications » and the agenda toggles
/// (domain.md §4, admin.md §6).
public struct AgentNotificationPreferences: Sendable, Equatable {
    public var rdv: Agent.RdvNotificationsLevel
    public var openingPeriods: Agent.NotificationLevel
    public var absences: Agent.NotificationLevel
    public var displaySaturdays: Bool
    public var displayCancelledRdv: Bool

    public init(
        rdv: Agent.RdvNotificationsLevel = .others, openingPeriods: Agent.NotificationLevel = .all,
        absences: Agent.NotificationLevel = .all, displaySaturdays: Bool = false, displayCancelledRdv: Bool = true
    ) {
        self.rdv = rdv
        self.openingPeriods = openingPeriods
        self.absences = absences
        self.displaySaturdays = displaySaturdays
        self.displayCancelledRdv = displayCancelledRdv
    }
}

extension AppDatabase {
    // MARK: Invitation (admin.md §4)

    /// Issues the invitation link of an agent and plans « Invitation à rejoindre <product> » in
    /// one transaction; earlier unused invitation links of the agent stop working (a re-send
    /// replaces them). nil, and nothing written, when the agent has no e-mail (intervenant) or
    /// is deleted. Returns the link's secret (the e-mail carries it; tests follow it).
    public func inviteAgent(
        agentID: Int64, organisationID: Int64, invitedByID: Int64?, publicURL: String, now: Date
    ) throws -> String? {
        try writer.write { db in
            try Self.inviteAgent(
                db, agentID: agentID, organisationID: organisationID, invitedByID: invitedByID, instance: instance,
                publicURL: publicURL, now: now)
        }
    }

    /// The same inside the caller's transaction (the admin's « Inviter un agent » creates the
    /// agent, its role and the invitation together).
    public static func inviteAgent(
        _ db: Database, agentID: Int64, organisationID: Int64, invitedByID: Int64?, instance: InstanceEnvironment,
        publicURL: String, now: Date
    ) throws -> String? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT g.email, o.name AS organisation_name, t.time_zone,
                           i.first_name AS inviter_first_name, i.last_name AS inviter_last_name
                    FROM agents g JOIN organisations o ON o.id = ? JOIN territories t ON t.id = o.territory_id
                    LEFT JOIN agents i ON i.id = ? AND i.id <> g.id
                    WHERE g.id = ? AND g.deleted_at IS NULL AND g.email IS NOT NULL
                    """, arguments: [organisationID, invitedByID, agentID])
        else { return nil }
        let link = AgentAccountLink.invitation
        let token = try issueLink(db, link, agentID: agentID, now: now)
        let epoch = Int64(now.timeIntervalSince1970)
        try db.execute(
            sql: """
                UPDATE agents SET invitation_sent_at = ?, invited_by_id = COALESCE(?, invited_by_id), updated_at = ?
                WHERE id = ?
                """,
            arguments: [epoch, invitedByID == agentID ? nil : invitedByID, epoch, agentID])
        let inviter: String? = (row["inviter_last_name"] as String?).map { last in
            [row["inviter_first_name"] as String?, last.uppercased()].compactMap { $0 }.joined(separator: " ")
        }
        let mail = MailPlanner.agentInvitation(
            to: MailAccount(recipient: .agent(agentID), email: row["email"]),
            organisationName: row["organisation_name"],
            inviterName: inviter, invitationPath: SitePath.agentInvitationAccept + "?invitation_token=" + token,
            expiresAt: now.addingTimeInterval(link.lifetime),
            settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: row["time_zone"]), now: now)
        try planMails(db, mail.map { [$0] } ?? [], now: now)
        return token
    }

    // MARK: « Mot de passe oublié ? » (booking.md §3.2)

    /// Issues a reset link for the live agent of `email` and plans « Réinitialisation de votre
    /// mot de passe », at most one per `minimumInterval` per account. An unknown e-mail runs the
    /// same lookup in the same write transaction and draws a secret too, only writing nothing,
    /// so the answer takes about as long either way (the caller shows the same sentence).
    public func requestAgentPasswordReset(
        email: String, publicURL: String, now: Date, minimumInterval: TimeInterval = 60
    ) throws -> AgentPasswordResetRequest {
        let address = email.trimmingCharacters(in: .whitespaces).lowercased()
        let link = AgentAccountLink.passwordReset
        return try writer.write { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT g.id, g.email,
                           (SELECT t.time_zone FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                            JOIN territories t ON t.id = o.territory_id WHERE r.agent_id = g.id
                            ORDER BY r.organisation_id LIMIT 1) AS time_zone,
                           (SELECT max(k.created_at) FROM account_tokens k
                            WHERE k.agent_id = g.id AND k.purpose = ?) AS last_sent_at
                    FROM agents g WHERE g.email = ? AND g.deleted_at IS NULL
                    """, arguments: [link.rawValue, address])
            guard let row else {
                _ = Digest.sha256(SecureRandom.bytes(32))
                return .unknownEmail
            }
            let agentID: Int64 = row["id"]
            if let last = row["last_sent_at"] as Int64?, Double(last) > now.timeIntervalSince1970 - minimumInterval {
                return .throttled
            }
            let token = try Self.issueLink(db, link, agentID: agentID, now: now)
            let mail = MailPlanner.passwordReset(
                to: MailAccount(recipient: .agent(agentID), email: row["email"]),
                resetPath: SitePath.agentPasswordEdit + "?reset_password_token=" + token,
                expiresAt: now.addingTimeInterval(link.lifetime),
                settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: row["time_zone"]), now: now)
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return .sent(token: token)
        }
    }

    // MARK: Following a link

    /// The agent of a live link: known, unused, not expired, its agent not deleted.
    public func agentAccountLink(_ link: AgentAccountLink, token: String, now: Date) throws -> AgentAccountLinkHolder? {
        guard let hash = Self.linkHash(token) else { return nil }
        return try writer.read { db in try Self.liveLink(db, link, hash: hash, now: now)?.holder }
    }

    /// Spends a live link on a new password (already checked by `PasswordRule` and hashed):
    /// the link is used, the agent's other unused links die, the lockout is reset, a pending
    /// invitation is accepted, and every session of the agent ends (the caller opens a new
    /// one). nil when the link is no longer live (used meanwhile, expired, unknown).
    public func useAgentAccountLink(_ link: AgentAccountLink, token: String, passwordHash: String, now: Date) throws
        -> Int64?
    {
        guard let hash = Self.linkHash(token) else { return nil }
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db -> Int64? in
            guard let live = try Self.liveLink(db, link, hash: hash, now: now) else { return nil }
            let agentID = live.holder.agentID
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?, updated_at = ? WHERE id = ? AND used_at IS NULL",
                arguments: [epoch, epoch, live.id])
            guard db.changesCount == 1 else { return nil }
            // Either link sets the password and proves the address: the other live links of both
            // kinds die, and a pending invitation counts as accepted.
            try db.execute(
                sql: "DELETE FROM account_tokens WHERE agent_id = ? AND purpose IN (?, ?) AND used_at IS NULL",
                arguments: [agentID, AgentAccountLink.invitation.rawValue, AgentAccountLink.passwordReset.rawValue])
            try db.execute(
                sql: """
                    UPDATE agents SET password_hash = ?, failed_sign_in_count = 0, locked_until = NULL,
                        invitation_accepted_at = CASE WHEN ? OR invitation_sent_at IS NOT NULL
                                                      THEN COALESCE(invitation_accepted_at, ?)
                                                      ELSE invitation_accepted_at END,
                        updated_at = ?
                    WHERE id = ?
                    """, arguments: [passwordHash, link == .invitation, epoch, epoch, agentID])
            try db.execute(sql: "DELETE FROM sessions WHERE agent_id = ?", arguments: [agentID])
            return agentID
        }
    }

    // MARK: « Mon compte », « Préférences de notifications » (admin.md §6)

    public func agentAccountSettings(agentID: Int64) throws -> AgentAccountSettings? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT id, email, first_name, last_name, password_hash, rdv_notifications_level,
                           plage_ouverture_notification_level, absence_notification_level, display_saturdays,
                           display_cancelled_rdv, calendar_uid
                    FROM agents WHERE id = ? AND deleted_at IS NULL
                    """, arguments: [agentID]
            ).map { row in
                AgentAccountSettings(
                    agentID: row["id"], email: row["email"], firstName: row["first_name"], lastName: row["last_name"],
                    passwordHash: row["password_hash"],
                    preferences: AgentNotificationPreferences(
                        rdv: Agent.RdvNotificationsLevel(rawValue: row["rdv_notifications_level"]) ?? .others,
                        openingPeriods: Agent.NotificationLevel(rawValue: row["plage_ouverture_notification_level"])
                            ?? .all,
                        absences: Agent.NotificationLevel(rawValue: row["absence_notification_level"]) ?? .all,
                        displaySaturdays: row["display_saturdays"], displayCancelledRdv: row["display_cancelled_rdv"]),
                    calendarUID: row["calendar_uid"])
            }
        }
    }

    /// First and last name (both required by the caller's checks, domain.md §4).
    public func updateAgentName(agentID: Int64, firstName: String, lastName: String, now: Date) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql:
                    "UPDATE agents SET first_name = ?, last_name = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                arguments: [firstName, lastName, epoch, agentID])
            try Self.planAgentWebhooks(db, agentID: agentID, event: .updated, now: now)
        }
    }

    /// « Modifier mon mot de passe »: the new hash; the agent's other sessions and its unused
    /// invitation or reset links end (a password change locks out whoever else held the old one
    /// or a link to choose a new one).
    public func changeAgentPassword(agentID: Int64, passwordHash: String, keepingSessionID: Int64?, now: Date) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: "UPDATE agents SET password_hash = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                arguments: [passwordHash, epoch, agentID])
            try db.execute(
                sql: "DELETE FROM sessions WHERE agent_id = ? AND id IS NOT ?", arguments: [agentID, keepingSessionID])
            try db.execute(
                sql: "DELETE FROM account_tokens WHERE agent_id = ? AND used_at IS NULL", arguments: [agentID])
        }
    }

    public func updateAgentPreferences(agentID: Int64, _ preferences: AgentNotificationPreferences, now: Date) throws {
        let epoch = Int64(now.timeIntervalSince1970)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE agents SET rdv_notifications_level = ?, plage_ouverture_notification_level = ?,
                        absence_notification_level = ?, display_saturdays = ?, display_cancelled_rdv = ?, updated_at = ?
                    WHERE id = ? AND deleted_at IS NULL
                    """,
                arguments: [
                    preferences.rdv.rawValue, preferences.openingPeriods.rawValue, preferences.absences.rawValue,
                    preferences.displaySaturdays, preferences.displayCancelledRdv, epoch, agentID,
                ])
        }
    }

    // MARK: « Synchronisation calendrier » (booking.md §10)

    /// The agent's webcal slug, created on first use (imported agents have none yet).
    public func agentCalendarUID(agentID: Int64, now: Date) throws -> String? {
        if let uid = try writer.read({ db in
            try String.fetchOne(db, sql: "SELECT calendar_uid FROM agents WHERE id = ?", arguments: [agentID])
        }) {
            return uid
        }
        return try setCalendarUID(agentID: agentID, onlyWhenMissing: true, now: now)
    }

    /// « Régénérer le lien »: a new slug; the old feed URL answers 404 from now on.
    public func regenerateAgentCalendarUID(agentID: Int64, now: Date) throws -> String? {
        try setCalendarUID(agentID: agentID, onlyWhenMissing: false, now: now)
    }

    private func setCalendarUID(agentID: Int64, onlyWhenMissing: Bool, now: Date) throws -> String? {
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db -> String? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT first_name, last_name, calendar_uid FROM agents WHERE id = ? AND deleted_at IS NULL",
                    arguments: [agentID])
            else { return nil }
            if onlyWhenMissing, let uid = row["calendar_uid"] as String? { return uid }
            let uid = Self.calendarUID(firstName: row["first_name"], lastName: row["last_name"])
            try db.execute(
                sql: "UPDATE agents SET calendar_uid = ?, updated_at = ? WHERE id = ?",
                arguments: [uid, epoch, agentID])
            return uid
        }
    }

    /// domain.md §4: the parameterised name, "-", a random UUID (lower-case), e.g.
    /// `alice_martin-0f6c…`; only `[a-z0-9_-]`, as the feed's `$uid` segment allows.
    static func calendarUID(firstName: String?, lastName: String) -> String {
        // The motif slug is the same parameterisation; its location type is left empty.
        let name = Motif.nameWithLocationType(
            name: [firstName, lastName].compactMap { $0 }.joined(separator: " "), locationType: "")
        let slug = name.hasPrefix("-") ? "agent-" : name
        return slug + UUID().uuidString.lowercased()
    }

    // MARK: Links

    private struct LiveLink {
        let id: Int64
        let holder: AgentAccountLinkHolder
    }

    /// A new link of `link`'s kind for the agent; earlier unused ones of that kind are deleted.
    static func issueLink(
        _ db: Database, _ link: AgentAccountLink, agentID: Int64, newEmail: String? = nil, now: Date
    ) throws -> String {
        try issueAccountToken(
            db, purpose: link.rawValue, owner: .agent(agentID), newEmail: newEmail, lifetime: link.lifetime, now: now)
    }

    enum AccountTokenOwner {
        case agent(Int64), superAdmin(Int64), user(Int64)

        var column: String {
            switch self {
            case .agent: "agent_id"
            case .superAdmin: "super_admin_id"
            case .user: "user_id"
            }
        }

        var id: Int64 {
            switch self {
            case .agent(let id), .superAdmin(let id), .user(let id): id
            }
        }
    }

    /// A single-use link: only the SHA-256 of its 32 random bytes is stored, and it replaces the
    /// owner's unused link of the same purpose. Returns the secret, in hex, for the link itself.
    static func issueAccountToken(
        _ db: Database, purpose: String, owner: AccountTokenOwner, newEmail: String? = nil, lifetime: TimeInterval,
        now: Date
    ) throws -> String {
        let secret = SecureRandom.bytes(32)
        let epoch = Int64(now.timeIntervalSince1970)
        try db.execute(
            sql: "DELETE FROM account_tokens WHERE \(owner.column) = ? AND purpose = ? AND used_at IS NULL",
            arguments: [owner.id, purpose])
        try db.execute(
            sql: """
                INSERT INTO account_tokens (token_hash, purpose, \(owner.column), new_email, expires_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [Data(Digest.sha256(secret)), purpose, owner.id, newEmail, epoch + Int64(lifetime), epoch, epoch])
        return Digest.hex(secret)
    }

    static func linkHash(_ token: String) -> Data? {
        guard let bytes = Digest.bytes(hex: token), bytes.count == 32 else { return nil }
        return Data(Digest.sha256(bytes))
    }

    private static func liveLink(_ db: Database, _ link: AgentAccountLink, hash: Data, now: Date) throws -> LiveLink? {
        try Row.fetchOne(
            db,
            sql: """
                SELECT k.id, g.id AS agent_id, g.email, g.first_name, g.last_name
                FROM account_tokens k JOIN agents g ON g.id = k.agent_id
                WHERE k.token_hash = ? AND k.purpose = ? AND k.used_at IS NULL AND k.expires_at > ?
                  AND g.deleted_at IS NULL AND g.email IS NOT NULL
                """, arguments: [hash, link.rawValue, Int64(now.timeIntervalSince1970)]
        ).map {
            LiveLink(
                id: $0["id"],
                holder: AgentAccountLinkHolder(
                    agentID: $0["agent_id"], email: $0["email"], firstName: $0["first_name"], lastName: $0["last_name"])
            )
        }
    }

    static func mailSettings(instance: InstanceEnvironment, publicURL: String, timeZone: String?) -> NotificationSettings {
        NotificationSettings(
            publicURL: publicURL,
            timeZone: timeZone.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Paris")!,
            noReplyAddress: instance.noReplyAddress)
    }
}
