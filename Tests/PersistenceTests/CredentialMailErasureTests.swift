import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// A credential e-mail (reset link, invitation, sign-in code) keeps its body only until it is
/// settled: afterwards a copy of the database holds no usable link (only hashes remain).
@Suite("Credential e-mails are erased once settled")
struct CredentialMailErasureTests {
    static let now = Date(timeIntervalSince1970: 1_764_061_200)

    static func mail(_ event: MailEvent, key: String) -> PlannedMail {
        PlannedMail(
            event: event, recipient: nil, address: "alice@example.fr", subject: "Sujet \(key)",
            text: "Lien : https://rdv.example.fr/agents/password/edit?reset_password_token=SECRET-\(key)",
            html: "<a href=\"https://rdv.example.fr/?t=SECRET-\(key)\">lien</a>", idempotencyKey: key)
    }

    static func bodies(_ db: AppDatabase) throws -> [String: String] {
        try db.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT idempotency_key, json_extract(payload, '$.body') AS body FROM outbox_messages"
            ).reduce(into: [:]) { $0[$1["idempotency_key"] as String] = $1["body"] as String }
        }
    }

    @Test func aSentResetLinkIsErasedAndAnOrdinaryMailIsKept() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planMails(
            [Self.mail(.passwordReset, key: "reset"), Self.mail(.userArrived, key: "arrived")], now: Self.now)
        // Pending: the body is what the mailer will send.
        #expect(try Self.bodies(db)["reset"]?.contains("SECRET-reset") == true)
        let claimed = try db.claimDueMessages(now: Self.now, kinds: ["email"])
        #expect(claimed.count == 2)
        for message in claimed { try db.markSent(message, now: Self.now, receipt: nil) }
        let bodies = try Self.bodies(db)
        #expect(bodies["reset"] == "(effacé après envoi)")
        #expect(bodies["arrived"]?.contains("SECRET-arrived") == true)
        let html = try db.writer.read {
            try String.fetchOne($0, sql: "SELECT json_extract(payload, '$.html') FROM outbox_messages WHERE idempotency_key = 'reset'")
        }
        #expect(html == "(effacé après envoi)")
    }

    @Test func aGivenUpInvitationIsErasedToo() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planMails([Self.mail(.agentInvitation, key: "invite")], now: Self.now)
        let message = try #require(try db.claimDueMessages(now: Self.now, kinds: ["email"]).first)
        try db.markFailed(message, now: Self.now, error: "550 refusé", retryAt: nil, receipt: nil)
        #expect(try Self.bodies(db)["invite"] == "(effacé après envoi)")
    }

    @Test func aRetriedCredentialMailKeepsItsBodyForTheNextAttempt() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planMails([Self.mail(.signInCode, key: "code")], now: Self.now)
        let message = try #require(try db.claimDueMessages(now: Self.now, kinds: ["email"]).first)
        try db.markFailed(message, now: Self.now, error: "421 plus tard", retryAt: Self.now.addingTimeInterval(60), receipt: nil)
        #expect(try Self.bodies(db)["code"]?.contains("SECRET-code") == true)
    }
}
