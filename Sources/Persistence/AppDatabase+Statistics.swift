import Domain
import Foundation
import GRDB

/// Whose appointments the statistics count (admin.md §7): every territory (`/stats`), one
/// territory (`/stats/<departement_number>`), one organisation, or one agent.
public enum StatisticsScope: Hashable, Sendable {
    case everything
    case territory(id: Int64)
    case organisation(id: Int64)
    case agent(id: Int64)
}

/// The periods the charts count by, in the scope's time zone: the 52 weeks ending with the
/// current one, the 12 months ending with the current one, the 30 days ending today.
public struct StatisticsCalendar: Sendable, Equatable {
    public static let weekCount = 52
    public static let monthCount = 12
    public static let dayCount = 30

    /// Mondays, oldest first.
    public let weeks: [LocalDate]
    /// First days of months, oldest first.
    public let months: [LocalDate]
    public let days: [LocalDate]
    public let now: Date
    let zone: TimeZone

    public init(now: Date, zone: TimeZone) {
        let today = LocalDate(now, in: zone)
        let monday = today.mondayOfWeek
        weeks = (0..<Self.weekCount).reversed().compactMap { monday.adding(days: -7 * $0) }
        let firstOfMonth = LocalDate(year: today.year, month: today.month, day: 1) ?? today
        months = (0..<Self.monthCount).reversed().compactMap { firstOfMonth.adding(months: -$0) }
        days = (0..<Self.dayCount).reversed().compactMap { today.adding(days: -$0) }
        self.now = now
        self.zone = zone
    }

    func start(of day: LocalDate) -> Int64 {
        Int64((day.instant(at: .midnight, in: zone) ?? now).timeIntervalSince1970)
    }

    /// `column` (epoch seconds) as local wall-clock seconds: the zone's offset only changes at
    /// its transitions, so inside [from, until) it is a CASE over those few instants, which
    /// SQLite evaluates per row far faster than a date function.
    func localSeconds(_ column: SQL, from: Int64, until: Int64) -> SQL {
        var parts: [SQL] = []
        var cursor = Date(timeIntervalSince1970: TimeInterval(from))
        let end = Date(timeIntervalSince1970: TimeInterval(until))
        while let transition = zone.nextDaylightSavingTimeTransition(after: cursor), transition < end {
            let offset = zone.secondsFromGMT(for: cursor)
            parts.append("WHEN \(column) < \(Int64(transition.timeIntervalSince1970)) THEN \(column) + \(offset)")
            cursor = transition
        }
        let last = zone.secondsFromGMT(for: cursor)
        guard !parts.isEmpty else { return "(\(column) + \(last))" }
        return "(CASE \(parts.joined(separator: " ")) ELSE \(column) + \(last) END)"
    }

    /// The week index (0 = oldest) of `column`, for rows filtered to the weeks' range.
    func weekIndex(_ column: SQL) -> SQL {
        let (from, until) = weekRange
        let monday = Int64(weeks.first?.daysSinceEpoch ?? 0)
        return "((\(localSeconds(column, from: from, until: until)) / 86400 - \(monday)) / 7)"
    }

    func dayIndex(_ column: SQL) -> SQL {
        let (from, until) = dayRange
        let first = Int64(days.first?.daysSinceEpoch ?? 0)
        return "(\(localSeconds(column, from: from, until: until)) / 86400 - \(first))"
    }

    /// Months have unequal lengths: a CASE over the 11 inner boundaries.
    func monthIndex(_ column: SQL) -> SQL {
        let cases = months.dropFirst().enumerated().map { index, first -> SQL in
            "WHEN \(column) < \(start(of: first)) THEN \(index)"
        }
        return "(CASE \(cases.joined(separator: " ")) ELSE \(months.count - 1) END)"
    }

    var weekRange: (Int64, Int64) {
        let last = weeks.last ?? LocalDate(now, in: zone)
        return (start(of: weeks.first ?? last), start(of: last.adding(days: 7) ?? last))
    }

    var monthRange: (Int64, Int64) {
        let last = months.last ?? LocalDate(now, in: zone)
        return (start(of: months.first ?? last), start(of: last.adding(months: 1) ?? last))
    }

