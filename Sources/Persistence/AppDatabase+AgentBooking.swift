import Domain
import Foundation
import GRDB

/// A user created inline by the wizard (booking.md §1.3 step 2): the minimal file; the user
/// files pages edit the rest.
public struct WizardNewUser: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var phone: String?
    public var email: String?
    /// A relative of this (already chosen) user (domain.md §11).
    public var responsibleID: Int64?

    public init(firstName: String, lastName: String, phone: String?, email: String?, responsibleID: Int64?) {
        self.firstName = firstName
        self.lastName = lastName
        self.phone = phone
        self.email = email
        self.responsibleID = responsibleID
    }
}

/// The two toggles of step 4 for one participant.
public struct WizardNotifications: Sendable, Equatable {
    public var lifecycle: Bool
    public var reminder: Bool

    public init(lifecycle: Bool, reminder: Bool) {
        self.lifecycle = lifecycle
        self.reminder = reminder
    }
}

/// Everything the agent's wizard saves (booking.md §1.3).
public struct AgentBookingRequest: Sendable {
    public var organisationID: Int64
    public var motifID: Int64
    /// An enabled place, or nil with `singleUsePlace` (« Lieu ponctuel ») or for a motif elsewhere.
    public var placeID: Int64?
    public var singleUsePlace: (name: String, address: String)?
    public var startsAt: Date
    public var endsAt: Date
    public var agentIDs: [Int64]
    public var userIDs: [Int64]
    public var newUser: WizardNewUser?
    public var context: String?
    /// By user id; the new user's under `newUserNotifications`.
    public var notifications: [Int64: WizardNotifications]
    public var newUserNotifications: WizardNotifications?
    public var authorAgentID: Int64
    /// A collective appointment's « Intitulé » and « Nombre maximum de participants » (nil:
    /// unlimited), booking.md §6.
    public var name: String?
    public var maxParticipantsCount: Int?

    public init(
        organisationID: Int64, motifID: Int64, placeID: Int64?, singleUsePlace: (name: String, address: String)?,
        startsAt: Date, endsAt: Date, agentIDs: [Int64], userIDs: [Int64], newUser: WizardNewUser?, context: String?,
        notifications: [Int64: WizardNotifications], newUserNotifications: WizardNotifications?, authorAgentID: Int64
    ) {
        self.organisationID = organisationID
        self.motifID = motifID
        self.placeID = placeID
        self.singleUsePlace = singleUsePlace
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.agentIDs = agentIDs
        self.userIDs = userIDs
        self.newUser = newUser
        self.context = context
        self.notifications = notifications
        self.newUserNotifications = newUserNotifications
        self.authorAgentID = authorAgentID
    }
}

/// A chosen participant as the wizard shows it (name, contact for the sentence of step 4).
public struct WizardUser: Sendable, Equatable {
    public let id: Int64
    public let firstName: String
    public let lastName: String
    public let email: String?
    public let phone: String?
    public let notifyByEmail: Bool
    public let notifyBySMS: Bool
    public let responsibleID: Int64?
    /// A relative's messages go to their responsible (notifications.md §3): its name, nil otherwise.
    public let responsibleName: String?
    /// Where messages go: the user's own contact, or the responsible's for a relative.
    public let contactEmail: String?
    public let contactPhone: String?
    public let contactNotifyByEmail: Bool
    public let contactNotifyBySMS: Bool
}

