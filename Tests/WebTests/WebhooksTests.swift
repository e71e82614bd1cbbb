import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Webhooks » (admin.md §3, notifications.md §13) on `appointmentFixture`:
/// MDS Arras (organisation 1) has the 16 appointments; Alice is made territorial admin.
@Suite("Webhooks screens", .serialized)
struct WebhooksTests {
    static let base = "/admin/territories/1/webhooks"

    static func makeTerritorialAdmin(_ db: AppDatabase) throws {
        try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
    }

    static func secret(in html: String) -> String? {
        guard let range = html.range(of: #"id="webhook-secret" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }

    static func outboxCount(_ db: AppDatabase) throws -> Int {
        try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_messages WHERE kind = 'webhook'") ?? 0 }
    }

    @Test func anEndpointIsCreatedWithItsSecretShownOnceThenReplayedRegeneratedAndDeleted() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeTerritorialAdmin(db)
            let index = try browser.request("GET", Self.base).text
            #expect(index.contains("Aucun webhook dans ce territoire."))
            let csrf = try #require(Browser.token(in: index))

            let refused = try browser.request(
                "POST", Self.base,
                form: [("authenticity_token", csrf), ("organisation_id", "1"), ("target_url", "ftp://partenaire.example")])
            #expect(refused.status == 422)
            #expect(refused.text.contains(#"<p id="target_url-error" class="fr-error-text">Adresse de réception doit être une adresse commençant par https:// ou http://.</p>"#))
            #expect(refused.text.contains("Choisissez au moins un type d&#39;enregistrement."))
            #expect(refused.text.contains(#"value="ftp://partenaire.example""#))
            let nothing = try Self.outboxCount(db)
            #expect(nothing == 0)

            let created = try browser.request(
                "POST", Self.base,
                form: [
                    ("authenticity_token", csrf), ("organisation_id", "1"), ("target_url", "https://partenaire.example/rdv"),
                    ("subscriptions[]", "rdv"), ("subscriptions[]", "lieu"), ("replay", "1"),
                ])
            #expect(created.status == 200)
            #expect(created.text.contains("Copiez ce secret maintenant"))
            let secret = try #require(Self.secret(in: created.text))
            #expect(secret.count == 64 && secret.allSatisfy(\.isHexDigit))
            let stored = try db.writer.read { try String.fetchOne($0, sql: "SELECT secret FROM webhook_endpoints") }
            #expect(stored == secret)
            // The replay of creation: one `created` event per appointment (16) and place (2) of MDS Arras.
            let replayedOnCreation = try Self.outboxCount(db)
            #expect(replayedOnCreation == 18)

            let listed = try browser.request("GET", Self.base).text
            #expect(listed.contains("<td class=\"rdv-break\">https://partenaire.example/rdv</td><td>RDV, Lieux</td><td>0 envoyé, 18 en attente, 0 en échec</td>"))
            #expect(!listed.contains(secret))
            let show = try browser.request("GET", Self.base + "/1").text
            #expect(show.contains("<h1 class=\"fr-h3\">Webhook de MDS Arras</h1>"))
            #expect(!show.contains(secret))
            try GoldenPageTests.expectGolden("webhook-show", show)

            let replayed = try browser.request("POST", Self.base + "/1/replay", form: [("authenticity_token", csrf)])
            #expect(replayed.status == 200)
            #expect(replayed.text.contains("18 événements « created » planifiés (RDV : 16, Lieux : 2)."))
            let afterReplay = try Self.outboxCount(db)
            #expect(afterReplay == 36)

            let regenerated = try browser.request("POST", Self.base + "/1/secret", form: [("authenticity_token", csrf)])
            let newSecret = try #require(Self.secret(in: regenerated.text))
            #expect(newSecret != secret)
            let storedAgain = try db.writer.read { try String.fetchOne($0, sql: "SELECT secret FROM webhook_endpoints") }
            #expect(storedAgain == newSecret)

            let updated = try browser.request(
                "POST", Self.base + "/1",
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("target_url", "https://partenaire.example/v2"),
                    ("subscriptions[]", "motif"),
                ])
            #expect(updated.status == 303)
            let endpoint = try #require(try db.webhookEndpoint(id: 1, territoryID: 1))
            #expect(endpoint.targetURL == "https://partenaire.example/v2")
            #expect(endpoint.subscriptions == ["motif"])

            let deleted = try browser.request("POST", Self.base + "/1", form: [("_method", "DELETE"), ("authenticity_token", csrf)])
            #expect(deleted.status == 303)
            let remaining = try db.webhookEndpoints(territoryID: 1)
            #expect(remaining.isEmpty)
            // The undelivered events went with it (ON DELETE CASCADE).
            let undelivered = try Self.outboxCount(db)
            #expect(undelivered == 0)
        }
    }

    @Test func anOrganisationHasOneEndpointPerAddress() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeTerritorialAdmin(db)
            let csrf = try csrfToken(browser, Self.base)
            let form: [(String, String)] = [
                ("authenticity_token", csrf), ("organisation_id", "1"), ("target_url", "https://partenaire.example/rdv"),
                ("subscriptions[]", "rdv"),
            ]
            let first = try browser.request("POST", Self.base, form: form)
            #expect(first.status == 200)
            let twice = try browser.request("POST", Self.base, form: form)
            #expect(twice.status == 422)
            #expect(twice.text.contains("Adresse de réception est déjà celle d&#39;un webhook de cette organisation."))
            // Without « Envoyer aussi les enregistrements existants », nothing is replayed.
            let planned = try Self.outboxCount(db)
            #expect(planned == 0)
        }
    }

    /// TerritoryPolicy.configure: territorial admins only.
    @Test(arguments: ["alice@example.fr", "bruno@example.fr"])
    func othersAreRefused(email: String) throws {
        try withAppointmentBrowser(as: email) { browser, _ in
            let response = try browser.request("GET", Self.base)
            #expect(response.status == 403)
        }
    }
}