    var dayRange: (Int64, Int64) {
        let last = days.last ?? LocalDate(now, in: zone)
        return (start(of: days.first ?? last), start(of: last.adding(days: 1) ?? last))
    }
}

/// Counts per period for each key of one breakdown (an origin, a location type, a service…).
public typealias StatisticsBreakdown = [String: [Int]]

/// What the statistics pages draw (admin.md §7), uncached: the headline counters and the raw
/// series of the 8 charts, keyed by their database values (the views name them).
public struct StatisticsReport: Sendable, Equatable {
    public let calendar: StatisticsCalendar
    public let appointmentsCount: Int
    public let usersCount: Int
    /// Not counted for one agent's statistics.
    public let agentsCount: Int?
    /// Counted for every territory and for one territory only.
    public let organisationsCount: Int?
    /// `noshow` among the last 12 months' past appointments whose status was filled in
    /// (`seen` or `noshow`); nil without any.
    public let noShowRate: Double?
    /// Chart 1, by creation week: `created_by_type`.
    public let createdByOrigin: StatisticsBreakdown
    /// Charts 2–4, by start week: `location_type`, territory name (everything only), service name.
    public let byLocationType: StatisticsBreakdown
    public let byTerritory: StatisticsBreakdown?
    public let byService: StatisticsBreakdown
    /// Charts 5–6, past appointments and participations by start week: `status`.
    public let appointmentStatuses: StatisticsBreakdown
    public let participationStatuses: StatisticsBreakdown
    /// Chart 7, by month: distinct agents with a past appointment that month.
    public let activeAgents: [Int]
    /// Chart 8, receipts by day: `channel`, `event`, `result`.
    public let notificationsByChannel: StatisticsBreakdown
    public let notificationsByEvent: StatisticsBreakdown
    public let notificationsByResult: StatisticsBreakdown
}

