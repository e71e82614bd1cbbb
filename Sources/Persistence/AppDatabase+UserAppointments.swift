import Cryptography
import Domain
import Foundation
import GRDB

/// An appointment as its participant sees it (« Mes rendez-vous », booking.md §2.2 step 13).
public struct UserAppointment: Sendable, Equatable {
    public let id: Int64
    public let motifID: Int64
    public let placeID: Int64?
    public let motifName: String
    public let locationType: LocationType
    public let serviceName: String
    public let organisationName: String
    public let placeName: String?
    public let placeAddress: String?
    /// The place's phone, else the organisation's (booking.md §7).
    public let phone: String?
    public let endsAt: Date
    public let timeZone: TimeZone
    public let collectiveName: String?
    public let instruction: String?
    public let cancelWarning: String?
    /// The household members taking part, « Camille DURAND ».
    public let participantNames: [String]
    public let rules: UserAppointmentView
}

extension AppDatabase {
    private static let userAppointmentSQL = """
        SELECT a.id, a.motif_id, a.place_id, a.starts_at, a.ends_at, a.status, a.collectif, a.name AS collective_name, a.created_by_type,
               a.location_type, m.name AS motif_name, m.visibility_type, m.rdvs_cancellable_by_user,
               m.rdvs_editable_by_user, m.bookable_by, m.instruction_for_rdv, m.custom_cancel_warning_message,
               s.name AS service_name, o.name AS organisation_name, t.time_zone,
               l.name AS place_name, l.address AS place_address,
               COALESCE(NULLIF(l.phone_number, ''), NULLIF(o.phone_number, '')) AS phone
        FROM appointments a
        JOIN motifs m ON m.id = a.motif_id
        JOIN services s ON s.id = m.service_id
        JOIN organisations o ON o.id = a.organisation_id
        JOIN territories t ON t.id = o.territory_id
        LEFT JOIN places l ON l.id = a.place_id
        """

