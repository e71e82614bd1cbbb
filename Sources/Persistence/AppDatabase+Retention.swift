import Domain
import Foundation
import GRDB

/// booking.md §11, the 22:00 job, in the spec's order: receipts, then appointments, then users
/// (« si l'usager n'a pris aucun RDV durant deux ans, ses données seront supprimées
/// automatiquement »). Deletions send their `destroyed` webhooks with `webhook_reason: "rgpd"`,
/// bodies built before the delete. Step 4 warns inactive agents, then deletes them.
extension AppDatabase {
    static let twoYears: TimeInterval = 2 * 365 * 86_400

    static let thirtyDays: TimeInterval = 30 * 86_400

    static func retention(_ db: Database, now: Date, instance: InstanceEnvironment) throws -> [String: Int] {
        let publicURL = instance.publicURL
        let limit = epoch(now) - Int64(twoYears)
        var counts: [String: Int] = [:]
        // 1. Receipts created 2 years ago or more.
        try db.execute(sql: "DELETE FROM receipts WHERE created_at <= ?", arguments: [limit])
        counts["receipts"] = db.changesCount
        // 2. Appointments that started 2 years ago or more.
        let appointments = try Int64.fetchAll(
            db, sql: "SELECT id FROM appointments WHERE starts_at <= ? ORDER BY id", arguments: [limit])
        for id in appointments {
            try planAppointmentWebhooks(db, appointmentID: id, event: .destroyed, reason: .rgpd, publicURL: publicURL, now: now)
            try db.execute(sql: "DELETE FROM appointments WHERE id = ?", arguments: [id])
        }
        counts["appointments"] = appointments.count
        // 3. Users untouched for more than 2 years, with no participation left, no invitation
        // token of the last 2 years and no relative left: relatives first, so that a responsible
        // whose relatives all go goes in the same run, and one with a relative kept is kept.
        var users = 0
        for relatives in [true, false] {
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT u.id FROM users u
                    WHERE u.deleted_at IS NULL AND (u.responsible_id IS NOT NULL) = ?
                      AND max(u.created_at, coalesce(u.last_modified_at, 0)) < ?
                      AND NOT EXISTS (SELECT 1 FROM participations p WHERE p.user_id = u.id)
                      AND (u.rdv_invitation_token_created_at IS NULL OR u.rdv_invitation_token_created_at < ?)
                      AND NOT EXISTS (SELECT 1 FROM users r WHERE r.responsible_id = u.id)
                    ORDER BY u.id
                    """, arguments: [relatives, limit, limit])
            for id in ids {
                try planUserWebhooks(db, userID: id, event: .destroyed, reason: .rgpd, publicURL: publicURL, now: now)
                for profile in try Row.fetchAll(
                    db, sql: "SELECT id, organisation_id FROM user_profiles WHERE user_id = ? ORDER BY id", arguments: [id])
                {
                    try planUserProfileWebhooks(
                        db, profileID: profile["id"], userID: id, organisationID: profile["organisation_id"],
                        event: .destroyed, reason: .rgpd, now: now)
                }
                try db.execute(sql: "DELETE FROM user_profiles WHERE user_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [id])
            }
            users += ids.count
        }
        counts["users"] = users
        try inactiveAgents(db, now: now, instance: instance, limit: limit, counts: &counts)
        return counts
    }

    /// 4. Agents with no appointment, created more than 2 years ago and not signed in for 2 years
    /// (intervenants, who have no e-mail and never sign in, are not accounts and are left alone).
    /// A warning of 30 days to 2 years ago (a sign-in since would have made them active) means
    /// deletion; none, or one older than 2 years, means a new warning. An agent whose deletion
    /// would leave an organisation without admin or a territory without territorial admin is
    /// kept (domain.md §4's invariants win) and counted.
    private static func inactiveAgents(
        _ db: Database, now: Date, instance: InstanceEnvironment, limit: Int64, counts: inout [String: Int]
    ) throws {
        let epoch = Self.epoch(now)
        let agents = try Row.fetchAll(
            db,
            sql: """
                SELECT g.id, g.email, g.account_deletion_warning_sent_at AS warned_at,
                       (SELECT t.time_zone FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                        JOIN territories t ON t.id = o.territory_id WHERE r.agent_id = g.id ORDER BY r.id LIMIT 1) AS time_zone
                FROM agents g
                WHERE g.deleted_at IS NULL AND g.email IS NOT NULL AND g.created_at < ?1 AND coalesce(g.last_sign_in_at, 0) < ?1
                  AND NOT EXISTS (SELECT 1 FROM appointment_agents x WHERE x.agent_id = g.id)
                ORDER BY g.id
                """, arguments: [limit])
        var warned = 0
        var deleted = 0
        var kept = 0
        for agent in agents {
            let id: Int64 = agent["id"]
            let warnedAt: Int64? = agent["warned_at"]
            if let warnedAt, warnedAt >= limit {
                // A warning of the last 2 years: deletion once it is 30 days old.
                guard warnedAt <= epoch - Int64(thirtyDays) else { continue }
                if try isLastAdmin(db, agentID: id) {
                    kept += 1
                } else {
                    try deleteInactiveAgent(db, agentID: id, now: now)
                    deleted += 1
                }
                continue
            }
            let settings = mailSettings(instance: instance, publicURL: instance.publicURL, timeZone: agent["time_zone"])
            if let mail = MailPlanner.accountDeletionWarning(
                to: MailAccount(recipient: .agent(id), email: agent["email"]), settings: settings, now: now)
            {
                try planMails(db, [mail], now: now)
            }
            try db.execute(sql: "UPDATE agents SET account_deletion_warning_sent_at = ? WHERE id = ?", arguments: [epoch, id])
            warned += 1
        }
        counts["agents_warned"] = warned
        counts["agents_deleted"] = deleted
        counts["agents_kept_as_last_admin"] = kept
    }

    /// The only admin of one of its organisations, or the only territorial admin of a territory.
    private static func isLastAdmin(_ db: Database, agentID: Int64) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: """
                SELECT EXISTS (SELECT 1 FROM agent_roles r WHERE r.agent_id = ?1 AND r.access_level = 'admin'
                    AND NOT EXISTS (SELECT 1 FROM agent_roles o WHERE o.organisation_id = r.organisation_id
                                    AND o.access_level = 'admin' AND o.agent_id <> ?1))
                OR EXISTS (SELECT 1 FROM territorial_roles r WHERE r.agent_id = ?1
                    AND NOT EXISTS (SELECT 1 FROM territorial_roles o WHERE o.territory_id = r.territory_id AND o.agent_id <> ?1))
                """, arguments: [agentID]) ?? false
    }

    /// A real delete (the agent has no appointment, so nothing keeps it, domain.md §0): the
    /// `destroyed` webhooks of its roles and of itself first, then the roles (RESTRICT), then the
    /// agent; the rest cascades.
    private static func deleteInactiveAgent(_ db: Database, agentID: Int64, now: Date) throws {
        let roles = try Row.fetchAll(
            db, sql: "SELECT id, organisation_id FROM agent_roles WHERE agent_id = ? ORDER BY id", arguments: [agentID])
        for role in roles {
            try planAgentRoleWebhooks(
                db, roleID: role["id"], organisationID: role["organisation_id"], event: .destroyed, reason: .rgpd, now: now)
        }
        try planAgentWebhooks(db, agentID: agentID, event: .destroyed, reason: .rgpd, now: now)
        try db.execute(sql: "DELETE FROM agent_roles WHERE agent_id = ?", arguments: [agentID])
        try db.execute(sql: "DELETE FROM agents WHERE id = ?", arguments: [agentID])
    }
}