extension AppDatabase {
    /// The users of `ids` visible in the organisation (permissions.md "users"), in the given order.
    public func wizardUsers(ids: [Int64], organisationID: Int64) throws -> [WizardUser] {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let (list, arguments) = Self.inList(ids)
            var all = StatementArguments([organisationID, organisationID])
            all += arguments
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.first_name, u.last_name, u.email, u.phone_number, u.notify_by_email, u.notify_by_sms,
                           u.responsible_id, r.first_name AS responsible_first_name, r.last_name AS responsible_last_name,
                           coalesce(r.email, u.email) AS contact_email, coalesce(r.phone_number, u.phone_number) AS contact_phone,
                           coalesce(r.notify_by_email, u.notify_by_email) AS contact_by_email,
                           coalesce(r.notify_by_sms, u.notify_by_sms) AS contact_by_sms
                    FROM users u LEFT JOIN users r ON r.id = u.responsible_id
                    WHERE u.deleted_at IS NULL AND u.id IN (\(Self.visibleUserIDsSQL)) AND u.id IN (\(list))
                    """, arguments: all)
            let users = rows.map { row -> WizardUser in
                let responsibleFirst: String = row["responsible_first_name"] ?? ""
                let responsibleLast: String? = row["responsible_last_name"]
                return WizardUser(
                    id: row["id"], firstName: row["first_name"], lastName: row["last_name"], email: row["email"],
                    phone: row["phone_number"], notifyByEmail: row["notify_by_email"], notifyBySMS: row["notify_by_sms"],
                    responsibleID: row["responsible_id"],
                    // « Jeanne DUPONT », as agent pages write names (uppercased here: SQLite's
                    // upper() is ASCII-only).
                    responsibleName: responsibleLast.map {
                        responsibleFirst.isEmpty ? $0.uppercased() : "\(responsibleFirst) \($0.uppercased())"
                    },
                    contactEmail: row["contact_email"], contactPhone: row["contact_phone"],
                    contactNotifyByEmail: row["contact_by_email"], contactNotifyBySMS: row["contact_by_sms"])
            }
            return ids.compactMap { id in users.first { $0.id == id } }
        }
    }

    /// Whether the territory of the organisation has an SMS provider other than `none`
    /// (notifications.md §3, §7).
    public func smsEnabled(organisationID: Int64) throws -> Bool {
        try writer.read { db in
            let provider = try String.fetchOne(
                db,
                sql: """
                    SELECT t.sms_provider FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?
                    """, arguments: [organisationID])
            return (provider ?? instance.smsProvider) != "none"
        }
    }

    /// domain.md §9 benign warnings that need other records (the two others come from
    /// `Appointment.validate`), and the duplicate hard error. `agentNames` names agents in messages.
    public func agentBookingIssues(
        _ request: AgentBookingRequest, agentNames: [Int64: String], userNames: [Int64: String],
        timeZone: TimeZone, now: Date
    ) throws -> [ValidationIssue] {
        try writer.read { db in
            var issues: [ValidationIssue] = []
            let start = Int64(request.startsAt.timeIntervalSince1970)
            let end = Int64(request.endsAt.timeIntervalSince1970)
            for agent in request.agentIDs {
                let name = agentNames[agent] ?? ""
                issues += try Self.periodElsewhereWarnings(db, request, agentID: agent, name: name, timeZone: timeZone)
                issues += try Self.absenceWarnings(db, request, agentID: agent, name: name, timeZone: timeZone)
                let endingBefore = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT max(ends_at) FROM appointment_agents WHERE agent_id = ?
                          AND ends_at BETWEEN ? AND ? AND status IN ('unknown', 'seen', 'noshow')
                        """, arguments: [agent, start - 45 * 60, start - 60])
                if let endingBefore {
                    let time = NotificationFormat.time(Date(timeIntervalSince1970: TimeInterval(endingBefore)), in: timeZone)
                    issues.append(.warning("starts_at", "\(name) a un RDV qui se termine à \(time)"))
                }
                let overlapping = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM appointment_agents WHERE agent_id = ? AND starts_at < ? AND ends_at > ?
                          AND ends_at > ? AND status IN ('unknown', 'seen', 'noshow'))
                        """, arguments: [agent, end, start, Int64(now.timeIntervalSince1970)]) ?? false
                if overlapping { issues.append(.warning("starts_at", "\(name) a déjà un RDV sur ce créneau")) }
            }
            let day = LocalDate(request.startsAt, in: timeZone)
            if let range = SlotEngine.dayRange(from: day, through: day, timeZone: timeZone) {
                for user in request.userIDs {
                    let same = try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id
                              WHERE p.user_id = ? AND a.motif_id = ? AND a.starts_at >= ? AND a.starts_at < ?
                                AND a.status NOT IN ('excused', 'revoked') AND p.status NOT IN ('excused', 'revoked'))
                            """,
                        arguments: [
                            user, request.motifID, Int64(range.start.timeIntervalSince1970),
                            Int64(range.end.timeIntervalSince1970),
                        ]) ?? false
                    if same {
                        issues.append(.warning("users", "\(userNames[user] ?? "") a déjà un RDV pour ce motif ce jour-là"))
                    }
                }
            }
            if try Self.isDuplicate(db, request) { issues.append(.error("base", Appointment.duplicateMessage)) }
            return issues
        }
    }

    /// « <Agent> a une plage d'ouverture à <lieu> sur ce créneau »: a period of the agent at
    /// another place overlapping the appointment.
    static func periodElsewhereWarnings(
        _ db: Database, _ request: AgentBookingRequest, agentID: Int64, name: String, timeZone: TimeZone
    ) throws -> [ValidationIssue] {
        let day = LocalDate(request.startsAt, in: timeZone)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.first_day, p.start_time, p.end_time, p.recurrence, l.name AS place_name
                FROM opening_periods p JOIN places l ON l.id = p.place_id
                WHERE p.agent_id = ? AND p.expired = 0 AND p.first_day <= ? AND (? IS NULL OR p.place_id <> ?)
                """, arguments: [agentID, day.description, request.placeID, request.placeID])
        let exceptions = try Self.exceptions(db, column: "opening_period_id", ids: rows.map { $0["id"] as Int64 })
        var places: [String] = []
        for row in rows {
            guard let pattern = Self.pattern(row) else { continue }
            let overlaps = pattern.occurrences(from: day, through: day, exceptions: exceptions[row["id"] as Int64] ?? [])
                .contains { occurrence in
                    guard let interval = occurrence.interval(in: timeZone) else { return false }
                    return interval.start < request.endsAt && interval.end > request.startsAt
                }
            let place: String = row["place_name"]
            if overlaps && !places.contains(place) { places.append(place) }
        }
        return places.map { .warning("starts_at", "\(name) a une plage d'ouverture à \($0) sur ce créneau") }
    }

    /// « <Agent> est indisponible sur ce créneau (<titre>) ».
    static func absenceWarnings(
        _ db: Database, _ request: AgentBookingRequest, agentID: Int64, name: String, timeZone: TimeZone
    ) throws -> [ValidationIssue] {
        let day = LocalDate(request.startsAt, in: timeZone)
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT id, title, first_day, start_time, end_day, end_time, recurrence FROM absences
                WHERE agent_id = ? AND expired = 0 AND first_day <= ?
                """, arguments: [agentID, day.description])
        let exceptions = try Self.exceptions(db, column: "absence_id", ids: rows.map { $0["id"] as Int64 })
        var issues: [ValidationIssue] = []
        for row in rows {
            guard let pattern = Self.pattern(row) else { continue }
            let from = day.adding(days: -31) ?? day
            let overlaps = pattern.occurrences(from: from, through: day, exceptions: exceptions[row["id"] as Int64] ?? [])
                .contains { occurrence in
                    guard let interval = occurrence.interval(in: timeZone) else { return false }
                    return interval.start < request.endsAt && interval.end > request.startsAt
                }
            if overlaps {
                issues.append(.warning("starts_at", "\(name) est indisponible sur ce créneau (\(row["title"] as String))"))
            }
        }
        return issues
    }

    /// domain.md §9: the same organisation, place, start, end, motif, users and agents.
    static func isDuplicate(_ db: Database, _ request: AgentBookingRequest) throws -> Bool {
        guard request.newUser == nil else { return false }
        let candidates = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id,
                       (SELECT group_concat(agent_id) FROM appointment_agents x WHERE x.appointment_id = a.id) AS agents,
                       (SELECT group_concat(user_id) FROM participations p WHERE p.appointment_id = a.id) AS users
                FROM appointments a
                WHERE a.organisation_id = ? AND a.motif_id = ? AND a.starts_at = ? AND a.ends_at = ?
                  AND a.place_id IS ? AND a.status NOT IN ('excused', 'revoked')
                """,
            arguments: [
                request.organisationID, request.motifID, Int64(request.startsAt.timeIntervalSince1970),
                Int64(request.endsAt.timeIntervalSince1970), request.placeID,
            ])
        func ids(_ text: String?) -> Set<Int64> { Set((text ?? "").split(separator: ",").compactMap { Int64($0) }) }
        return candidates.contains {
            ids($0["agents"]) == Set(request.agentIDs) && ids($0["users"]) == Set(request.userIDs)
        }
    }

    /// booking.md §1.3 "Saving", in ONE transaction: the inline user and lieu ponctuel, the
    /// appointment (`created_by = Agent`), its agents, participations with the step-4 toggles,
    /// the missing profiles, the reminder, the `rdv_created` messages and the webhooks — as the
    /// public booking plans them (`book`). Returns the appointment's id.
    public func createAgentAppointment(
        _ request: AgentBookingRequest, clock: any Clock, publicURL: String? = nil
    ) throws -> Int64 {
        let publicURL = publicURL ?? instance.publicURL
        return try immediateWrite { db in
            let now = clock.now
            guard let motif = try Self.slotMotif(db, id: request.motifID), motif.organisationID == request.organisationID
            else { throw BookingError.unknownMotif }
            let author = try Self.versionAuthor(db, .agent(request.authorAgentID))
            var participants = request.userIDs.map { ($0, request.notifications[$0]) }
            if let newUser = request.newUser {
                let id = try Self.insertWizardUser(
                    db, newUser, organisationID: request.organisationID, author: author, now: now)
                participants.append((id, request.newUserNotifications))
            }
            var placeID = request.placeID
            if let single = request.singleUsePlace {
                placeID = try Self.insertSingleUsePlace(db, single, organisationID: request.organisationID, now: now)
            }
            let epochNow = Int64(now.timeIntervalSince1970)
            let starts = Int64(request.startsAt.timeIntervalSince1970)
            let ends = Int64(request.endsAt.timeIntervalSince1970)
            try db.execute(
                sql: """
                    INSERT INTO appointments (uuid, organisation_id, motif_id, collectif, location_type, place_id, starts_at,
                        ends_at, status, context, name, max_participants_count, users_count, created_by_type,
                        created_by_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?, 'Agent', ?, ?, ?)
                    """,
                arguments: [
                    UUID().uuidString.lowercased(), request.organisationID, motif.id, motif.collectif,
                    motif.locationType, placeID, starts, ends, request.context,
                    motif.collectif ? request.name : nil, motif.collectif ? request.maxParticipantsCount : nil,
                    participants.count, request.authorAgentID, epochNow, epochNow,
                ])
            let id = db.lastInsertedRowID
            try Self.auditCreated(db, .appointment, id: id, author: author, now: now)
            for agent in request.agentIDs {
                try db.execute(
                    sql: """
                        INSERT INTO appointment_agents (appointment_id, agent_id, starts_at, ends_at, status)
                        VALUES (?, ?, ?, ?, 'unknown')
                        """, arguments: [id, agent, starts, ends])
            }
            for (user, toggles) in participants {
                try db.execute(
                    sql: """
                        INSERT INTO participations (appointment_id, user_id, status, send_lifecycle_notifications,
                            send_reminder_notification, created_by_type, created_by_id)
                        VALUES (?, ?, 'unknown', ?, ?, 'Agent', ?)
                        """,
                    arguments: [
                        id, user, toggles?.lifecycle ?? motif.notifiesByDefault,
                        toggles?.reminder ?? motif.notifiesByDefault, request.authorAgentID,
                    ])
                try Self.auditCreated(
                    db, .participation, id: db.lastInsertedRowID, author: author, organisationID: request.organisationID,
                    now: now)
                // domain.md §9 "Saving": the participant's family gets profiles here.
                try Self.linkFamilyProfiles(
                    db, userID: user, organisationID: request.organisationID, author: author, now: now)
            }
            try Self.planReminder(
                db, appointmentID: id, startsAt: request.startsAt, timeZone: motif.timeZone,
                departementNumber: motif.territory.departementNumber,
                whitMondayIsHoliday: motif.territory.whitMondayIsHoliday, now: now)
            try Self.planNotifications(
                db, event: .rdvCreated, appointmentID: id, author: .agent(request.authorAgentID), instance: instance, publicURL: publicURL,
                now: now)
            try Self.planAppointmentWebhooks(db, appointmentID: id, event: .created, publicURL: publicURL, now: now)
            return id
        }
    }

    static func insertWizardUser(
        _ db: Database, _ user: WizardNewUser, organisationID: Int64, author: String?, now: Date
    ) throws -> Int64 {
        let phone = user.phone.flatMap { PhoneNumber($0) }
        try db.execute(
            sql: """
                INSERT INTO users (first_name, last_name, email, phone_number, phone_number_formatted, responsible_id,
                    created_through, last_modified_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, 'agent_creation', ?, ?, ?)
                """,
            arguments: [
                user.firstName, user.lastName, user.email.map(EmailAddress.normalised), user.phone, phone?.e164,
                user.responsibleID, Int64(now.timeIntervalSince1970), Int64(now.timeIntervalSince1970),
                Int64(now.timeIntervalSince1970),
            ])
        let id = db.lastInsertedRowID
        try auditCreated(db, .user, id: id, author: author, organisationID: organisationID, now: now)
        try db.execute(
            sql: "INSERT INTO user_profiles (user_id, organisation_id) VALUES (?, ?)", arguments: [id, organisationID])
        try auditCreated(db, .userProfile, id: db.lastInsertedRowID, author: author, organisationID: organisationID, now: now)
        return id
    }

    /// A « lieu ponctuel » (domain.md §5 `single_use`). There is no geocoder yet (contracts.md
    /// §6): it takes the coordinates of the organisation's first place, else 0, 0.
    static func insertSingleUsePlace(
        _ db: Database, _ place: (name: String, address: String), organisationID: Int64, now: Date
    ) throws -> Int64 {
        let near = try Row.fetchOne(
            db, sql: "SELECT latitude, longitude FROM places WHERE organisation_id = ? ORDER BY id LIMIT 1",
            arguments: [organisationID])
        try db.execute(
            sql: """
                INSERT INTO places (organisation_id, name, address, latitude, longitude, availability, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, 'single_use', ?, ?)
                """,
            arguments: [
                organisationID, place.name, place.address, (near?["latitude"] as Double?) ?? 0,
                (near?["longitude"] as Double?) ?? 0, Int64(now.timeIntervalSince1970), Int64(now.timeIntervalSince1970),
            ])
        return db.lastInsertedRowID
    }

    /// Whether an e-mail already belongs to a user (users.email is unique).
    public func userEmailExists(_ email: String) throws -> Bool {
        try writer.read { db in
            try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM users WHERE email = ?)",
                arguments: [EmailAddress.normalised(email)]) ?? false
        }
    }
}
