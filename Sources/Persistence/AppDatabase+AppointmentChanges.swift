import Domain
import Foundation
import GRDB

/// A change of an existing appointment's schedule, place or agents (notifications.md §2
/// `rdv_updated`); nil fields are kept.
public struct AppointmentUpdate: Sendable, Equatable {
    /// The new start; the duration is kept.
    public var startsAt: Date?
    /// The new place; `.some(nil)` is not allowed for public_office motifs (the schema refuses it).
    public var placeID: Int64??
    public var agentIDs: [Int64]?
    /// The new duration (the appointment page's edit form); no user message on its own
    /// (notifications.md §2 lists start, place and agents), only the `updated` webhook.
    public var durationInMin: Int?
    /// The new context (territory toggle); `.some(nil)` clears it. Webhook only, like the duration.
    public var context: String??

    public init(
        startsAt: Date? = nil, placeID: Int64?? = nil, agentIDs: [Int64]? = nil, durationInMin: Int? = nil,
        context: String?? = nil
    ) {
        self.startsAt = startsAt
        self.placeID = placeID
        self.agentIDs = agentIDs
        self.durationInMin = durationInMin
        self.context = context
    }
}

public enum AppointmentChangeError: Error, Equatable, CustomStringConvertible {
    case notFound
    /// A status a collective appointment may not take (domain.md §9).
    case statusNotAllowed
    case noAgent
    /// « Envoyer un rappel » on a past or cancelled appointment (notifications.md §4).
    case reminderNotAllowed

    public var description: String {
        switch self {
        case .notFound: "Ce rendez-vous n'existe pas"
        case .statusNotAllowed: "Ce statut n'est pas possible pour ce rendez-vous"
        case .noAgent: "Un rendez-vous doit avoir au moins un agent"
        case .reminderNotAllowed: "Un rappel ne peut être envoyé que pour un rendez-vous à venir et non annulé"
        }
    }
}

/// The changes agents and users make to an existing appointment, each in one IMMEDIATE
/// transaction with the notifications and reminder planning it causes (style.md §2.3,
/// notifications.md §1: a rolled-back change never notifies, a committed one is never forgotten).
extension AppDatabase {
    /// domain.md §9 transitions + notifications.md §2: excused/revoked → `rdv_cancelled` and the
    /// pending reminder cancelled; back to `unknown` from a cancellation → `rdv_created` and the
    /// reminder planned again; `seen`/`noshow` notify nobody. `historyAuthor` names the change in
    /// the history when it is not the author's name (« Prénom NOM (via API) », api.md §2).
    public func changeAppointmentStatus(
        appointmentID: Int64, to status: AppointmentStatus, author: NotificationAuthor, historyAuthor: String? = nil,
        now: Date, publicURL: String
    ) throws {
        try immediateWrite { db in
            guard let before = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) else {
                throw AppointmentChangeError.notFound
            }
            let participations = try Row.fetchAll(
                db, sql: "SELECT id, user_id, status FROM participations WHERE appointment_id = ? ORDER BY id",
                arguments: [appointmentID]
            ).map { row in
                Participation(
                    id: row["id"], appointmentID: appointmentID, userID: row["user_id"],
                    status: AppointmentStatus(rawValue: row["status"]) ?? .unknown)
            }
            let current = Appointment(
                id: appointmentID, uuid: before.appointment.uuid, organisationID: before.organisation.id, motifID: 0,
                placeID: before.appointment.place?.id, startsAt: before.appointment.startsAt,
                endsAt: before.appointment.endsAt, status: before.appointment.status,
                agentIDs: before.appointment.agentIDs)
            guard
                let change = current.changingStatus(
                    to: status, collectif: before.motif.collectif, participations: participations, now: now)
            else { throw AppointmentChangeError.statusNotAllowed }
            guard change.appointment.status != before.appointment.status else { return }
            let versionAuthor = try historyAuthor ?? Self.versionAuthor(db, author)
            let organisationID = before.organisation.id
            try Self.audited(db, .appointment, id: appointmentID, author: versionAuthor, now: now) {
                try db.execute(
                sql: """
                    UPDATE appointments SET status = ?, cancelled_at = ?, users_count = ?,
                        ics_sequence = ics_sequence + ?, updated_at = ? WHERE id = ?
                    """,
                arguments: [
                    change.appointment.status.rawValue, change.appointment.cancelledAt.map(Self.epoch),
                    change.appointment.usersCount, change.userNotification == nil ? 0 : 1, Self.epoch(now),
                    appointmentID,
                ])
            }
            for participation in change.participations {
                guard let participationID = participation.id else { continue }
                try Self.audited(
                    db, .participation, id: participationID, author: versionAuthor, organisationID: organisationID, now: now
                ) {
                    try db.execute(
                        sql: "UPDATE participations SET status = ?, updated_at = ? WHERE id = ? AND status <> ?",
                        arguments: [
                            participation.status.rawValue, Self.epoch(now), participation.id, participation.status.rawValue,
                        ])
                }
            }
            if change.cancelsReminderAndWaitingList {
                try Self.cancelPendingReminders(db, appointmentID: appointmentID, now: now)
            }
            if change.plansReminder { try Self.planReminder(db, appointmentID: appointmentID, now: now) }
            try Self.planAppointmentWebhooks(
                db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
            guard let event = change.userNotification,
                let after = try Self.notificationContext(
                    db, appointmentID: appointmentID, instance: instance, now: now)
            else { return }
            try Self.planChangeNotifications(
                db, event: event, before: before, after: after,
                author: author, instance: instance, publicURL: publicURL, now: now)
        }
    }

