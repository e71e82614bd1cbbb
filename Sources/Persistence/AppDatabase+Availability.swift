import Domain
import Foundation
import GRDB
import Synchronization

/// What a slot search needs to know about a motif (slots.md §4–§5).
public struct SlotMotif: Sendable {
    public let id: Int64
    public let organisationID: Int64
    public let territoryID: Int64
    /// `departement`, `organisation` or `agent` (slots.md §9).
    public let sectorisationLevel: String
    public let durationInMinutes: Int
    public let locationType: String
    public let bookableBy: String
    public let minPublicBookingDelay: Int
    public let maxPublicBookingDelay: Int
    public let collectif: Bool
    public let followUp: Bool
    /// `visible_and_notified`: participations notify by default (domain.md §10).
    public let notifiesByDefault: Bool
    public let territory: SlotTerritory
    public let timeZone: TimeZone
}

/// Everything one search reads: the candidate periods (§4 step 1) and the busy data of their
/// agents over the range, loaded with indexed range queries, never whole tables (§12).
public struct SlotInputs: Sendable {
    public var periods: [SlotPeriod] = []
    public var absences: [SlotAbsence] = []
    public var appointments: [SlotAppointment] = []
}

private let zoneCache = Mutex<[String: TimeZone]>([:])
private let recurrenceCache = Mutex<[String: Recurrence]>([:])

extension AppDatabase {
    public func slotMotif(id: Int64) throws -> SlotMotif? {
        try writer.read { db in try Self.slotMotif(db, id: id) }
    }

    static func slotMotif(_ db: Database, id: Int64) throws -> SlotMotif? {
        // A cached statement: the API looks a motif up on every request (no parse, no planning).
        let statement = try db.cachedStatement(
            sql: """
                SELECT m.id, m.organisation_id, m.sectorisation_level, m.default_duration_in_min, m.location_type,
                       m.bookable_by, m.min_public_booking_delay, m.max_public_booking_delay, m.collectif,
                       m.follow_up, m.visibility_type, o.territory_id, t.time_zone, t.departement_number,
                       t.whit_monday_is_holiday, t.open_on_sundays_and_holidays
                FROM motifs m JOIN organisations o ON o.id = m.organisation_id JOIN territories t ON t.id = o.territory_id
                WHERE m.id = ? AND m.deleted_at IS NULL
                """)
        guard let row = try Row.fetchOne(statement, arguments: [id]) else { return nil }
        let zone = Self.timeZone(named: row["time_zone"])
        return SlotMotif(
            id: row["id"], organisationID: row["organisation_id"], territoryID: row["territory_id"],
            sectorisationLevel: row["sectorisation_level"], durationInMinutes: row["default_duration_in_min"],
            locationType: row["location_type"], bookableBy: row["bookable_by"],
            minPublicBookingDelay: row["min_public_booking_delay"],
            maxPublicBookingDelay: row["max_public_booking_delay"],
            collectif: row["collectif"], followUp: row["follow_up"],
            notifiesByDefault: VisibilityType(rawValue: row["visibility_type"]) == .visibleAndNotified,
            territory: SlotTerritory(
                timeZone: zone, departementNumber: row["departement_number"],
                whitMondayIsHoliday: row["whit_monday_is_holiday"],
                openOnSundaysAndHolidays: row["open_on_sundays_and_holidays"]),
            timeZone: zone)
    }

    /// `TimeZone(identifier:)` parses the zone's rules each time: the few zones of the
    /// territories are kept once made.
    static func timeZone(named name: String) -> TimeZone {
        zoneCache.withLock { zones in
            if let zone = zones[name] { return zone }
            let zone = TimeZone(identifier: name) ?? TimeZone(identifier: "Europe/Paris")!
            if zones.count < 64 { zones[name] = zone }
            return zone
        }
    }

