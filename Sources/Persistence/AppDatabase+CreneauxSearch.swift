import Domain
import Foundation
import GRDB

/// What « Trouver un RDV » and the wizard offer in one organisation (booking.md §1.2–§1.3):
/// its services, motifs, agents, teams and enabled places, read in one transaction.
public struct BookingOptions: Sendable {
    public struct ServiceOption: Sendable, Equatable {
        public let id: Int64
        public let name: String
    }

    public struct MotifOption: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let serviceID: Int64
        public let serviceName: String
        public let locationType: String
        public let collectif: Bool
        public let forSecretariat: Bool
        public let durationInMinutes: Int
        public let bookableBy: String
        /// `visible_and_notified`: the notification toggles start checked (notifications.md §3).
        public let notifiesByDefault: Bool
    }

    public struct AgentOption: Sendable, Equatable {
        public let id: Int64
        public let firstName: String?
        public let lastName: String
        public let serviceIDs: Set<Int64>
        /// « Alice MARTIN », as the header writes agents.
        public var displayName: String { [firstName, lastName.uppercased()].compactMap { $0 }.joined(separator: " ") }
    }

    public struct TeamOption: Sendable, Equatable {
        public let id: Int64
        public let name: String
        /// Members with a role in the organisation (slots.md §7: a team expands to them).
        public let memberIDs: [Int64]
    }

    public struct PlaceOption: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let address: String
    }

    public let organisationID: Int64
    public let organisationName: String
    public let territoryID: Int64
    public let timeZone: TimeZone
    /// The territory's `enable_context_field` (domain.md §9 `context`).
    public let enableContextField: Bool
    public let services: [ServiceOption]
    public let motifs: [MotifOption]
    public let agents: [AgentOption]
    public let teams: [TeamOption]
    public let places: [PlaceOption]

    public func motif(_ id: Int64?) -> MotifOption? { motifs.first { $0.id == id } }
    public func agent(_ id: Int64) -> AgentOption? { agents.first { $0.id == id } }
    public func place(_ id: Int64?) -> PlaceOption? { places.first { $0.id == id } }
}

/// One motif of another organisation of the territory open to prescribers, with where it is
/// offered (booking.md §5.2 « Élargir la recherche »).
public struct PrescriptionMotif: Sendable, Equatable {
    public let motifID: Int64
    public let motifName: String
    public let organisationID: Int64
    public let organisationName: String
    public let serviceID: Int64
    public let placeID: Int64?
    public let placeName: String?
}

extension AppDatabase {
    /// nil when the organisation does not exist.
    public func bookingOptions(organisationID: Int64) throws -> BookingOptions? {
        try writer.read { db in try Self.bookingOptions(db, organisationID: organisationID) }
    }

