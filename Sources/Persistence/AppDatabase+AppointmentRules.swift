import Domain
import Foundation
import GRDB

/// Writes every appointment creation shares (import and booking), so both follow the same rules.
extension AppDatabase {
    /// notifications.md §4: the reminder row of a new appointment, unless its moment has passed
    /// (the confirmation covers it). The key makes planning the same start twice a no-op.
    static func planReminder(
        _ db: Database, appointmentID: Int64, startsAt: Date, timeZone: TimeZone, departementNumber: String?,
        whitMondayIsHoliday: Bool, now: Date
    ) throws {
        guard
            let moment = ReminderSchedule.moment(
                for: startsAt, timeZone: timeZone, departementNumber: departementNumber,
                whitMondayIsHoliday: whitMondayIsHoliday),
            moment > now
        else { return }
        let due = Int64(moment.timeIntervalSince1970)
        try db.cachedStatement(
            sql: """
                INSERT OR IGNORE INTO outbox_messages (kind, payload, due_at, next_attempt_at, appointment_id, idempotency_key)
                VALUES ('reminder', ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            "{\"appointment_id\":\(appointmentID)}", due, due, appointmentID,
            ReminderSchedule.idempotencyKey(appointmentID: appointmentID, startsAt: startsAt),
        ])
        // A start whose reminder was cancelled without being sent (the appointment moved away and
        // back, or was cancelled and re-activated) gets it back; a sent one is never planned again.
        try db.cachedStatement(
            sql: """
                UPDATE outbox_messages SET status = 'pending', attempts = 0, last_error = NULL, lease_until = NULL,
                    next_attempt_at = due_at, updated_at = ?
                WHERE idempotency_key = ? AND status = 'cancelled' AND sent_at IS NULL
                """
        ).execute(arguments: [
            Int64(now.timeIntervalSince1970),
            ReminderSchedule.idempotencyKey(appointmentID: appointmentID, startsAt: startsAt),
        ])
    }

    /// domain.md §9 "Saving": the participant, their responsible and the responsible's relatives
    /// get a profile in the appointment's organisation. Returns the ids of the profiles created.
    @discardableResult
    static func linkFamilyProfiles(_ db: Database, userID: Int64, organisationID: Int64) throws -> [Int64] {
        try Int64.fetchAll(
            db.cachedStatement(
                sql: """
                    INSERT OR IGNORE INTO user_profiles (user_id, organisation_id)
                    SELECT id, :organisation FROM users
                    WHERE id = :user OR id = (SELECT responsible_id FROM users WHERE id = :user)
                       OR responsible_id = coalesce((SELECT responsible_id FROM users WHERE id = :user), :user)
                    RETURNING id
                    """), arguments: ["organisation": organisationID, "user": userID])
    }

    /// Links the family (above) and writes the version of each profile it creates.
    static func linkFamilyProfiles(
        _ db: Database, userID: Int64, organisationID: Int64, author: String?, now: Date
    ) throws {
        for id in try linkFamilyProfiles(db, userID: userID, organisationID: organisationID) {
            try auditCreated(db, .userProfile, id: id, author: author, organisationID: organisationID, now: now)
        }
    }
}
