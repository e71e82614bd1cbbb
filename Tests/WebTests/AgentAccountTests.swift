import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Logging
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// Agent accounts (booking.md §3.2, §3.4, §10; admin.md §6): the invitation and password-reset
/// links, « Mon compte », « Préférences de notifications », « Synchronisation calendrier ».
@Suite("Agent accounts", .serialized)
struct AgentAccountTests {
    static let publicURL = "https://rdv.example.fr"
    static let alicePassword = "un mot de passe long"
    static let newPassword = "trois chevaux verts au galop"

    /// Alice (admin, with a password) and Bruno (invited, no password yet).
    static let fixture = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"}],
         "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                     "password": "un mot de passe long", "services": ["pmi"],
                     "roles": [{"organisation": "o1", "access_level": "admin"}]},
                    {"ref": "a2", "email": "bruno@example.fr", "first_name": "Bruno", "last_name": "Petit",
                     "services": ["pmi"], "roles": [{"organisation": "o1", "access_level": "basic"}]}]}
        """#

    struct Site {
        let db: AppDatabase
        let clock: ManualClock
        let app: WebApplication

        func browser() -> Browser { Browser(app: app) }

        func agentID(_ email: String) throws -> Int64 {
            try #require(try db.agentAccount(email: email)).id
        }

        /// The planned e-mails: recipient, subject, text.
        func mails() throws -> [(recipient: String, subject: String, body: String)] {
            try db.writer.read { db in
                try String.fetchAll(db, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id")
            }.map {
                let json = try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:]
                return (
                    json["recipient"] as? String ?? "", json["subject"] as? String ?? "", json["body"] as? String ?? ""
                )
            }
        }

        func invite(_ email: String) throws -> String {
            let organisation = try #require(
                try db.writer.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM organisations") })
            let agent = try agentID(email)
            return try #require(
                try db.inviteAgent(
                    agentID: agent, organisationID: organisation, invitedByID: nil,
                    publicURL: AgentAccountTests.publicURL, now: clock.now))
        }
    }

    static func withSite(_ body: (Site) throws -> Void) throws {
        let (db, directory) = try makeWebDatabase(fixture: fixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        try body(Site(db: db, clock: clock, app: try makeApp(db, clock: clock)))
    }

    /// The site with `RDV_PUBLIC_URL` and a common-password list.
    static func makeApp(_ db: AppDatabase, clock: any Clock) throws -> WebApplication {
        var settings = WebSettings(publicURL: publicURL, developmentOutbox: true)
        settings.passwordRule = PasswordRule(commonPasswords: ["azertyuiop123456"])
        return WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: clock,
            settings: settings)
    }

    /// A sentence as the page writes it (Mustache escapes apostrophes).
    static func html(_ text: String) -> String { text.replacingOccurrences(of: "'", with: "&#39;") }

    static func signIn(_ browser: Browser, _ email: String, _ password: String) throws -> WireResponse {
        let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        return try browser.request(
            "POST", "/agents/sign_in", form: [("authenticity_token", csrf), ("email", email), ("password", password)])
    }

    static func token(_ browser: Browser, _ path: String) throws -> String {
        try #require(Browser.token(in: try browser.request("GET", path).text))
    }

    // MARK: Invitation

    @Test func anInvitedAgentChoosesAPasswordOnceAndIsSignedIn() throws {
        try Self.withSite { site in
            let link = try site.invite("bruno@example.fr")
            let visitor = site.browser()
            let page = try visitor.request("GET", "/agents/invitation/accept?invitation_token=\(link)")
            #expect(page.status == 200)
            #expect(page.text.contains("<h1>Choisissez votre mot de passe</h1>"))
            #expect(page.text.contains(#"<label class="fr-label" for="password">Mot de passe"#))
            #expect(
                page.text.contains(#"<label class="fr-label" for="password_confirmation">Confirmation du mot de passe"#)
            )
            let csrf = try #require(Browser.token(in: page.text))
            func submit(_ password: String, _ confirmation: String, csrf: String? = csrf) throws -> WireResponse {
                try visitor.request(
                    "POST", "/agents/invitation",
                    form: (csrf.map { [("authenticity_token", $0)] } ?? []) + [
                        ("invitation_token", link), ("password", password), ("password_confirmation", confirmation),
                    ])
            }
            // CSRF: without the token, refused and nothing changes
            #expect(try submit(Self.newPassword, Self.newPassword, csrf: nil).status == 403)
            // PasswordRule: each message by its field, 422, the password never sent back
            let short = try submit("court", "court")
            #expect(short.status == 422)
            #expect(short.text.contains("<title>Erreur : Choisissez votre mot de passe"))
            #expect(short.text.contains(#"aria-describedby="password-error""#))
            #expect(
                short.text.contains(
                    #"<p id="password-error" class="fr-error-text">Le mot de passe doit contenir au moins 12 caractères.</p>"#
                ))
            #expect(!short.text.contains(#"value="court""#))
            #expect(
                try submit("Azertyuiop123456", "Azertyuiop123456").text.contains("Ce mot de passe est trop courant."))
            #expect(
                try submit("le jardin de bruno en mai", "le jardin de bruno en mai").text.contains(
                    "Le mot de passe ne doit pas contenir votre nom ou votre adresse e-mail."))
            let mismatch = try submit(Self.newPassword, "autre chose encore ici")
            #expect(mismatch.status == 422)
            #expect(
                mismatch.text.contains(
                    #"<p id="password_confirmation-error" class="fr-error-text">La confirmation ne correspond pas au mot de passe.</p>"#
                ))
            #expect(try site.db.agentAccount(email: "bruno@example.fr")?.passwordHash == nil)
            // A valid password: signed in on the home, with a message
            let accepted = try submit(Self.newPassword, Self.newPassword)
            #expect(accepted.status == 303)
            let landing = "/admin/organisations/1/agent_agendas/\(try site.agentID("bruno@example.fr"))"
            #expect(accepted.header("Location") == landing)
            let home = try visitor.request("GET", landing)
            #expect(home.status == 200)
            #expect(home.text.contains("Votre mot de passe a été enregistré. Bienvenue !"))
            // Single use: the link is dead, for the form and the page
            let again = try visitor.request("GET", "/agents/invitation/accept?invitation_token=\(link)")
            #expect(again.status == 404)
            #expect(again.text.contains(Self.html("Ce lien d'invitation n'est plus valide.")))
            let csrf2 = try Self.token(visitor, "/agents/account")
            #expect(try submit(Self.newPassword, Self.newPassword, csrf: csrf2).status == 404)
            // and the password signs in
            #expect(try Self.signIn(site.browser(), "bruno@example.fr", Self.newPassword).status == 303)
        }
    }

    @Test func anInvitationExpiresAfter14Days() throws {
        try Self.withSite { site in
            let link = try site.invite("bruno@example.fr")
            let visitor = site.browser()
            site.clock.advance(by: 14 * 86_400 - 1)
            #expect(try visitor.request("GET", "/agents/invitation/accept?invitation_token=\(link)").status == 200)
            let csrf = try Self.token(visitor, "/agents/sign_in")
            site.clock.advance(by: 1)
            let expired = try visitor.request("GET", "/agents/invitation/accept?invitation_token=\(link)")
            #expect(expired.status == 404)
            #expect(expired.text.contains(Self.html("Ce lien d'invitation n'est plus valide.")))
            let post = try visitor.request(
                "POST", "/agents/invitation",
                form: [
                    ("authenticity_token", csrf), ("invitation_token", link), ("password", Self.newPassword),
                    ("password_confirmation", Self.newPassword),
                ])
            #expect(post.status == 404)
            #expect(try visitor.request("GET", "/agents/invitation/accept").status == 404)
            #expect(try visitor.request("GET", "/agents/invitation/accept?invitation_token=abc").status == 404)
        }
    }

    // MARK: « Mot de passe oublié ? »

    @Test func theResetRequestAnswersTheSameForUnknownEmailsAndSendsOneLink() throws {
        try Self.withSite { site in
            let visitor = site.browser()
            let signInPage = try visitor.request("GET", "/agents/sign_in").text
            #expect(signInPage.contains(#"<a class="fr-link" href="/agents/password/new">Mot de passe oublié ?</a>"#))
            let page = try visitor.request("GET", "/agents/password/new")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<label class="fr-label" for="email">Adresse e-mail"#))
            #expect(page.text.contains(#"<button type="submit" class="fr-btn">Recevoir un lien</button>"#))
            let csrf = try #require(Browser.token(in: page.text))
            func request(_ email: String, csrf: String? = csrf) throws -> (WireResponse, String) {
                let response = try visitor.request(
                    "POST", "/agents/password",
                    form: (csrf.map { [("authenticity_token", $0)] } ?? []) + [("email", email)])
                return (response, try visitor.request("GET", "/agents/sign_in").text)
            }
            #expect(try request("alice@example.fr", csrf: nil).0.status == 403)
            let (known, knownPage) = try request("alice@example.fr")
            let (unknown, unknownPage) = try request("personne@example.fr")
            let (again, againPage) = try request("alice@example.fr")  // within a minute: nothing sent
            for response in [known, unknown, again] {
                #expect(response.status == 303)
                #expect(response.header("Location") == "/agents/sign_in")
            }
            let sentence = "Si cette adresse correspond à un compte, un lien vient d'y être envoyé."
            #expect(knownPage.contains(Self.html(sentence)))
            #expect(GoldenPageTests.normalised(knownPage) == GoldenPageTests.normalised(unknownPage))
            #expect(GoldenPageTests.normalised(knownPage) == GoldenPageTests.normalised(againPage))
            let mails = try site.mails()
            #expect(mails.count == 1)
            #expect(mails.first?.recipient == "alice@example.fr")
            #expect(mails.first?.subject == "Réinitialisation de votre mot de passe")
            #expect(
                mails.first?.body.contains("https://rdv.example.fr/agents/password/edit?reset_password_token=") == true)
            // A blank e-mail is the only refusal
            let blank = try visitor.request(
                "POST", "/agents/password", form: [("authenticity_token", csrf), ("email", " ")])
            #expect(blank.status == 422)
            #expect(blank.text.contains("Saisissez votre adresse e-mail."))
            // After a minute, a new link
            site.clock.advance(by: 60)
            _ = try request("alice@example.fr")
            #expect(try site.mails().count == 2)
        }
    }

    @Test func theResetLinkSetsANewPasswordEndsTheSessionsAndSignsIn() throws {
        try Self.withSite { site in
            // Alice is signed in elsewhere
            let elsewhere = site.browser()
            #expect(try Self.signIn(elsewhere, "alice@example.fr", Self.alicePassword).status == 303)
            guard
                case .sent(let link) = try site.db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: site.clock.now)
            else {
                Issue.record("no link")
                return
            }
            let visitor = site.browser()
            let page = try visitor.request("GET", "/agents/password/edit?reset_password_token=\(link)")
            #expect(page.status == 200)
            #expect(page.text.contains(#"<label class="fr-label" for="password">Nouveau mot de passe"#))
            let csrf = try #require(Browser.token(in: page.text))
            func submit(_ password: String, csrf: String? = csrf) throws -> WireResponse {
                try visitor.request(
                    "POST", "/agents/password",
                    form: [("_method", "PATCH")] + (csrf.map { [("authenticity_token", $0)] } ?? []) + [
                        ("reset_password_token", link), ("password", password), ("password_confirmation", password),
                    ])
            }
            #expect(try submit(Self.newPassword, csrf: nil).status == 403)
            let short = try submit("court")
            #expect(short.status == 422)
            #expect(short.text.contains("Le mot de passe doit contenir au moins 12 caractères."))
            let done = try submit(Self.newPassword)
            #expect(done.status == 303)
            let landing = "/admin/organisations/1/agent_agendas/\(try site.agentID("alice@example.fr"))"
            #expect(done.header("Location") == landing)
            #expect(try visitor.request("GET", landing).text.contains("Votre mot de passe a été modifié."))
            // The other session has ended; the old password no longer works, the new one does
            #expect(try elsewhere.request("GET", "/agents").status == 303)
            #expect(try Self.signIn(site.browser(), "alice@example.fr", Self.alicePassword).status == 422)
            #expect(try Self.signIn(site.browser(), "alice@example.fr", Self.newPassword).status == 303)
            // Single use
            let reused = try visitor.request("GET", "/agents/password/edit?reset_password_token=\(link)")
            #expect(reused.status == 404)
            #expect(reused.text.contains(Self.html("Ce lien de réinitialisation n'est plus valide.")))
        }
    }

    @Test func theResetLinkExpiresAfter2Hours() throws {
        try Self.withSite { site in
            guard
                case .sent(let link) = try site.db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: site.clock.now)
            else {
                Issue.record("no link")
                return
            }
            let visitor = site.browser()
            site.clock.advance(by: 2 * 3600 - 1)
            #expect(try visitor.request("GET", "/agents/password/edit?reset_password_token=\(link)").status == 200)
            site.clock.advance(by: 1)
            #expect(try visitor.request("GET", "/agents/password/edit?reset_password_token=\(link)").status == 404)
        }
    }

    // MARK: « Mon compte »

    @Test func accountPagesNeedASignedInAgentAndOnlyShowTheirOwnAccount() throws {
        try Self.withSite { site in
            let visitor = site.browser()
            for path in ["/agents/account", "/agents/preferences", "/agents/calendar_sync"] {
                let response = try visitor.request("GET", path)
                #expect(response.status == 303, "\(path)")
                #expect(response.header("Location") == "/agents/sign_in")
            }
            // The policy: one's own account only
            let principal = Principal(agentID: 1, memberships: [], serviceIDs: [], isSecretary: false)
            #expect(AgentPolicy.manageOwnAccount(principal, agentID: 1) == .allowed)
            #expect(AgentPolicy.manageOwnAccount(principal, agentID: 2) == .hidden)
        }
    }

    @Test func theAgentEditsNamesWithValuesKeptOnErrors() throws {
        try Self.withSite { site in
            let alice = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            let page = try alice.request("GET", "/agents/account")
            #expect(page.status == 200)
            #expect(page.text.contains("<p>Adresse actuelle : <strong>alice@example.fr</strong></p>"))
            let csrf = try #require(Browser.token(in: page.text))
            func save(_ first: String, _ last: String, csrf: String? = csrf) throws -> WireResponse {
                try alice.request(
                    "POST", "/agents/account",
                    form: [("_method", "PATCH")] + (csrf.map { [("authenticity_token", $0)] } ?? []) + [
                        ("section", "profile"), ("first_name", first), ("last_name", last),
                    ])
            }
            #expect(try save("Alicia", "Martin", csrf: nil).status == 403)
            let refused = try save(" ", "Martin-Roy")
            #expect(refused.status == 422)
            #expect(refused.text.contains("<title>Erreur : Mon compte"))
            #expect(
                refused.text.contains(#"<p id="first_name-error" class="fr-error-text">Le prénom est obligatoire.</p>"#)
            )
            #expect(refused.text.contains(#"value="Martin-Roy""#))
            let saved = try save("Alicia", "Martin-Roy")
            #expect(saved.status == 303)
            #expect(saved.header("Location") == "/agents/account")
            let after = try alice.request("GET", "/agents/account").text
            #expect(after.contains("Vos informations ont été enregistrées."))
            #expect(after.contains("Alicia MARTIN-ROY"))
        }
    }

    @Test func theAgentChangesThePasswordWithTheCurrentOne() throws {
        try Self.withSite { site in
            let alice = site.browser()
            let elsewhere = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            #expect(try Self.signIn(elsewhere, "alice@example.fr", Self.alicePassword).status == 303)
            let csrf = try Self.token(alice, "/agents/account")
            func change(_ current: String, _ new: String, _ confirmation: String) throws -> WireResponse {
                try alice.request(
                    "POST", "/agents/account",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", csrf), ("section", "password"),
                        ("current_password", current), ("password", new), ("password_confirmation", confirmation),
                    ])
            }
            let wrong = try change("faux", Self.newPassword, Self.newPassword)
            #expect(wrong.status == 422)
            #expect(
                wrong.text.contains(
                    #"<p id="current_password-error" class="fr-error-text">Le mot de passe actuel est incorrect.</p>"#))
            let personal = try change(
                Self.alicePassword, "alice au pays des merveilles", "alice au pays des merveilles")
            #expect(personal.status == 422)
            #expect(personal.text.contains("Le mot de passe ne doit pas contenir votre nom ou votre adresse e-mail."))
            let done = try change(Self.alicePassword, Self.newPassword, Self.newPassword)
            #expect(done.status == 303)
            #expect(try alice.request("GET", "/agents/account").text.contains("Votre mot de passe a été modifié."))
            // This browser stays signed in; the other session has ended
            #expect(try elsewhere.request("GET", "/agents").status == 303)
            #expect(try Self.signIn(site.browser(), "alice@example.fr", Self.newPassword).status == 303)
        }
    }

    /// Wrong current passwords count towards the lockout of booking.md §3.2, and a change ends
    /// the unused reset and invitation links.
    @Test func guessingTheCurrentPasswordLocksTheAccountAndAChangeEndsTheLinks() throws {
        try Self.withSite { site in
            let alice = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            let csrf = try Self.token(alice, "/agents/account")
            func change(_ current: String) throws -> WireResponse {
                try alice.request(
                    "POST", "/agents/account",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", csrf), ("section", "password"),
                        ("current_password", current), ("password", Self.newPassword),
                        ("password_confirmation", Self.newPassword),
                    ])
            }
            for _ in 0..<10 { #expect(try change("faux").status == 422) }
            let locked = try change(Self.alicePassword)
            #expect(locked.status == 422)
            #expect(locked.text.contains("Compte verrouillé pendant 15 minutes après trop d&#39;essais."))
            // Fifteen minutes later the right password works, and the pending link dies with the change.
            site.clock.advance(by: 15 * 60 + 1)
            let agentID = try site.agentID("alice@example.fr")
            try site.db.writer.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO account_tokens (agent_id, purpose, token_hash, expires_at, created_at)
                        VALUES (?, 'agent_password_reset', zeroblob(32), ?, ?)
                        """, arguments: [agentID, Int64(site.clock.now.timeIntervalSince1970) + 3600,
                                         Int64(site.clock.now.timeIntervalSince1970)])
            }
            #expect(try change(Self.alicePassword).status == 303)
            let links = try site.db.writer.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM account_tokens WHERE agent_id = ? AND used_at IS NULL",
                                 arguments: [agentID])
            }
            #expect(links == 0)
        }
    }

    // MARK: « Préférences de notifications »

    @Test func thePreferencesAreSavedWithAMessage() throws {
        try Self.withSite { site in
            let alice = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            let page = try alice.request("GET", "/agents/preferences")
            #expect(page.status == 200)
            #expect(
                page.text.contains(
                    #"id="rdv_notifications_level-others" name="rdv_notifications_level" value="others" checked"#))
            #expect(page.text.contains(Self.html("Seulement les RDV d'aujourd'hui et de demain modifiés par d'autres")))
            let csrf = try #require(Browser.token(in: page.text))
            let form: [(String, String)] = [
                ("_method", "PATCH"), ("rdv_notifications_level", "soon"),
                ("plage_ouverture_notification_level", "none"),
                ("absence_notification_level", "all"), ("display_saturdays", "0"), ("display_saturdays", "1"),
                ("display_cancelled_rdv", "0"),
            ]
            #expect(try alice.request("POST", "/agents/preferences", form: form).status == 403)
            let saved = try alice.request("POST", "/agents/preferences", form: [("authenticity_token", csrf)] + form)
            #expect(saved.status == 303)
            #expect(saved.header("Location") == "/agents/preferences")
            let after = try alice.request("GET", "/agents/preferences").text
            #expect(after.contains("Vos préférences ont été enregistrées."))
            #expect(after.contains(#"value="soon" checked"#))
            let settings = try #require(try site.db.agentAccountSettings(agentID: try site.agentID("alice@example.fr")))
            #expect(
                settings.preferences
                    == AgentNotificationPreferences(
                        rdv: .soon, openingPeriods: .none, absences: .all, displaySaturdays: true,
                        displayCancelledRdv: false))
            let forged = try alice.request(
                "POST", "/agents/preferences",
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("rdv_notifications_level", "toutes")])
            #expect(forged.status == 422)
        }
    }

    // MARK: « Synchronisation calendrier »

    @Test func regeneratingTheCalendarLinkKillsTheOldFeed() throws {
        try Self.withSite { site in
            let alice = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            let page = try alice.request("GET", "/agents/calendar_sync")
            #expect(page.status == 200)
            #expect(page.text.contains(Self.html(AgentCalendarSyncPage.delays)))
            #expect(page.text.contains(#"<label class="fr-label" for="calendar-url">Adresse de votre calendrier"#))
            let old = try #require(
                page.text.firstMatch(of: /value="webcal:\/\/rdv\.example\.fr\/calendrier\/([a-z0-9_-]+)\.ics" readonly/)
            )
            let oldUID = String(old.1)
            #expect(try alice.request("GET", "/calendrier/\(oldUID).ics").status == 200)
            let csrf = try #require(Browser.token(in: page.text))
            #expect(try alice.request("POST", "/agents/calendar_sync/regenerate", form: []).status == 403)
            let regenerated = try alice.request(
                "POST", "/agents/calendar_sync/regenerate", form: [("authenticity_token", csrf)])
            #expect(regenerated.status == 303)
            #expect(regenerated.header("Location") == "/agents/calendar_sync")
            let after = try alice.request("GET", "/agents/calendar_sync").text
            #expect(after.contains(Self.html("Un nouveau lien a été créé : l'ancien ne fonctionne plus.")))
            let new = try #require(after.firstMatch(of: /webcal:\/\/rdv\.example\.fr\/calendrier\/([a-z0-9_-]+)\.ics/))
            let newUID = String(new.1)
            #expect(newUID != oldUID)
            #expect(try alice.request("GET", "/calendrier/\(oldUID).ics").status == 404)
            #expect(try alice.request("GET", "/calendrier/\(newUID).ics").status == 200)
        }
    }

    // MARK: Over real sockets

    /// Every action of the area, through the server: anonymous visitors are sent to sign in
    /// from the account pages, and no unsafe request passes without its CSRF token.
    @Test func everyActionChecksAuthorisationAndCSRFOverSockets() throws {
        let (db, directory) = try makeWebDatabase(fixture: Self.fixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        var logger = Logger(label: "accounts-test")
        logger.logLevel = .critical
        let server = try HTTPServer(
            configuration: configuration, responder: try Self.makeApp(db, clock: ManualClock(testNow)), logger: logger)
        server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        let visitor = Browser(port: server.port)
        for path in ["/agents/account", "/agents/preferences", "/agents/calendar_sync"] {
            let response = try visitor.request("GET", path)
            #expect(response.status == 303, "\(path)")
            #expect(response.header("Location") == "/agents/sign_in", "\(path)")
        }
        for path in ["/agents/password/new", "/agents/invitation/accept?invitation_token=x"] {
            #expect(try visitor.request("GET", path).status == (path.contains("invitation") ? 404 : 200), "\(path)")
        }
        let alice = Browser(port: server.port)
        #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
        let unsafe: [(Browser, String, String?)] = [
            (visitor, "/agents/invitation", nil), (visitor, "/agents/password", nil),
            (visitor, "/agents/password", "PATCH"), (visitor, "/agents/account/email_confirmation", nil),
            (alice, "/agents/account", "PATCH"), (alice, "/agents/preferences", "PATCH"),
            (alice, "/agents/calendar_sync/regenerate", nil),
        ]
        for (browser, path, method) in unsafe {
            let form = method.map { [("_method", $0)] } ?? []
            #expect(try browser.request("POST", path, form: form).status == 403, "\(path) \(method ?? "POST")")
        }
        #expect(try alice.request("GET", "/agents/account").status == 200)
    }

    // MARK: Golden pages

    /// The random part of the webcal slug becomes a fixed one.
    static func golden(_ name: String, _ html: String) throws {
        let uuid = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/
        try GoldenPageTests.expectGolden(name, html.replacing(uuid, with: "00000000-0000-0000-0000-000000000000"))
    }

    @Test func goldenPages() throws {
        try Self.withSite { site in
            let link = try site.invite("bruno@example.fr")
            let visitor = site.browser()
            let invitation = try visitor.request("GET", "/agents/invitation/accept?invitation_token=\(link)").text
            try Self.golden("agent-invitation-edit", invitation)
            let csrf = try #require(Browser.token(in: invitation))
            try Self.golden(
                "agent-invitation-error",
                try visitor.request(
                    "POST", "/agents/invitation",
                    form: [
                        ("authenticity_token", csrf), ("invitation_token", link), ("password", "court"),
                        ("password_confirmation", "autre"),
                    ]
                ).text)
            try Self.golden(
                "agent-invitation-invalid",
                try visitor.request("GET", "/agents/invitation/accept?invitation_token=x").text)
            try Self.golden("agent-password-new", try visitor.request("GET", "/agents/password/new").text)
            try Self.golden(
                "agent-password-new-error",
                try visitor.request("POST", "/agents/password", form: [("authenticity_token", csrf), ("email", "")])
                    .text)
            _ = try visitor.request(
                "POST", "/agents/password", form: [("authenticity_token", csrf), ("email", "x@example.fr")])
            try Self.golden("agent-password-requested", try visitor.request("GET", "/agents/sign_in").text)
            guard
                case .sent(let reset) = try site.db.requestAgentPasswordReset(
                    email: "alice@example.fr", publicURL: Self.publicURL, now: site.clock.now)
            else {
                Issue.record("no link")
                return
            }
            try Self.golden(
                "agent-password-edit",
                try visitor.request("GET", "/agents/password/edit?reset_password_token=\(reset)").text)
            try Self.golden(
                "agent-password-edit-error",
                try visitor.request(
                    "POST", "/agents/password",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", csrf), ("reset_password_token", reset),
                        ("password", "azertyuiop123456"), ("password_confirmation", "azertyuiop123456"),
                    ]
                ).text)
            try Self.golden(
                "agent-password-invalid",
                try visitor.request("GET", "/agents/password/edit?reset_password_token=x").text)

            let alice = site.browser()
            #expect(try Self.signIn(alice, "alice@example.fr", Self.alicePassword).status == 303)
            let account = try alice.request("GET", "/agents/account").text
            try Self.golden("agent-account", account)
            let token = try #require(Browser.token(in: account))
            try Self.golden(
                "agent-account-error",
                try alice.request(
                    "POST", "/agents/account",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", token), ("section", "profile"),
                        ("first_name", "Alice"),
                        ("last_name", ""),
                    ]
                ).text)
            try Self.golden(
                "agent-account-password-error",
                try alice.request(
                    "POST", "/agents/account",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", token), ("section", "password"),
                        ("current_password", "faux"), ("password", "court"), ("password_confirmation", "court"),
                    ]
                ).text)
            try Self.golden(
                "agent-account-email-error",
                try alice.request(
                    "POST", "/agents/account",
                    form: [
                        ("_method", "PATCH"), ("authenticity_token", token), ("section", "email"),
                        ("new_email", "pas-une-adresse"), ("current_password", "faux"),
                    ]
                ).text)
            let sent = try site.db.requestAgentEmailChange(
                agentID: try site.agentID("alice@example.fr"), newEmail: "alice.martin@example.fr",
                publicURL: Self.publicURL, now: site.clock.now)
            guard case .sent(let confirmation) = sent else { throw AgentEmailChangeTests.EmailChangeFailure.notSent(sent) }
            try Self.golden("agent-account-email-pending", try alice.request("GET", "/agents/account").text)
            try Self.golden(
                "agent-email-confirmation",
                try visitor.request("GET", "/agents/account/email_confirmation?confirmation_token=\(confirmation)").text)
            try Self.golden(
                "agent-email-confirmation-invalid",
                try visitor.request("GET", "/agents/account/email_confirmation?confirmation_token=x").text)
            try Self.golden("agent-account-preferences", try alice.request("GET", "/agents/preferences").text)
            try Self.golden("agent-account-calendar-sync", try alice.request("GET", "/agents/calendar_sync").text)
            _ = try alice.request("POST", "/agents/calendar_sync/regenerate", form: [("authenticity_token", token)])
            try Self.golden(
                "agent-account-calendar-sync-regenerated", try alice.request("GET", "/agents/calendar_sync").text)
        }
    }
}