    /// notifications.md §2 `rdv_updated` (start, place, agents) and §4: a move cancels the pending
    /// reminder of the old start and plans the new one.
    public func updateAppointment(
        appointmentID: Int64, _ update: AppointmentUpdate, author: NotificationAuthor, now: Date, publicURL: String
    ) throws {
        try immediateWrite { db in
            try Self.applyAppointmentUpdate(
                db, appointmentID: appointmentID, update, author: author, instance: instance, now: now, publicURL: publicURL)
        }
    }

    /// `updateAppointment` inside a caller's transaction (a user's reschedule checks its slot in
    /// the same transaction).
    static func applyAppointmentUpdate(
        _ db: Database, appointmentID: Int64, _ update: AppointmentUpdate, author: NotificationAuthor,
        instance: InstanceEnvironment, now: Date, publicURL: String
    ) throws {
        do {
            guard let before = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) else {
                throw AppointmentChangeError.notFound
            }
            let old = before.appointment
            let startsAt = update.startsAt ?? old.startsAt
            let endsAt = startsAt.addingTimeInterval(
                update.durationInMin.map { TimeInterval($0 * 60) } ?? old.endsAt.timeIntervalSince(old.startsAt))
            let placeID = update.placeID ?? old.place?.id
            let agentIDs = update.agentIDs ?? old.agentIDs
            guard !agentIDs.isEmpty else { throw AppointmentChangeError.noAgent }
            let oldContext = try String.fetchOne(
                db, sql: "SELECT context FROM appointments WHERE id = ?", arguments: [appointmentID])
            let context = update.context ?? oldContext
            let moved = startsAt != old.startsAt
            let notified = moved || placeID != old.place?.id || Set(agentIDs) != Set(old.agentIDs)
            let changed = notified || endsAt != old.endsAt || context != oldContext
            guard changed else { return }
            // One version for the row and its agents (appointment_agents is part of it).
            try Self.audited(
                db, .appointment, id: appointmentID, author: try Self.versionAuthor(db, author),
                organisationID: before.organisation.id, now: now
            ) {
                try db.execute(
                    sql: """
                        UPDATE appointments SET starts_at = ?, ends_at = ?, place_id = ?, context = ?,
                            ics_sequence = ics_sequence + 1, updated_at = ? WHERE id = ?
                        """,
                    arguments: [
                        Self.epoch(startsAt), Self.epoch(endsAt), placeID, context, Self.epoch(now), appointmentID,
                    ])
                if Set(agentIDs) != Set(old.agentIDs) {
                    try db.execute(
                        sql: """
                            DELETE FROM appointment_agents WHERE appointment_id = ?
                              AND agent_id NOT IN (SELECT value FROM json_each(?))
                            """, arguments: [appointmentID, Self.jsonArray(agentIDs)])
                    try db.execute(
                        sql: """
                            INSERT OR IGNORE INTO appointment_agents (appointment_id, agent_id, starts_at, ends_at, status)
                            SELECT a.id, j.value, a.starts_at, a.ends_at, a.status FROM appointments a, json_each(?) j
                            WHERE a.id = ?
                            """, arguments: [Self.jsonArray(agentIDs), appointmentID])
                }
            }
            try Self.planAppointmentWebhooks(
                db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
            if moved {
                // booking.md §8: a moved appointment leaves the waiting list.
                try db.execute(sql: "DELETE FROM waiting_list_entries WHERE appointment_id = ?", arguments: [appointmentID])
                try Self.cancelPendingReminders(db, appointmentID: appointmentID, now: now)
                if !old.status.isCancelled { try Self.planReminder(db, appointmentID: appointmentID, now: now) }
            }
            guard notified, !old.status.isCancelled,
                let after = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
            else { return }
            try Self.planChangeNotifications(
                db, event: .rdvUpdated, before: before, after: after, author: author, instance: instance,
                publicURL: publicURL, now: now)
        }
    }

