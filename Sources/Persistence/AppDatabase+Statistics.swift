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

    /// The weeks' and months' boundaries (local midnights, so DST is in them).
    var weekBuckets: Buckets { Buckets(weeks.map(start(of:)) + [weekRange.1]) }
    var monthBuckets: Buckets { Buckets(months.map(start(of:)) + [monthRange.1]) }

    func dayIndex(_ column: SQL) -> SQL {
        let (from, until) = dayRange
        let first = Int64(days.first?.daysSinceEpoch ?? 0)
        return "(\(localSeconds(column, from: from, until: until)) / 86400 - \(first))"
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
    ///
    /// The appointments are read once, sequentially, and counted in Swift: on the département
    /// data set a GROUP BY over the joined rows costs ~100 ms of sorting and random page reads
    /// per chart, a sequential scan ~25 ms for all of them (docs/performance.md). Participations
    /// and appointment agents are then scanned once each and matched by appointment id.
    public func statistics(_ scope: StatisticsScope, now: Date, zone: TimeZone) throws -> StatisticsReport {
        let calendar = StatisticsCalendar(now: now, zone: zone)
        return try writer.read { db in
            let filter = Self.statisticsFilter(scope)
            let epochNow = Int64(now.timeIntervalSince1970)
            let weeks = calendar.weekBuckets
            let months = calendar.monthBuckets
            let (weeksFrom, weeksUntil) = calendar.weekRange
            let yearAgo = calendar.yearAgo
            let weekCount = StatisticsCalendar.weekCount
            let serviceOfMotif = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT m.id, s.name FROM motifs m JOIN services s ON s.id = m.service_id")
                    .map { ($0["id"] as Int64, $0["name"] as String) })
            let territoryOfOrganisation = try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(db, sql: "SELECT o.id, t.name FROM organisations o JOIN territories t ON t.id = o.territory_id")
                    .map { ($0["id"] as Int64, $0["name"] as String) })

            var createdByOrigin = StatisticsBreakdown()
            var byLocationType = StatisticsBreakdown()
            var byTerritory = StatisticsBreakdown()
            var byService = StatisticsBreakdown()
            var appointmentStatuses = StatisticsBreakdown()
            // By appointment id (ids are dense rowids): a byte per appointment, looked up for each
            // participation and appointment agent far faster than a dictionary.
            let idCount = Int(try Int64.fetchOne(db, sql: "SELECT max(id) FROM appointments") ?? 0) + 1
            var pastWeek = [Int8](repeating: -1, count: idCount)
            var pastMonth = [Int8](repeating: -1, count: idCount)
            var filled = 0
            var noShows = 0
            // A whole-table scope reads the table in order; a narrower one uses its index.
            let source: SQL = scope == .everything || { if case .territory = scope { true } else { false } }()
                ? "appointments a NOT INDEXED" : "appointments a"
            let appointments = try Row.fetchCursor(
                db,
                SQLRequest(literal: """
                    SELECT a.id, a.created_at, a.created_by_type, a.starts_at, a.location_type, a.motif_id, a.organisation_id, a.status
                    FROM \(source) JOIN organisations o ON o.id = a.organisation_id
                    WHERE ((a.created_at >= \(weeksFrom) AND a.created_at < \(weeksUntil))
                           OR (a.starts_at >= \(min(weeksFrom, yearAgo)) AND a.starts_at < \(weeksUntil))) AND \(filter)
                    """))
            while let row = try appointments.next() {
                let id: Int64 = row[0]
                let startsAt: Int64 = row[3]
                let status: String = row[7]
                if let week = weeks.index(row[1]) {
                    createdByOrigin[row[2], default: Self.zeros(weekCount)][week] += 1
                }
                if startsAt >= yearAgo, startsAt < epochNow, status == "seen" || status == "noshow" {
                    filled += 1
                    if status == "noshow" { noShows += 1 }
                }
                guard let week = weeks.index(startsAt) else { continue }
                byLocationType[row[4], default: Self.zeros(weekCount)][week] += 1
                byService[serviceOfMotif[row[5]] ?? "", default: Self.zeros(weekCount)][week] += 1
                byTerritory[territoryOfOrganisation[row[6]] ?? "", default: Self.zeros(weekCount)][week] += 1
                if startsAt < epochNow {
                    appointmentStatuses[status, default: Self.zeros(weekCount)][week] += 1
                    pastWeek[Int(id)] = Int8(week)
                    if let month = months.index(startsAt) { pastMonth[Int(id)] = Int8(month) }
                }
            }

            // Chart 6: the participations of those past appointments.
            var participationStatuses = StatisticsBreakdown()
            let participations = try Row.fetchCursor(db, sql: "SELECT appointment_id, status FROM participations")
            while let row = try participations.next() {
                let id: Int64 = row[0]
                guard id < idCount, pastWeek[Int(id)] >= 0 else { continue }
                participationStatuses[row[1], default: Self.zeros(weekCount)][Int(pastWeek[Int(id)])] += 1
            }

            // Chart 7: distinct agents of the past appointments, by month.
            var agentsByMonth = Array(repeating: Set<Int64>(), count: StatisticsCalendar.monthCount)
            let agents = try Row.fetchCursor(db, sql: "SELECT appointment_id, agent_id FROM appointment_agents")
            while let row = try agents.next() {
                let id: Int64 = row[0]
                guard id < idCount, pastMonth[Int(id)] >= 0 else { continue }
                agentsByMonth[Int(pastMonth[Int(id)])].insert(row[1])
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
                byChannel[row["channel"], default: Self.zeros(StatisticsCalendar.dayCount)][bucket] += count
                byEvent[row["event"], default: Self.zeros(StatisticsCalendar.dayCount)][bucket] += count
                byResult[row["result"], default: Self.zeros(StatisticsCalendar.dayCount)][bucket] += count
            }

            let counters = try Self.statisticsCounters(db, scope, filter: filter)
            return StatisticsReport(
                calendar: calendar, appointmentsCount: counters.appointments, usersCount: counters.users,
                agentsCount: counters.agents, organisationsCount: counters.organisations,
                noShowRate: filled > 0 ? Double(noShows) / Double(filled) : nil,
                createdByOrigin: createdByOrigin, byLocationType: byLocationType,
                byTerritory: scope == .everything ? byTerritory : nil, byService: byService,
                appointmentStatuses: appointmentStatuses, participationStatuses: participationStatuses,
                activeAgents: agentsByMonth.map(\.count), notificationsByChannel: byChannel, notificationsByEvent: byEvent,
                notificationsByResult: byResult)
        }
    }

    static func zeros(_ count: Int) -> [Int] { Array(repeating: 0, count: count) }

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
    }

    private static func statisticsCounters(_ db: Database, _ scope: StatisticsScope, filter: SQL) throws -> StatisticsCounters {
        func count(_ sql: SQL) throws -> Int { try Int.fetchOne(db, SQLRequest(literal: sql)) ?? 0 }
        let appointments = try count(
            "SELECT count(*) FROM appointments a JOIN organisations o ON o.id = a.organisation_id WHERE \(filter)")
        switch scope {
        case .everything:
            return StatisticsCounters(
                appointments: appointments, users: try count("SELECT count(*) FROM users WHERE deleted_at IS NULL"),
                agents: try count(
                    "SELECT count(DISTINCT r.agent_id) FROM agent_roles r JOIN agents g ON g.id = r.agent_id WHERE g.deleted_at IS NULL"),
                organisations: try count("SELECT count(*) FROM organisations"))
        case .territory(let id):
            return StatisticsCounters(
                appointments: appointments,
                users: try count(
                    "SELECT count(DISTINCT up.user_id) FROM user_profiles up JOIN organisations o ON o.id = up.organisation_id WHERE o.territory_id = \(id)"),
                agents: try count(
                    "SELECT count(DISTINCT r.agent_id) FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.territory_id = \(id)"),
                organisations: try count("SELECT count(*) FROM organisations WHERE territory_id = \(id)"))
        case .organisation(let id):
            return StatisticsCounters(
                appointments: appointments, users: try count("SELECT count(*) FROM user_profiles WHERE organisation_id = \(id)"),
                agents: try count("SELECT count(*) FROM agent_roles WHERE organisation_id = \(id)"), organisations: nil)
        case .agent:
            return StatisticsCounters(
                appointments: appointments,
                users: try count(
                    "SELECT count(DISTINCT p.user_id) FROM participations p JOIN appointments a ON a.id = p.appointment_id JOIN organisations o ON o.id = a.organisation_id WHERE \(filter)"),
                agents: nil, organisations: nil)
        }
    }
}

/// Sorted instants cutting time into periods: `index(t)` is the period holding `t`, or nil
/// outside them (a binary search: 52 weeks take 6 comparisons).
struct Buckets {
    let boundaries: [Int64]

    init(_ boundaries: [Int64]) { self.boundaries = boundaries }

    func index(_ instant: Int64) -> Int? {
        guard let first = boundaries.first, let last = boundaries.last, instant >= first, instant < last else { return nil }
        var low = 0
        var high = boundaries.count - 1
        while high - low > 1 {
            let middle = (low + high) / 2
            if boundaries[middle] <= instant { low = middle } else { high = middle }
        }
        return low
    }
}

extension StatisticsCalendar {
    /// The same day a year ago, for the no-show rate of the last 12 months.
    var yearAgo: Int64 {
        let today = LocalDate(now, in: zone)
        return start(of: today.adding(years: -1) ?? today)
    }
}
