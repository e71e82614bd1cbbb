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
            // Jean (u1) has only r1; his file is old too. The agents signed in lately (step 4 is
            // tested below).
            try db.execute(sql: "UPDATE agents SET last_sign_in_at = ?", arguments: [old + 86_400])
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
                == [
                    "receipts": 1, "appointments": 0, "users": 2, "agents_warned": 0, "agents_deleted": 0,
                    "agents_kept_as_last_admin": 0,
                ])
        let survivors = try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT first_name FROM users ORDER BY id")
        }
        #expect(survivors == ["Jean", "Exactement", "Gardée", "Proche récente", "Invitée"])
        // At the limit: the other receipt and r1 go, then Jean, who has no participation left, and
        // « Exactement », now untouched for 2 years and a second.
        #expect(
            try db.runDailyJob(.retention, now: Self.limit)
                == [
                    "receipts": 1, "appointments": 1, "users": 2, "agents_warned": 0, "agents_deleted": 0,
                    "agents_kept_as_last_admin": 0,
                ])
        let left = try db.writer.read { db in try String.fetchAll(db, sql: "SELECT first_name FROM users ORDER BY id") }
        #expect(left == ["Gardée", "Proche récente", "Invitée"])
        let metas = try plannedWebhooks(db, meta: ["model", "event", "webhook_reason"])
        // The relative, then its responsible (a second before), then r1 and Jean (at the limit).
        #expect(
            metas == [
                "User destroyed rgpd", "UserProfile destroyed rgpd", "User destroyed rgpd", "UserProfile destroyed rgpd",
                "Rdv destroyed rgpd", "User destroyed rgpd", "UserProfile destroyed rgpd", "User destroyed rgpd",
                "UserProfile destroyed rgpd",
            ])
    }

    /// Step 4: agents without appointment, created and not signed in for 2 years, are warned, then
    /// deleted once the warning is 30 days old; a warning older than 2 years is renewed; the last
    /// admin of an organisation is kept; intervenants and active agents are left alone.
    @Test func inactiveAgentsAreWarnedThenDeletedThirtyDaysLater() throws {
        let (db, directory, ids) = try database()
        defer { try? FileManager.default.removeItem(at: directory) }
        let organisation = try #require(ids["o1"])
        let territory = try #require(ids["t62"])
        let old = Int64(Self.limit.timeIntervalSince1970 - AppDatabase.twoYears)
        func agent(_ name: String, email: String?, createdAt: Int64, signedInAt: Int64? = nil, warnedAt: Int64? = nil,
                   organisationID: Int64? = nil, level: String = "basic") throws -> Int64 {
            try db.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO agents (email, first_name, last_name, last_sign_in_at, account_deletion_warning_sent_at,
                                            created_at, updated_at)
                        VALUES (?, ?, 'Test', ?, ?, ?, ?)
                        """, arguments: [email, name, signedInAt, warnedAt, createdAt, createdAt])
                let id = db.lastInsertedRowID
                try db.execute(
                    sql: "INSERT INTO agent_roles (agent_id, organisation_id, access_level) VALUES (?, ?, ?)",
                    arguments: [id, organisationID ?? organisation, level])
                return id
            }
        }
        let other = try db.writer.write { db -> Int64 in
            try db.execute(sql: "INSERT INTO organisations (territory_id, name) VALUES (?, 'MDS Lens')", arguments: [territory])
            return db.lastInsertedRowID
        }
        try db.writer.write { db in
            // Alice (a1) keeps her appointment's agent side active.
            try db.execute(sql: "UPDATE agents SET last_sign_in_at = ?", arguments: [old + 86_400])
            try db.execute(
                sql: """
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                    VALUES (?, 'https://partenaire.example.fr/hook', 's', '["agent", "agent_role"]')
                    """, arguments: [organisation])
        }
        let inactive = try agent("Inactive", email: "inactive@example.fr", createdAt: old - 1)
        _ = try agent("Exactement", email: "exactement@example.fr", createdAt: old)  // exactly 2 years: not more
        _ = try agent("Connectée", email: "connectee@example.fr", createdAt: old - 10, signedInAt: old + 10)
        _ = try agent("Intervenant", email: nil, createdAt: old - 10, level: "intervenant")
        let renewed = try agent("Ancien avertissement", email: "ancien@example.fr", createdAt: old - 10, warnedAt: old - 1)
        _ = try agent("Seule admin", email: "seule@example.fr", createdAt: old - 10, organisationID: other, level: "admin")
        func warnings() throws -> [String] {
            try db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(payload, '$.recipient') || ' ' || json_extract(payload, '$.subject') FROM outbox_messages
                        WHERE kind = 'email' AND json_extract(payload, '$.event') = 'account_deletion_warning' ORDER BY id
                        """)
            }
        }
        let counts: (Int, Int, Int) -> [String: Int] = { warned, deleted, kept in
            [
                "receipts": 0, "appointments": 1, "users": 0, "agents_warned": warned, "agents_deleted": deleted,
                "agents_kept_as_last_admin": kept,
            ]
        }
        func roleID(_ agentID: Int64) throws -> Int64 {
            try #require(try db.writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM agent_roles WHERE agent_id = ?", arguments: [agentID])
            })
        }
        let inactiveRole = try roleID(inactive)
        let renewedRole = try roleID(renewed)
        let first = counts(3, 0, 0)
        let firstRun = try db.runDailyJob(.retention, now: Self.limit)
        #expect(firstRun == first)
        #expect(
            try warnings() == [
                "inactive@example.fr Votre compte RDV Service Public va être supprimé",
                "ancien@example.fr Votre compte RDV Service Public va être supprimé",
                "seule@example.fr Votre compte RDV Service Public va être supprimé",
            ])
        // The warned wait 30 days. « Exactement » is now more than 2 years old, and Alice, whose
        // last sign-in is now 2 years old and whose only appointment (r1) went, are warned.
        var day = counts(2, 0, 0)
        day["appointments"] = 0
        let dayRun = try db.runDailyJob(.retention, now: Self.limit.addingTimeInterval(AppDatabase.thirtyDays - 1))
        #expect(dayRun == day)
        var deletion = counts(0, 2, 1)
        deletion["appointments"] = 0
        #expect(try db.runDailyJob(.retention, now: Self.limit.addingTimeInterval(AppDatabase.thirtyDays)) == deletion)
        let left = try db.writer.read { db in try String.fetchAll(db, sql: "SELECT first_name FROM agents ORDER BY id") }
        #expect(left == ["Alice", "Exactement", "Connectée", "Intervenant", "Seule admin"])
        let sent = try warnings()
        #expect(sent.count == 5)  // none sent twice
        let metas = try plannedWebhooks(db, meta: ["model", "event", "webhook_reason"], withID: true)
        #expect(
            metas == [
                "AgentRole destroyed rgpd \(inactiveRole)", "Agent destroyed rgpd \(inactive)",
                "AgentRole destroyed rgpd \(renewedRole)", "Agent destroyed rgpd \(renewed)",
            ])
    }
}
