import Foundation
import GRDB
import HTTPTestSupport
@_spi(RawDatabase) import Persistence
import Testing

@testable import Web

/// notifications.md §7 « Boîte d'envoi » over real sockets: the development messages of the
/// territories the agent administers; other agents are refused.
@Suite("Boîte d'envoi", .serialized)
struct DevOutboxTests {
    let api = AvailabilityAPITests()

    /// The contract example's admin (agent@example.fr, admin of its one organisation).
    func signIn(_ browser: Browser) throws {
        let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        let response = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", token), ("email", "agent@example.fr"), ("password", "un mot de passe long")])
        #expect(response.status == 303)
    }

    /// Two messages about appointment 1 (organisation 1) and one about no appointment of it.
    func insertMessages(_ db: AppDatabase) throws {
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox_messages (id, kind, payload, due_at, next_attempt_at, idempotency_key, appointment_id)
                    VALUES (101, 'sms', '{}', 0, 0, 'k1', 1), (102, 'email', '{}', 0, 0, 'k2', 1),
                           (103, 'email', '{}', 0, 0, 'k3', NULL)
                    """)
            try db.execute(
                sql: """
                    INSERT INTO dev_outbox_messages (channel, recipient, subject, body, ics, outbox_message_id, created_at) VALUES
                      ('sms', '+33612345678', NULL, 'RDV PMI lundi 30/11 à 10h00.', NULL, 101, 1764061200),
                      ('mail', 'jean@example.fr', 'RDV confirmé <le lundi>', 'Votre RDV…', 'BEGIN:VCALENDAR', 102, 1764061300),
                      ('mail', 'secret@example.fr', 'Autre organisation', 'x', NULL, 103, 1764061400)
                    """)
        }
    }

    @Test func anAdminSeesTheMessagesOfItsOrganisationNewestFirst() throws {
        try api.withAPI(prepare: insertMessages) { port, _ in
            let browser = Browser(port: port)
            try signIn(browser)
            let page = try browser.request("GET", "/admin/boite_d_envoi")
            #expect(page.status == 200)
            let html = page.text
            #expect(html.contains("RDV confirmé &lt;le lundi&gt;"))
            #expect(html.contains("+33612345678"))
            #expect(!html.contains("secret@example.fr"))
            #expect(html.contains("mardi 25 novembre 2025 à 10h01"))
            let mail = try #require(html.range(of: "jean@example.fr"))
            let sms = try #require(html.range(of: "+33612345678"))
            #expect(mail.lowerBound < sms.lowerBound)
        }
    }

    @Test func anAgentWithoutAnAdminRoleIsRefusedAndAVisitorSentToSignIn() throws {
        try api.withAPI(prepare: {
            try $0.writer.write { try $0.execute(sql: "UPDATE agent_roles SET access_level = 'basic'") }
        }) {
            port, _ in
            let visitor = try Browser(port: port).request("GET", "/admin/boite_d_envoi")
            #expect(visitor.header("Location") == "/agents/sign_in")
            let browser = Browser(port: port)
            try signIn(browser)
            let status = try browser.request("GET", "/admin/boite_d_envoi").status
            #expect(status == 403)
        }
    }
}