    /// The appointments of the user and their relatives (permissions.md §3: not `invisible`
    /// motifs), soonest first.
    public func userAppointments(household: Set<Int64>) throws -> [UserAppointment] {
        guard !household.isEmpty else { return [] }
        return try writer.read { db in
            let ids = try Int64.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT p.appointment_id FROM participations p
                    JOIN appointments a ON a.id = p.appointment_id JOIN motifs m ON m.id = a.motif_id
                    WHERE p.user_id IN (\(household.map(String.init).joined(separator: ",")))
                      AND m.visibility_type <> 'invisible'
                    """)
            return try ids.compactMap { try Self.userAppointment(db, id: $0, household: household) }
                .sorted { $0.rules.startsAt < $1.rules.startsAt }
        }
    }

    /// One appointment of the household; nil when it is not theirs (absent, 404).
    public func userAppointment(id: Int64, household: Set<Int64>) throws -> UserAppointment? {
        try writer.read { db in try Self.userAppointment(db, id: id, household: household) }
    }

    static func userAppointment(_ db: Database, id: Int64, household: Set<Int64>) throws -> UserAppointment? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: userAppointmentSQL + " WHERE a.id = ?"), arguments: [id])
        else { return nil }
        let participants = try Row.fetchAll(
            db,
            sql: """
                SELECT p.user_id, p.status, u.first_name, u.last_name FROM participations p JOIN users u ON u.id = p.user_id
                WHERE p.appointment_id = ? ORDER BY p.id
                """, arguments: [id])
        let mine = participants.filter { household.contains($0["user_id"]) }
        let collectif: Bool = row["collectif"]
        let own = mine.compactMap { AppointmentStatus(rawValue: $0["status"]) }.first { !$0.isCancelled }
            ?? mine.first.flatMap { AppointmentStatus(rawValue: $0["status"]) }
        let rules = UserAppointmentView(
            startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
            status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, collectif: collectif,
            motifVisibility: row["visibility_type"], cancellableByUser: row["rdvs_cancellable_by_user"],
            editableByUser: row["rdvs_editable_by_user"], bookableBy: BookableBy(rawValue: row["bookable_by"]) ?? .agents,
            createdByType: CreatorType(rawValue: row["created_by_type"]) ?? .agent,
            locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice,
            participantIDs: Set(participants.map { $0["user_id"] as Int64 }), ownParticipationStatus: own)
        guard UserAppointmentPolicy.mayShow(rules, household: household) else { return nil }
        return UserAppointment(
            id: id, motifID: row["motif_id"], placeID: row["place_id"], motifName: row["motif_name"], locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice,
            serviceName: row["service_name"], organisationName: row["organisation_name"], placeName: row["place_name"],
            placeAddress: row["place_address"], phone: row["phone"],
            endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64)),
            timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
            collectiveName: row["collective_name"], instruction: row["instruction_for_rdv"],
            cancelWarning: row["custom_cancel_warning_message"],
            participantNames: mine.map { ($0["first_name"] as String) + " " + ($0["last_name"] as String).uppercased() },
            rules: rules)
    }

    /// « Vos informations » (booking.md §2.2 step 10): the phone the motif needs, saved on the
    /// user's own file (versioned like an agent's edit).
    public func updateUserPhone(userID: Int64, phone: String, now: Date) throws {
        let formatted = PhoneNumber(phone)?.e164
        let epoch = Self.epoch(now)
        try immediateWrite { db in
            try Self.audited(db, .user, id: userID, author: "Usager", now: now) {
                try db.execute(
                    sql: """
                        UPDATE users SET phone_number = ?, phone_number_formatted = ?, last_modified_at = ?, updated_at = ?
                        WHERE id = ? AND deleted_at IS NULL
                        """, arguments: [phone, formatted, epoch, epoch, userID])
            }
        }
    }
}

/// The participation a token link names (booking.md §4, permissions.md §4).
public struct TokenParticipation: Sendable, Equatable {
    public let participationID: Int64
    public let appointmentID: Int64
    public let userID: Int64
    /// The names whose first 3 letters open the link: the participant's, or their responsible's.
    public let lastNames: [String]
    public let lockedUntil: Date?
}

extension AppDatabase {
    /// booking.md §4: valid 12 weeks from the participation's `token_created_at`.
    public static let tokenLinkLifetime: TimeInterval = 12 * 7 * 86_400

    /// The participation of `appointmentID` whose link secret is `token`, while the link is
    /// valid; compared in constant time with each participation's secret.
    public func tokenParticipation(appointmentID: Int64, token: String, now: Date) throws -> TokenParticipation? {
        guard token.count == 8, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        // Outside the read: the first use of a new database writes the secret.
        let secret = try instanceSecret()
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.user_id, p.token_created_at, p.token_locked_until, u.last_name,
                           r.last_name AS responsible_last_name
                    FROM participations p JOIN users u ON u.id = p.user_id LEFT JOIN users r ON r.id = u.responsible_id
                    WHERE p.appointment_id = ? AND p.token_created_at IS NOT NULL AND u.deleted_at IS NULL
                    """, arguments: [appointmentID])
            for row in rows {
                let created: Int64 = row["token_created_at"]
                let expected = Self.linkToken(secret: secret, participationID: row["id"], createdAt: created)
                guard Digest.equal(Array(expected.utf8), Array(token.utf8)) else { continue }
                guard Double(created) + Self.tokenLinkLifetime > now.timeIntervalSince1970 else { return nil }
                return TokenParticipation(
                    participationID: row["id"], appointmentID: appointmentID, userID: row["user_id"],
                    lastNames: [row["last_name"], row["responsible_last_name"]].compactMap { $0 },
                    lockedUntil: (row["token_locked_until"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
            }
            return nil
        }
    }

    /// permissions.md §4: five failed checks block the token for 15 minutes.
    public func recordTokenCheckFailure(participationID: Int64, now: Date) throws {
        let epoch = Self.epoch(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE participations SET token_failed_attempts = token_failed_attempts + 1,
                        token_locked_until = CASE WHEN token_failed_attempts + 1 >= 5 THEN ? ELSE token_locked_until END
                    WHERE id = ?
                    """, arguments: [epoch + 15 * 60, participationID])
            try db.execute(
                sql: "UPDATE participations SET token_failed_attempts = 0 WHERE id = ? AND token_failed_attempts >= 5",
                arguments: [participationID])
        }
    }

    /// A token session (10 minutes sliding), bound to one participation.
    public func createTokenSession(participationID: Int64, ip: String?, userAgent: String?, now: Date) throws -> String {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE participations SET token_failed_attempts = 0, token_locked_until = NULL WHERE id = ?",
                arguments: [participationID])
        }
        return try createSession(
            holder: "participation_id", id: participationID, method: "token_link", ip: ip, userAgent: userAgent, now: now,
            policy: .tokenLink)
    }

    /// The participation of a token session: its user and appointment.
    public func sessionParticipation(id: Int64) throws -> (userID: Int64, appointmentID: Int64)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT user_id, appointment_id FROM participations WHERE id = ?", arguments: [id])
                .map { ($0["user_id"], $0["appointment_id"]) }
        }
    }
}

extension AppDatabase {
    /// « S'inscrire » (booking.md §6, permissions.md §3 "Join a collective appointment"): not
    /// revoked, not started, a seat left (users never overbook), the motif open to users, one
    /// member of a family; a cancelled own participation is taken up again (→ `unknown`).
    /// `rdv_created` goes to that user, and the agents are told (notifications.md §2), in the
    /// same transaction. Refusals are `BookingError.slotTaken`: the seat is gone.
    public func joinCollective(appointmentID: Int64, userID: Int64, now: Date, publicURL: String? = nil) throws {
        let publicURL = publicURL ?? instance.publicURL
        try immediateWrite { db in
            _ = try Self.joinCollective(
                db, appointmentID: appointmentID, userID: userID, booker: .user, createdByID: userID, author: "Usager",
                notificationAuthor: .user(userID), instance: instance, publicURL: publicURL, now: now)
        }
    }

    /// A seat taken by a user or a prescriber (booking.md §5.1, §6) in the caller's transaction:
    /// seats left, not started, one active participation per family; `rdv_created` to the
    /// participant and the agents. Returns the participation.
    static func joinCollective(
        _ db: Database, appointmentID: Int64, userID: Int64, booker: CreatorType, createdByID: Int64?, author: String,
        notificationAuthor: NotificationAuthor, instance: InstanceEnvironment, publicURL: String, now: Date
    ) throws -> Int64 {
        let epoch = Self.epoch(now)
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.organisation_id, a.collectif, a.status, a.starts_at, a.max_participants_count,
                           a.users_count, m.bookable_by, m.visibility_type
                    FROM appointments a JOIN motifs m ON m.id = a.motif_id WHERE a.id = ?
                    """, arguments: [appointmentID]),
            row["collectif"] as Bool
        else { throw BookingError.unknownMotif }
        guard BookingPolicy.mayBook(BookableBy(rawValue: row["bookable_by"]) ?? .agents, as: booker, invited: false)
        else { throw BookingError.notBookable }
        let maximum: Int? = row["max_participants_count"]
        let seated: Int = row["users_count"]
        let status: String = row["status"]
        let startsAt: Int64 = row["starts_at"]
        guard status != "revoked", startsAt > epoch, maximum.map({ seated < $0 }) ?? true
        else { throw BookingError.slotTaken }
        let organisationID: Int64 = row["organisation_id"]
        let family = try Self.familyParticipations(db, appointmentID: appointmentID, userID: userID)
        let active = family.filter { !(AppointmentStatus(rawValue: $0["status"])?.isCancelled ?? false) }
        guard active.isEmpty else { throw BookingError.slotTaken }
        let participationID: Int64
        if let own = family.first(where: { ($0["user_id"] as Int64) == userID }) {
            participationID = own["id"]
            try Self.audited(db, .participation, id: participationID, author: author, organisationID: organisationID, now: now) {
                try db.execute(
                    sql: "UPDATE participations SET status = 'unknown', updated_at = ? WHERE id = ?",
                    arguments: [epoch, participationID])
            }
        } else {
            let notified = VisibilityType(rawValue: row["visibility_type"]) == .visibleAndNotified
            try db.execute(
                sql: """
                    INSERT INTO participations (appointment_id, user_id, send_lifecycle_notifications,
                        send_reminder_notification, created_by_type, created_by_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [appointmentID, userID, notified, notified, booker.rawValue, createdByID, epoch, epoch])
            participationID = db.lastInsertedRowID
            try Self.auditCreated(db, .participation, id: participationID, author: author, organisationID: organisationID, now: now)
        }
        try Self.linkFamilyProfiles(db, userID: userID, organisationID: organisationID, author: author, now: now)
        try Self.refreshUsersCount(db, appointmentID: appointmentID, now: now)
        try Self.planAppointmentWebhooks(db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
        guard let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
        else { return participationID }
        try Self.planNotifications(
            db, event: .rdvCreated, context: context,
            change: NotificationChange(concernedUserIDs: [userID], changeID: "p\(participationID)-\(epoch)"),
            author: notificationAuthor, instance: instance, publicURL: publicURL, now: now)
        return participationID
    }
}

extension AppDatabase {
    /// A user cancels their own seat in a collective appointment (permissions.md §3): the
    /// household's active participation (one per family, domain.md §10) becomes `excused`, `rdv_cancelled` (participation wording) goes to them
    /// and the agents are told (notifications.md §2); the others keep theirs.
    public func cancelOwnParticipation(appointmentID: Int64, household: Set<Int64>, now: Date, publicURL: String) throws {
        let epoch = Self.epoch(now)
        try immediateWrite { db in
            guard
                let participation = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT p.id, p.user_id, a.organisation_id FROM participations p
                        JOIN appointments a ON a.id = p.appointment_id
                        WHERE p.appointment_id = ? AND a.collectif = 1 AND p.status NOT IN ('excused', 'revoked')
                          AND p.user_id IN (\(household.map(String.init).joined(separator: ",")))
                        """, arguments: [appointmentID])
            else { throw AppointmentChangeError.notFound }
            let participationID: Int64 = participation["id"]
            let userID: Int64 = participation["user_id"]
            if var context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now),
                let index = context.participants.firstIndex(where: { $0.user.userID == userID })
            {
                context.participants[index].statusBeforeChange = context.participants[index].status
                context.participants[index].status = .excused
                try Self.planNotifications(
                    db, event: .rdvCancelled, context: context,
                    change: NotificationChange(concernedUserIDs: [userID], changeID: "c\(participationID)-\(epoch)"),
                    author: .user(userID), instance: instance, publicURL: publicURL, now: now)
            }
            try Self.audited(
                db, .participation, id: participationID, author: "Usager", organisationID: participation["organisation_id"],
                now: now
            ) {
                try db.execute(
                    sql: "UPDATE participations SET status = 'excused', updated_at = ? WHERE id = ?",
                    arguments: [epoch, participationID])
            }
            try Self.refreshUsersCount(db, appointmentID: appointmentID, now: now)
            try Self.planAppointmentWebhooks(db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
        }
    }
}

extension AppDatabase {
    /// « Déplacer » by the user (booking.md §7): the same motif and place, any agent free at the
    /// new start (the least busy that day, slots.md §6), within the users' booking window; the
    /// appointment keeps its duration, `rdv_updated` goes out. The slot is checked in the change's
    /// transaction, so two moves cannot take one slot. `BookingError.slotTaken` when it is gone.
    public func rescheduleByUser(
        appointmentID: Int64, to startsAt: Date, userID: Int64, random: RandomSource, now: Date, publicURL: String
    ) throws {
        try immediateWrite { db in
            guard
                let row = try Row.fetchOne(
                    db, sql: "SELECT motif_id, place_id, starts_at, ends_at FROM appointments WHERE id = ?",
                    arguments: [appointmentID]),
                let motif = try Self.slotMotif(db, id: row["motif_id"])
            else { throw BookingError.unknownMotif }
            let duration = Int(((row["ends_at"] as Int64) - (row["starts_at"] as Int64)) / 60)
            let placeID: Int64? = row["place_id"]
            let day = LocalDate(startsAt, in: motif.timeZone)
            guard let range = SlotEngine.dayRange(from: day, through: day, timeZone: motif.timeZone),
                let window = BookingPolicy.window(
                    range, for: .user, now: now, minDelay: motif.minPublicBookingDelay,
                    maxDelay: motif.maxPublicBookingDelay)
            else { throw BookingError.slotTaken }
            let inputs = try Self.slotInputs(db, motif: motif, placeID: placeID, agents: nil, range: window)
            let slots = SlotEngine.availableSlots(
                durationInMinutes: duration, periods: inputs.periods, absences: inputs.absences,
                appointments: inputs.appointments, range: window, now: now, territory: motif.territory
            ).filter { $0.startsAt == startsAt && (placeID == nil || $0.placeID == placeID) }
            let candidates = Array(Set(slots.map(\.agentID))).sorted()
            let counts = try Self.appointmentCounts(db, agents: candidates, day: day, timeZone: motif.timeZone)
            guard
                let agent = random.withGenerator({ generator in
                    SlotEngine.pickAgent(candidates, appointmentsThatDay: counts, using: &generator)
                })
            else { throw BookingError.slotTaken }
            // booking.md §8: a move after the waiting list's message is its doing (origin « File d'attente »).
            let offered =
                try Bool.fetchOne(
                    db,
                    sql: "SELECT 1 FROM waiting_list_entries WHERE appointment_id = ? AND notifications_sent > 0",
                    arguments: [appointmentID]) ?? false
            if offered {
                try db.execute(
                    sql: "UPDATE appointments SET created_by_type = 'FileAttente', created_by_id = NULL WHERE id = ?",
                    arguments: [appointmentID])
            }
            try Self.applyAppointmentUpdate(
                db, appointmentID: appointmentID, AppointmentUpdate(startsAt: startsAt, agentIDs: [agent]),
                author: .user(userID), instance: instance, now: now, publicURL: publicURL)
        }
    }
}

/// What `/prdv?tkn=` (book again, booking.md §4) starts from: the cancelled participation's
/// motif, place or organisation, and the user's address.
public struct RebookTarget: Sendable, Equatable {
    public let motifID: Int64
    public let motifName: String
    public let locationType: LocationType
    public let serviceID: Int64
    public let placeID: Int64?
    public let organisationID: Int64
    public let bookableByUsers: Bool
    public let departement: String
    public let address: String?
    public let cityCode: String?
    public let latitude: Double?
    public let longitude: Double?
}

extension AppDatabase {
    /// The cancelled participation whose link secret is `token`, while its link is valid (12
    /// weeks). The link names no appointment, so the secrets of the cancelled participations of
    /// those 12 weeks are compared one by one (in constant time each); cancelled ones are few.
    public func rebookTarget(token: String, now: Date) throws -> RebookTarget? {
        guard token.count == 8, token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { return nil }
        // Outside the read: the first use of a new database writes the secret.
        let secret = try instanceSecret()
        return try writer.read { db in
            let since = Int64(now.timeIntervalSince1970 - Self.tokenLinkLifetime)
            let candidates = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.token_created_at FROM participations p JOIN appointments a ON a.id = p.appointment_id
                    WHERE p.token_created_at > ?
                      AND (p.status IN ('excused', 'revoked') OR a.status IN ('excused', 'revoked'))
                    """, arguments: [since])
            guard
                let match = candidates.first(where: { row in
                    let expected = Self.linkToken(
                        secret: secret, participationID: row["id"], createdAt: row["token_created_at"])
                    return Digest.equal(Array(expected.utf8), Array(token.utf8))
                })
            else { return nil }
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT m.id AS motif_id, m.name, m.location_type, m.service_id, m.bookable_by, a.place_id,
                               a.organisation_id, t.departement_number, u.address, u.city_code, u.latitude, u.longitude
                        FROM participations p JOIN appointments a ON a.id = p.appointment_id
                        JOIN motifs m ON m.id = a.motif_id JOIN organisations o ON o.id = a.organisation_id
                        JOIN territories t ON t.id = o.territory_id JOIN users u ON u.id = p.user_id
                        WHERE p.id = ? AND m.deleted_at IS NULL
                        """, arguments: [match["id"] as Int64])
            else { return nil }
            return RebookTarget(
                motifID: row["motif_id"], motifName: row["name"],
                locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice, serviceID: row["service_id"],
                placeID: row["place_id"], organisationID: row["organisation_id"],
                bookableByUsers: row["bookable_by"] as String == BookableBy.everyone.rawValue,
                departement: row["departement_number"], address: row["address"], cityCode: row["city_code"],
                latitude: row["latitude"], longitude: row["longitude"])
        }
    }
}
