import Domain
import Foundation
import GRDB
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Mot de passe oublié ? » of users (booking.md §3.3) on the contract's example document:
/// Jean Dupont (jean@example.fr) has a file made by an agent and no password yet.
@Suite("User password reset")
struct UserPasswordResetTests {
    func resetMails(_ c: UserBookingTests.Context) throws -> [String] {
        try c.db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT json_extract(payload, '$.body') FROM outbox_messages
                    WHERE json_extract(payload, '$.subject') = 'Réinitialisation de votre mot de passe' ORDER BY id
                    """)
        }
    }

    @Test func aLinkByEmailSetsThePasswordOnceAndSignsIn() throws {
        try UserBookingTests().withBooking { c in
            let signIn = try c.browser.request("GET", "/users/sign_in")
            #expect(signIn.text.contains(#"<a class="fr-link fr-link--sm" href="/users/password/new">Mot de passe oublié ?</a>"#))
            let ask = try c.browser.request("GET", "/users/password/new")
            #expect(ask.status == 200)
            let invalid = try c.post("/users/password", ask, [("email", "jean")])
            #expect(invalid.status == 422)
            let sent = try c.post("/users/password", invalid, [("email", "Jean@Example.fr")])
            #expect(sent.status == 200)
            #expect(sent.text.contains(UserPasswordSentPage.message.replacingOccurrences(of: "'", with: "&#39;")))
            // An unknown address gets the same page and no e-mail; a second ask within a minute none either.
            let unknown = try c.post("/users/password", ask, [("email", "personne@example.fr")])
            #expect(unknown.text.contains(UserPasswordSentPage.message.replacingOccurrences(of: "'", with: "&#39;")))
            _ = try c.post("/users/password", ask, [("email", "jean@example.fr")])
            let mails = try resetMails(c)
            #expect(mails.count == 1)
            let body = try #require(mails.first)
            let range = try #require(body.range(of: #"reset_password_token=[A-Za-z0-9_-]+"#, options: .regularExpression))
            let token = String(body[range].dropFirst("reset_password_token=".count))

            let edit = try c.browser.request("GET", "/users/password/edit?reset_password_token=\(token)")
            #expect(edit.status == 200)
            #expect(edit.text.contains("<strong>jean@example.fr</strong>"))
            let weak = try c.post(
                "/users/password", edit,
                [("_method", "PATCH"), ("reset_password_token", token), ("password", "court"), ("password_confirmation", "court")])
            #expect(weak.status == 422)
            #expect(weak.text.contains("Le mot de passe doit contenir au moins 12 caractères."))
            let strong = "ciel-violet-sur-la-digue-42"
            let changed = try c.post(
                "/users/password", weak,
                [("_method", "PATCH"), ("reset_password_token", token), ("password", strong), ("password_confirmation", strong)])
            #expect(changed.status == 303)
            #expect(changed.header("Location") == "/users/rdvs")
            let account = try #require(try c.db.userAccount(email: "jean@example.fr"))
            #expect(account.confirmedAt == c.clock.now)
            let again = try c.browser.request("GET", "/users/password/edit?reset_password_token=\(token)")
            #expect(again.status == 404)
            // Two hours later, a new link has expired.
            c.clock.advance(by: 120)
            let second = try #require(try c.db.requestUserPasswordReset(email: "jean@example.fr", now: c.clock.now))
            c.clock.advance(by: 2 * 3600 + 1)
            let late = try c.browser.request("GET", "/users/password/edit?reset_password_token=\(second)")
            #expect(late.status == 404)
        }
    }
}
