import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// One participant's own status on a collective appointment (`PATCH /participations/:id`,
    /// api.md §6): the participation alone changes, then the appointment's status is derived from
    /// its participations (domain.md §9). A participation cancelled sends that user
    /// `rdv_cancelled`, one re-joined `rdv_created` (notifications.md §2, the agent as author);
    /// the history, the seat count and the webhook follow in the same transaction.
    public func changeCollectiveParticipationStatus(
        participationID: Int64, to status: AppointmentStatus, agentID: Int64, historyAuthor: String? = nil, now: Date,
        publicURL: String
    ) throws {
        let epoch = Self.epoch(now)
        try immediateWrite { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.user_id, p.status, p.appointment_id, a.organisation_id, a.status AS appointment_status,
                               a.starts_at
                        FROM participations p JOIN appointments a ON a.id = p.appointment_id
                        WHERE p.id = ? AND a.collectif = 1
                        """, arguments: [participationID])
            else { throw AppointmentChangeError.notFound }
            let previous = AppointmentStatus(rawValue: row["status"]) ?? .unknown
            guard previous != status else { return }
            let appointmentID: Int64 = row["appointment_id"]
            let userID: Int64 = row["user_id"]
            let author = try historyAuthor ?? Self.versionAuthor(db, .agent(agentID))
            let changeID = "s\(participationID)-\(status.rawValue)-\(epoch)"
            // Planned before the row changes, so a cancellation still names its participant.
            if !previous.isCancelled && status.isCancelled,
                var context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now),
                let index = context.participants.firstIndex(where: { $0.user.userID == userID })
            {
                context.participants[index].statusBeforeChange = previous
                context.participants[index].status = status
                try Self.planNotifications(
                    db, event: .rdvCancelled, context: context,
                    change: NotificationChange(concernedUserIDs: [userID], changeID: changeID), author: .agent(agentID),
                    instance: instance, publicURL: publicURL, now: now)
            }
            try Self.audited(
                db, .participation, id: participationID, author: author, organisationID: row["organisation_id"], now: now
            ) {
                try db.execute(
                    sql: "UPDATE participations SET status = ?, updated_at = ? WHERE id = ?",
                    arguments: [status.rawValue, epoch, participationID])
            }
            try Self.refreshUsersCount(db, appointmentID: appointmentID, now: now)
            let statuses = try String.fetchAll(
                db, sql: "SELECT status FROM participations WHERE appointment_id = ?", arguments: [appointmentID]
            ).compactMap(AppointmentStatus.init(rawValue:))
            let current = AppointmentStatus(rawValue: row["appointment_status"]) ?? .unknown
            let derived = Appointment.derivedStatus(
                from: statuses, collectif: true, current: current, hasStarted: (row["starts_at"] as Int64) <= epoch)
            if derived != current {
                try Self.audited(db, .appointment, id: appointmentID, author: author, now: now) {
                    try db.execute(
                        sql: """
                            UPDATE appointments SET status = ?, cancelled_at = CASE WHEN ? THEN ? ELSE NULL END, updated_at = ?
                            WHERE id = ?
                            """, arguments: [derived.rawValue, derived.isCancelled, epoch, epoch, appointmentID])
                }
            }
            if previous.isCancelled && !status.isCancelled,
                let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
            {
                try Self.planNotifications(
                    db, event: .rdvCreated, context: context,
                    change: NotificationChange(concernedUserIDs: [userID], changeID: changeID), author: .agent(agentID),
                    instance: instance, publicURL: publicURL, now: now)
            }
            try Self.planAppointmentWebhooks(db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
        }
    }
}