    /// « Envoyer un rappel » (notifications.md §4): the reminder goes now to the eligible
    /// participants, and the current start counts as reminded, so the automatic reminder of that
    /// start (pending or not yet planned) never goes. Returns the number of messages planned: 0
    /// when nobody can receive one, or when this start was already reminded.
    @discardableResult
    public func sendReminderNow(appointmentID: Int64, author: NotificationAuthor, now: Date, publicURL: String) throws
        -> Int
    {
        try immediateWrite { db in
            guard let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) else {
                throw AppointmentChangeError.notFound
            }
            guard !context.appointment.status.isCancelled, context.appointment.startsAt > now else {
                throw AppointmentChangeError.reminderNotAllowed
            }
            let key = ReminderSchedule.idempotencyKey(
                appointmentID: appointmentID, startsAt: context.appointment.startsAt)
            let epoch = Self.epoch(now)
            // The start is reminded: the planned row becomes sent, or a sent row records it.
            try db.execute(
                sql: """
                    INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, appointment_id,
                                                 status, sent_at, attempts)
                    VALUES ('reminder', ?, ?, ?, ?, ?, 'sent', ?, 1)
                    ON CONFLICT (idempotency_key) DO UPDATE SET status = 'sent', sent_at = excluded.sent_at,
                        lease_until = NULL, updated_at = excluded.sent_at
                    WHERE status IN ('pending', 'cancelled', 'failed')
                    """,
                arguments: [
                    "{\"appointment_id\":\(appointmentID),\"manual\":true}", epoch, epoch, key, appointmentID, epoch,
                ])
            let before = db.totalChangesCount
            try Self.planNotifications(
                db, event: .rdvUpcomingReminder, context: context, author: author, instance: instance, publicURL: publicURL, now: now)
            return db.totalChangesCount - before
        }
    }

    // MARK: Shared steps

    /// Plans `event` for a change: the participants' statuses before it (a participation already
    /// cancelled gets no cancellation), the previous start/place/agents, and the change id (the new
    /// ICS sequence), so a second change of the same start is a new message.
    static func planChangeNotifications(
        _ db: Database, event: NotificationEvent, before: NotificationContext, after: NotificationContext,
        author: NotificationAuthor, instance: InstanceEnvironment, publicURL: String, now: Date
    ) throws {
        var context = after
        let previousStatus = Dictionary(
            before.participants.map { ($0.user.userID, $0.status) }, uniquingKeysWith: { first, _ in first })
        for index in context.participants.indices {
            let userID = context.participants[index].user.userID
            context.participants[index].statusBeforeChange =
                previousStatus[userID] ?? context.participants[index].status
        }
        // Removed agents are told too (rdv_updated: removed → cancelled).
        context.agents += before.agents.filter { old in !after.agents.contains { $0.id == old.id } }
        let sequence =
            try Int.fetchOne(
                db, sql: "SELECT ics_sequence FROM appointments WHERE id = ?", arguments: [after.appointment.id]) ?? 0
        try planNotifications(
            db, event: event, context: context, previous: event == .rdvUpdated ? before.appointment : nil,
            change: NotificationChange(changeID: "s\(sequence)"), author: author, instance: instance, publicURL: publicURL, now: now)
    }

    /// notifications.md §4: cancelling or moving an appointment cancels its pending reminder.
    static func cancelPendingReminders(_ db: Database, appointmentID: Int64, now: Date) throws {
        try db.execute(
            sql: """
                UPDATE outbox_messages SET status = 'cancelled', last_error = 'appointment changed', lease_until = NULL,
                    updated_at = ?
                WHERE appointment_id = ? AND kind = 'reminder' AND status = 'pending'
                """, arguments: [epoch(now), appointmentID])
    }

    /// Plans the reminder of the appointment's current start with its territory's calendar.
    static func planReminder(_ db: Database, appointmentID: Int64, now: Date) throws {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.starts_at, t.time_zone, t.departement_number, t.whit_monday_is_holiday
                    FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id WHERE a.id = ?
                    """, arguments: [appointmentID])
        else { return }
        try planReminder(
            db, appointmentID: appointmentID,
            startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
            timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
            departementNumber: row["departement_number"], whitMondayIsHoliday: row["whit_monday_is_holiday"], now: now)
    }

    static func epoch(_ date: Date) -> Int64 { Int64(date.timeIntervalSince1970.rounded(.down)) }

    static func jsonArray(_ ids: [Int64]) -> String { "[" + ids.map(String.init).joined(separator: ",") + "]" }
}