    static func bookingOptions(_ db: Database, organisationID: Int64) throws -> BookingOptions? {
        guard
            let organisation = try Row.fetchOne(
                db,
                sql: """
                    SELECT o.name, o.territory_id, t.time_zone, t.enable_context_field FROM organisations o
                    JOIN territories t ON t.id = o.territory_id WHERE o.id = ?
                    """, arguments: [organisationID])
        else { return nil }
        let motifs = try Row.fetchAll(
            db,
            sql: """
                SELECT m.id, m.name, m.service_id, s.name AS service_name, m.location_type, m.collectif, m.for_secretariat,
                       m.default_duration_in_min, m.bookable_by, m.visibility_type
                FROM motifs m JOIN services s ON s.id = m.service_id
                WHERE m.organisation_id = ? AND m.deleted_at IS NULL ORDER BY s.name, m.name, m.id
                """, arguments: [organisationID]
        ).map {
            BookingOptions.MotifOption(
                id: $0["id"], name: $0["name"], serviceID: $0["service_id"], serviceName: $0["service_name"],
                locationType: $0["location_type"], collectif: $0["collectif"], forSecretariat: $0["for_secretariat"],
                durationInMinutes: $0["default_duration_in_min"], bookableBy: $0["bookable_by"],
                notifiesByDefault: VisibilityType(rawValue: $0["visibility_type"]) == .visibleAndNotified)
        }
        var services: [BookingOptions.ServiceOption] = []
        for motif in motifs where !services.contains(where: { $0.id == motif.serviceID }) {
            services.append(.init(id: motif.serviceID, name: motif.serviceName))
        }
        let agentRows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.first_name, a.last_name,
                       (SELECT group_concat(service_id) FROM agent_services x WHERE x.agent_id = a.id) AS services
                FROM agent_roles r JOIN agents a ON a.id = r.agent_id AND a.deleted_at IS NULL
                WHERE r.organisation_id = ? ORDER BY a.last_name, a.first_name, a.id
                """, arguments: [organisationID])
        let agents = agentRows.map { row in
            BookingOptions.AgentOption(
                id: row["id"], firstName: row["first_name"], lastName: row["last_name"],
                serviceIDs: Set(((row["services"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }))
        }
        let agentIDs = Set(agents.map(\.id))
        var teams: [BookingOptions.TeamOption] = []
        for row in try Row.fetchAll(
            db,
            sql: """
                SELECT t.id, t.name, group_concat(m.agent_id) AS members FROM teams t
                JOIN agent_teams m ON m.team_id = t.id WHERE t.territory_id = ? GROUP BY t.id ORDER BY t.name
                """, arguments: [organisation["territory_id"] as Int64])
        {
            let members = ((row["members"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) }
                .filter(agentIDs.contains).sorted()
            if !members.isEmpty { teams.append(.init(id: row["id"], name: row["name"], memberIDs: members)) }
        }
        let places = try Row.fetchAll(
            db,
            sql: """
                SELECT id, name, address FROM places WHERE organisation_id = ? AND availability = 'enabled'
                ORDER BY name, id
                """, arguments: [organisationID]
        ).map { BookingOptions.PlaceOption(id: $0["id"], name: $0["name"], address: $0["address"]) }
        return BookingOptions(
            organisationID: organisationID, organisationName: organisation["name"],
            territoryID: organisation["territory_id"], timeZone: Self.timeZone(named: organisation["time_zone"]),
            enableContextField: organisation["enable_context_field"], services: services, motifs: motifs,
            agents: agents, teams: teams, places: places)
    }

    /// booking.md §1.2: the places that have a non-expired opening period for the motif.
    public func placesWithPeriods(motifID: Int64, today: LocalDate) throws -> Set<Int64> {
        try writer.read { db in
            try Int64.fetchSet(
                db,
                sql: """
                    SELECT DISTINCT p.place_id FROM opening_period_motifs pm
                    JOIN opening_periods p ON p.id = pm.opening_period_id
                    JOIN places l ON l.id = p.place_id AND l.availability <> 'disabled'
                    WHERE pm.motif_id = ? AND p.expired = 0
                      AND (p.recurrence IS NOT NULL OR p.first_day >= ?)
                    """, arguments: [motifID, today.description])
        }
    }

    /// booking.md §5.2: motifs of the territory's other organisations open to prescribers
    /// (`bookable_by` ≠ `agents`), individual ones, each with the places of their periods; nil
    /// `serviceIDs` = every service.
    public func prescriptionMotifs(territoryID: Int64, excludingOrganisation organisationID: Int64, serviceIDs: Set<Int64>?)
        throws -> [PrescriptionMotif]
    {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT DISTINCT m.id, m.name, m.service_id, o.id AS organisation_id, o.name AS organisation_name,
                           l.id AS place_id, l.name AS place_name
                    FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                    JOIN opening_period_motifs pm ON pm.motif_id = m.id
                    JOIN opening_periods p ON p.id = pm.opening_period_id AND p.expired = 0
                    LEFT JOIN places l ON l.id = p.place_id AND l.availability <> 'disabled'
                    WHERE o.territory_id = ? AND o.id <> ? AND m.deleted_at IS NULL AND m.collectif = 0
                      AND m.bookable_by <> 'agents'
                    ORDER BY o.name, m.name, l.name, m.id, l.id
                    """, arguments: [territoryID, organisationID]
            ).compactMap { row -> PrescriptionMotif? in
                let service: Int64 = row["service_id"]
                if let serviceIDs, !serviceIDs.contains(service) { return nil }
                return PrescriptionMotif(
                    motifID: row["id"], motifName: row["name"], organisationID: row["organisation_id"],
                    organisationName: row["organisation_name"], serviceID: service, placeID: row["place_id"],
                    placeName: row["place_name"])
            }
        }
    }

    /// The users of `ids` with a file in the territory (booking.md §5.2 "the agent may prescribe
    /// to this user"), in the given order: (id, « Prénom Nom »).
    public func territoryUsers(ids: [Int64], territoryID: Int64) throws -> [(id: Int64, name: String)] {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let (list, arguments) = Self.inList(ids)
            var all = StatementArguments([territoryID])
            all += arguments
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT u.id, u.first_name || ' ' || u.last_name AS name FROM users u
                    WHERE u.deleted_at IS NULL AND EXISTS (SELECT 1 FROM user_profiles p
                        JOIN organisations o ON o.id = p.organisation_id WHERE p.user_id = u.id AND o.territory_id = ?)
                      AND u.id IN (\(list))
                    """, arguments: all)
            return ids.compactMap { id in
                rows.first { ($0["id"] as Int64) == id }.map { (id: id, name: $0["name"] as String) }
            }
        }
    }

    /// booking.md §5.2 "create": the public booking's transaction for the chosen agent
    /// (slots.md §6 re-check), `created_by` = the agent, participations flagged
    /// `created_by_agent_prescripteur`, then `rdv_created` and the webhooks. Returns the id.
    public func prescribe(
        _ request: BookingRequest, agentID: Int64, clock: any Clock, random: RandomSource, publicURL: String
    ) throws -> Int64 {
        try immediateWrite { db in
            let made = try Self.book(db, request, now: clock.now, random: random)
            try db.execute(
                sql: "UPDATE appointments SET created_by_id = ? WHERE id = ?", arguments: [agentID, made.appointmentID])
            try db.execute(
                sql: """
                    UPDATE participations SET created_by_agent_prescripteur = 1, created_by_id = ? WHERE appointment_id = ?
                    """, arguments: [agentID, made.appointmentID])
            try Self.planNotifications(
                db, event: .rdvCreated, appointmentID: made.appointmentID, author: .agent(agentID),
                instance: instance, publicURL: publicURL, now: clock.now)
            try Self.planAppointmentWebhooks(
                db, appointmentID: made.appointmentID, event: .created, publicURL: publicURL, now: clock.now)
            return made.appointmentID
        }
    }

    /// The confirmation of an internal prescription, for its author only (permissions.md
    /// "Participation: show … being its creator").
    public func prescribedAppointment(id: Int64, agentID: Int64) throws -> PrescribedAppointment? {
        try writer.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT a.starts_at, m.name AS motif_name, o.name AS organisation_name, o.phone_number,
                               l.name AS place_name, t.time_zone,
                               (SELECT group_concat(u.first_name || ' ' || u.last_name, ', ') FROM participations p
                                JOIN users u ON u.id = p.user_id WHERE p.appointment_id = a.id) AS users
                        FROM appointments a JOIN motifs m ON m.id = a.motif_id JOIN organisations o ON o.id = a.organisation_id
                        JOIN territories t ON t.id = o.territory_id LEFT JOIN places l ON l.id = a.place_id
                        WHERE a.id = ? AND a.created_by_type = 'Agent' AND a.created_by_id = ?
                          AND EXISTS (SELECT 1 FROM participations p WHERE p.appointment_id = a.id
                                      AND p.created_by_agent_prescripteur = 1)
                        """, arguments: [id, agentID])
            else { return nil }
            return PrescribedAppointment(
                startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                motifName: row["motif_name"], organisationName: row["organisation_name"],
                organisationPhone: row["phone_number"], placeName: row["place_name"], userNames: row["users"] ?? "",
                timeZone: Self.timeZone(named: row["time_zone"]))
        }
    }
}

public struct PrescribedAppointment: Sendable {
    public let startsAt: Date
    public let motifName: String
    public let organisationName: String
    public let organisationPhone: String?
    public let placeName: String?
    public let userNames: String
    public let timeZone: TimeZone
}