    /// Who may serve an address for a motif (slots.md §9): `nil` = no restriction, otherwise the
    /// allowed agents (empty: the motif is not offered at that address). A city zone matches on
    /// `city_code`, a street zone on `street_ban_id`, with no precedence between them.
    public func sectorisedAgents(motif: SlotMotif, cityCode: String?, streetBanID: String?) throws -> Set<Int64>? {
        guard motif.sectorisationLevel != "departement", cityCode != nil || streetBanID != nil else { return nil }
        return try writer.read { db in
            let matching = """
                SELECT z.sector_id FROM zones z JOIN sectors s ON s.id = z.sector_id
                WHERE s.territory_id = :territory
                  AND ((z.level = 'city' AND z.city_code = :city) OR (z.level = 'street' AND z.street_ban_id = :street))
                """
            let arguments: StatementArguments = [
                "territory": motif.territoryID, "city": cityCode, "street": streetBanID,
                "organisation": motif.organisationID,
            ]
            if motif.sectorisationLevel == "organisation" {
                let attributed =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT EXISTS (SELECT 1 FROM sector_attributions
                                WHERE level = 'organisation' AND organisation_id = :organisation AND sector_id IN (\(matching)))
                            """, arguments: arguments) ?? false
                // Organisation level restricts where, not who: every agent of the organisation.
                return attributed ? nil : []
            }
            return Set(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT agent_id FROM sector_attributions
                        WHERE level = 'agent' AND organisation_id = :organisation AND sector_id IN (\(matching))
                        """, arguments: arguments))
        }
    }

    /// The motif's collective appointments at the place that are not revoked and start after
    /// `after` (slots.md §8), for `SlotEngine.collectiveSlots`.
    public func collectiveAppointments(motifID: Int64, placeID: Int64?, after: Date) throws
        -> [(
            id: Int64, startsAt: Date, endsAt: Date, placeID: Int64?, title: String?, maxParticipants: Int?,
            usersCount: Int
        )]
    {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, starts_at, ends_at, place_id, name, max_participants_count, users_count FROM appointments
                    WHERE motif_id = :motif AND collectif = 1 AND status <> 'revoked' AND starts_at > :after
                      AND (:place IS NULL OR place_id = :place)
                    ORDER BY starts_at, id
                    """, arguments: ["motif": motifID, "place": placeID, "after": Int64(after.timeIntervalSince1970)]
            ).map {
                (
                    id: $0["id"], startsAt: Date(timeIntervalSince1970: TimeInterval($0["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval($0["ends_at"] as Int64)), placeID: $0["place_id"],
                    title: $0["name"], maxParticipants: $0["max_participants_count"], usersCount: $0["users_count"]
                )
            }
        }
    }

    /// The place's organisation and whether it may receive bookings; nil when unknown.
    public func placeOrganisation(id: Int64) throws -> (organisationID: Int64, enabled: Bool)? {
        try writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT organisation_id, availability FROM places WHERE id = ?"), arguments: [id]
            )
            .map {
                    ($0["organisation_id"], ($0["availability"] as String) != "disabled")
                }
        }
    }

    public func slotInputs(motif: SlotMotif, placeID: Int64?, agents: Set<Int64>?, range: DateInterval) throws
        -> SlotInputs
    {
        try writer.read { db in try Self.slotInputs(db, motif: motif, placeID: placeID, agents: agents, range: range) }
    }

    static func slotInputs(
        _ db: Database, motif: SlotMotif, placeID: Int64?, agents: Set<Int64>?, range: DateInterval
    ) throws -> SlotInputs {
        let first = LocalDate(range.start, in: motif.timeZone).description
        let last = LocalDate(range.end.addingTimeInterval(-1), in: motif.timeZone).description
        let start = Int64(range.start.timeIntervalSince1970)
        let end = Int64(range.end.timeIntervalSince1970)
        // §4 step 1: linked to the motif, not expired, agent not deleted, at the place (or any
        // non-disabled one), intersecting the range (a moved occurrence inside counts too).
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                SELECT p.id, p.agent_id, p.place_id, p.first_day, p.start_time, p.end_time, p.recurrence
                FROM opening_period_motifs pm
                JOIN opening_periods p ON p.id = pm.opening_period_id
                JOIN agents a ON a.id = p.agent_id AND a.deleted_at IS NULL
                LEFT JOIN places l ON l.id = p.place_id
                WHERE pm.motif_id = :motif AND p.expired = 0
                  AND (l.id IS NULL OR l.availability <> 'disabled')
                  AND (:place IS NULL OR p.place_id = :place)
                  AND ((p.first_day <= :last
                        AND ((p.recurrence IS NULL AND p.first_day >= :first)
                             OR (p.recurrence IS NOT NULL AND (p.recurrence_ends_at IS NULL OR p.recurrence_ends_at > :start))))
                       OR EXISTS (SELECT 1 FROM occurrence_exceptions e
                                  WHERE e.opening_period_id = p.id AND e.cancelled = 0 AND e.day BETWEEN :first AND :last))
                ORDER BY p.id
                """),
            arguments: ["motif": motif.id, "place": placeID, "first": first, "last": last, "start": start])
        var inputs = SlotInputs()
        var candidateAgents = Set<Int64>()
        let exceptions = try Self.exceptions(db, column: "opening_period_id", ids: rows.map { $0["id"] as Int64 })
        for row in rows {
            let agent: Int64 = row["agent_id"]
            if let agents, !agents.isEmpty, !agents.contains(agent) { continue }
            guard let pattern = Self.pattern(row) else { continue }
            let id: Int64 = row["id"]
            inputs.periods.append(
                SlotPeriod(
                    id: id, agentID: agent, placeID: row["place_id"], pattern: pattern, exceptions: exceptions[id] ?? []
                ))
            candidateAgents.insert(agent)
        }
        guard !candidateAgents.isEmpty else { return inputs }
        let (agentList, agentArguments) = Self.inList(candidateAgents.sorted())
        // Absences of those agents that may touch the range (any organisation: they block everywhere).
        var absenceArguments = agentArguments
        absenceArguments += [last, first, start]
        let absenceRows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, agent_id, first_day, start_time, end_day, end_time, recurrence FROM absences
                    WHERE agent_id IN (\(agentList)) AND expired = 0 AND first_day <= ?
                      AND ((recurrence IS NULL AND end_day >= ?)
                           OR (recurrence IS NOT NULL AND (recurrence_ends_at IS NULL OR recurrence_ends_at > ?)))
                    """),
            arguments: absenceArguments)
        let absenceExceptions = try Self.exceptions(
            db, column: "absence_id", ids: absenceRows.map { $0["id"] as Int64 })
        for row in absenceRows {
            guard let pattern = Self.pattern(row) else { continue }
            inputs.absences.append(
                SlotAbsence(
                    agentID: row["agent_id"], pattern: pattern, exceptions: absenceExceptions[row["id"] as Int64] ?? [])
            )
        }
        // §4 step 3.3: appointments of those agents, any organisation, not cancelled.
        var appointmentArguments = agentArguments
        appointmentArguments += [end, start]
        let appointmentRows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT appointment_id, agent_id, starts_at, ends_at FROM appointment_agents
                    WHERE agent_id IN (\(agentList)) AND starts_at < ? AND ends_at > ?
                      AND status IN ('unknown', 'seen', 'noshow')
                    """),
            arguments: appointmentArguments)
        for row in appointmentRows {
            inputs.appointments.append(
                SlotAppointment(
                    agentIDs: [row["agent_id"]],
                    startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64))))
        }
        return inputs
    }

    /// `?, ?, …` for an `IN` list of `ids` (not empty), and its arguments. The list is padded to
    /// the next power of two by repeating the last id, so that the statements can be cached: a
    /// few distinct texts (1, 2, 4, 8… placeholders) instead of one per set of ids.
    static func inList(_ ids: [Int64]) -> (String, StatementArguments) {
        var size = 1
        while size < ids.count { size *= 2 }
        let padded = ids + Array(repeating: ids.last ?? 0, count: size - ids.count)
        return (Array(repeating: "?", count: size).joined(separator: ","), StatementArguments(padded))
    }

    /// The recurrences stored as JSON text, decoded once per distinct text: a data set has few
    /// (the seed: a handful), and `JSONDecoder` dominated the reading of periods.
    static func recurrence(_ json: String) -> Recurrence? {
        if let known = recurrenceCache.withLock({ $0[json] }) { return known }
        guard let decoded = try? JSONDecoder().decode(Recurrence.self, from: Data(json.utf8)) else { return nil }
        recurrenceCache.withLock { cache in
            if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
            cache[json] = decoded
        }
        return decoded
    }

    static func pattern(_ row: Row) -> SeriesPattern? {
        guard let firstDay = LocalDate(row["first_day"] as String),
            let startTime = TimeOfDay(row["start_time"] as String),
            let endTime = TimeOfDay(row["end_time"] as String)
        else { return nil }
        let endDay = (row["end_day"] as String?).flatMap(LocalDate.init)
        let recurrence = (row["recurrence"] as String?).flatMap(Self.recurrence)
        return SeriesPattern(
            firstDay: firstDay, startTime: startTime, endDay: endDay, endTime: endTime, recurrence: recurrence)
    }

    static func exceptions(_ db: Database, column: String, ids: [Int64]) throws -> [Int64: [OccurrenceException]] {
        guard !ids.isEmpty else { return [:] }
        let (list, arguments) = inList(ids)
        let rows = try Row.fetchAll(
            db.cachedStatement(
                sql: """
                    SELECT id, \(column), date, cancelled, day, start_time, end_time FROM occurrence_exceptions
                    WHERE \(column) IN (\(list))
                    """), arguments: arguments)
        var result: [Int64: [OccurrenceException]] = [:]
        for row in rows {
            guard let seriesID = row[column] as Int64?, let date = LocalDate(row["date"] as String) else { continue }
            result[seriesID, default: []].append(
                OccurrenceException(
                    id: row["id"], seriesType: column == "absence_id" ? .absence : .openingPeriod, seriesID: seriesID,
                    date: date,
                    cancelled: row["cancelled"], day: (row["day"] as String?).flatMap(LocalDate.init),
                    startTime: (row["start_time"] as String?).flatMap(TimeOfDay.init),
                    endTime: (row["end_time"] as String?).flatMap(TimeOfDay.init)))
        }
        return result
    }
}
