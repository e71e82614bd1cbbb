import Cryptography
import DatabaseTestSupport
import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Logging
import Synchronization
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// The users' side (booking.md §2.2 steps 9–13, §3.3, §7; permissions.md §3) on the contract's
/// example document: « Consultation » on site at « MDS Centre », Mondays 09:00–11:20 from
/// 2021-05-03 (r1 takes 09:00), the clock on Fri 2021-04-30 08:00 Paris; Jean Dupont
/// (jean@example.fr) is a user without password.
@Suite("User booking")
struct UserBookingTests {
    static let now = AvailabilityAPITests.now

    struct Context {
        let db: AppDatabase
        let clock: ManualClock
        let browser: Browser
        let ids: [String: Int64]

        var slot: String {
            "/prendre_rdv/creneau?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&starts_at=2021-05-03T10%3A00%3A00%2B02%3A00"
        }

        /// The code of the latest code e-mail to `email`, from its planned outbox row.
        func code(for email: String) throws -> String {
            let payload = try #require(
                try db.writer.read { db in
                    try String.fetchOne(
                        db,
                        sql: """
                            SELECT payload FROM outbox_messages
                            WHERE idempotency_key LIKE 'sign_in_code:%' AND json_extract(payload, '$.recipient') = ?
                            ORDER BY id DESC LIMIT 1
                            """, arguments: [email])
                })
            let json = try #require(try JSONSerialization.jsonObject(with: Data(payload.utf8)) as? [String: Any])
            let body = try #require(json["body"] as? String)
            let range = try #require(body.range(of: #"[0-9]{6}"#, options: .regularExpression))
            return String(body[range])
        }

