import Cryptography
import Domain
import Foundation
import GRDB

/// What an e-mail change request did (admin.md §6: the new address is confirmed through a link
/// sent to it; until then the account keeps its address).
public enum AgentEmailChangeRequest: Sendable, Equatable {
    /// The link was issued and its e-mail planned to the new address (the token for tests).
    case sent(token: String)
    /// Another account already has this address.
    case emailTaken
}

/// What following the confirmation link did.
public enum AgentEmailChangeConfirmation: Sendable, Equatable {
    case changed(agentID: Int64, email: String)
    /// Used, expired, unknown, or its agent deleted.
    case invalidLink
    /// Another account took the address since the request.
    case emailTaken
}

extension AppDatabase {
    /// A link to `newEmail` (normalised, checked by the caller with `EmailAddress.isValid`);
    /// an earlier pending change of the agent is replaced.
    public func requestAgentEmailChange(agentID: Int64, newEmail: String, publicURL: String, now: Date) throws
        -> AgentEmailChangeRequest
    {
        let address = EmailAddress.normalised(newEmail)
        let link = AgentAccountLink.emailChange
        return try writer.write { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM agents WHERE email = ? AND id <> ?", arguments: [address, agentID])
                != nil
            {
                return .emailTaken
            }
            let timeZone = try String.fetchOne(
                db,
                sql: """
                    SELECT t.time_zone FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                    JOIN territories t ON t.id = o.territory_id WHERE r.agent_id = ? ORDER BY r.organisation_id LIMIT 1
                    """, arguments: [agentID])
            let token = try Self.issueLink(db, link, agentID: agentID, newEmail: address, now: now)
            let mail = MailPlanner.userConfirmation(
                to: MailAccount(recipient: .agent(agentID), email: address),
                confirmationPath: SitePath.agentEmailConfirmation + "?confirmation_token=" + token,
                expiresAt: now.addingTimeInterval(link.lifetime),
                settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: timeZone), now: now)
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return .sent(token: token)
        }
    }

    /// The address waiting for its confirmation, shown on « Mon compte ».
    public func pendingAgentEmail(agentID: Int64, now: Date) throws -> String? {
        try writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT new_email FROM account_tokens
                    WHERE agent_id = ? AND purpose = ? AND used_at IS NULL AND expires_at > ?
                    ORDER BY id DESC LIMIT 1
                    """,
                arguments: [agentID, AgentAccountLink.emailChange.rawValue, Int64(now.timeIntervalSince1970)])
        }
    }

    /// The new address of a live confirmation link, for the page that asks to confirm it.
    public func agentEmailChange(token: String, now: Date) throws -> String? {
        guard let hash = Self.linkHash(token) else { return nil }
        return try writer.read { db in try Self.liveEmailChange(db, hash: hash, now: now)?.email }
    }

    /// Spends the link: the account takes the new address, and the agent's other unused links
    /// (an invitation or a reset sent to the old address) die. Sessions stay open.
    public func confirmAgentEmailChange(token: String, now: Date) throws -> AgentEmailChangeConfirmation {
        guard let hash = Self.linkHash(token) else { return .invalidLink }
        let epoch = Int64(now.timeIntervalSince1970)
        return try writer.write { db in
            guard let live = try Self.liveEmailChange(db, hash: hash, now: now) else { return .invalidLink }
            if try Bool.fetchOne(
                db, sql: "SELECT 1 FROM agents WHERE email = ? AND id <> ?", arguments: [live.email, live.agentID])
                != nil
            {
                return .emailTaken
            }
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, live.id])
            try db.execute(
                sql: "DELETE FROM account_tokens WHERE agent_id = ? AND used_at IS NULL", arguments: [live.agentID])
            try db.execute(
                sql: "UPDATE agents SET email = ?, updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                arguments: [live.email, epoch, live.agentID])
            try Self.planAgentWebhooks(db, agentID: live.agentID, event: .updated, now: now)
            return .changed(agentID: live.agentID, email: live.email)
        }
    }

    private static func liveEmailChange(_ db: Database, hash: Data, now: Date) throws
        -> (id: Int64, agentID: Int64, email: String)?
    {
        try Row.fetchOne(
            db,
            sql: """
                SELECT k.id, k.agent_id, k.new_email FROM account_tokens k JOIN agents g ON g.id = k.agent_id
                WHERE k.token_hash = ? AND k.purpose = ? AND k.used_at IS NULL AND k.expires_at > ?
                  AND k.new_email IS NOT NULL AND g.deleted_at IS NULL
                """,
            arguments: [hash, AgentAccountLink.emailChange.rawValue, Int64(now.timeIntervalSince1970)]
        ).map { (id: $0["id"], agentID: $0["agent_id"], email: $0["new_email"]) }
    }
}
