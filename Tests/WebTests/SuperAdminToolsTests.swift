import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// The operator's tools (admin.md §11): the job dashboard and « Relancer », « Se connecter en
/// tant que » an agent, and a territory exported and imported through the browser.
@Suite("Super admin tools", .serialized)
struct SuperAdminToolsTests {
    static func failedRow(_ db: AppDatabase, event: String, body: String = "Bonjour", key: String) throws -> Int64 {
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, status, attempts, last_error)
                    VALUES ('email', json_object('event', ?, 'channel', 'mail', 'recipient', 'jean@example.fr', 'body', ?), ?, ?, ?, 'failed', 20, '550 mailbox unavailable')
                    """,
                arguments: [event, body, Int64(testNow.timeIntervalSince1970), Int64(testNow.timeIntervalSince1970), key])
            return db.lastInsertedRowID
        }
    }

    @Test func aFailedJobIsRetriedUnlessItsLinkWasErased() throws {
        try SuperAdminTests.withOperator { browser, db in
            let retryable = try Self.failedRow(db, event: "rdv_created", key: "rdv_created:1:user:1:mail")
            let erased = try Self.failedRow(
                db, event: "agent_invitation", body: AppDatabase.erasedBody, key: "agent_invitation:9:agent:9:mail")
            let page = try browser.request("GET", "/super_admins/jobs").text
            #expect(page.contains("<tr><th scope=\"row\">E-mails</th><td>0</td><td>0</td><td>0</td><td>2</td><td>0</td></tr>"))
            #expect(page.contains("<td>\(retryable)</td><td>E-mails</td><td>rdv_created</td><td>20</td><td class=\"rdv-break\">550 mailbox unavailable</td>"))
            #expect(page.contains("Non relançable : son lien personnel a été effacé"))
            let csrf = try #require(Browser.token(in: page))
            let retried = try browser.request("POST", "/super_admins/jobs/\(retryable)/retry", form: [("authenticity_token", csrf)])
            #expect(retried.status == 303)
            let row = try #require(
                try db.writer.read { try Row.fetchOne($0, sql: "SELECT status, attempts FROM outbox_messages WHERE id = ?", arguments: [retryable]) })
            #expect(row["status"] as String == "pending")
            #expect(row["attempts"] as Int == 0)
            let flashed = try browser.request("GET", "/super_admins/jobs").text
            #expect(flashed.contains("L&#39;envoi est relancé"))
            let refused = try browser.request("POST", "/super_admins/jobs/\(erased)/retry", form: [("authenticity_token", csrf)])
            #expect(refused.status == 303)
            let status = try db.writer.read { try String.fetchOne($0, sql: "SELECT status FROM outbox_messages WHERE id = ?", arguments: [erased]) }
            #expect(status == "failed")
        }
    }

    @Test func theOperatorSignsInAsAnAgentAndTheSessionNamesTheOperator() throws {
        try SuperAdminTests.withOperator { browser, db in
            let search = try browser.request("GET", "/super_admins/agents?q=bruno").text
            #expect(search.contains("<tr><td>Bruno PETIT</td><td class=\"rdv-break\">bruno@example.fr</td><td>MDS Arras</td>"))
            #expect(!search.contains("Alice"))
            let none = try browser.request("GET", "/super_admins/agents?q=100%25").text
            #expect(none.contains("Aucun agent ne correspond."))
            let csrf = try #require(Browser.token(in: search))
            let signedIn = try browser.request("POST", "/super_admins/agents/2/impersonation", form: [("authenticity_token", csrf)])
            #expect(signedIn.status == 303)
            // The agent's home is its agenda.
            let home = try browser.request("GET", "/admin/organisations/1/agent_agendas/2")
            #expect(home.status == 200)
            #expect(home.text.contains("Bruno PETIT"))
            #expect(home.text.contains("Vous êtes connecté en tant que Bruno PETIT depuis l&#39;espace d&#39;exploitation"))
            let session = try #require(
                try db.writer.read {
                    try Row.fetchOne($0, sql: "SELECT agent_id, impersonated_by_super_admin_id FROM sessions WHERE agent_id IS NOT NULL")
                })
            #expect(session["agent_id"] as Int64 == 2)
            #expect(session["impersonated_by_super_admin_id"] as Int64? == 1)
            // The operator's own session ended with it.
            let back = try browser.request("GET", "/super_admins")
            #expect(back.status == 303)
        }
    }

    /// The export of a territory, imported again: refused with the importer's JSON-path
    /// errors (the département is taken), then accepted once renamed; nothing half-written.
    @Test func aTerritoryIsExportedThenImportedAllOrNothing() throws {
        try SuperAdminTests.withOperator { browser, db in
            let export = try browser.request("GET", "/super_admins/territories/1/export")
            #expect(export.status == 200)
            #expect(export.headers.contains { $0.0 == "Content-Disposition" && $0.1 == "attachment; filename=\"territoire-62.json\"" })
            let document = export.text
            #expect(document.contains("\"format\" : \"rdv-import/1\""))
            let csrf = try csrfToken(browser, "/super_admins/import")
            func upload(_ json: String) throws -> WireResponse {
                let boundary = "rdvboundary42"
                var body = "--\(boundary)\r\nContent-Disposition: form-data; name=\"authenticity_token\"\r\n\r\n\(csrf)\r\n"
                body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"t.json\"\r\nContent-Type: application/json\r\n\r\n"
                body += json + "\r\n--\(boundary)--\r\n"
                return try browser.request(
                    "POST", "/super_admins/import", body: Array(body.utf8), contentType: "multipart/form-data; boundary=\(boundary)")
            }
            let before = try db.territoryCount()
            let broken = try upload(#"{"format": "rdv-import/1", "territories": [{"ref": "t", "name": ""}]}"#)
            #expect(broken.status == 422)
            #expect(broken.text.contains("Rien n'a été importé"))
            #expect(broken.text.contains("<li><code>territories[0].services: is required</code></li>"))
            let again = try upload(document)
            #expect(again.status == 422, "\(again.text.prefix(3000))")
            let notJSON = try upload("pas du JSON")
            #expect(notJSON.status == 422)
            let unchanged = try db.territoryCount()
            #expect(unchanged == before)
            let small = #"""
                {"format": "rdv-import/1",
                 "services": [{"ref": "s", "name": "Accueil France Services", "short_name": "FS"}],
                 "territories": [{"ref": "t80", "name": "Somme", "departement_number": "80", "services": ["s"]}],
                 "organisations": [{"ref": "o", "territory": "t80", "name": "France Services Abbeville"}]}
                """#
            let imported = try upload(small)
            #expect(imported.status == 303)
            let after = try db.territoryCount()
            #expect(after == before + 1)
            let home = try browser.request("GET", "/super_admins").text
            #expect(home.contains("Le fichier a été importé."))
        }
    }

    @Test func agentsHaveNoOperatorTools() throws {
        try withAppointmentBrowser { browser, _ in
            for path in ["/super_admins/jobs", "/super_admins/agents", "/super_admins/import", "/super_admins/territories/1/export"] {
                let response = try browser.request("GET", path)
                #expect(response.status == 303, "\(path)")
            }
        }
    }
}

extension SuperAdminToolsTests {
    /// booking.md §11: each nightly job shows with its next run, in Paris time.
    @Test func theDashboardListsTheScheduledJobs() throws {
        try SuperAdminTests.withOperator { browser, db in
            let empty = try browser.request("GET", "/super_admins/jobs").text
            #expect(empty.contains("Aucune tâche planifiée : le planificateur n'a pas encore démarré."))
            try db.ensureDailyJobs(now: testNow)  // Tuesday 25 November 2025, 10:00 in Paris
            let page = try browser.request("GET", "/super_admins/jobs").text
            #expect(page.contains("<tr><th scope=\"row\">Purge du journal des appels API (23 h 30)</th><td>"))
            #expect(page.contains("<tr><th scope=\"row\">Mise à jour des plages et indisponibilités expirées (3 h 30)</th><td>"))
            #expect(page.contains("<td>pas encore</td>"))
        }
    }
}
