import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// booking.md §11 nightly jobs: each at its Paris time, on both sides of each limit, idempotent,
/// planning its next run in the transaction of its work.
@Suite("Daily jobs")
struct DailyJobsTests {
    /// Monday 7 December 2026, 23:00 in Paris.
    static let now = ISO8601.parse("2026-12-07T23:00:00+01:00")!
    static let day: TimeInterval = 86_400

    @Test func eachJobRunsAtItsParisTimeOnceTheClockPassesIt() {
        #expect(DailyJob.apiCalls.nextRun(after: Self.now) == ISO8601.parse("2026-12-07T23:30:00+01:00"))
        #expect(DailyJob.versions.nextRun(after: Self.now) == ISO8601.parse("2026-12-08T23:00:00+01:00"))
        #expect(DailyJob.expirations.nextRun(after: Self.now) == ISO8601.parse("2026-12-08T03:30:00+01:00"))
        // Summer time: 23:30 in Paris is 21:30 UTC.
        #expect(DailyJob.apiCalls.nextRun(after: ISO8601.parse("2026-07-01T12:00:00Z")!) == ISO8601.parse("2026-07-01T21:30:00Z"))
    }

    @Test func apiCallsOlderThanAYearGoAndTheNextRunIsPlanned() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let year = AppDatabase.year
        try db.writer.write { db in
            for age in [year + 1, year - 1] {
                try db.execute(
                    sql: """
                        INSERT INTO api_calls (method, path, host, controller, action, authentication_type, response_status, called_at)
                        VALUES ('GET', '/api/v1/rdvs', 'h', 'rdvs', 'index', 'access_token', 200, ?)
                        """, arguments: [Int64(Self.now.timeIntervalSince1970 - age)])
            }
        }
        #expect(try db.runDailyJob(.apiCalls, now: Self.now) == ["api_calls": 1])
        #expect(try db.runDailyJob(.apiCalls, now: Self.now) == ["api_calls": 0])
        let planned = try db.writer.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT due_at FROM outbox_messages WHERE json_extract(payload, '$.job') = 'api_calls_retention'")
        }
        // The next 23:30 after the run's clock; planned twice for the same instant: one row (its key).
        #expect(planned == [Int64(ISO8601.parse("2026-12-07T23:30:00+01:00")!.timeIntervalSince1970)])
    }

    @Test func versionsOfPersonalDataGoAfterAYearOthersLoseTheirAuthorAllGoAfterFiveYears() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let year = AppDatabase.year
        let rows: [(String, TimeInterval)] = [
            ("User", year + 1), ("User", year - 1), ("Motif", year + 1), ("Motif", 5 * year + 1), ("Motif", year - 1),
        ]
        try db.writer.write { db in
            for (index, (type, age)) in rows.enumerated() {
                try db.execute(
                    sql: "INSERT INTO versions (item_type, item_id, event, author, created_at) VALUES (?, ?, 'update', 'Alice MARTIN', ?)",
                    arguments: [type, index + 1, Int64(Self.now.timeIntervalSince1970 - age)])
            }
        }
        #expect(
            try db.runDailyJob(.versions, now: Self.now)
                == ["personal_versions_deleted": 1, "authors_removed": 2, "old_versions_deleted": 1])
        let left = try db.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT item_type, item_id, author FROM versions ORDER BY item_id")
                .map { "\($0["item_type"] as String) \($0["item_id"] as Int64) \(($0["author"] as String?) ?? "-")" }
        }
        #expect(left == ["User 2 Alice MARTIN", "Motif 3 -", "Motif 5 Alice MARTIN"])
    }

    @Test func receiptsOlderThanSixMonthsAreBlanked() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let half = AppDatabase.year / 2
        try db.writer.write { db in
            for age in [half + 1, half - 1] {
                try db.execute(
                    sql: """
                        INSERT INTO receipts (event, channel, result, content, email_address, error_message, created_at)
                        VALUES ('rdv_created', 'mail', 'sent', 'RDV confirmé', 'jean@example.fr', NULL, ?)
                        """, arguments: [Int64(Self.now.timeIntervalSince1970 - age)])
            }
        }
        #expect(try db.runDailyJob(.receipts, now: Self.now) == ["receipts": 1])
        let kept = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT coalesce(email_address, '-') FROM receipts ORDER BY id")
        }
        #expect(kept == ["-", "jean@example.fr"])
    }
}

extension DailyJobsTests {
    @Test func expirationsAndOldOpeningPeriodsOnBothSidesOfTheirLimits() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ids = try db.importDocument(
            try InterchangeDecoding.decode(Data(AppointmentQueryTests.fixture.utf8)), clock: FixedClock(Self.now))
        let agent = try #require(ids.first { $0.key.hasPrefix("a") }?.value)
        let organisation = try #require(ids.first { $0.key.hasPrefix("o") }?.value)
        // Single-day periods: yesterday (expired, kept); ended a year ago at 22:00 (deleted); ending
        // a year ago at 23:30, half an hour short of a year at 23:00 (kept).
        try db.writer.write { db in
            for (title, day, end) in [("hier", "2026-12-06", "10:00"), ("ancienne", "2025-12-07", "22:00"), ("limite", "2025-12-07", "23:30")] {
                try db.execute(
                    sql: """
                        INSERT INTO opening_periods (agent_id, organisation_id, title, first_day, start_time, end_time)
                        VALUES (?, ?, ?, ?, '09:00', ?)
                        """, arguments: [agent, organisation, title, day, end])
            }
        }
        let before = try db.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM opening_periods") ?? 0 }
        #expect(try db.runDailyJob(.oldOpeningPeriods, now: Self.now) == ["opening_periods": 1])
        let titles = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT title FROM opening_periods WHERE title IN ('hier', 'ancienne', 'limite') ORDER BY title")
        }
        #expect(titles == ["hier", "limite"])
        let counts = try db.runDailyJob(.expirations, now: Self.now)
        #expect((counts["opening_periods"] ?? 0) >= 2)
        let expired = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT title FROM opening_periods WHERE expired = 1 AND title IN ('hier', 'limite') ORDER BY title")
        }
        #expect(expired == ["hier", "limite"])
        #expect(try db.runDailyJob(.expirations, now: Self.now) == ["opening_periods": 0, "absences": 0])
        let after = try db.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM opening_periods") ?? 0 }
        #expect(after == before - 1)
    }
}