extension AppDatabase {
    /// The territory of a département number, for `/stats/<departement_number>`.
    public func statisticsTerritory(departementNumber: String) throws -> (id: Int64, name: String, timeZone: String)? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT id, name, time_zone FROM territories WHERE departement_number = ?",
                arguments: [departementNumber]
            ).map { (id: $0["id"], name: $0["name"], timeZone: $0["time_zone"]) }
        }
    }

    /// Every figure of the statistics pages in one read transaction (a consistent snapshot).
    public func statistics(_ scope: StatisticsScope, now: Date, zone: TimeZone) throws -> StatisticsReport {
        let calendar = StatisticsCalendar(now: now, zone: zone)
        return try writer.read { db in
            let filter = Self.statisticsFilter(scope)
            let epochNow = Int64(now.timeIntervalSince1970)
            let (weeksFrom, weeksUntil) = calendar.weekRange

            // Chart 1: the creation week of appointments created in the 52 weeks.
            var createdByOrigin = StatisticsBreakdown()
            for row in try Row.fetchAll(
                db,
                SQLRequest(literal: """
                    SELECT \(calendar.weekIndex("a.created_at")) AS bucket, a.created_by_type AS key, count(*) AS n
                    FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    WHERE a.created_at >= \(weeksFrom) AND a.created_at < \(weeksUntil) AND \(filter)
                    GROUP BY 1, 2
                    """))
            {
                Self.add(row, to: &createdByOrigin, periods: StatisticsCalendar.weekCount)
            }

            // Charts 2–5 in one pass over the appointments starting in the 52 weeks.
            var byLocationType = StatisticsBreakdown()
            var byTerritory = StatisticsBreakdown()
            var byService = StatisticsBreakdown()
            var appointmentStatuses = StatisticsBreakdown()
            for row in try Row.fetchAll(
                db,
                SQLRequest(literal: """
                    SELECT \(calendar.weekIndex("a.starts_at")) AS bucket, a.location_type, s.name AS service,
                           t.name AS territory, a.status, a.starts_at < \(epochNow) AS past, count(*) AS n
                    FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id
                    JOIN motifs m ON m.id = a.motif_id JOIN services s ON s.id = m.service_id
                    WHERE a.starts_at >= \(weeksFrom) AND a.starts_at < \(weeksUntil) AND \(filter)
                    GROUP BY 1, 2, 3, 4, 5, 6
                    """))
            {
                let bucket: Int = row["bucket"]
                let count: Int = row["n"]
                guard (0..<StatisticsCalendar.weekCount).contains(bucket) else { continue }
                Self.add(count, key: row["location_type"], bucket: bucket, to: &byLocationType, periods: StatisticsCalendar.weekCount)
                Self.add(count, key: row["territory"], bucket: bucket, to: &byTerritory, periods: StatisticsCalendar.weekCount)
                Self.add(count, key: row["service"], bucket: bucket, to: &byService, periods: StatisticsCalendar.weekCount)
                if row["past"] as Bool {
                    Self.add(count, key: row["status"], bucket: bucket, to: &appointmentStatuses, periods: StatisticsCalendar.weekCount)
                }
            }

            // Chart 6: participations of the past appointments of the 52 weeks.
            var participationStatuses = StatisticsBreakdown()
            for row in try Row.fetchAll(
                db,
                SQLRequest(literal: """
                    SELECT \(calendar.weekIndex("a.starts_at")) AS bucket, p.status AS key, count(*) AS n
                    FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN participations p ON p.appointment_id = a.id
                    WHERE a.starts_at >= \(weeksFrom) AND a.starts_at < \(min(weeksUntil, epochNow)) AND \(filter)
                    GROUP BY 1, 2
                    """))
            {
                Self.add(row, to: &participationStatuses, periods: StatisticsCalendar.weekCount)
            }

            // Chart 7: distinct agents of the past appointments, by month.
            let (monthsFrom, _) = calendar.monthRange
            var activeAgents = Array(repeating: 0, count: StatisticsCalendar.monthCount)
            for row in try Row.fetchAll(
                db,
                SQLRequest(literal: """
                    SELECT \(calendar.monthIndex("aa.starts_at")) AS bucket, count(DISTINCT aa.agent_id) AS n
                    FROM appointment_agents aa JOIN appointments a ON a.id = aa.appointment_id
                    JOIN organisations o ON o.id = a.organisation_id
                    WHERE aa.starts_at >= \(monthsFrom) AND aa.starts_at < \(epochNow) AND \(filter)
                    GROUP BY 1
                    """))
            {
                let bucket: Int = row["bucket"]
                if activeAgents.indices.contains(bucket) { activeAgents[bucket] = row["n"] }
            }

            // Chart 8: receipts of the 30 days.
            let (daysFrom, daysUntil) = calendar.dayRange
            var byChannel = StatisticsBreakdown()
            var byEvent = StatisticsBreakdown()
            var byResult = StatisticsBreakdown()
            for row in try Row.fetchAll(
                db,
                SQLRequest(literal: """
                    SELECT \(calendar.dayIndex("r.created_at")) AS bucket, r.channel, r.event, r.result, count(*) AS n
                    FROM receipts r
                    WHERE r.created_at >= \(daysFrom) AND r.created_at < \(daysUntil) AND \(Self.receiptFilter(scope))
                    GROUP BY 1, 2, 3, 4
                    """))
            {
                let bucket: Int = row["bucket"]
                let count: Int = row["n"]
                guard (0..<StatisticsCalendar.dayCount).contains(bucket) else { continue }
                Self.add(count, key: row["channel"], bucket: bucket, to: &byChannel, periods: StatisticsCalendar.dayCount)
                Self.add(count, key: row["event"], bucket: bucket, to: &byEvent, periods: StatisticsCalendar.dayCount)
                Self.add(count, key: row["result"], bucket: bucket, to: &byResult, periods: StatisticsCalendar.dayCount)
            }

            let counters = try Self.statisticsCounters(db, scope, filter: filter, since: calendar.yearAgo, now: epochNow)
            return StatisticsReport(
                calendar: calendar, appointmentsCount: counters.appointments, usersCount: counters.users,
                agentsCount: counters.agents, organisationsCount: counters.organisations, noShowRate: counters.noShowRate,
                createdByOrigin: createdByOrigin, byLocationType: byLocationType,
                byTerritory: scope == .everything ? byTerritory : nil, byService: byService,
                appointmentStatuses: appointmentStatuses, participationStatuses: participationStatuses,
                activeAgents: activeAgents, notificationsByChannel: byChannel, notificationsByEvent: byEvent,
                notificationsByResult: byResult)
        }
    }

    /// The appointments of the scope (`a` the appointment, `o` its organisation).
    static func statisticsFilter(_ scope: StatisticsScope) -> SQL {
        switch scope {
        case .everything: "1"
        case .territory(let id): "o.territory_id = \(id)"
        case .organisation(let id): "a.organisation_id = \(id)"
        case .agent(let id): "a.id IN (SELECT appointment_id FROM appointment_agents WHERE agent_id = \(id))"
        }
    }

    /// The receipts of the scope (`r`): a territory's include those about no appointment
    /// (« Envoyer un SMS de test »).
    static func receiptFilter(_ scope: StatisticsScope) -> SQL {
        switch scope {
        case .everything: "1"
        case .territory(let id): "r.territory_id = \(id)"
        case .organisation(let id): "r.organisation_id = \(id)"
        case .agent(let id): "r.appointment_id IN (SELECT appointment_id FROM appointment_agents WHERE agent_id = \(id))"
        }
    }

    private struct StatisticsCounters {
        let appointments: Int
        let users: Int
        let agents: Int?
        let organisations: Int?
        let noShowRate: Double?
    }

    private static func statisticsCounters(
        _ db: Database, _ scope: StatisticsScope, filter: SQL, since: Int64, now: Int64
    ) throws -> StatisticsCounters {
        func count(_ sql: SQL) throws -> Int { try Int.fetchOne(db, SQLRequest(literal: sql)) ?? 0 }
        let appointments = try count(
            "SELECT count(*) FROM appointments a JOIN organisations o ON o.id = a.organisation_id WHERE \(filter)")
        let users: Int
        let agents: Int?
        let organisations: Int?
        switch scope {
        case .everything:
            users = try count("SELECT count(*) FROM users WHERE deleted_at IS NULL")
            agents = try count("SELECT count(DISTINCT r.agent_id) FROM agent_roles r JOIN agents g ON g.id = r.agent_id WHERE g.deleted_at IS NULL")
            organisations = try count("SELECT count(*) FROM organisations")
        case .territory(let id):
            users = try count(
                "SELECT count(DISTINCT up.user_id) FROM user_profiles up JOIN organisations o ON o.id = up.organisation_id WHERE o.territory_id = \(id)")
            agents = try count(
                "SELECT count(DISTINCT r.agent_id) FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.territory_id = \(id)")
            organisations = try count("SELECT count(*) FROM organisations WHERE territory_id = \(id)")
        case .organisation(let id):
            users = try count("SELECT count(*) FROM user_profiles WHERE organisation_id = \(id)")
            agents = try count("SELECT count(*) FROM agent_roles WHERE organisation_id = \(id)")
            organisations = nil
        case .agent:
            users = try count(
                "SELECT count(DISTINCT p.user_id) FROM participations p JOIN appointments a ON a.id = p.appointment_id JOIN organisations o ON o.id = a.organisation_id WHERE \(filter)")
            agents = nil
            organisations = nil
        }
        let filled = try Row.fetchOne(
            db,
            SQLRequest(literal: """
                SELECT count(*) FILTER (WHERE a.status = 'noshow') AS noshow, count(*) AS filled
                FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                WHERE a.starts_at >= \(since) AND a.starts_at < \(now) AND a.status IN ('seen', 'noshow') AND \(filter)
                """))
        let filledCount: Int = filled?["filled"] ?? 0
        let noShows: Int = filled?["noshow"] ?? 0
        return StatisticsCounters(
            appointments: appointments, users: users, agents: agents, organisations: organisations,
            noShowRate: filledCount > 0 ? Double(noShows) / Double(filledCount) : nil)
    }

    private static func add(_ row: Row, to breakdown: inout StatisticsBreakdown, periods: Int) {
        let bucket: Int = row["bucket"]
        guard (0..<periods).contains(bucket) else { return }
        add(row["n"], key: row["key"], bucket: bucket, to: &breakdown, periods: periods)
    }

    private static func add(_ count: Int, key: String, bucket: Int, to breakdown: inout StatisticsBreakdown, periods: Int) {
        breakdown[key, default: Array(repeating: 0, count: periods)][bucket] += count
    }
}

extension StatisticsCalendar {
    /// The same day a year ago, for the no-show rate of the last 12 months.
    var yearAgo: Int64 {
        let today = LocalDate(now, in: zone)
        return start(of: today.adding(years: -1) ?? today)
    }
}
