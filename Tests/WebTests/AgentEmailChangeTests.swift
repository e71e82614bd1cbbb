import Domain
import Foundation
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// admin.md §6: « Mon compte » changes the e-mail address through a link sent to the new one.
@Suite("Agent e-mail change", .serialized)
struct AgentEmailChangeTests {
    typealias Site = AgentAccountTests.Site

    static func request(_ browser: Browser, newEmail: String, password: String) throws -> WireResponse {
        let csrf = try AgentAccountTests.token(browser, "/agents/account")
        return try browser.request(
            "POST", "/agents/account",
            form: [
                ("_method", "PATCH"), ("authenticity_token", csrf), ("section", "email"), ("new_email", newEmail),
                ("current_password", password),
            ])
    }

    /// The token of the last confirmation link planned, read from the e-mail's text.
    static func linkToken(_ site: Site) throws -> String {
        let body = try #require(try site.mails().last?.body)
        let match = try #require(body.firstMatch(of: /email_confirmation\?confirmation_token=([0-9a-f]{64})/))
        return String(match.1)
    }

    @Test func theNewAddressIsConfirmedThroughItsLinkAndOnlyThen() throws {
        try AgentAccountTests.withSite { site in
            let alice = site.browser()
            #expect(try AgentAccountTests.signIn(alice, "alice@example.fr", AgentAccountTests.alicePassword).status == 303)
            let asked = try Self.request(alice, newEmail: " Alice.Martin@Example.FR ", password: AgentAccountTests.alicePassword)
            #expect(asked.status == 303)
            #expect(asked.header("Location") == "/agents/account")
            let account = try alice.request("GET", "/agents/account").text
            #expect(account.contains("Un lien de confirmation a été envoyé à votre nouvelle adresse e-mail"))
            #expect(account.contains("En attente de confirmation : <strong>alice.martin@example.fr</strong>"))
            let mail = try #require(try site.mails().last)
            #expect(mail.recipient == "alice.martin@example.fr")
            #expect(mail.subject == "Confirmez votre adresse e-mail")
            // Until the link is followed the account keeps its address.
            #expect(try site.db.agentAccount(email: "alice@example.fr") != nil)

            let token = try Self.linkToken(site)
            let visitor = site.browser()
            let page = try visitor.request("GET", "/agents/account/email_confirmation?confirmation_token=\(token)")
            #expect(page.status == 200)
            #expect(page.text.contains("l'adresse <strong>alice.martin@example.fr</strong>"))
            // Only the button changes anything: the GET above left the address as it was.
            #expect(try site.db.agentAccount(email: "alice@example.fr") != nil)
            let csrf = try #require(Browser.token(in: page.text))
            let confirmed = try visitor.request(
                "POST", "/agents/account/email_confirmation",
                form: [("authenticity_token", csrf), ("confirmation_token", token)])
            #expect(confirmed.status == 303)
            #expect(confirmed.header("Location") == "/agents/sign_in")
            #expect(try visitor.request("GET", "/agents/sign_in").text.contains("Votre adresse e-mail a été modifiée."))
            #expect(try site.db.agentAccount(email: "alice@example.fr") == nil)
            #expect(try site.db.agentAccount(email: "alice.martin@example.fr") != nil)
            // The session stays open; the new address signs in; the link served once.
            #expect(try alice.request("GET", "/agents/account").text.contains("<strong>alice.martin@example.fr</strong>"))
            #expect(
                try AgentAccountTests.signIn(site.browser(), "alice.martin@example.fr", AgentAccountTests.alicePassword)
                    .status == 303)
            let again = try visitor.request("GET", "/agents/account/email_confirmation?confirmation_token=\(token)")
            #expect(again.status == 404)
            #expect(again.text.contains("Ce lien de confirmation n&#39;est plus valide."))
        }
    }

    @Test func badRequestsKeepTheValueAndSayWhy() throws {
        try AgentAccountTests.withSite { site in
            let alice = site.browser()
            #expect(try AgentAccountTests.signIn(alice, "alice@example.fr", AgentAccountTests.alicePassword).status == 303)
            let cases: [(String, String, String, String)] = [
                ("pas-une-adresse", AgentAccountTests.alicePassword, "new_email", AgentAccountPage.invalidEmail),
                ("alice@example.fr", AgentAccountTests.alicePassword, "new_email", AgentAccountPage.sameEmail),
                ("bruno@example.fr", AgentAccountTests.alicePassword, "new_email", AgentAccountPage.emailTaken),
                ("nouvelle@example.fr", "faux", "email_current_password", AgentAccountPage.wrongCurrentPassword),
            ]
            for (email, password, field, message) in cases {
                let response = try Self.request(alice, newEmail: email, password: password)
                #expect(response.status == 422, "\(email)")
                #expect(response.text.hasPrefix("<!DOCTYPE html>"))
                #expect(
                    response.text.contains(
                        #"<p id="\#(field)-error" class="fr-error-text">\#(AgentAccountTests.html(message))</p>"#),
                    "\(email)")
                #expect(response.text.contains(#"value="\#(email)""#), "\(email)")
            }
            #expect(try site.mails().filter { $0.subject == "Confirmez votre adresse e-mail" }.isEmpty)
            #expect(try site.db.pendingAgentEmail(agentID: site.agentID("alice@example.fr"), now: site.clock.now) == nil)
        }
    }

    @Test func theLinkExpiresAfter3DaysAndAnAddressTakenMeanwhileIsRefused() throws {
        try AgentAccountTests.withSite { site in
            let alice = try site.agentID("alice@example.fr")
            let bruno = try site.agentID("bruno@example.fr")
            let sent = try site.db.requestAgentEmailChange(
                agentID: alice, newEmail: "commune@example.fr", publicURL: AgentAccountTests.publicURL, now: site.clock.now)
            guard case .sent(let token) = sent else { throw EmailChangeFailure.notSent(sent) }
            // Bruno's own change to the same address lands first.
            let other = try site.db.requestAgentEmailChange(
                agentID: bruno, newEmail: "commune@example.fr", publicURL: AgentAccountTests.publicURL, now: site.clock.now)
            guard case .sent(let brunoToken) = other else { throw EmailChangeFailure.notSent(other) }
            #expect(try site.db.confirmAgentEmailChange(token: brunoToken, now: site.clock.now)
                == .changed(agentID: bruno, email: "commune@example.fr"))
            #expect(try site.db.confirmAgentEmailChange(token: token, now: site.clock.now) == .emailTaken)
            #expect(try site.db.agentAccount(email: "alice@example.fr")?.id == alice)

            let later = try site.db.requestAgentEmailChange(
                agentID: alice, newEmail: "alice2@example.fr", publicURL: AgentAccountTests.publicURL, now: site.clock.now)
            guard case .sent(let late) = later else { throw EmailChangeFailure.notSent(later) }
            site.clock.advance(by: 3 * 86_400 + 1)
            #expect(try site.db.confirmAgentEmailChange(token: late, now: site.clock.now) == .invalidLink)
            #expect(try site.db.agentAccount(email: "alice@example.fr")?.id == alice)
        }
    }

    @Test func theConfirmationNeedsTheCSRFToken() throws {
        try AgentAccountTests.withSite { site in
            let sent = try site.db.requestAgentEmailChange(
                agentID: try site.agentID("alice@example.fr"), newEmail: "alice2@example.fr",
                publicURL: AgentAccountTests.publicURL, now: site.clock.now)
            guard case .sent(let token) = sent else { throw EmailChangeFailure.notSent(sent) }
            let response = try site.browser().request(
                "POST", "/agents/account/email_confirmation", form: [("confirmation_token", token)])
            #expect(response.status == 403)
            #expect(try site.db.agentAccount(email: "alice@example.fr") != nil)
        }
    }

    enum EmailChangeFailure: Error { case notSent(AgentEmailChangeRequest) }
}
