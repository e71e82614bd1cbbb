import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// slots.md §12: the slot search reads through indexes. The plans of its queries, as SQLite
/// reports them, use an index for every table and never scan one.
@Suite("Query plans of the slot search")
struct QueryPlanTests {
    static let queries: [(String, String)] = [
        (
            "candidate periods",
            """
            SELECT p.id FROM opening_period_motifs pm JOIN opening_periods p ON p.id = pm.opening_period_id
            JOIN agents a ON a.id = p.agent_id AND a.deleted_at IS NULL LEFT JOIN places l ON l.id = p.place_id
            WHERE pm.motif_id = 1 AND p.expired = 0
            """
        ),
        (
            "absences of the candidate agents",
            "SELECT id FROM absences WHERE agent_id IN (1,2,3) AND expired = 0 AND first_day <= '2026-12-01'"
        ),
        (
            "appointments of the candidate agents",
            """
            SELECT appointment_id FROM appointment_agents WHERE agent_id IN (1,2,3) AND starts_at < 1800000000
              AND ends_at > 1700000000 AND status IN ('unknown', 'seen', 'noshow')
            """
        ),
        (
            "exceptions of the periods",
            "SELECT * FROM occurrence_exceptions WHERE opening_period_id IN (1,2,3)"
        ),
        (
            "appointments of an agent that day (booking)",
            "SELECT agent_id, count(*) FROM appointment_agents WHERE agent_id IN (1,2) AND starts_at >= 0 AND starts_at < 86400 GROUP BY agent_id"
        ),
    ]

    @Test(arguments: queries.map(\.0))
    func slotQueriesUseIndexes(name: String) throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let sql = try #require(Self.queries.first { $0.0 == name }?.1)
        let plan = try db.writer.read { conn in
            try Row.fetchAll(conn, sql: "EXPLAIN QUERY PLAN " + sql).map { $0["detail"] as String }
        }
        #expect(!plan.isEmpty)
        for step in plan where step.hasPrefix("SCAN") {
            Issue.record("\(name) scans: \(step) (plan: \(plan))")
        }
    }
}
