import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// Issue 11: the agenda reads one query per kind over its range, each through an index of the
/// agents (never a scan of appointments, absences or opening periods).
@Suite("Query plans of the agenda")
struct AgendaQueryTests {
    static let list = "?,?"
    static let queries: [(String, String, StatementArguments)] = [
        ("appointments", AppDatabase.agendaAppointmentsSQL(list), [1, 2, 1_800_000_000, 1_700_000_000]),
        (
            "absences", AppDatabase.agendaSeriesSQL(table: "absences", column: "absence_id", list: list),
            [1, 2, "2026-12-06", "2026-11-30", 1_764_457_200, "2026-11-30", "2026-12-06"]
        ),
        (
            "opening periods",
            AppDatabase.agendaSeriesSQL(table: "opening_periods", column: "opening_period_id", list: list),
            [1, 2, "2026-12-06", "2026-11-30", 1_764_457_200, "2026-11-30", "2026-12-06"]
        ),
        ("appointments to fill in", AppDatabase.unknownPastAppointmentCountSQL, [1, 1_764_457_200, 1]),
    ]

    @Test(arguments: queries.map(\.0))
    func agendaQueriesUseIndexes(name: String) throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let query = try #require(Self.queries.first { $0.0 == name })
        let plan = try db.writer.read { conn in
            try Row.fetchAll(conn, sql: "EXPLAIN QUERY PLAN " + query.1, arguments: query.2).map {
                $0["detail"] as String
            }
        }
        #expect(!plan.isEmpty)
        for step in plan where step.hasPrefix("SCAN") && !step.contains("USING") {
            Issue.record("\(name) scans: \(step) (plan: \(plan))")
        }
    }

    @Test func anEmptyAgendaReadsNothing() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try db.agendaData(
            agentIDs: [1], first: try #require(LocalDate("2026-11-30")), last: try #require(LocalDate("2026-12-06")),
            timeZone: try #require(TimeZone(identifier: "Europe/Paris")))
        #expect(data.appointments.isEmpty && data.absences.isEmpty && data.openingPeriods.isEmpty)
    }
}

/// Issue 11 « Done when »: the demo seed gives each demo agent a realistic week around now.
@Suite("Demo seed: the current week")
struct DemoSeedWeekTests {
    @Test func everyAgentButTheSecretaryHasAFullWeek() throws {
        // Given the demo seed made on Thursday 2026-12-03 at 09:00 in Paris
        let seed = SeedDocument.make(scale: .demo, now: Date(timeIntervalSince1970: 1_796_284_800)).result
        // When its appointments of Monday 30 November to Friday 4 December are counted per agent
        let week = Set(["2026-11-30", "2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"])
        var counts: [String: Int] = [:]
        for appointment in seed.appointments where week.contains(String(appointment.starts_at.prefix(10))) {
            for agent in appointment.agents { counts[agent, default: 0] += 1 }
        }
        // Then every agent holding motifs has at least two a day on average, within the total
        let staff = seed.agents.filter { !$0.services.contains("secretariat") }.map(\.ref)
        #expect(staff.count == 9)
        for agent in staff { #expect(counts[agent, default: 0] >= 10, "\(agent)") }
        #expect(seed.appointments.count == SeedScale.demo.appointments)
    }
}
