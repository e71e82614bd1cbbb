import Domain
import Foundation
import GRDB

/// One agent whose agenda may be shown: its name, its settings, and what the policies need.
public struct AgendaAgent: Sendable, Equatable {
    public let id: Int64
    public let firstName: String?
    public let lastName: String
    public let displaySaturdays: Bool
    public let displayCancelledAppointments: Bool
    public let view: AgentView

    public var displayName: String {
        [firstName, lastName.uppercased()].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// The settings of the organisation's territory the agenda reads (slots.md §3, booking.md §9).
public struct AgendaTerritory: Sendable {
    public let timeZone: TimeZone
    public let departementNumber: String?
    public let whitMondayIsHoliday: Bool
    public let openOnSundaysAndHolidays: Bool
    /// « Salle d'attente » colour (domain.md §2 `enable_waiting_room_color_field`): an arrived
    /// user's appointment is recoloured in the agenda.
    public var recoloursArrivals = false
}

/// One appointment of a shown agent over the range (booking.md §9), any organisation.
public struct AgendaAppointment: Sendable, Equatable {
    public let id: Int64
    /// The shown agent it was read for (an appointment of two shown agents comes twice).
    public let agentID: Int64
    public let organisationID: Int64
    public let agentIDs: Set<Int64>
    public let startsAt: Date
    public let endsAt: Date
    public let status: AppointmentStatus
    public let arrivedAt: Date?
    public let collectif: Bool
    public let name: String?
    public let usersCount: Int
    public let motifName: String
    public let motifColor: String
    public let motifServiceID: Int64
    public let placeName: String?
    /// « Prénom NOM » of the participants, in participation order: those not cancelled, or all
    /// of a cancelled appointment.
    public let userNames: [String]
}

/// One opening period or absence of a shown agent, with its exceptions, to be expanded.
public struct AgendaSeries: Sendable {
    public let id: Int64
    public let agentID: Int64
    /// Opening periods: their organisation; absences: the optional one they were created from.
    public let organisationID: Int64?
    public let title: String
    public let placeName: String?
    public let pattern: SeriesPattern
    public let exceptions: [OccurrenceException]
}

/// What an agenda page reads over its range: one query per kind (appointments, absences,
/// opening periods), each an index range scan on the agents (issue 11 performance).
public struct AgendaData: Sendable {
    public var appointments: [AgendaAppointment] = []
    public var absences: [AgendaSeries] = []
    public var openingPeriods: [AgendaSeries] = []
}

extension AppDatabase {
    /// The agents with a role in `organisationID`, by name, for the agenda's agent selector.
    public func agendaAgents(organisationID: Int64) throws -> [AgendaAgent] {
        try writer.read { db in
            let ids = try Int64.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT g.id FROM agent_roles r JOIN agents g ON g.id = r.agent_id
                        WHERE r.organisation_id = ? AND g.deleted_at IS NULL
                        ORDER BY g.last_name COLLATE NOCASE, g.first_name COLLATE NOCASE, g.id
                        """), arguments: [organisationID])
            return try Self.agendaAgents(db, ids: ids)
        }
    }

    /// The agents of `ids` (unknown or deleted ones left out), in the order of `ids`.
    public func agendaAgents(ids: [Int64]) throws -> [AgendaAgent] {
        try writer.read { db in try Self.agendaAgents(db, ids: ids) }
    }

    static func agendaAgents(_ db: Database, ids: [Int64]) throws -> [AgendaAgent] {
        guard !ids.isEmpty else { return [] }
        let (list, arguments) = inList(ids)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT g.id, g.first_name, g.last_name, g.display_saturdays, g.display_cancelled_rdv,
                           (SELECT group_concat(r.organisation_id || ':' || o.territory_id) FROM agent_roles r
                            JOIN organisations o ON o.id = r.organisation_id WHERE r.agent_id = g.id) AS roles,
                           (SELECT group_concat(s.service_id) FROM agent_services s WHERE s.agent_id = g.id) AS services
                    FROM agents g WHERE g.id IN (\(list)) AND g.deleted_at IS NULL
                    """), arguments: arguments)
        var byID: [Int64: AgendaAgent] = [:]
        for row in rows {
            let roles = ((row["roles"] as String?) ?? "").split(separator: ",").map { $0.split(separator: ":") }
            let id: Int64 = row["id"]
            byID[id] = AgendaAgent(
                id: id, firstName: row["first_name"], lastName: row["last_name"],
                displaySaturdays: row["display_saturdays"], displayCancelledAppointments: row["display_cancelled_rdv"],
                view: AgentView(
                    agentID: id, organisationIDs: Set(roles.compactMap { $0.first.flatMap { Int64($0) } }),
                    territoryIDs: Set(roles.compactMap { $0.last.flatMap { Int64($0) } }),
                    serviceIDs: Self.idSet(row["services"])))
        }
        var seen = Set<Int64>()
        return ids.compactMap { id in seen.insert(id).inserted ? byID[id] : nil }
    }

    static func idSet(_ list: String?) -> Set<Int64> {
        Set((list ?? "").split(separator: ",").compactMap { Int64($0) })
    }

    public func agendaTerritory(organisationID: Int64) throws -> AgendaTerritory? {
        try writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT t.time_zone, t.departement_number, t.whit_monday_is_holiday, t.open_on_sundays_and_holidays,
                               t.enable_waiting_room_color_field
                        FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?
                        """), arguments: [organisationID]
            ).map {
                AgendaTerritory(
                    timeZone: Self.timeZone(named: $0["time_zone"]), departementNumber: $0["departement_number"],
                    whitMondayIsHoliday: $0["whit_monday_is_holiday"],
                    openOnSundaysAndHolidays: $0["open_on_sundays_and_holidays"],
                    recoloursArrivals: $0["enable_waiting_room_color_field"])
            }
        }
    }

    package static let unknownPastAppointmentCountSQL = """
        SELECT count(*) FROM appointment_agents aa JOIN appointments a ON a.id = aa.appointment_id
        WHERE aa.agent_id = ? AND aa.starts_at < ? AND aa.status = 'unknown' AND a.organisation_id = ?
        """

    /// « RDV à renseigner »: the agent's appointments of the organisation that have started and
    /// whose status is still `unknown` (booking.md §9, AppointmentStatus's « À renseigner »).
    public func unknownPastAppointmentCount(agentID: Int64, organisationID: Int64, now: Date) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db.cachedStatement(sql: Self.unknownPastAppointmentCountSQL),
                arguments: [agentID, Int64(now.timeIntervalSince1970), organisationID]) ?? 0
        }
    }

    /// Appointments, absences and opening periods of `agentIDs` over the local days
    /// [first, last] of `timeZone`, in one read transaction.
    public func agendaData(agentIDs: [Int64], first: LocalDate, last: LocalDate, timeZone: TimeZone) throws
        -> AgendaData
    {
        guard !agentIDs.isEmpty, let start = first.instant(at: .midnight, in: timeZone),
            let end = last.adding(days: 1)?.instant(at: .midnight, in: timeZone)
        else { return AgendaData() }
        return try writer.read { db in
            let (list, agents) = Self.inList(agentIDs)
            // In the order of the series query's placeholders after the agents.
            let range: StatementArguments = [
                last.description, first.description, Int64(start.timeIntervalSince1970), first.description,
                last.description,
            ]
            var data = AgendaData()
            data.appointments = try Self.agendaAppointments(db, list, agents, start: start, end: end)
            data.absences = try Self.agendaSeries(
                db, table: "absences", column: "absence_id", list: list, arguments: agents + range)
            data.openingPeriods = try Self.agendaSeries(
                db, table: "opening_periods", column: "opening_period_id", list: list, arguments: agents + range)
            return data
        }
    }

    /// The appointments of the agents of `list` (`?, …`) between two instants (end, start).
    package static func agendaAppointmentsSQL(_ list: String) -> String {
        """
        SELECT aa.agent_id, a.id, a.organisation_id, a.starts_at, a.ends_at, a.status, a.arrived_at,
               a.collectif, a.name, a.users_count, m.name AS motif_name, m.color, m.service_id,
               l.name AS place_name,
               (SELECT group_concat(x.agent_id) FROM appointment_agents x WHERE x.appointment_id = a.id)
                   AS agent_ids,
               (SELECT group_concat(u.first_name || char(30) || u.last_name, char(31))
                FROM participations p JOIN users u ON u.id = p.user_id
                WHERE p.appointment_id = a.id
                  AND (a.status IN ('excused', 'revoked') OR p.status NOT IN ('excused', 'revoked'))) AS user_names
        FROM appointment_agents aa
        JOIN appointments a ON a.id = aa.appointment_id
        JOIN motifs m ON m.id = a.motif_id
        LEFT JOIN places l ON l.id = a.place_id
        WHERE aa.agent_id IN (\(list)) AND aa.starts_at < ? AND aa.ends_at > ?
        ORDER BY aa.starts_at, a.id, aa.agent_id
        """
    }

    static func agendaAppointments(
        _ db: Database, _ list: String, _ agents: StatementArguments, start: Date, end: Date
    ) throws -> [AgendaAppointment] {
        // The covering index appointment_agents_agent_id gives the agent's range; the
        // correlated lists read the appointment's own few rows by their unique indexes.
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: agendaAppointmentsSQL(list)),
            arguments: agents + [Int64(end.timeIntervalSince1970), Int64(start.timeIntervalSince1970)])
        var seen = Set<[Int64]>()
        return rows.compactMap { row in
            let id: Int64 = row["id"]
            let agentID: Int64 = row["agent_id"]
            // The padded IN list repeats the last id: read each (appointment, agent) once.
            guard seen.insert([id, agentID]).inserted else { return nil }
            return AgendaAppointment(
                id: id, agentID: agentID, organisationID: row["organisation_id"], agentIDs: idSet(row["agent_ids"]),
                startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64)),
                status: AppointmentStatus(rawValue: row["status"]) ?? .unknown,
                arrivedAt: (row["arrived_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
                collectif: row["collectif"], name: row["name"], usersCount: row["users_count"],
                motifName: row["motif_name"], motifColor: row["color"], motifServiceID: row["service_id"],
                placeName: row["place_name"],
                // SQLite's upper() is ASCII only: « LEFÈVRE » is written here.
                userNames: ((row["user_names"] as String?) ?? "").split(separator: "\u{1F}").map {
                    let name = $0.split(separator: "\u{1E}", maxSplits: 1, omittingEmptySubsequences: false)
                    return name.count == 2 ? "\(name[0]) \(name[1].uppercased())" : String($0)
                })
        }
    }

    /// Absences or opening periods of the agents that may have an occurrence in [first, last]:
    /// single ones on those days, recurring ones not ended before, moved occurrences into them.
    /// Expired ones are kept: a past week shows what was there. Arguments: the agents, then last
    /// day, first day, range start instant, first day, last day.
    package static func agendaSeriesSQL(table: String, column: String, list: String) -> String {
        let isAbsence = table == "absences"
        let endDay = isAbsence ? "s.end_day" : "s.first_day"
        return """
            SELECT s.id, s.agent_id, s.organisation_id, s.title, s.first_day, s.start_time, s.end_time,
                   \(isAbsence ? "s.end_day" : "NULL AS end_day"), s.recurrence,
                   \(isAbsence ? "NULL" : "(SELECT l.name FROM places l WHERE l.id = s.place_id)") AS place_name
            FROM \(table) s
            WHERE s.agent_id IN (\(list))
              AND ((s.first_day <= ? AND ((s.recurrence IS NULL AND \(endDay) >= ?)
                    OR (s.recurrence IS NOT NULL AND (s.recurrence_ends_at IS NULL OR s.recurrence_ends_at > ?))))
                   OR EXISTS (SELECT 1 FROM occurrence_exceptions e
                              WHERE e.\(column) = s.id AND e.cancelled = 0 AND e.day BETWEEN ? AND ?))
            ORDER BY s.id
            """
    }

    static func agendaSeries(
        _ db: Database, table: String, column: String, list: String, arguments: StatementArguments
    ) throws -> [AgendaSeries] {
        let rows = try Row.fetchAll(
            db.cachedStatement(sql: agendaSeriesSQL(table: table, column: column, list: list)),
            arguments: arguments)
        let exceptions = try Self.exceptions(db, column: column, ids: rows.map { $0["id"] as Int64 })
        var seen = Set<Int64>()
        return rows.compactMap { row in
            let id: Int64 = row["id"]
            guard seen.insert(id).inserted, let pattern = Self.pattern(row) else { return nil }
            return AgendaSeries(
                id: id, agentID: row["agent_id"], organisationID: row["organisation_id"], title: row["title"],
                placeName: row["place_name"], pattern: pattern, exceptions: exceptions[id] ?? [])
        }
    }
}

extension AppDatabase {
    /// « Today » in the organisation's time zone at `now`, the process clock's (contracts.md §2).
    public func today(organisationID: Int64, now: Date) throws -> LocalDate {
        LocalDate(now, in: try timeZone(organisationID: organisationID))
    }

    /// The organisation's territory's time zone (Europe/Paris for an unknown organisation).
    public func timeZone(organisationID: Int64) throws -> TimeZone {
        try agendaTerritory(organisationID: organisationID)?.timeZone ?? TimeZone(identifier: "Europe/Paris")!
    }
}
