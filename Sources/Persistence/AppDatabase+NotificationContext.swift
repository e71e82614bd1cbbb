import Cryptography
import Domain
import Foundation
import GRDB

/// Everything `NotificationPlanner.plan` needs about one appointment, read in one transaction.
public struct NotificationContext: Sendable {
    public var appointment: NotifiedAppointment
    public var participants: [NotifiedParticipant]
    public var agents: [NotifiedAgent]
    public var motif: NotifiedMotif
    public var organisation: NotifiedOrganisation
    /// The organisation's e-mail: the Reply-To of its messages (notifications.md §8).
    public var replyTo: String?
    public var timeZone: TimeZone
    public var smsEnabled: Bool
}

extension AppDatabase {
    /// Loads the appointment with its participants (and their responsibles), agents, motif and
    /// organisation; nil when it no longer exists. Participations get their link token
    /// (domain.md §10: 8 base62 characters of HMAC-SHA256(instance secret, "<id>:<token_created_at>"),
    /// set at the first notification and reused).
    public func notificationContext(appointmentID: Int64, now: Date) throws -> NotificationContext? {
        try writer.write { db in try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) }
    }

    static func notificationContext(
        _ db: Database, appointmentID: Int64, instance: InstanceEnvironment, now: Date
    ) throws -> NotificationContext? {
        do {
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.*, m.name AS motif_name, m.location_type AS motif_location, m.visibility_type, m.follow_up,
                               m.instruction_for_rdv, m.bookable_by, m.rdvs_editable_by_user, m.rdvs_cancellable_by_user,
                               s.name AS service_name, s.short_name AS service_short_name,
                               o.name AS organisation_name, o.phone_number AS organisation_phone, o.email AS organisation_email,
                               t.time_zone, t.sms_provider,
                               l.id AS place_id_, l.name AS place_name, l.address AS place_address, l.phone_number AS place_phone
                        FROM appointments a JOIN motifs m ON m.id = a.motif_id JOIN services s ON s.id = m.service_id
                        JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                        LEFT JOIN places l ON l.id = a.place_id
                        WHERE a.id = ?
                        """, arguments: [appointmentID])
            else { return nil }
            let secret = try Self.instanceSecret(db, instance: instance)
            let agentRows = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.first_name, g.last_name, g.email, g.rdv_notifications_level FROM appointment_agents x
                    JOIN agents g ON g.id = x.agent_id WHERE x.appointment_id = ? ORDER BY g.id
                    """, arguments: [appointmentID])
            let place = (row["place_id_"] as Int64?).map {
                NotifiedPlace(
                    id: $0, name: row["place_name"], address: row["place_address"], phoneNumber: row["place_phone"])
            }
            let appointment = NotifiedAppointment(
                id: appointmentID, uuid: UUID(uuidString: row["uuid"]) ?? UUID(),
                startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64)),
                status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, name: row["name"],
                createdByType: CreatorType(rawValue: row["created_by_type"]) ?? .agent,
                agentIDs: agentRows.map { $0["id"] },
                place: place, sequence: row["ics_sequence"])
            let participants = try Self.notifiedParticipants(db, appointmentID: appointmentID, secret: secret, now: now)
            return NotificationContext(
                appointment: appointment, participants: participants,
                agents: agentRows.map {
                    NotifiedAgent(
                        id: $0["id"], firstName: $0["first_name"], lastName: $0["last_name"], email: $0["email"],
                        level: Agent.RdvNotificationsLevel(rawValue: $0["rdv_notifications_level"]) ?? .others)
                },
                motif: NotifiedMotif(
                    name: row["motif_name"], serviceName: row["service_name"],
                    serviceShortName: row["service_short_name"],
                    locationType: LocationType(rawValue: row["motif_location"]) ?? .publicOffice,
                    visibilityType: VisibilityType(rawValue: row["visibility_type"]) ?? .visibleAndNotified,
                    collectif: row["collectif"], followUp: row["follow_up"],
                    instructionForRdv: row["instruction_for_rdv"],
                    bookableBy: BookableBy(rawValue: row["bookable_by"]) ?? .agents,
                    rdvsEditableByUser: row["rdvs_editable_by_user"],
                    rdvsCancellableByUser: row["rdvs_cancellable_by_user"]),
                organisation: NotifiedOrganisation(
                    id: row["organisation_id"], name: row["organisation_name"], phoneNumber: row["organisation_phone"]),
                replyTo: row["organisation_email"],
                timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
                smsEnabled: ((row["sms_provider"] as String?) ?? instance.smsProvider) != "none")
        }
    }

    /// Plans the messages of `event` for an appointment inside the caller's transaction
    /// (style.md §2.3: the change and its notifications commit together, or not at all).
    static func planNotifications(
        _ db: Database, event: NotificationEvent, appointmentID: Int64, author: NotificationAuthor,
        instance: InstanceEnvironment, publicURL: String, now: Date
    ) throws {
        guard let context = try notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
        else { return }
        try planNotifications(
            db, event: event, context: context, author: author, instance: instance, publicURL: publicURL, now: now)
    }

    static func planNotifications(
        _ db: Database, event: NotificationEvent, context: NotificationContext, previous: NotifiedAppointment? = nil,
        change: NotificationChange = .wholeAppointment, author: NotificationAuthor, instance: InstanceEnvironment,
        publicURL: String, now: Date
    ) throws {
        let appointmentID = context.appointment.id
        let planned = NotificationPlanner.plan(
            event: event, appointment: context.appointment, previous: previous, change: change,
            participants: context.participants, agents: context.agents,
            author: author, motif: context.motif, organisation: context.organisation,
            settings: NotificationSettings(
                publicURL: publicURL, timeZone: context.timeZone, smsEnabled: context.smsEnabled,
                noReplyAddress: instance.noReplyAddress),
            now: now)
        for message in planned {
            let payload = RenderedMessage(
                event: message.event.rawValue, channel: message.channel.rawValue, recipient: message.address,
                subject: message.subject, body: message.body, html: message.html, ics: message.ics,
                calendarMethod: message.calendarMethod?.rawValue,
                replyTo: message.channel == .mail ? context.replyTo : nil, appointmentID: appointmentID)
            try insertRenderedMessage(db, payload, key: message.idempotencyKey, dueAt: now)
        }
    }

    /// What became of a due reminder.
    public enum ReminderPlanning: Sendable, Equatable {
        case planned
        /// Expected "too late" conditions (style.md §5): recorded and dropped, never retried.
        case dropped(String)
    }

    /// A due reminder fans out, in one transaction, into the e-mails and SMS the planner decides
    /// now (notifications.md §4–§6): recipients and texts are those of the moment it is sent.
    /// `reminderKey` is the planned row's key (`reminder:<id>:<start>`): a row planned for a start
    /// the appointment has since left (it moved while the row was claimed) sends nothing; the row
    /// of the new start does.
    public func planReminderMessages(appointmentID: Int64, reminderKey: String, publicURL: String, now: Date) throws
        -> ReminderPlanning
    {
        try writer.write { db in
            guard let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) else {
                return .dropped("appointment deleted")
            }
            guard !context.appointment.status.isCancelled else { return .dropped("appointment cancelled") }
            guard
                reminderKey
                    == ReminderSchedule.idempotencyKey(
                        appointmentID: appointmentID, startsAt: context.appointment.startsAt)
            else { return .dropped("appointment moved") }
            guard context.appointment.startsAt > now else { return .dropped("appointment already started") }
            try Self.planNotifications(
                db, event: .rdvUpcomingReminder, context: context, author: .system, instance: instance, publicURL: publicURL, now: now)
            return .planned
        }
    }

    static func notifiedParticipants(_ db: Database, appointmentID: Int64, secret: [UInt8], now: Date) throws
        -> [NotifiedParticipant]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id AS participation_id, p.status, p.send_lifecycle_notifications, p.send_reminder_notification,
                       p.token_created_at, u.id, u.first_name, u.last_name, u.email, u.phone_number, u.notify_by_email,
                       u.notify_by_sms, u.address, u.responsible_id
                FROM participations p JOIN users u ON u.id = p.user_id WHERE p.appointment_id = ? ORDER BY u.id
                """, arguments: [appointmentID])
        return try rows.map { row in
            let participation: Int64 = row["participation_id"]
            var tokenCreatedAt: Int64? = row["token_created_at"]
            if tokenCreatedAt == nil {
                tokenCreatedAt = Int64(now.timeIntervalSince1970)
                try db.execute(
                    sql: "UPDATE participations SET token_created_at = ? WHERE id = ?",
                    arguments: [tokenCreatedAt, participation])
            }
            let responsible = try (row["responsible_id"] as Int64?).flatMap { id in
                try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.contact)
            }
            return NotifiedParticipant(
                user: Self.contact(row), responsible: responsible,
                status: AppointmentStatus(rawValue: row["status"]) ?? .unknown,
                sendLifecycleNotifications: row["send_lifecycle_notifications"],
                sendReminderNotification: row["send_reminder_notification"],
                token: Self.linkToken(secret: secret, participationID: participation, createdAt: tokenCreatedAt!))
        }
    }

    static func contact(_ row: Row) -> NotifiedContact {
        NotifiedContact(
            userID: row["id"], firstName: row["first_name"], lastName: row["last_name"], email: row["email"],
            phoneNumber: row["phone_number"], notifyByEmail: row["notify_by_email"], notifyBySMS: row["notify_by_sms"],
            address: row["address"])
    }

    /// domain.md §10: `tkn` = 8 base62 characters of HMAC-SHA256(secret, "<participation id>:<token_created_at>").
    static func linkToken(secret: [UInt8], participationID: Int64, createdAt: Int64) -> String {
        let alphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        let mac = Digest.hmacSHA256(key: secret, Array("\(participationID):\(createdAt)".utf8))
        return String(mac.prefix(8).map { alphabet[Int($0) % 62] })
    }
}