        func codeMailCount(_ email: String) throws -> Int {
            try db.writer.read { db in
                try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM outbox_messages
                        WHERE idempotency_key LIKE 'sign_in_code:%' AND json_extract(payload, '$.recipient') = ?
                        """, arguments: [email]) ?? 0
            }
        }

        /// A form of the last page, posted with its CSRF token.
        func post(_ path: String, _ page: WireResponse, _ fields: [(String, String)]) throws -> WireResponse {
            let token = try #require(Browser.token(in: page.text))
            return try browser.request("POST", path, form: [("authenticity_token", token)] + fields)
        }

        /// Signs `email` in with a code, from the slot page; returns the page after the code.
        func signInByCode(_ email: String, returnTo: String? = nil) throws -> WireResponse {
            let ask = try browser.request("GET", "/users/sign_in/code")
            let sent = try post(
                "/users/sign_in/code", ask, [("email", email)] + (returnTo.map { [("return_to", $0)] } ?? []))
            #expect(sent.status == 200)
            return try post(
                "/users/sign_in/code/check", sent,
                [("email", email), ("code", try code(for: email))] + (returnTo.map { [("return_to", $0)] } ?? []))
        }
    }

    func withBooking(_ change: (inout InterchangeDocument) -> Void = { _ in }, _ body: (Context) throws -> Void) throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-user-booking")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        change(&document)
        let ids = try db.importDocument(document, clock: FixedClock(Self.now))
        let clock = ManualClock(Self.now)
        try body(Context(db: db, clock: clock, browser: Browser(app: try makeWebApplication(db, clock: clock)), ids: ids))
    }

    @Test func aVisitorIsAskedToSignInAndTheSlotIsKept() throws {
        try withBooking { c in
            let page = try c.browser.request("GET", c.slot)
            #expect(page.status == 200)
            #expect(page.text.contains("<title>Identifiez-vous — Prendre rendez-vous — RDV Service Public</title>"))
            let back = SiteURL.encode(c.slot)
            #expect(page.text.contains(#"<a class="fr-btn" href="/users/sign_in/code?return_to=\#(back)">Recevoir un code par e-mail</a>"#))
            #expect(page.text.contains(#"href="/users/sign_in?return_to=\#(back)">Se connecter</a>"#))
            try GoldenPageTests.expectGolden("public-slot", page.text)
        }
    }

    /// booking.md §3.3: a known address gets a code, which signs in once and confirms the e-mail.
    @Test func aCodeSignsAKnownUserInOnceAndGoesBackToTheSlot() throws {
        try withBooking { c in
            let ask = try c.browser.request("GET", "/users/sign_in/code?return_to=" + SiteURL.encode(c.slot))
            #expect(ask.text.contains(#"<input type="hidden" name="return_to" value="\#(c.slot.replacingOccurrences(of: "&", with: "&amp;"))">"#))
            let sent = try c.post("/users/sign_in/code", ask, [("email", " Jean@Example.fr "), ("return_to", c.slot)])
            #expect(sent.status == 200)
            #expect(sent.text.contains(#"role="status"><p>Si cette adresse est valide, un code vient d&#39;y être envoyé.</p>"#))
            let code = try c.code(for: "jean@example.fr")
            #expect(code.count == 6)
            let signedIn = try c.post(
                "/users/sign_in/code/check", sent, [("email", "jean@example.fr"), ("code", code), ("return_to", c.slot)])
            #expect(signedIn.status == 303)
            #expect(signedIn.header("Location") == c.slot)
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            #expect(user.confirmedAt == Self.now)
            let confirmation = try c.browser.request("GET", c.slot)
            #expect(confirmation.text.contains("<title>Confirmation — Prendre rendez-vous — RDV Service Public</title>"))
            #expect(confirmation.text.contains("<dt>Pour</dt><dd>Jean DUPONT</dd>"))
            #expect(confirmation.text.contains(#"<button type="submit" class="fr-btn fr-btn--lg">Confirmer le rendez-vous</button>"#))

            // Single use: the same code again is refused.
            c.browser.cookies = [:]
            let again = try c.browser.request("GET", "/users/sign_in/code")
            let reused = try c.post("/users/sign_in/code/check", again, [("email", "jean@example.fr"), ("code", code)])
            #expect(reused.status == 422)
            #expect(reused.text.contains("<title>Erreur : Saisissez votre code"))
        }
    }

    /// booking.md §3.3: 5 wrong attempts void the code; one code a minute, five an hour; the
    /// answer never changes; 10 minutes of validity.
    @Test func codesHaveTheirLimits() throws {
        try withBooking { c in
            let ask = try c.browser.request("GET", "/users/sign_in/code")
            let sent = try c.post("/users/sign_in/code", ask, [("email", "jean@example.fr")])
            let code = try c.code(for: "jean@example.fr")
            let wrong = code == "000000" ? "111111" : "000000"
            for _ in 1...5 {
                let refused = try c.post("/users/sign_in/code/check", sent, [("email", "jean@example.fr"), ("code", wrong)])
                #expect(refused.status == 422)
                #expect(refused.text.contains("Ce code est incorrect ou a expiré."))
                #expect(refused.text.contains(#"aria-describedby="code-error""#))
            }
            let voided = try c.post("/users/sign_in/code/check", sent, [("email", "jean@example.fr"), ("code", code)])
            #expect(voided.status == 422)

            // A second code within the minute: the same answer, no e-mail.
            let soon = try c.post("/users/sign_in/code", ask, [("email", "jean@example.fr")])
            #expect(soon.text.contains("Si cette adresse est valide, un code vient d&#39;y être envoyé."))
            #expect(try c.codeMailCount("jean@example.fr") == 1)
            for _ in 1...6 {
                c.clock.advance(by: 61)
                _ = try c.post("/users/sign_in/code", ask, [("email", "jean@example.fr")])
            }
            #expect(try c.codeMailCount("jean@example.fr") == 5)

            // Expired after 10 minutes.
            c.clock.advance(by: 3600)
            _ = try c.post("/users/sign_in/code", ask, [("email", "jean@example.fr")])
            let fresh = try c.code(for: "jean@example.fr")
            c.clock.advance(by: 601)
            let late = try c.post("/users/sign_in/code/check", sent, [("email", "jean@example.fr"), ("code", fresh)])
            #expect(late.status == 422)

            let invalid = try c.post("/users/sign_in/code", ask, [("email", "pas-une-adresse")])
            #expect(invalid.status == 422)
            #expect(invalid.text.contains(#"<p id="email-error" class="fr-error-text">Saisissez une adresse e-mail valide"#))
            #expect(invalid.text.contains(#"value="pas-une-adresse""#))
        }
    }

    /// An unknown address: the code leads to « Créez votre compte », which re-renders with its
    /// messages and values, then creates a confirmed account signed in (`user_sign_up`).
    @Test func aCodeForAnUnknownAddressCreatesTheAccount() throws {
        try withBooking { c in
            let created = try c.signInByCode("camille@example.fr", returnTo: c.slot)
            #expect(created.status == 200)
            #expect(created.text.contains("<title>Créez votre compte — Prendre rendez-vous — RDV Service Public</title>"))
            let proof = try #require(
                created.text.range(of: #"name="proof" value="[0-9]+\.[0-9a-f]{64}""#, options: .regularExpression))
            let proofValue = String(created.text[proof].dropFirst(#"name="proof" value=""#.count).dropLast())
            let blank = try c.post(
                "/users/sign_up/code", created,
                [("email", "camille@example.fr"), ("proof", proofValue), ("first_name", ""), ("last_name", "Nouvelle"),
                 ("phone_number", "12"), ("return_to", c.slot)])
            #expect(blank.status == 422)
            #expect(blank.text.contains(#"<p id="first_name-error" class="fr-error-text">Saisissez votre prénom.</p>"#))
            #expect(blank.text.contains(#"<p id="phone_number-error" class="fr-error-text">Saisissez un numéro de téléphone français valide"#))
            #expect(blank.text.contains(#"value="Nouvelle""#))
            let forged = try c.post(
                "/users/sign_up/code", blank,
                [("email", "other@example.fr"), ("proof", proofValue), ("first_name", "A"), ("last_name", "B")])
            #expect(forged.status == 422)
            #expect(try c.db.userAccount(email: "other@example.fr") == nil)
            let done = try c.post(
                "/users/sign_up/code", blank,
                [("email", "camille@example.fr"), ("proof", proofValue), ("first_name", "Camille"),
                 ("last_name", "Nouvelle"), ("phone_number", "06 12 34 56 78"), ("return_to", c.slot)])
            #expect(done.status == 303)
            #expect(done.header("Location") == c.slot)
            let user = try #require(try c.db.userAccount(email: "camille@example.fr"))
            #expect(user.phoneNumber == "06 12 34 56 78")
            #expect(user.confirmedAt == Self.now)
            let through = try c.db.writer.read { db in
                try String.fetchOne(db, sql: "SELECT created_through FROM users WHERE id = ?", arguments: [user.id])
            }
            #expect(through == "user_sign_up")
        }
    }

    /// booking.md §2.2 steps 12–13 and slots.md §6: the booking, its confirmation e-mail
    /// planned, the appointment page; the same slot again is gone (409).
    @Test func theConfirmationBooksTheSlotOnce() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let confirmation = try c.browser.request("GET", c.slot)
            let form = confirmation.text
            let unsigned = try c.browser.request(
                "POST", "/users/rdvs", form: [("motif_id", "\(c.ids["m1"]!)"), ("user_id", "\(c.ids["u1"]!)")])
            #expect(unsigned.status == 403)
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let fields: [(String, String)] = [
                ("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(user.id)"),
            ]
            #expect(form.contains(#"<input type="hidden" name="user_id" value="\#(user.id)">"#))
            let other = try c.post("/users/rdvs", confirmation, fields.dropLast() + [("user_id", "\(user.id + 1000)")])
            #expect(other.status == 400)
            let booked = try c.post("/users/rdvs", confirmation, fields)
            #expect(booked.status == 303)
            let location = try #require(booked.header("Location"))
            #expect(location.hasPrefix("/users/rdvs/"))
            let shown = try c.browser.request("GET", location)
            #expect(shown.status == 200)
            #expect(shown.text.contains("Votre rendez-vous est confirmé."))
            #expect(shown.text.contains(#"<time datetime="2021-05-03T10:00:00+02:00">lundi 3 mai 2021 à 10h00</time>"#))
            #expect(shown.text.contains("Vous pouvez annuler ce rendez-vous en ligne jusqu&#39;à 4 heures avant"))
            let appointmentID = try #require(Int64(location.split(separator: "/").last ?? ""))
            let row = try #require(
                try c.db.writer.read { db in
                    try Row.fetchOne(
                        db, sql: "SELECT created_by_type, created_by_id, status FROM appointments WHERE id = ?", arguments: [appointmentID])
                })
            #expect(row["created_by_type"] as String == "User")
            #expect(row["created_by_id"] as Int64? == c.ids["u1"])
            let planned = try c.db.writer.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM outbox_messages WHERE appointment_id = ? AND idempotency_key LIKE 'rdv_created:%'",
                    arguments: [appointmentID]) ?? 0
            }
            #expect(planned >= 1)

            let twice = try c.post("/users/rdvs", confirmation, fields)
            #expect(twice.status == 409)
            #expect(twice.text.contains("<p>Ce créneau n'est plus disponible. Choisissez-en un autre.</p>"))

            let list = try c.browser.request("GET", "/users/rdvs")
            #expect(list.text.contains("<title>Mes rendez-vous — RDV Service Public</title>"))
            #expect(list.text.contains(#"<a class="rdv-choice" href="\#(location)">"#))
        }
    }

    /// booking.md §7 and permissions.md §3: cancelling until 4 h before; past that, the phone.
    @Test func aUserCancelsUntilFourHoursBefore() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let confirmation = try c.browser.request("GET", c.slot)
            let booked = try c.post(
                "/users/rdvs", confirmation,
                [("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                 ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(user.id)")])
            let location = try #require(booked.header("Location"))
            let ask = try c.browser.request("GET", location + "/cancel")
            #expect(ask.text.contains(#"<button type="submit" class="fr-btn">Confirmer l'annulation</button>"#))

            // 2021-05-03 06:00:01 Paris: less than 4 hours before 10:00.
            c.clock.advance(by: (2 * 24 + 22) * 3600 + 1)
            // The 30-minute session has ended meanwhile (booking.md §3.3).
            #expect(try c.browser.request("GET", location).status == 303)
            _ = try c.signInByCode("jean@example.fr")
            let late = try c.browser.request("GET", location)
            #expect(!late.text.contains("Annuler le rendez-vous"))
            #expect(late.text.contains("<p>Pour annuler ou modifier ce rendez-vous, appelez le 0321000000.</p>"))
            let refused = try c.post(location + "/cancel", late, [])
            #expect(refused.status == 403)

            c.clock.advance(by: -2)
            let cancelled = try c.post(location + "/cancel", late, [])
            #expect(cancelled.status == 303)
            let after = try c.browser.request("GET", location)
            #expect(after.text.contains("Votre rendez-vous a été annulé."))
            #expect(after.text.contains(#"<p class="fr-badge fr-badge--warning fr-mb-2w">Annulé</p>"#))
        }
    }

    /// permissions.md §3: another household's appointment is absent; « Mes rendez-vous » needs
    /// a user (visitors sign in and come back, agents are not users).
    @Test func anotherHouseholdsAppointmentIsAbsent() throws {
        try withBooking { c in
            let anonymous = try c.browser.request("GET", "/users/rdvs")
            #expect(anonymous.status == 303)
            #expect(anonymous.header("Location") == "/users/sign_in/code?return_to=%2Fusers%2Frdvs")
            _ = try c.db.createUserFromCode(
                email: "camille@example.fr", firstName: "Camille", lastName: "Nouvelle", phone: nil, now: Self.now)
            let signedIn = try c.signInByCode("camille@example.fr")
            #expect(signedIn.status == 303)
            // r1 is Jean Dupont's.
            let theirs = try c.browser.request("GET", "/users/rdvs/\(c.ids["r1"]!)")
            #expect(theirs.status == 404)
            let cancel = try c.browser.request("GET", "/users/rdvs/\(c.ids["r1"]!)/cancel")
            #expect(cancel.status == 404)
        }
    }

    /// A crafted `return_to` cannot send anyone to another site.
    @Test func returnPathsStayOnTheSite() {
        #expect(ReturnPath.safe("/prendre_rdv/creneau?motif_id=1") == "/prendre_rdv/creneau?motif_id=1")
        #expect(ReturnPath.safe("//evil.example/") == nil)
        #expect(ReturnPath.safe("/\\evil.example/") == nil)
        #expect(ReturnPath.safe("https://evil.example/") == nil)
        #expect(ReturnPath.safe("/a\r\nLocation: x") == nil)
        #expect(ReturnPath.safe(nil) == nil)
    }

    /// booking.md §3.3 "Same lockout as agents" and "An unconfirmed account cannot sign in with
    /// its password".
    @Test func passwordsNeedAConfirmedAccount() throws {
        try withBooking { c in
            let hash = try PasswordHasher.hash("un mot de passe solide")
            try c.db.writer.write { db in
                try db.execute(sql: "UPDATE users SET password_hash = ? WHERE email = 'jean@example.fr'", arguments: [hash])
            }
            let page = try c.browser.request("GET", "/users/sign_in")
            let unconfirmed = try c.post(
                "/users/sign_in", page, [("email", "jean@example.fr"), ("password", "un mot de passe solide")])
            #expect(unconfirmed.status == 422)
            #expect(unconfirmed.text.contains("Votre adresse e-mail n&#39;est pas encore confirmée"))
            try c.db.writer.write { db in
                try db.execute(sql: "UPDATE users SET confirmed_at = 1 WHERE email = 'jean@example.fr'")
            }
            let wrong = try c.post("/users/sign_in", page, [("email", "jean@example.fr"), ("password", "faux")])
            #expect(wrong.status == 422)
            #expect(wrong.text.contains("E-mail ou mot de passe incorrect."))
            let right = try c.post(
                "/users/sign_in", page, [("email", "jean@example.fr"), ("password", "un mot de passe solide")])
            #expect(right.status == 303)
            #expect(right.header("Location") == "/users/rdvs")
        }
    }

    /// booking.md §4, permissions.md §4: the link of the confirmation e-mail opens the
    /// appointment after the 3-letter check, in a session that sees only it; five wrong answers
    /// block the link for 15 minutes; another token, or the same after 12 weeks, is not valid.
    @Test func theLinkOfTheMessagesOpensTheAppointmentAfterTheLetters() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let confirmation = try c.browser.request("GET", c.slot)
            let booked = try c.post(
                "/users/rdvs", confirmation,
                [("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                 ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(user.id)")])
            let location = try #require(booked.header("Location"))
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let bodies = try c.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE appointment_id = ? AND kind = 'email'",
                    arguments: [id])
            }
            let text = bodies.joined(separator: "\n")
            let found = try #require(text.range(of: "/r/\(id)/[A-Za-z0-9]{8}", options: .regularExpression))
            let link = String(text[found])

            let visitor = Browser(app: try makeWebApplication(c.db, clock: c.clock))
            let check = try visitor.request("GET", link)
            #expect(check.status == 200)
            #expect(check.text.contains(#"<label class="fr-label" for="letters">Les 3 premières lettres du nom de famille"#))
            let token = try #require(Browser.token(in: check.text))
            let wrong = try visitor.request("POST", link, form: [("authenticity_token", token), ("letters", "MAR")])
            #expect(wrong.status == 422)
            #expect(wrong.text.contains("Ces lettres ne correspondent pas"))
            let right = try visitor.request("POST", link, form: [("authenticity_token", token), ("letters", " dÛp ")])
            #expect(right.status == 303)
            #expect(right.header("Location") == location)
            let shown = try visitor.request("GET", location)
            #expect(shown.status == 200)
            #expect(shown.text.contains(#"<time datetime="2021-05-03T10:00:00+02:00">"#))
            #expect(try visitor.request("GET", "/users/rdvs").header("Location") == location)
            #expect(try visitor.request("GET", "/users/rdvs/\(c.ids["r1"]!)").status == 404)
            // The reschedule link's form (`/r/<id>/cr?tkn=`) opens the same check.
            let reschedule = "/r/\(id)/cr?tkn=" + link.split(separator: "/").last!
            let other = Browser(app: try makeWebApplication(c.db, clock: c.clock))
            #expect(try other.request("GET", reschedule).text.contains("Les 3 premières lettres du nom de famille"))

            let stranger = Browser(app: try makeWebApplication(c.db, clock: c.clock))
            let page = try stranger.request("GET", link)
            let strangerToken = try #require(Browser.token(in: page.text))
            for _ in 1...5 {
                _ = try stranger.request("POST", link, form: [("authenticity_token", strangerToken), ("letters", "xyz")])
            }
            let blocked = try stranger.request("POST", link, form: [("authenticity_token", strangerToken), ("letters", "dup")])
            #expect(blocked.status == 429)
            #expect(blocked.text.contains("Trop d&#39;essais : ce lien est bloqué pendant 15 minutes."))

            let forged = try stranger.request("GET", "/r/\(id)/AAAAAAAA")
            #expect(forged.status == 404)
            #expect(forged.text.contains("<h1 class=\"fr-h2\">Ce lien n'est plus valide</h1>"))
            c.clock.advance(by: AppDatabase.tokenLinkLifetime + 1)
            #expect(try stranger.request("GET", link).status == 404)
        }
    }

    @Test func theLettersIgnoreCaseAccentsAndSpaces() {
        #expect(TokenLinksController.matches("dup", lastName: "Dupont"))
        #expect(TokenLinksController.matches("Éle", lastName: "Élégant"))
        #expect(TokenLinksController.matches("ele", lastName: "Élégant"))
        #expect(TokenLinksController.matches("l e g", lastName: "Le Gall"))
        #expect(TokenLinksController.matches("ly", lastName: "Ly"))
        #expect(!TokenLinksController.matches("du", lastName: "Dupont"))
        #expect(!TokenLinksController.matches("", lastName: "Dupont"))
    }

    /// booking.md §6: « S'inscrire » takes one of the 2 seats (Jean already has the other):
    /// the next person finds it full; cancelling the own seat frees it, and re-joining takes it up.
    @Test func aUserJoinsACollectiveAppointmentAndLeavesIt() throws {
        try withBooking({ document in
            var motif = document.motifs[0]
            motif.ref = "m2"
            motif.name = "Atelier"
            motif.collectif = true
            document.motifs.append(motif)
            var appointment = document.appointments[0]
            appointment.ref = "r2"
            appointment.motif = "m2"
            appointment.starts_at = "2021-05-05T14:00:00+02:00"
            appointment.name = "Atelier massage bébé"
            appointment.max_participants_count = 2
            document.appointments.append(appointment)
        }) { c in
            let slot = "/prendre_rdv/creneau?motif_id=\(c.ids["m2"]!)&lieu_id=\(c.ids["l1"]!)&starts_at=2021-05-05T14%3A00%3A00%2B02%3A00"
            _ = try c.db.createUserFromCode(
                email: "camille@example.fr", firstName: "Camille", lastName: "Nouvelle", phone: nil, now: Self.now)
            _ = try c.signInByCode("camille@example.fr")
            let camille = try #require(try c.db.userAccount(email: "camille@example.fr"))
            let confirmation = try c.browser.request("GET", slot)
            #expect(confirmation.text.contains("Confirmer le rendez-vous"))
            let fields: [(String, String)] = [
                ("motif_id", "\(c.ids["m2"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                ("starts_at", "2021-05-05T14:00:00+02:00"), ("user_id", "\(camille.id)"),
            ]
            let joined = try c.post("/users/rdvs", confirmation, fields)
            #expect(joined.status == 303)
            #expect(joined.header("Location") == "/users/rdvs/\(c.ids["r2"]!)")
            func seats() throws -> Int {
                try c.db.writer.read { db in
                    try Int.fetchOne(db, sql: "SELECT users_count FROM appointments WHERE id = ?", arguments: [c.ids["r2"]!]) ?? -1
                }
            }
            #expect(try seats() == 2)
            let full = try c.browser.request("GET", slot)
            #expect(full.text.contains("Ce créneau n'est plus disponible"))
            let again = try c.post("/users/rdvs", confirmation, fields)
            #expect(again.status == 409)

            let shown = try c.browser.request("GET", "/users/rdvs/\(c.ids["r2"]!)")
            let cancel = try c.browser.request("GET", "/users/rdvs/\(c.ids["r2"]!)/cancel")
            #expect(cancel.status == 200)
            let left = try c.post("/users/rdvs/\(c.ids["r2"]!)/cancel", shown, [])
            #expect(left.status == 303)
            #expect(try seats() == 1)
            let status = try c.db.writer.read { db in
                try String.fetchOne(
                    db, sql: "SELECT status FROM participations WHERE appointment_id = ? AND user_id = ?",
                    arguments: [c.ids["r2"]!, camille.id])
            }
            #expect(status == "excused")
            let after = try c.browser.request("GET", "/users/rdvs/\(c.ids["r2"]!)")
            #expect(after.text.contains(#"<p class="fr-badge fr-badge--warning fr-mb-2w">Inscription annulée</p>"#))
            // Re-joining takes the same participation up again.
            let rejoin = try c.browser.request("GET", slot)
            #expect(try c.post("/users/rdvs", rejoin, fields).status == 303)
            #expect(try seats() == 2)
        }
    }

    /// booking.md §3.3 « Inviter à créer un compte »: the e-mail's link leads to « Choisissez
    /// votre mot de passe »; the password rules apply; the account is confirmed and signed in;
    /// the link serves once.
    @Test func anInvitedUserChoosesAPassword() throws {
        try withBooking { c in
            let token = try c.db.inviteUser(
                id: c.ids["u1"]!, organisationID: c.ids["o1"]!, publicURL: "http://localhost", now: Self.now)
            let bodies = try c.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE idempotency_key LIKE 'user_invitation:%'")
            }
            #expect(bodies.joined().contains("/users/invitation/accept?invitation_token=" + token))
            let page = try c.browser.request("GET", "/users/invitation/accept?invitation_token=" + token)
            #expect(page.status == 200)
            #expect(page.text.contains("<title>Choisissez votre mot de passe — RDV Service Public</title>"))
            #expect(page.text.contains("<strong>jean@example.fr</strong>"))
            let short = try c.post(
                "/users/invitation", page,
                [("invitation_token", token), ("password", "court"), ("password_confirmation", "court")])
            #expect(short.status == 422)
            #expect(short.text.contains("Le mot de passe doit contenir au moins 12 caractères."))
            let done = try c.post(
                "/users/invitation", page,
                [("invitation_token", token), ("password", "une phrase assez longue"),
                 ("password_confirmation", "une phrase assez longue")])
            #expect(done.status == 303)
            #expect(done.header("Location") == "/users/rdvs")
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            #expect(user.confirmedAt == Self.now)
            #expect(try c.browser.request("GET", "/users/rdvs").status == 200)
            let spent = try c.browser.request("GET", "/users/invitation/accept?invitation_token=" + token)
            #expect(spent.status == 404)
            #expect(spent.text.contains("Ce lien d&#39;invitation n&#39;est plus valide."))
        }
    }

    /// booking.md §2.2 step 11: « Ajouter un proche » from the confirmation, back to the slot,
    /// then « Choix de l'usager » and a booking for the relative.
    @Test func aUserBooksForARelativeTheyAdd() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let confirmation = try c.browser.request("GET", c.slot)
            let addPath = "/users/relatives?return_to=" + SiteURL.encode(c.slot)
            #expect(confirmation.text.contains(#"<a class="fr-link" href="\#(addPath)">Ajouter un proche</a>"#))
            let form = try c.browser.request("GET", addPath)
            #expect(form.text.contains("<title>Mes proches — RDV Service Public</title>"))
            let blank = try c.post(
                "/users/relatives", form, [("first_name", ""), ("last_name", "Dupont"), ("birth_date", "2999-01-01"),
                                           ("return_to", c.slot)])
            #expect(blank.status == 422)
            #expect(blank.text.contains("Saisissez le prénom de votre proche."))
            #expect(blank.text.contains("Saisissez une date de naissance passée"))
            let added = try c.post(
                "/users/relatives", form, [("first_name", "Léa"), ("last_name", "Dupont"), ("birth_date", "2020-02-03"),
                                           ("return_to", c.slot)])
            #expect(added.status == 303)
            #expect(added.header("Location") == c.slot)
            let choice = try c.browser.request("GET", c.slot)
            #expect(choice.text.contains("<title>Choix de l&#39;usager — Prendre rendez-vous — RDV Service Public</title>"))
            #expect(choice.text.contains("Moi-même (Jean DUPONT)"))
            let jean = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let household = try #require(try c.db.household(userID: jean.id))
            let lea = try #require(household.relatives.first)
            #expect(lea.displayName == "Léa DUPONT")
            #expect(lea.birthDate == "2020-02-03")
            let forLea = try c.browser.request("GET", c.slot + "&user_id=\(lea.id)")
            #expect(forLea.text.contains("<dt>Pour</dt><dd>Léa DUPONT"))
            let booked = try c.post(
                "/users/rdvs", forLea,
                [("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                 ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(lea.id)")])
            #expect(booked.status == 303)
            let shown = try c.browser.request("GET", try #require(booked.header("Location")))
            #expect(shown.text.contains("<dt>Pour</dt><dd>Léa DUPONT</dd>"))
        }
    }

    /// booking.md §3.3: sign-up with a password sends the 3-day confirmation link; an
    /// unconfirmed account cannot sign in with its password; signing up again re-sends the link
    /// instead of a duplicate; the link confirms and signs in, once.
    @Test func aSignUpIsConfirmedByItsLink() throws {
        try withBooking { c in
            let form = try c.browser.request("GET", "/users/sign_up?return_to=" + SiteURL.encode(c.slot))
            #expect(form.text.contains("<title>Créer un compte — Prendre rendez-vous — RDV Service Public</title>"))
            let fields: [(String, String)] = [
                ("first_name", "Camille"), ("last_name", "Nouvelle"), ("email", "camille@example.fr"),
                ("phone_number", ""), ("password", "une phrase assez longue"),
                ("password_confirmation", "une phrase assez longue"),
            ]
            let bad = try c.post("/users/sign_up", form, fields.dropLast() + [("password_confirmation", "autre")])
            #expect(bad.status == 422)
            #expect(bad.text.contains("La confirmation ne correspond pas au mot de passe."))
            #expect(bad.text.contains(#"value="camille@example.fr""#))
            let sent = try c.post("/users/sign_up", form, fields)
            #expect(sent.status == 200)
            #expect(sent.text.contains("<title>Vérifiez votre boîte e-mail — RDV Service Public</title>"))
            _ = try c.post("/users/sign_up", form, fields)
            #expect(try c.db.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM account_tokens WHERE purpose = 'user_confirmation'")
            } == 1)
            c.clock.advance(by: 61)
            _ = try c.post("/users/sign_up", form, fields)
            let count = try c.db.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT count(*) FROM users WHERE email = 'camille@example.fr'") ?? 0
            }
            #expect(count == 1)
            let bodies = try c.db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(payload, '$.body') FROM outbox_messages
                        WHERE idempotency_key LIKE 'user_confirmation:%' ORDER BY id
                        """)
            }
            #expect(bodies.count == 2)
            let text = try #require(bodies.last)
            let found = try #require(text.range(of: "confirmation_token=[0-9a-f]{64}", options: .regularExpression))
            let token = String(text[found].dropFirst("confirmation_token=".count))

