import Domain
import Foundation
import GRDB

/// booking.md §8, the waiting list (« file d'attente »): a user asks to be told when an earlier
/// slot frees up; a job every 10 minutes looks for one and sends `new_creneau_available`, at most
/// once a calendar day and 3 times in all.
extension AppDatabase {
    /// A run every 10 minutes from 09:00 to 18:50, territory time (booking.md §8).
    static let waitingListInterval: TimeInterval = 600
    public static let waitingListJobKind = "job"
    static let waitingListJobName = "waiting_list"

    /// Whether the household has an entry for this appointment.
    public func isOnWaitingList(appointmentID: Int64, household: Set<Int64>) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM waiting_list_entries
                    WHERE appointment_id = ? AND user_id IN (SELECT value FROM json_each(?))
                    """, arguments: [appointmentID, Self.jsonArray(household.sorted())]) ?? false
        }
    }

    /// « Être prévenu si un créneau se libère plus tôt »: the entry of the participant; the
    /// caller's policy decided it may be offered. Asking twice keeps one entry.
    public func joinWaitingList(appointmentID: Int64, userID: Int64, now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO waiting_list_entries (appointment_id, user_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?)
                    """, arguments: [appointmentID, userID, Self.epoch(now), Self.epoch(now)])
            // The first run of the job on a new instance (each run plans the next).
            try Self.planWaitingListRun(db, after: now)
        }
    }

    public func leaveWaitingList(appointmentID: Int64, household: Set<Int64>) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    DELETE FROM waiting_list_entries
                    WHERE appointment_id = ? AND user_id IN (SELECT value FROM json_each(?))
                    """, arguments: [appointmentID, Self.jsonArray(household.sorted())])
        }
    }

    /// The next run's outbox row, at the next 10-minute boundary after `now`; its key makes
    /// planning it twice one row.
    static func planWaitingListRun(_ db: Database, after now: Date) throws {
        let next = (floor(now.timeIntervalSince1970 / waitingListInterval) + 1) * waitingListInterval
        try insertOutboxRow(
            db, kind: waitingListJobKind, payload: #"{"job":"\#(waitingListJobName)"}"#,
            key: "job:\(waitingListJobName):\(Int64(next))", appointmentID: nil,
            dueAt: Date(timeIntervalSince1970: next))
    }

    /// Plans the next run when none is pending (at start-up: a stopped instance resumes).
    public func ensureWaitingListRun(now: Date) throws {
        try writer.write { db in
            let pending = try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM outbox_messages WHERE kind = ? AND status IN ('pending', 'in_flight')
                    AND json_extract(payload, '$.job') = ?
                    """, arguments: [Self.waitingListJobKind, Self.waitingListJobName]) ?? false
            if !pending { try Self.planWaitingListRun(db, after: now) }
        }
    }

    /// One run of the job (booking.md §8): entries of cancelled appointments, or of appointments
    /// within 2 days, are deleted; for the others whose territory is between 09:00 and 18:50, a
    /// free slot of the same motif and place from today to the appointment's day − 2 sends
    /// `new_creneau_available` to the participant (not twice the same day, at most 3 times).
    /// The next run is planned in the same transaction as the last change. Returns the entries
    /// notified.
    @discardableResult
    public func runWaitingList(now: Date, publicURL: String? = nil) throws -> Int {
        let publicURL = publicURL ?? instance.publicURL
        let epoch = Self.epoch(now)
        let entries = try writer.write { db -> [Row] in
            try db.execute(
                sql: """
                    DELETE FROM waiting_list_entries WHERE appointment_id IN (
                        SELECT a.id FROM appointments a JOIN waiting_list_entries w ON w.appointment_id = a.id
                        LEFT JOIN participations p ON p.appointment_id = a.id AND p.user_id = w.user_id
                        WHERE a.status IN ('excused', 'revoked', 'noshow') OR a.starts_at <= ?
                           OR p.id IS NULL OR p.status IN ('excused', 'revoked'))
                    """, arguments: [epoch + 2 * 86_400])
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT w.id, w.user_id, w.notifications_sent, w.last_creneau_sent_at,
                           a.id AS appointment_id, a.motif_id, a.place_id, a.starts_at
                    FROM waiting_list_entries w JOIN appointments a ON a.id = w.appointment_id
                    WHERE w.notifications_sent < 3 ORDER BY w.id
                    """)
        }
        var notified = 0
        for entry in entries {
            guard let motif = try writer.read({ db in try Self.slotMotif(db, id: entry["motif_id"]) }) else { continue }
            let zone = motif.timeZone
            let minutes = Self.minutesOfDay(now, in: zone)
            guard (9 * 60)...(18 * 60 + 50) ~= minutes else { continue }
            let today = LocalDate(now, in: zone)
            if let last = entry["last_creneau_sent_at"] as Int64?,
                LocalDate(Date(timeIntervalSince1970: TimeInterval(last)), in: zone) == today
            {
                continue
            }
            let startsAt = Date(timeIntervalSince1970: TimeInterval(entry["starts_at"] as Int64))
            guard let lastDay = LocalDate(startsAt, in: zone).adding(days: -2), today <= lastDay,
                try hasFreeSlot(motif: motif, placeID: entry["place_id"], from: today, through: lastDay, now: now)
            else { continue }
            let entryID: Int64 = entry["id"]
            let userID: Int64 = entry["user_id"]
            let appointmentID: Int64 = entry["appointment_id"]
            let planned = try immediateWrite { db -> Bool in
                // Re-read: a user may have left the list, or another run counted it.
                guard
                    let sent = try Int.fetchOne(
                        db, sql: "SELECT notifications_sent FROM waiting_list_entries WHERE id = ?", arguments: [entryID]),
                    sent < 3,
                    let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
                else { return false }
                try Self.planNotifications(
                    db, event: .newCreneauAvailable, context: context,
                    change: NotificationChange(concernedUserIDs: [userID], changeID: "wl\(entryID)-\(today)"),
                    author: .system, instance: instance, publicURL: publicURL, now: now)
                try db.execute(
                    sql: """
                        UPDATE waiting_list_entries SET notifications_sent = notifications_sent + 1,
                            last_creneau_sent_at = ?, updated_at = ? WHERE id = ?
                        """, arguments: [epoch, epoch, entryID])
                return true
            }
            if planned { notified += 1 }
        }
        try writer.write { db in try Self.planWaitingListRun(db, after: now) }
        return notified
    }

    private func hasFreeSlot(motif: SlotMotif, placeID: Int64?, from: LocalDate, through: LocalDate, now: Date) throws
        -> Bool
    {
        guard let range = SlotEngine.dayRange(from: from, through: through, timeZone: motif.timeZone),
            let window = BookingPolicy.window(
                range, for: .user, now: now, minDelay: motif.minPublicBookingDelay,
                maxDelay: motif.maxPublicBookingDelay)
        else { return false }
        let inputs = try writer.read { db in
            try Self.slotInputs(db, motif: motif, placeID: placeID, agents: nil, range: window)
        }
        return SlotEngine.availableSlots(
            durationInMinutes: motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: window, now: now, territory: motif.territory
        ).contains { placeID == nil || $0.placeID == placeID }
    }

    static func minutesOfDay(_ instant: Date, in zone: TimeZone) -> Int {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        return (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
    }
}
