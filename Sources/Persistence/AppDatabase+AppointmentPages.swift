import Domain
import Foundation
import GRDB

/// One appointment as its agent page shows it (booking.md §1.5).
public struct AppointmentPageRecord: Sendable, Equatable {
    public struct Person: Sendable, Equatable {
        public var id: Int64
        public var firstName: String
        public var lastName: String
        public var fullName: String { firstName.isEmpty ? lastName.uppercased() : "\(firstName) \(lastName.uppercased())" }
    }

    public struct Participant: Sendable, Equatable {
        public var user: Person
        public var status: AppointmentStatus
        /// What the status sentences need: can this participant be told by e-mail, by SMS?
        public var reachableByEmail: Bool
        public var reachableBySMS: Bool
    }

    public var id: Int64
    public var organisationID: Int64
    public var motifID: Int64
    public var motifName: String
    public var motifColor: String
    public var motifServiceID: Int64
    public var locationType: LocationType
    public var collectif: Bool
    public var name: String?
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    public var placeID: Int64?
    public var placeName: String?
    public var placeAddress: String?
    public var context: String?
    public var createdByType: CreatorType
    public var createdBy: String?
    public var arrivedAt: Date?
    public var agents: [Person]
    public var participants: [Participant]
    public var timeZone: TimeZone
    public var contextEnabled: Bool

    public var durationInMin: Int { Int((endsAt.timeIntervalSince(startsAt) / 60).rounded()) }

    /// What the policies of permissions.md §2 need.
    public var view: AppointmentView {
        AppointmentView(organisationID: organisationID, agentIDs: Set(agents.map(\.id)), motifServiceID: motifServiceID)
    }
}

/// One line of « Historique des notifications » (notifications.md §11).
public struct AppointmentReceipt: Sendable, Equatable {
    public var createdAt: Date
    public var channel: String
    public var event: String
    public var result: String
    public var recipient: String?
    public var content: String?
}

/// An agent, place or motif offered by a form's select.
public struct NamedOption: Sendable, Equatable {
    public var id: Int64
    public var name: String

    public init(id: Int64, name: String) {
        self.id = id
        self.name = name
    }
}

extension AppDatabase {
    /// The appointment of `organisationID` with this id, nil when absent or of another
    /// organisation (a record out of scope is absent, permissions.md preamble).
    public func appointmentRecord(id: Int64, organisationID: Int64) throws -> AppointmentPageRecord? {
        try writer.read { db in try Self.appointmentRecord(db, id: id, organisationID: organisationID, instance: instance) }
    }