            let signIn = try c.browser.request("GET", "/users/sign_in")
            let unconfirmed = try c.post(
                "/users/sign_in", signIn, [("email", "camille@example.fr"), ("password", "une phrase assez longue")])
            #expect(unconfirmed.status == 422)
            let confirmed = try c.browser.request("GET", "/users/confirmation?confirmation_token=" + token)
            #expect(confirmed.status == 303)
            #expect(confirmed.header("Location") == "/users/rdvs")
            #expect(try c.browser.request("GET", "/users/rdvs").text.contains("Votre adresse e-mail est confirmée."))
            #expect(try c.browser.request("GET", "/users/confirmation?confirmation_token=" + token).status == 404)
            // The first link died when the second was sent.
            let first = try #require(bodies.first)
            let firstRange = try #require(first.range(of: "confirmation_token=[0-9a-f]{64}", options: .regularExpression))
            #expect(try c.browser.request("GET", "/users/confirmation?" + first[firstRange]).status == 404)
        }
    }

    /// booking.md §7 « Déplacer »: until 48 h before, the same motif and place, the appointment
    /// keeps its duration and `rdv_updated` goes out; past 48 h the page is not offered.
    @Test func aUserMovesTheirAppointmentUntilTwoDaysBefore() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let user = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let confirmation = try c.browser.request("GET", c.slot)
            let booked = try c.post(
                "/users/rdvs", confirmation,
                [("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
                 ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(user.id)")])
            let location = try #require(booked.header("Location"))
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            let shown = try c.browser.request("GET", location)
            #expect(shown.text.contains(#"<a class="fr-btn" href="\#(location)/creneaux">Déplacer le rendez-vous</a>"#))
            let week = try c.browser.request("GET", location + "/creneaux")
            #expect(week.status == 200)
            #expect(week.text.contains("<title>Déplacer le rendez-vous — Mes rendez-vous — RDV Service Public</title>"))
            // 09:00 is r1's, 10:00 its own: the week offers the later ones.
            #expect(!week.text.contains(#"data-starts-at="2021-05-03T09:00:00+02:00""#))
            #expect(!week.text.contains(#"data-starts-at="2021-05-03T10:00:00+02:00""#))
            #expect(week.text.contains("Aucun créneau disponible cette semaine."))
            let later = try c.browser.request("GET", location + "/creneaux?date=2021-05-17")
            let next = try #require(later.text.range(of: #"data-starts-at="2021-05-(17|24)T[0-9:]+\+02:00""#, options: .regularExpression))
            let iso = String(later.text[next].dropFirst(#"data-starts-at=""#.count).dropLast())
            let chosen = try c.browser.request("GET", location + "/creneaux?starts_at=" + SiteURL.encode(iso))
            #expect(chosen.text.contains(#"<button type="submit" class="fr-btn">Déplacer le rendez-vous</button>"#))
            let moved = try c.post(location + "/creneaux", chosen, [("starts_at", iso)])
            #expect(moved.status == 303)
            #expect(moved.header("Location") == location)
            let after = try c.browser.request("GET", location)
            #expect(after.text.contains("Votre rendez-vous a été déplacé."))
            #expect(after.text.contains(#"<time datetime="\#(iso)">"#))
            let row = try #require(
                try c.db.writer.read { db in
                    try Row.fetchOne(db, sql: "SELECT starts_at, duration_in_min FROM appointments WHERE id = ?", arguments: [id])
                })
            #expect(row["duration_in_min"] as Int == 60)
            let updated = try c.db.writer.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT count(*) FROM outbox_messages WHERE appointment_id = ? AND idempotency_key LIKE 'rdv_updated:%'",
                    arguments: [id]) ?? 0
            }
            #expect(updated >= 1)
            // The same start again is gone; a start outside every period too.
            let gone = try c.post(location + "/creneaux", after, [("starts_at", "2021-05-03T13:00:00+02:00")])
            #expect(gone.status == 303)
            #expect(gone.header("Location") == location + "/creneaux")
        }
    }

    /// permissions.md §3: a user edits their profile, and deletes the account only once no
    /// appointment of the household is to come; then the account is anonymised and signed out.
    @Test func aUserEditsTheProfileAndDeletesTheAccount() throws {
        try withBooking { c in
            _ = try c.signInByCode("jean@example.fr")
            let jean = try #require(try c.db.userAccount(email: "jean@example.fr"))
            let page = try c.browser.request("GET", "/users/account")
            #expect(page.text.contains("<title>Mon compte — RDV Service Public</title>"))
            #expect(page.text.contains(#"value="0612345678""#))
            let bad = try c.post(
                "/users/account", page, [("_method", "PATCH"), ("first_name", ""), ("last_name", "Dupont"),
                                         ("phone_number", "12"), ("notify_by_email", "1")])
            #expect(bad.status == 422)
            #expect(bad.text.contains(#"<p id="first_name-error" class="fr-error-text">Saisissez votre prénom.</p>"#))
            let saved = try c.post(
                "/users/account", page, [("_method", "PATCH"), ("first_name", "Jean-Pierre"), ("last_name", "Dupont"),
                                         ("phone_number", "06 11 22 33 44"), ("notify_by_email", "1")])
            #expect(saved.status == 303)
            let profile = try #require(try c.db.ownProfile(userID: jean.id))
            #expect(profile == OwnProfile(
                firstName: "Jean-Pierre", lastName: "Dupont", phoneNumber: "06 11 22 33 44", notifyBySMS: false,
                notifyByEmail: true))

            // r1 (2021-05-03) is to come: refused.
            let refused = try c.post("/users/account", page, [("_method", "DELETE")])
            #expect(refused.status == 422)
            #expect(refused.text.contains("Annulez d&#39;abord vos rendez-vous à venir"))
            try c.db.changeAppointmentStatus(
                appointmentID: c.ids["r1"]!, to: .excused, author: .system, now: Self.now, publicURL: "http://localhost")
            let deleted = try c.post("/users/account", page, [("_method", "DELETE")])
            #expect(deleted.status == 303)
            #expect(try c.db.userAccount(email: "jean@example.fr") == nil)
            #expect(try c.browser.request("GET", "/users/rdvs").status == 303)
        }
    }

    /// booking.md §4 `/prdv?tkn=`: the cancellation message's « Reprendre RDV » opens the public
    /// search on the same motif and place (the organisation's search: Jean's address has no
    /// coordinates); another token is not valid.
    @Test func theCancellationsLinkBooksAgain() throws {
        try withBooking { c in
            try c.db.changeAppointmentStatus(
                appointmentID: c.ids["r1"]!, to: .revoked, author: .agent(c.ids["a1"]!), now: Self.now,
                publicURL: "http://localhost")
            let bodies = try c.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE appointment_id = ? AND kind IN ('email', 'sms')",
                    arguments: [c.ids["r1"]!])
            }
            let text = bodies.joined(separator: "\n")
            let found = try #require(text.range(of: "/prdv\\?tkn=[A-Za-z0-9]{8}", options: .regularExpression))
            let link = String(text[found])
            let again = try c.browser.request("GET", link)
            #expect(again.status == 303)
            #expect(
                again.header("Location")
                    == "/prendre_rdv?public_link_organisation_id=\(c.ids["o1"]!)&service_id=\(c.ids["pmi"] ?? 1)"
                    + "&motif_name_with_location_type=Consultation-public_office&lieu_id=\(c.ids["l1"]!)")
            #expect(try c.browser.request("GET", "/prdv?tkn=AAAAAAAA").status == 404)
            #expect(try c.browser.request("GET", "/prdv").status == 404)
        }
    }

    /// booking.md §4: when the motif is not bookable online, `/prdv` gives the organisation's
    /// contacts and the search.
    @Test func bookingAgainAMotifForAgentsOnlyGivesTheContacts() throws {
        try withBooking({ $0.motifs[0].bookable_by = "agents" }) { c in
            try c.db.changeAppointmentStatus(
                appointmentID: c.ids["r1"]!, to: .revoked, author: .agent(c.ids["a1"]!), now: Self.now,
                publicURL: "http://localhost")
            let text = try c.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE appointment_id = ? AND kind = 'email'",
                    arguments: [c.ids["r1"]!])
            }.joined(separator: "\n")
            let found = try #require(text.range(of: "/prdv\\?tkn=[A-Za-z0-9]{8}", options: .regularExpression))
            let page = try c.browser.request("GET", String(text[found]))
            #expect(page.status == 200)
            #expect(page.text.contains("Le motif « Consultation » ne se réserve pas en ligne."))
            #expect(page.text.contains(#"contactez MDS Arras au <a href="tel:0321000000">0321000000</a>"#))
            #expect(page.text.contains(#"<a class="fr-btn" href="/prendre_rdv?public_link_organisation_id=\#(c.ids["o1"]!)">"#))
        }
    }

    /// A link opened before the instance has its secret (a new database) is refused cleanly,
    /// not a 500: the lookups read the secret outside their read transaction.
    @Test func linksWorkBeforeTheInstanceSecretExists() throws {
        try withBooking { c in
            try c.db.writer.write { db in try db.execute(sql: "DELETE FROM instance_settings WHERE key = 'secret_key'") }
            #expect(try c.browser.request("GET", "/r/\(c.ids["r1"]!)/AAAAAAAA").status == 404)
            try c.db.writer.write { db in try db.execute(sql: "DELETE FROM instance_settings WHERE key = 'secret_key'") }
            #expect(try c.browser.request("GET", "/prdv?tkn=AAAAAAAA").status == 404)
        }
    }

    /// The issue's concurrency check: 50 people, each with their own session and CSRF token,
    /// confirm the same free slot at once through real sockets: exactly one appointment, 49
    /// « Ce créneau n'est plus disponible ».
    @Test func fiftyPeopleConfirmingOneSlotMakeOneAppointment() throws {
        try withBooking { c in
            let db = c.db
            let ids = c.ids
            var configuration = ServerConfiguration()
            configuration.port = 0
            var logger = Logger(label: "user-booking-test")
            logger.logLevel = .critical
            let server = try HTTPServer(
                configuration: configuration, responder: try makeWebApplication(db, clock: FixedClock(Self.now)),
                logger: logger)
            server.start()
            defer {
                server.shutdown()
                server.waitUntilStopped()
            }
            let port = server.port
            let slot = "/prendre_rdv/creneau?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&starts_at=2021-05-03T10%3A00%3A00%2B02%3A00"
            var people: [(cookies: [String: String], token: String, userID: Int64)] = []
            for index in 0..<50 {
                let userID = try db.createUserFromCode(
                    email: "personne\(index)@example.fr", firstName: "Personne", lastName: "Numéro \(index)", phone: nil,
                    now: Self.now)
                let browser = Browser(port: port)
                browser.cookies[Cookies.session] = try db.createUserSession(
                    userID: userID, method: "email_code", ip: nil, userAgent: nil, now: Self.now)
                let page = try browser.request("GET", slot)
                #expect(page.text.contains("Confirmer le rendez-vous"))
                people.append((browser.cookies, try #require(Browser.token(in: page.text)), userID))
            }
            let statuses = Mutex<[Int]>([])
            let gone = Mutex(0)
            let everyone = people
            DispatchQueue.concurrentPerform(iterations: everyone.count) { index in
                let person = everyone[index]
                let browser = Browser(port: port)
                browser.cookies = person.cookies
                let response = try? browser.request(
                    "POST", "/users/rdvs",
                    form: [
                        ("authenticity_token", person.token), ("motif_id", "\(ids["m1"]!)"), ("lieu_id", "\(ids["l1"]!)"),
                        ("starts_at", "2021-05-03T10:00:00+02:00"), ("user_id", "\(person.userID)"),
                    ])
                statuses.withLock { $0.append(response.map { Int($0.status) } ?? 0) }
                if response?.text.contains("<p>Ce créneau n'est plus disponible. Choisissez-en un autre.</p>") == true {
                    gone.withLock { $0 += 1 }
                }
            }
            let all = statuses.withLock { $0 }.sorted()
            #expect(all == [303] + Array(repeating: 409, count: 49))
            #expect(gone.withLock { $0 } == 49)
            let booked = try db.writer.read { db in
                try Int.fetchOne(
                    db,
                    sql: "SELECT count(*) FROM appointments WHERE motif_id = ? AND starts_at = ? AND status = 'unknown'",
                    arguments: [ids["m1"]!, 1_620_028_800]) ?? 0
            }
            #expect(booked == 1)
        }
    }
}
