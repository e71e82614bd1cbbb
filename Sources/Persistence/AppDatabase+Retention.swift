import Domain
import Foundation
import GRDB

/// booking.md §11, the 22:00 job, in the spec's order: receipts, then appointments, then users
/// (« si l'usager n'a pris aucun RDV durant deux ans, ses données seront supprimées
/// automatiquement »). Deletions send their `destroyed` webhooks with `webhook_reason: "rgpd"`,
/// bodies built before the delete. Step 4 (inactive agents' warning and deletion) is not done yet.
extension AppDatabase {
    static let twoYears: TimeInterval = 2 * 365 * 86_400

    static func retention(_ db: Database, now: Date, publicURL: String) throws -> [String: Int] {
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
        return counts
    }
}