    static func appointmentRecord(
        _ db: Database, id: Int64, organisationID: Int64, instance: InstanceEnvironment
    ) throws -> AppointmentPageRecord? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.*, m.name AS motif_name, m.color AS motif_color, m.service_id,
                           l.name AS place_name, l.address AS place_address, t.time_zone, t.sms_provider,
                           t.enable_context_field,
                           CASE a.created_by_type
                             WHEN 'Agent' THEN (SELECT coalesce(g.first_name, '') || char(31) || g.last_name FROM agents g WHERE g.id = a.created_by_id)
                             WHEN 'User' THEN (SELECT u.first_name || char(31) || u.last_name FROM users u WHERE u.id = a.created_by_id)
                           END AS creator_name
                    FROM appointments a JOIN motifs m ON m.id = a.motif_id
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    LEFT JOIN places l ON l.id = a.place_id
                    WHERE a.id = ? AND a.organisation_id = ?
                    """, arguments: [id, organisationID])
        else { return nil }
        let agents = try Row.fetchAll(
            db,
            sql: """
                SELECT g.id, coalesce(g.first_name, '') AS first_name, g.last_name FROM appointment_agents x
                JOIN agents g ON g.id = x.agent_id WHERE x.appointment_id = ? ORDER BY g.last_name, g.first_name, g.id
                """, arguments: [id]
        ).map { AppointmentPageRecord.Person(id: $0["id"], firstName: $0["first_name"], lastName: $0["last_name"]) }
        let smsEnabled = ((row["sms_provider"] as String?) ?? instance.smsProvider) != "none"
        // A relative's messages go to its responsible (notifications.md §3).
        let participants = try Row.fetchAll(
            db,
            sql: """
                SELECT u.id, u.first_name, u.last_name, p.status, p.send_lifecycle_notifications,
                       coalesce(r.email, u.email) AS email, coalesce(r.phone_number, u.phone_number) AS phone,
                       coalesce(r.notify_by_email, u.notify_by_email) AS by_email,
                       coalesce(r.notify_by_sms, u.notify_by_sms) AS by_sms
                FROM participations p JOIN users u ON u.id = p.user_id LEFT JOIN users r ON r.id = u.responsible_id
                WHERE p.appointment_id = ? ORDER BY u.last_name, u.first_name, u.id
                """, arguments: [id]
        ).map { p in
            let lifecycle: Bool = p["send_lifecycle_notifications"]
            let email: String? = p["email"]
            let phone: String? = p["phone"]
            return AppointmentPageRecord.Participant(
                user: .init(id: p["id"], firstName: p["first_name"], lastName: p["last_name"]),
                status: AppointmentStatus(rawValue: p["status"]) ?? .unknown,
                reachableByEmail: lifecycle && p["by_email"] && email.map(EmailAddress.isValid) == true,
                reachableBySMS: lifecycle && smsEnabled && p["by_sms"] && phone.flatMap(PhoneNumber.init)?.isMobile == true)
        }
        let epoch = { (value: Int64?) in value.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        return AppointmentPageRecord(
            id: id, organisationID: row["organisation_id"], motifID: row["motif_id"], motifName: row["motif_name"],
            motifColor: row["motif_color"], motifServiceID: row["service_id"],
            locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice, collectif: row["collectif"],
            name: row["name"], startsAt: epoch(row["starts_at"])!, endsAt: epoch(row["ends_at"])!,
            status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, placeID: row["place_id"],
            placeName: row["place_name"], placeAddress: row["place_address"], context: row["context"],
            createdByType: CreatorType(rawValue: row["created_by_type"]) ?? .agent, createdBy: (row["creator_name"] as String?).map(Self.displayName),
            arrivedAt: epoch(row["arrived_at"]), agents: agents, participants: participants,
            timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
            contextEnabled: row["enable_context_field"])
    }

    /// « Historique des notifications »: the receipts of the appointment, newest first
    /// (notifications.md §11). Webhook deliveries are not notifications to people.
    public func appointmentReceipts(appointmentID: Int64) throws -> [AppointmentReceipt] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT created_at, channel, event, result, coalesce(email_address, sms_phone_number) AS recipient,
                           content
                    FROM receipts WHERE appointment_id = ? AND channel <> 'webhook' ORDER BY created_at DESC, id DESC
                    """, arguments: [appointmentID]
            ).map {
                AppointmentReceipt(
                    createdAt: Date(timeIntervalSince1970: TimeInterval($0["created_at"] as Int64)),
                    channel: $0["channel"], event: $0["event"], result: $0["result"], recipient: $0["recipient"],
                    content: $0["content"])
            }
        }
    }

    /// Enabled and single-use places of the organisation (the edit form's « Lieu »).
    public func placeOptions(organisationID: Int64, including placeID: Int64?) throws -> [NamedOption] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name FROM places WHERE organisation_id = ? AND (availability = 'enabled' OR id = ?)
                    ORDER BY name, id
                    """, arguments: [organisationID, placeID]
            ).map { NamedOption(id: $0["id"], name: $0["name"]) }
        }
    }

    /// The agents with a role in one of the organisations, by name (« Agent » selects).
    public func agentOptions(organisationIDs: [Int64]) throws -> [NamedOption] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT g.id, coalesce(g.first_name, '') || char(31) || g.last_name AS name,
                           g.last_name, g.first_name
                    FROM agents g JOIN agent_roles r ON r.agent_id = g.id
                    WHERE r.organisation_id IN (SELECT value FROM json_each(?)) ORDER BY g.last_name, g.first_name, g.id
                    """, arguments: [Self.jsonArray(organisationIDs)]
            ).map { NamedOption(id: $0["id"], name: Self.displayName($0["name"])) }
        }
    }

    /// « L'usager est arrivé » (booking.md §1.5): sets `arrived_at` and, when the territory asks
    /// for it, e-mails the agents (notifications.md §2 "user arrived") in the same transaction.
    public func recordArrival(appointmentID: Int64, author: NotificationAuthor, now: Date, publicURL: String) throws {
        try immediateWrite { db in
            try Self.audited(db, .appointment, id: appointmentID, author: try Self.versionAuthor(db, author), now: now) {
                try db.execute(
                    sql: "UPDATE appointments SET arrived_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [Self.epoch(now), Self.epoch(now), appointmentID])
            }
            guard db.changesCount == 1 else { throw AppointmentChangeError.notFound }
            let notifies =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT t.enable_waiting_room_mail_field FROM appointments a
                        JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                        WHERE a.id = ?
                        """, arguments: [appointmentID]) ?? false
            guard notifies, let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now)
            else { return }
            let mails = MailPlanner.userArrived(
                appointment: context.appointment, participants: context.participants, agents: context.agents,
                motif: context.motif, organisation: context.organisation, territoryNotifiesArrivals: true,
                arrivedAt: now,
                settings: NotificationSettings(
                    publicURL: publicURL, timeZone: context.timeZone, smsEnabled: context.smsEnabled,
                    noReplyAddress: instance.noReplyAddress),
                now: now)
            try Self.planMails(db, mails, now: now)
        }
    }

    /// « Supprimer » (booking.md §1.5): a hard delete that notifies nobody; the `destroyed`
    /// webhook is built before the deletion (notifications.md §13). Pending messages of the
    /// appointment are cancelled (their appointment is gone).
    public func deleteAppointment(appointmentID: Int64, author: NotificationAuthor, now: Date, publicURL: String) throws {
        try immediateWrite { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM appointments WHERE id = ?", arguments: [appointmentID]) != nil
            else { throw AppointmentChangeError.notFound }
            try Self.planAppointmentWebhooks(
                db, appointmentID: appointmentID, event: .destroyed, publicURL: publicURL, now: now)
            try db.execute(
                sql: """
                    UPDATE outbox_messages SET status = 'cancelled', last_error = 'appointment deleted', lease_until = NULL,
                        updated_at = ?
                    WHERE appointment_id = ? AND kind IN ('reminder', 'email', 'sms') AND status = 'pending'
                    """, arguments: [Self.epoch(now), appointmentID])
            try Self.audited(db, .appointment, id: appointmentID, author: try Self.versionAuthor(db, author), now: now) {
                try db.execute(sql: "DELETE FROM appointments WHERE id = ?", arguments: [appointmentID])
            }
        }
    }
}

/// « Liste des RDV » (booking.md §9): the filters, and the viewer's list scope as
/// `AppointmentPolicy.inListScope` defines it, written in SQL so the page is counted and cut
/// in the database.
public struct AppointmentListQuery: Sendable, Equatable, Codable {
    public enum StatusFilter: String, Sendable, CaseIterable, Codable {
        case unknownPast = "unknown_past", unknownFuture = "unknown_future"
        case seen, noshow, excused, revoked
    }

    /// The organisations shown (all among the viewer's).
    public var organisationIDs: [Int64]
    /// Those of `organisationIDs` where the viewer sees every appointment (admin, secretary);
    /// elsewhere only its own and its services'.
    public var seesAllIn: Set<Int64>
    public var viewerAgentID: Int64
    public var viewerServiceIDs: Set<Int64>
    public var agentID: Int64?
    /// nil: any user; empty: no user matched the search, so no row.
    public var userIDs: [Int64]?
    public var placeIDs: [Int64] = []
    public var motifIDs: [Int64] = []
    public var status: StatusFilter?
    /// Start at or after `from`, before `until` (the day after « Au »).
    public var from: Date?
    public var until: Date?
    public var now: Date
    public var page = 1
    public var perPage = 10

    public init(
        organisationIDs: [Int64], seesAllIn: Set<Int64>, viewerAgentID: Int64, viewerServiceIDs: Set<Int64>, now: Date
    ) {
        self.organisationIDs = organisationIDs
        self.seesAllIn = seesAllIn
        self.viewerAgentID = viewerAgentID
        self.viewerServiceIDs = viewerServiceIDs
        self.now = now
    }
}

/// One row of « Liste des RDV ».
public struct AppointmentListRow: Sendable, Equatable {
    public var id: Int64
    public var organisationID: Int64
    public var organisationName: String
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    public var motifName: String
    public var placeName: String?
    public var locationType: LocationType
    public var agentNames: [String]
    public var userNames: [String]
    public var timeZone: TimeZone
}

extension AppDatabase {
    /// One page of the list, newest first, and the number of matching appointments.
    public func appointmentList(_ query: AppointmentListQuery) throws -> (rows: [AppointmentListRow], total: Int) {
        let (from, arguments) = Self.listFilter(query)
        return try writer.read { db in
            let total = try Int.fetchOne(db, sql: "SELECT count(*) " + from, arguments: arguments) ?? 0
            var pageArguments = arguments
            _ = pageArguments.append(contentsOf: [query.perPage, (max(1, query.page) - 1) * query.perPage])
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.organisation_id, o.name AS organisation_name, a.starts_at, a.ends_at, a.status,
                           m.name AS motif_name, l.name AS place_name, a.location_type, t.time_zone,
                           (SELECT json_group_array(n) FROM (SELECT coalesce(g.first_name, '') || char(31) || g.last_name AS n
                              FROM appointment_agents x JOIN agents g ON g.id = x.agent_id WHERE x.appointment_id = a.id
                              ORDER BY g.last_name, g.first_name, g.id)) AS agent_names,
                           (SELECT json_group_array(n) FROM (SELECT u.first_name || char(31) || u.last_name AS n
                              FROM participations p JOIN users u ON u.id = p.user_id WHERE p.appointment_id = a.id
                              ORDER BY u.last_name, u.first_name, u.id)) AS user_names
                    FROM (SELECT a.id \(from) ORDER BY a.starts_at DESC, a.id DESC LIMIT ? OFFSET ?) page
                    JOIN appointments a ON a.id = page.id JOIN motifs m ON m.id = a.motif_id
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    LEFT JOIN places l ON l.id = a.place_id
                    ORDER BY a.starts_at DESC, a.id DESC
                    """, arguments: pageArguments
            ).map { row in
                AppointmentListRow(
                    id: row["id"], organisationID: row["organisation_id"], organisationName: row["organisation_name"],
                    startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64)),
                    status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, motifName: row["motif_name"],
                    placeName: row["place_name"],
                    locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice, agentNames: Self.strings(row["agent_names"]).map(Self.displayName),
                    userNames: Self.strings(row["user_names"]).map(Self.displayName),
                    timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!)
            }
            return (rows, total)
        }
    }

    /// Every id the list's filters match, in the list's order (the export reads them all, admin.md §8).
    public func appointmentListIDs(_ query: AppointmentListQuery) throws -> [Int64] {
        let (from, arguments) = Self.listFilter(query)
        return try writer.read { db in
            try Int64.fetchAll(db, sql: "SELECT a.id " + from + " ORDER BY a.starts_at DESC, a.id DESC", arguments: arguments)
        }
    }

    /// The `FROM … WHERE …` of the list: the viewer's scope and the filters.
    static func listFilter(_ query: AppointmentListQuery) -> (from: String, arguments: StatementArguments) {
        var conditions = [
            "a.organisation_id IN (SELECT value FROM json_each(?))",
            """
            (a.organisation_id IN (SELECT value FROM json_each(?))
             OR EXISTS (SELECT 1 FROM appointment_agents s WHERE s.appointment_id = a.id AND s.agent_id = ?)
             OR m.service_id IN (SELECT value FROM json_each(?)))
            """,
        ]
        var arguments: StatementArguments = [
            Self.jsonArray(query.organisationIDs), Self.jsonArray(query.seesAllIn.sorted()), query.viewerAgentID,
            Self.jsonArray(query.viewerServiceIDs.sorted()),
        ]
        if let agentID = query.agentID {
            conditions.append("EXISTS (SELECT 1 FROM appointment_agents f WHERE f.appointment_id = a.id AND f.agent_id = ?)")
            _ = arguments.append(contentsOf: [agentID])
        }
        if let userIDs = query.userIDs {
            conditions.append(
                "EXISTS (SELECT 1 FROM participations p WHERE p.appointment_id = a.id AND p.user_id IN (SELECT value FROM json_each(?)))"
            )
            _ = arguments.append(contentsOf: [Self.jsonArray(userIDs)])
        }
        if !query.placeIDs.isEmpty {
            conditions.append("a.place_id IN (SELECT value FROM json_each(?))")
            _ = arguments.append(contentsOf: [Self.jsonArray(query.placeIDs)])
        }
        if !query.motifIDs.isEmpty {
            conditions.append("a.motif_id IN (SELECT value FROM json_each(?))")
            _ = arguments.append(contentsOf: [Self.jsonArray(query.motifIDs)])
        }
        switch query.status {
        case .unknownPast:
            conditions.append("a.status = 'unknown' AND a.starts_at < ?")
            _ = arguments.append(contentsOf: [Self.epoch(query.now)])
        case .unknownFuture:
            conditions.append("a.status = 'unknown' AND a.starts_at >= ?")
            _ = arguments.append(contentsOf: [Self.epoch(query.now)])
        case .some(let status):
            conditions.append("a.status = ?")
            _ = arguments.append(contentsOf: [status.rawValue])
        case nil: break
        }
        if let from = query.from {
            conditions.append("a.starts_at >= ?")
            _ = arguments.append(contentsOf: [Self.epoch(from)])
        }
        if let until = query.until {
            conditions.append("a.starts_at < ?")
            _ = arguments.append(contentsOf: [Self.epoch(until)])
        }
        return ("FROM appointments a JOIN motifs m ON m.id = a.motif_id WHERE " + conditions.joined(separator: " AND "), arguments)
    }

    /// The places and motifs of the organisations, for the list's filters.
    public func listFilterOptions(organisationIDs: [Int64]) throws -> (places: [NamedOption], motifs: [NamedOption]) {
        try writer.read { db in
            let ids = Self.jsonArray(organisationIDs)
            let places = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name FROM places WHERE organisation_id IN (SELECT value FROM json_each(?))
                      AND availability <> 'single_use' ORDER BY name, id
                    """, arguments: [ids]
            ).map { NamedOption(id: $0["id"], name: $0["name"]) }
            let motifs = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, name FROM motifs
                    WHERE organisation_id IN (SELECT value FROM json_each(?)) ORDER BY name, id
                    """, arguments: [ids]
            ).map { NamedOption(id: $0["id"], name: $0["name"]) }
            return (places, motifs)
        }
    }

    /// "first<US>last" (SQL `char(31)`) as « First LAST »: SQLite's upper() knows ASCII only.
    static func displayName(_ joined: String) -> String {
        let parts = joined.split(separator: "\u{1F}", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2 else { return joined }
        return parts[0].isEmpty ? parts[1].uppercased() : "\(parts[0]) \(parts[1].uppercased())"
    }

    static func strings(_ json: String?) -> [String] {
        guard let json, let data = json.data(using: .utf8),
            let values = try? JSONSerialization.jsonObject(with: data) as? [Any]
        else { return [] }
        return values.compactMap { $0 as? String }
    }
}

