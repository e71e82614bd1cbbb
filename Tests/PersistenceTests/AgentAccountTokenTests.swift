import Cryptography
import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The single-use links of agents' accounts (booking.md §3.2, domain.md §4): invitation (14 days)
/// and password reset (2 hours), their e-mails in the outbox, and the webcal slug (booking.md §10).
@Suite("Agent account links")
struct AgentAccountTokenTests {
    /// 2026-11-25T09:00:00Z
    static let now = Date(timeIntervalSince1970: 1_764_061_200)
    static let publicURL = "https://rdv.example.fr/"

    static let fixture = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"}],
         "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                     "password": "un mot de passe long", "services": ["pmi"],
                     "roles": [{"organisation": "o1", "access_level": "admin"}]},
                    {"ref": "a2", "email": "bruno@example.fr", "first_name": "Bruno", "last_name": "Petit",
                     "services": ["pmi"], "roles": [{"organisation": "o1", "access_level": "basic"}]},
                    {"ref": "a3", "first_name": "Inès", "last_name": "Roux",
                     "services": ["pmi"], "roles": [{"organisation": "o1", "access_level": "intervenant"}]}]}
        """#

    struct Mail: Decodable {
        let recipient: String
        let subject: String?
        let body: String
        let event: String
    }

    static func withDatabase(_ body: (AppDatabase, [String: Int64]) throws -> Void) throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let ids = try db.importDocument(try InterchangeDecoding.decode(Data(fixture.utf8)), clock: FixedClock(now))
        try body(db, ids)
    }

    static func mails(_ db: AppDatabase) throws -> [Mail] {
        try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id")
        }.map { try JSONDecoder().decode(Mail.self, from: Data($0.utf8)) }
    }

    @Test func anInvitationStoresOnlyAHashAndPlansItsEmailWithTheLink() throws {
        try Self.withDatabase { db, ids in
            let bruno = try #require(ids["a2"])
            let organisation = try #require(ids["o1"])
            let token = try #require(
                try db.inviteAgent(
                    agentID: bruno, organisationID: organisation, invitedByID: ids["a1"],
                    publicURL: Self.publicURL, now: Self.now))
            #expect(token.count == 64)
            let row = try #require(
                try db.writer.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT k.token_hash, k.purpose, k.expires_at, g.invitation_sent_at, g.invited_by_id
                            FROM account_tokens k JOIN agents g ON g.id = k.agent_id WHERE k.agent_id = ?
                            """, arguments: [bruno])
                })
            let hash: Data = row["token_hash"]
            #expect(hash == Data(Digest.sha256(try #require(Digest.bytes(hex: token)))))
            #expect(row["purpose"] as String == "agent_invitation")
            #expect(row["expires_at"] as Int64 == 1_764_061_200 + 14 * 86_400)
            #expect(row["invitation_sent_at"] as Int64 == 1_764_061_200)
            #expect(row["invited_by_id"] as Int64? == ids["a1"])
            let mails = try Self.mails(db)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.recipient == "bruno@example.fr")
            #expect(mail.event == "agent_invitation")
            #expect(mail.subject == "Invitation à rejoindre RDV Service Public")
            #expect(mail.body.contains("https://rdv.example.fr/agents/invitation/accept?invitation_token=\(token)"))
            #expect(
                mail.body.contains(
                    "Alice MARTIN vous invite à rejoindre RDV Service Public au sein de l'organisation MDS Arras."))
            #expect(mail.body.contains("Ce lien est valable 14 jours"))
        }
    }

    @Test func anInvitationIsValid14DaysAndSingleUse() throws {
        try Self.withDatabase { db, ids in
            let bruno = try #require(ids["a2"])
            let organisation = try #require(ids["o1"])
            let token = try #require(
                try db.inviteAgent(
                    agentID: bruno, organisationID: organisation, invitedByID: nil,
                    publicURL: Self.publicURL, now: Self.now))
            let lastSecond = Self.now.addingTimeInterval(14 * 86_400 - 1)
            #expect(
                try db.agentAccountLink(.invitation, token: token, now: lastSecond)
                    == AgentAccountLinkHolder(
                        agentID: bruno, email: "bruno@example.fr", firstName: "Bruno", lastName: "Petit"))
            #expect(
                try db.agentAccountLink(.invitation, token: token, now: Self.now.addingTimeInterval(14 * 86_400)) == nil
            )
            // Not a reset link, and not an unknown secret.
            #expect(try db.agentAccountLink(.passwordReset, token: token, now: Self.now) == nil)
            #expect(
                try db.agentAccountLink(.invitation, token: String(repeating: "0", count: 64), now: Self.now) == nil)
            #expect(try db.agentAccountLink(.invitation, token: "nope", now: Self.now) == nil)

            let later = Self.now.addingTimeInterval(3600)
            #expect(
                try db.useAgentAccountLink(.invitation, token: token, passwordHash: "scrypt$x", now: later) == bruno)
            #expect(try db.useAgentAccountLink(.invitation, token: token, passwordHash: "scrypt$y", now: later) == nil)
            #expect(try db.agentAccountLink(.invitation, token: token, now: later) == nil)
            let agent = try #require(
                try db.writer.read { db in
                    try Row.fetchOne(
                        db, sql: "SELECT password_hash, invitation_accepted_at FROM agents WHERE id = ?",
                        arguments: [bruno])
                })
            #expect(agent["password_hash"] as String == "scrypt$x")
            #expect(agent["invitation_accepted_at"] as Int64 == 1_764_064_800)
        }
    }

    @Test func reInvitingVoidsTheEarlierLinkAndIntervenantsGetNone() throws {
        try Self.withDatabase { db, ids in
            let bruno = try #require(ids["a2"])
            let organisation = try #require(ids["o1"])
            let first = try #require(
                try db.inviteAgent(
                    agentID: bruno, organisationID: organisation, invitedByID: nil, publicURL: Self.publicURL,
                    now: Self.now))
            let second = try #require(
                try db.inviteAgent(
                    agentID: bruno, organisationID: organisation, invitedByID: nil, publicURL: Self.publicURL,
                    now: Self.now.addingTimeInterval(60)))
            #expect(try db.agentAccountLink(.invitation, token: first, now: Self.now.addingTimeInterval(61)) == nil)
            #expect(try db.agentAccountLink(.invitation, token: second, now: Self.now.addingTimeInterval(61)) != nil)
            #expect(try Self.mails(db).count == 2)
            // An intervenant has no e-mail: no link, no e-mail.
            let ines = try #require(ids["a3"])
            #expect(
                try db.inviteAgent(
                    agentID: ines, organisationID: organisation, invitedByID: nil, publicURL: Self.publicURL,
                    now: Self.now) == nil)
            #expect(try Self.mails(db).count == 2)
        }
    }

    @Test func aResetLinkLasts2HoursAtMostOneAMinuteAndEndsTheSessions() throws {
        try Self.withDatabase { db, ids in
            let alice = try #require(ids["a1"])
            _ = try db.createAgentSession(agentID: alice, ip: nil, userAgent: nil, now: Self.now)
            guard
                case .sent(let token) = try db.requestAgentPasswordReset(
                    email: " Alice@Example.fr", publicURL: Self.publicURL, now: Self.now)
            else {
                Issue.record("no link sent")
                return
            }
            #expect(
                try db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: Self.now.addingTimeInterval(59))
                    == .throttled)
            #expect(
                try db.requestAgentPasswordReset(email: "inconnu@example.fr", publicURL: Self.publicURL, now: Self.now)
                    == .unknownEmail)
            let mails = try Self.mails(db)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.recipient == "alice@example.fr")
            #expect(mail.subject == "Réinitialisation de votre mot de passe")
            #expect(mail.body.contains("https://rdv.example.fr/agents/password/edit?reset_password_token=\(token)"))
            #expect(mail.body.contains("Ce lien est valable 2 h"))

            #expect(
                try db.agentAccountLink(.passwordReset, token: token, now: Self.now.addingTimeInterval(7200)) == nil)
            #expect(
                try db.agentAccountLink(.passwordReset, token: token, now: Self.now.addingTimeInterval(7199)) != nil)
            // A new request after a minute replaces the link.
            guard
                case .sent(let newer) = try db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: Self.now.addingTimeInterval(60))
            else {
                Issue.record("no second link")
                return
            }
            #expect(try db.agentAccountLink(.passwordReset, token: token, now: Self.now.addingTimeInterval(61)) == nil)
            #expect(
                try db.useAgentAccountLink(
                    .passwordReset, token: newer, passwordHash: "scrypt$z", now: Self.now.addingTimeInterval(120))
                    == alice)
            let sessions = try db.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM sessions WHERE agent_id = ?", arguments: [alice])
            }
            #expect(sessions == 0)
        }
    }

    @Test func aResetLinkOfAnInvitedAgentAcceptsTheInvitationAndVoidsIt() throws {
        try Self.withDatabase { db, ids in
            let bruno = try #require(ids["a2"])
            let organisation = try #require(ids["o1"])
            let invitation = try #require(
                try db.inviteAgent(
                    agentID: bruno, organisationID: organisation, invitedByID: nil, publicURL: Self.publicURL,
                    now: Self.now))
            guard
                case .sent(let reset) = try db.requestAgentPasswordReset(
                    email: "bruno@example.fr", publicURL: Self.publicURL, now: Self.now)
            else {
                Issue.record("no reset link")
                return
            }
            #expect(
                try db.useAgentAccountLink(.passwordReset, token: reset, passwordHash: "scrypt$r", now: Self.now)
                    == bruno)
            #expect(try db.agentAccountLink(.invitation, token: invitation, now: Self.now) == nil)
            let accepted = try db.writer.read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT invitation_accepted_at FROM agents WHERE id = ?", arguments: [bruno])
            }
            #expect(accepted == 1_764_061_200)
            // Alice was never invited: her reset leaves the invitation columns alone.
            let alice = try #require(ids["a1"])
            guard
                case .sent(let aliceReset) = try db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: Self.now)
            else {
                Issue.record("no reset link")
                return
            }
            #expect(
                try db.useAgentAccountLink(.passwordReset, token: aliceReset, passwordHash: "scrypt$a", now: Self.now)
                    == alice)
            let aliceAccepted = try db.writer.read { db in
                try Int64.fetchOne(
                    db, sql: "SELECT invitation_accepted_at FROM agents WHERE id = ?", arguments: [alice])
            }
            #expect(aliceAccepted == nil)
        }
    }

    @Test func theCalendarSlugIsCreatedOnceAndRegenerated() throws {
        try Self.withDatabase { db, ids in
            let alice = try #require(ids["a1"])
            let uid = try #require(try db.agentCalendarUID(agentID: alice, now: Self.now))
            #expect(
                uid.wholeMatch(of: /alice_martin-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil)
            #expect(try db.agentCalendarUID(agentID: alice, now: Self.now) == uid)
            let regenerated = try #require(try db.regenerateAgentCalendarUID(agentID: alice, now: Self.now))
            #expect(regenerated != uid)
            #expect(try db.agentCalendarFeed(calendarUID: uid, now: Self.now) == nil)
            #expect(try db.agentCalendarFeed(calendarUID: regenerated, now: Self.now) != nil)
        }
    }

    @Test func preferencesAndNamesAreSaved() throws {
        try Self.withDatabase { db, ids in
            let alice = try #require(ids["a1"])
            let preferences = AgentNotificationPreferences(
                rdv: .soon, openingPeriods: .none, absences: .all, displaySaturdays: true, displayCancelledRdv: false)
            try db.updateAgentPreferences(agentID: alice, preferences, now: Self.now)
            try db.updateAgentName(agentID: alice, firstName: "Alicia", lastName: "Martin-Roy", now: Self.now)
            let settings = try #require(try db.agentAccountSettings(agentID: alice))
            #expect(settings.preferences == preferences)
            #expect(settings.firstName == "Alicia")
            #expect(settings.lastName == "Martin-Roy")
        }
    }
}
