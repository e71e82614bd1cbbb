import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// booking.md §11, the 22:00 retention job, on both sides of each limit: receipts and
/// appointments 2 years old to the second, users untouched for more than 2 years, relatives
/// evaluated first, recent invitation tokens; deletions send `destroyed` webhooks with
/// `webhook_reason: "rgpd"`.
@Suite("Retention job")
struct RetentionJobTests {
    /// r1 of the contract's example starts 2021-05-03T09:00+02:00; two years (730 days) later.
    static let limit = ISO8601.parse("2021-05-03T09:00:00+02:00")!.addingTimeInterval(AppDatabase.twoYears)

    func database() throws -> (AppDatabase, URL, [String: Int64]) {
        let (db, directory) = try makeTestDatabase()
        let data = try Data(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/contract-example.json"))
        let ids = try db.importDocument(try InterchangeDecoding.decode(data), clock: FixedClock(Self.limit.addingTimeInterval(-3 * 365 * 86_400)))
        return (db, directory, ids)
    }

    @Test func eachLimitOnBothSides() throws {
        let (db, directory, ids) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let organisation = try #require(ids["o1"])
        let old = Int64(Self.limit.timeIntervalSince1970 - AppDatabase.twoYears)
        func user(_ name: String, createdAt: Int64, responsible: Int64? = nil, tokenAt: Int64? = nil) throws -> Int64 {
            try db.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO users (first_name, last_name, responsible_id, created_through, created_at, updated_at,
                                           rdv_invitation_token, rdv_invitation_token_created_at)
                        VALUES (?, 'Test', ?, 'agent_creation', ?, ?, ?, ?)
                        """,
                    arguments: [name, responsible, createdAt, createdAt, tokenAt.map { _ in "AB12CD34" }, tokenAt])
                let id = db.lastInsertedRowID
                try db.execute(
                    sql: "INSERT INTO user_profiles (user_id, organisation_id) VALUES (?, ?)", arguments: [id, organisation])
                return id
            }
        }
        // The first run is a second before the limit: its cutoff is `old - 1`.
        _ = try user("Exactement", createdAt: old - 1)  // exactly 2 years at the first run: kept; then goes
        let responsible = try user("Responsable", createdAt: old - 2)
        _ = try user("Proche", createdAt: old - 2, responsible: responsible)  // both go, the relative first
        let kept = try user("Gardée", createdAt: old - 2)
        _ = try user("Proche récente", createdAt: old + 10, responsible: kept)  // keeps its responsible
        _ = try user("Invitée", createdAt: old - 2, tokenAt: old + 10)
        try db.writer.write { db in
            // Jean (u1) has only r1; his file is old too.
            try db.execute(sql: "UPDATE users SET created_at = ?, last_modified_at = NULL WHERE id = ?", arguments: [old - 2, ids["u1"]])
            try db.execute(
                sql: "INSERT INTO receipts (event, channel, result, created_at) VALUES ('rdv_created', 'mail', 'sent', ?), ('rdv_created', 'mail', 'sent', ?)",
                arguments: [old - 1, old])
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                    VALUES (?, 'https://partenaire.example.fr/hook', 's', '["rdv", "user", "user_profile"]')
                    """, arguments: [organisation])
        }
        // A second before: the receipt then exactly 2 years old goes; r1 (2 years less a second)
        // and Jean, still its participant, stay.
        #expect(
            try db.runDailyJob(.retention, now: Self.limit.addingTimeInterval(-1))
                == ["receipts": 1, "appointments": 0, "users": 2])
        let survivors = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT first_name FROM users ORDER BY id")
        }
        #expect(survivors == ["Jean", "Exactement", "Gardée", "Proche récente", "Invitée"])
        // At the limit: the other receipt and r1 go, then Jean, who has no participation left, and
        // « Exactement », now untouched for 2 years and a second.
        #expect(try db.runDailyJob(.retention, now: Self.limit) == ["receipts": 1, "appointments": 1, "users": 2])
        let left = try db.writer.read { db in try String.fetchAll(db, sql: "SELECT first_name FROM users ORDER BY id") }
        #expect(left == ["Gardée", "Proche récente", "Invitée"])
        let metas = try db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT json_extract(json_extract(payload, '$.body'), '$.meta.model') || ' ' ||
                           json_extract(json_extract(payload, '$.body'), '$.meta.event') || ' ' ||
                           json_extract(json_extract(payload, '$.body'), '$.meta.webhook_reason')
                    FROM outbox_messages WHERE kind = 'webhook' ORDER BY id
                    """)
        }
        // The relative, then its responsible (a second before), then r1 and Jean (at the limit).
        #expect(
            metas == [
                "User destroyed rgpd", "UserProfile destroyed rgpd", "User destroyed rgpd", "UserProfile destroyed rgpd",
                "Rdv destroyed rgpd", "User destroyed rgpd", "UserProfile destroyed rgpd", "User destroyed rgpd",
                "UserProfile destroyed rgpd",
            ])
    }
}