/// What the edit form's validation reads besides the form (domain.md §9).
public struct AppointmentEditChecks: Sendable {
    public var place: Place?
    public var agentIDsWithRole: Set<Int64>
    /// The benign warnings that need other records, and the duplicate hard error; the edited
    /// appointment itself never counts.
    public var issues: [ValidationIssue]
}

extension AppDatabase {
    /// domain.md §9 "Benign warnings" for a change of the appointment: the opening periods
    /// elsewhere and the absences (the wizard's checks, `periodElsewhereWarnings` and
    /// `absenceWarnings`), the other appointments of its agents (ending 1 to 45 min before,
    /// overlapping), its participants' other appointments for the motif that day, and the duplicate.
    public func appointmentEditChecks(
        _ record: AppointmentPageRecord, placeID: Int64?, agentIDs: [Int64], startsAt: Date, endsAt: Date, now: Date
    ) throws -> AppointmentEditChecks {
        try writer.read { db in
            let place = try placeID.flatMap { id in
                try Row.fetchOne(db, sql: "SELECT * FROM places WHERE id = ?", arguments: [id]).map {
                    Place(
                        id: $0["id"], organisationID: $0["organisation_id"], name: $0["name"], address: $0["address"],
                        latitude: $0["latitude"], longitude: $0["longitude"],
                        availability: Place.Availability(rawValue: $0["availability"]) ?? .enabled)
                }
            }
            let withRole = try Int64.fetchSet(
                db,
                sql: """
                    SELECT agent_id FROM agent_roles WHERE organisation_id = ?
                      AND agent_id IN (SELECT value FROM json_each(?))
                    """, arguments: [record.organisationID, Self.jsonArray(agentIDs)])
            let userIDs = record.participants.filter { !$0.status.isCancelled }.map(\.user.id)
            let request = AgentBookingRequest(
                organisationID: record.organisationID, motifID: record.motifID, placeID: placeID, singleUsePlace: nil,
                startsAt: startsAt, endsAt: endsAt, agentIDs: agentIDs, userIDs: userIDs, newUser: nil,
                context: nil, notifications: [:], newUserNotifications: nil, authorAgentID: 0)
            let zone = record.timeZone
            var issues: [ValidationIssue] = []
            let (start, end) = (Self.epoch(startsAt), Self.epoch(endsAt))
            for agentID in agentIDs {
                guard
                    let joined = try String.fetchOne(
                        db, sql: "SELECT coalesce(first_name, '') || char(31) || last_name FROM agents WHERE id = ?",
                        arguments: [agentID])
                else { continue }
                let name = Self.displayName(joined)
                issues += try Self.periodElsewhereWarnings(db, request, agentID: agentID, name: name, timeZone: zone)
                issues += try Self.absenceWarnings(db, request, agentID: agentID, name: name, timeZone: zone)
                let endingBefore = try Int64.fetchOne(
                    db,
                    sql: """
                        SELECT max(ends_at) FROM appointment_agents WHERE agent_id = ? AND appointment_id <> ?
                          AND ends_at BETWEEN ? AND ? AND status IN ('unknown', 'seen', 'noshow')
                        """, arguments: [agentID, record.id, start - 45 * 60, start - 60])
                if let endingBefore {
                    let time = NotificationFormat.time(Date(timeIntervalSince1970: TimeInterval(endingBefore)), in: zone)
                    issues.append(.warning("agents", "\(name) a un RDV qui se termine à \(time)"))
                }
                let overlapping =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM appointment_agents WHERE agent_id = ? AND appointment_id <> ?
                              AND starts_at < ? AND ends_at > ? AND ends_at > ? AND status IN ('unknown', 'seen', 'noshow'))
                            """, arguments: [agentID, record.id, end, start, Self.epoch(now)]) ?? false
                if overlapping { issues.append(.warning("agents", "\(name) a déjà un RDV sur ce créneau")) }
            }
            issues += try Self.sameMotifThatDay(db, record, startsAt: startsAt)
            if try Self.isDuplicate(db, record, placeID: placeID, agentIDs: agentIDs, userIDs: userIDs, start: start, end: end) {
                issues.append(.error("base", Appointment.duplicateMessage))
            }
            return AppointmentEditChecks(place: place, agentIDsWithRole: withRole, issues: issues)
        }
    }

    /// « <Usager> a déjà un RDV pour ce motif ce jour-là ».
    static func sameMotifThatDay(_ db: Database, _ record: AppointmentPageRecord, startsAt: Date) throws
        -> [ValidationIssue]
    {
        let day = LocalDate(startsAt, in: record.timeZone)
        guard let range = SlotEngine.dayRange(from: day, through: day, timeZone: record.timeZone) else { return [] }
        return try record.participants.filter { !$0.status.isCancelled }.compactMap { participant in
            let same =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT EXISTS (SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id
                          WHERE p.user_id = ? AND a.motif_id = ? AND a.id <> ? AND a.starts_at >= ? AND a.starts_at < ?
                            AND a.status NOT IN ('excused', 'revoked') AND p.status NOT IN ('excused', 'revoked'))
                        """,
                    arguments: [
                        participant.user.id, record.motifID, record.id, Self.epoch(range.start), Self.epoch(range.end),
                    ]) ?? false
            return same ? .warning("users", "\(participant.user.fullName) a déjà un RDV pour ce motif ce jour-là") : nil
        }
    }

    /// domain.md §9 hard error: another non-cancelled appointment with the same organisation,
    /// place, start, end, motif, users and agents.
    static func isDuplicate(
        _ db: Database, _ record: AppointmentPageRecord, placeID: Int64?, agentIDs: [Int64], userIDs: [Int64],
        start: Int64, end: Int64
    ) throws -> Bool {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT (SELECT json_group_array(agent_id) FROM (SELECT agent_id FROM appointment_agents x
                          WHERE x.appointment_id = a.id ORDER BY agent_id)) AS agents,
                       (SELECT json_group_array(user_id) FROM (SELECT user_id FROM participations p
                          WHERE p.appointment_id = a.id ORDER BY user_id)) AS users
                FROM appointments a
                WHERE a.organisation_id = ? AND a.motif_id = ? AND a.id <> ? AND a.starts_at = ? AND a.ends_at = ?
                  AND a.place_id IS ? AND a.status NOT IN ('excused', 'revoked')
                """, arguments: [record.organisationID, record.motifID, record.id, start, end, placeID])
        return rows.contains {
            $0["agents"] == Self.jsonArray(agentIDs.sorted()) && $0["users"] == Self.jsonArray(userIDs.sorted())
        }
    }
}

public enum AppointmentParticipantError: Error, Equatable, CustomStringConvertible {
    case alreadyParticipant
    /// An individual appointment keeps at least one participant (domain.md §9).
    case lastParticipant
    case notParticipant
    /// The user has no profile in the appointment's organisation.
    case unknownUser

    public var description: String {
        switch self {
        case .alreadyParticipant: "Cet usager participe déjà à ce rendez-vous"
        case .lastParticipant: "Un rendez-vous individuel doit garder au moins un usager"
        case .notParticipant: "Cet usager ne participe pas à ce rendez-vous"
        case .unknownUser: "Cet usager n'existe pas dans l'organisation"
        }
    }
}

extension AppDatabase {
    /// The participants form (booking.md §1.5, domain.md §10): the participation with the motif's
    /// notification defaults, the family's profiles, `rdv_created` for that user only (no agent
    /// e-mail from this form, notifications.md §2) and the `updated` webhook. In a collective
    /// appointment one member of a family takes part: the others' participations are deleted
    /// without notification.
    public func addParticipant(appointmentID: Int64, userID: Int64, agentID: Int64, now: Date, publicURL: String)
        throws
    {
        try immediateWrite { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.organisation_id, a.collectif, m.visibility_type FROM appointments a
                        JOIN motifs m ON m.id = a.motif_id WHERE a.id = ?
                        """, arguments: [appointmentID])
            else { throw AppointmentChangeError.notFound }
            let organisationID: Int64 = row["organisation_id"]
            // A user the agent may see: a profile here, or anywhere in the territory when it shares
            // its users (domain.md §11); the profile here is created below (linkFamilyProfiles).
            let visible = try Self.visibleUserOrganisationIDs(db, organisationID: organisationID)
            guard
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM user_profiles p JOIN users u ON u.id = p.user_id
                        WHERE p.user_id = ? AND u.deleted_at IS NULL
                          AND p.organisation_id IN (\(Array(repeating: "?", count: visible.count).joined(separator: ", ")))
                        """, arguments: StatementArguments([userID] + visible)) != nil
            else { throw AppointmentParticipantError.unknownUser }
            let author = try Self.versionAuthor(db, .agent(agentID))
            if row["collectif"] {
                let family = try Self.familyParticipations(db, appointmentID: appointmentID, userID: userID)
                    .filter { ($0["user_id"] as Int64) != userID }.map { $0["id"] as Int64 }
                for id in family {
                    try Self.audited(db, .participation, id: id, author: author, organisationID: organisationID, now: now) {
                        try db.execute(sql: "DELETE FROM participations WHERE id = ?", arguments: [id])
                    }
                }
            }
            let notified = VisibilityType(rawValue: row["visibility_type"]) == .visibleAndNotified
            try db.execute(
                sql: """
                    INSERT INTO participations (appointment_id, user_id, send_lifecycle_notifications,
                        send_reminder_notification, created_by_type, created_by_id)
                    VALUES (?, ?, ?, ?, 'Agent', ?) ON CONFLICT (appointment_id, user_id) DO NOTHING
                    """, arguments: [appointmentID, userID, notified, notified, agentID])
            guard db.changesCount == 1 else { throw AppointmentParticipantError.alreadyParticipant }
            let participationID = db.lastInsertedRowID
            try Self.auditCreated(
                db, .participation, id: participationID, author: author, organisationID: organisationID, now: now)
            try Self.linkFamilyProfiles(db, userID: userID, organisationID: organisationID, author: author, now: now)
            try Self.refreshUsersCount(db, appointmentID: appointmentID, now: now)
            try Self.planAppointmentWebhooks(
                db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
            guard let context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now) else { return }
            try Self.planNotifications(
                db, event: .rdvCreated, context: context,
                change: NotificationChange(
                    concernedUserIDs: [userID], viaParticipantsForm: true, changeID: "p\(participationID)"),
                author: .agent(agentID), instance: instance, publicURL: publicURL, now: now)
        }
    }

    /// Removes a participant: from a collective appointment it gets `rdv_cancelled` (notifications.md
    /// §2; planned before the row goes, so the message still names it); an individual appointment
    /// keeps at least one participant.
    public func removeParticipant(appointmentID: Int64, userID: Int64, agentID: Int64, now: Date, publicURL: String)
        throws
    {
        try immediateWrite { db in
            guard
                let appointment = try Row.fetchOne(
                    db, sql: "SELECT collectif, organisation_id FROM appointments WHERE id = ?", arguments: [appointmentID])
            else { throw AppointmentChangeError.notFound }
            let collectif: Bool = appointment["collectif"]
            let participations = try Row.fetchAll(
                db, sql: "SELECT id, user_id FROM participations WHERE appointment_id = ?", arguments: [appointmentID])
            guard let removed = participations.first(where: { $0["user_id"] == userID }) else {
                throw AppointmentParticipantError.notParticipant
            }
            if !collectif && participations.count <= 1 { throw AppointmentParticipantError.lastParticipant }
            if collectif, var context = try Self.notificationContext(db, appointmentID: appointmentID, instance: instance, now: now),
                let index = context.participants.firstIndex(where: { $0.user.userID == userID })
            {
                context.participants[index].statusBeforeChange = context.participants[index].status
                context.participants[index].status = .revoked
                try Self.planNotifications(
                    db, event: .rdvCancelled, context: context,
                    change: NotificationChange(
                        concernedUserIDs: [userID], viaParticipantsForm: true, changeID: "r\(removed["id"] as Int64)"),
                    author: .agent(agentID), instance: instance, publicURL: publicURL, now: now)
            }
            try Self.audited(
                db, .participation, id: removed["id"], author: try Self.versionAuthor(db, .agent(agentID)),
                organisationID: appointment["organisation_id"], now: now
            ) {
                try db.execute(sql: "DELETE FROM participations WHERE id = ?", arguments: [removed["id"] as Int64])
            }
            try Self.refreshUsersCount(db, appointmentID: appointmentID, now: now)
            try Self.planAppointmentWebhooks(
                db, appointmentID: appointmentID, event: .updated, publicURL: publicURL, now: now)
        }
    }

    /// domain.md §10 "one member per family": the participations (id, user_id, status) in the
    /// appointment of the user, their responsible and the responsible's other relatives.
    static func familyParticipations(_ db: Database, appointmentID: Int64, userID: Int64) throws -> [Row] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT id, user_id, status FROM participations WHERE appointment_id = ? AND user_id IN (
                  SELECT id FROM users WHERE id = coalesce((SELECT responsible_id FROM users WHERE id = ?), ?)
                     OR responsible_id = coalesce((SELECT responsible_id FROM users WHERE id = ?), ?))
                """, arguments: [appointmentID, userID, userID, userID, userID])
    }

    /// domain.md §9 `users_count`: the non-cancelled participations.
    static func refreshUsersCount(_ db: Database, appointmentID: Int64, now: Date) throws {
        try db.execute(
            sql: """
                UPDATE appointments SET updated_at = ?, users_count = (SELECT count(*) FROM participations
                  WHERE appointment_id = appointments.id AND status NOT IN ('excused', 'revoked')) WHERE id = ?
                """, arguments: [Self.epoch(now), appointmentID])
    }
}
