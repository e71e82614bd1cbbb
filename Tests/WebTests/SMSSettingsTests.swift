import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « SMS » (admin.md §3, notifications.md §7) on `appointmentFixture`
/// (territory 62), Alice made territorial admin.
@Suite("SMS settings", .serialized)
struct SMSSettingsTests {
    static let path = "/admin/territories/1/sms"

    static func makeTerritorialAdmin(_ db: AppDatabase) throws {
        try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
    }

    @Test func credentialsAreCheckedThenSealedAndTheKeyIsNeverShownBack() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeTerritorialAdmin(db)
            let page = try browser.request("GET", Self.path).text
            #expect(page.contains(#"<input type="radio" id="provider-0" name="provider" value="" checked>"#))
            let csrf = try #require(Browser.token(in: page))
            func save(_ fields: [(String, String)]) throws -> WireResponse {
                try browser.request("POST", Self.path, form: [("_method", "PATCH"), ("authenticity_token", csrf)] + fields)
            }
            let refused = try save([
                ("provider", "http_json"), ("url", "ftp://sms.example"), ("api_key", "clé-secrète-42"),
                ("api_key_header", "api-key"), ("sender", "Rdv Somme!"),
            ])
            #expect(refused.status == 422)
            #expect(refused.text.contains("<title>Erreur : SMS — RDV Service Public</title>"))
            #expect(refused.text.contains(#"<p id="url-error" class="fr-error-text">Adresse de l&#39;API doit être une adresse commençant par https:// ou http://.</p>"#))
            #expect(refused.text.contains(#"<p id="sender-error" class="fr-error-text">Expéditeur doit comporter au plus 11 lettres ou chiffres, sans espace ni accent.</p>"#))
            #expect(refused.text.contains(#"value="ftp://sms.example""#))
            #expect(!refused.text.contains("clé-secrète-42"))
            let untouched = try db.smsSettings(territoryID: 1)
            #expect(untouched?.provider == nil)

            let saved = try save([
                ("provider", "http_json"), ("url", "https://sms.example/v3/sms"), ("api_key", "clé-secrète-42"),
                ("api_key_header", "api-key"), ("sender", "RdvArras"),
            ])
            #expect(saved.status == 303)
            let stored = try #require(try db.smsSettings(territoryID: 1))
            #expect(stored.provider == "http_json")
            #expect(stored.sealedConfiguration?.contains("clé") == false)
            #expect(stored.sealedConfiguration?.contains("sms.example") == false)
            let expected = SMSProviderConfiguration.httpJSON(
                .init(url: "https://sms.example/v3/sms", apiKey: "clé-secrète-42", sender: "RdvArras"))
            let opened = try db.smsConfiguration(territoryID: 1)
            #expect(opened == expected)
            let shown = try browser.request("GET", Self.path).text
            #expect(shown.contains("Les réglages SMS ont été enregistrés."))
            #expect(shown.contains(#"value="https://sms.example/v3/sms""#))
            #expect(shown.contains("Une clé est enregistrée : laissez vide pour la garder."))
            #expect(!shown.contains("clé-secrète-42"))
            try GoldenPageTests.expectGolden("territory-sms", shown)

            // A blank key keeps the stored one; another provider drops the credentials.
            let blankKey = try save([
                ("provider", "http_json"), ("url", "https://sms.example/v4/sms"), ("api_key", ""),
                ("api_key_header", "x-api-key"), ("sender", "RdvArras"),
            ])
            #expect(blankKey.status == 303)
            let kept = SMSProviderConfiguration.httpJSON(
                .init(url: "https://sms.example/v4/sms", apiKey: "clé-secrète-42", apiKeyHeader: "x-api-key", sender: "RdvArras"))
            let reopened = try db.smsConfiguration(territoryID: 1)
            #expect(reopened == kept)
            let dev = try save([("provider", "dev")])
            #expect(dev.status == 303)
            let devSettings = try db.smsSettings(territoryID: 1)
            #expect(devSettings == TerritorySMSSettings(provider: "dev", sealedConfiguration: nil))
        }
    }

    /// The test SMS goes through the outbox; its receipt (territory set, no appointment) is
    /// shown with its result.
    @Test func aTestSMSIsQueuedThenShownWithItsReceipt() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeTerritorialAdmin(db)
            let csrf = try csrfToken(browser, Self.path)
            let landline = try browser.request(
                "POST", Self.path + "/test", form: [("authenticity_token", csrf), ("phone", "03 21 00 00 00")])
            #expect(landline.status == 422)
            #expect(landline.text.contains(#"<p id="test_phone-error" class="fr-error-text">Numéro de mobile doit être un numéro de mobile, par exemple 06 12 34 56 78.</p>"#))
            #expect(landline.text.contains(#"value="03 21 00 00 00""#))
            let queued = try browser.request(
                "POST", Self.path + "/test", form: [("authenticity_token", csrf), ("phone", "06 12 34 56 78")])
            #expect(queued.status == 303)
            let pending = try browser.request("GET", Self.path).text
            #expect(pending.contains("<td>+33612345678</td><td></td><td>En cours d&#39;envoi</td>"))

            let claimed = try db.claimDueMessages(now: testNow, kinds: ["sms"])
            let message = try #require(claimed.first)
            #expect(claimed.count == 1)
            let rendered = try JSONDecoder().decode(RenderedMessage.self, from: Data(message.payload.utf8))
            #expect(rendered.territoryID == 1)
            #expect(rendered.event == "sms_test")
            #expect(rendered.recipient == "+33612345678")
            #expect(rendered.body.hasPrefix("Ceci est un SMS de test de RDV Service Public pour le territoire Pas-de-Calais."))
            let receipt = DeliveryReceipt(
                event: "sms_test", channel: "sms", result: "delivered", smsProvider: "dev", content: "…",
                phoneNumber: "+33612345678")
            let marked = try db.markSent(message, now: testNow, receipt: receipt)
            #expect(marked)
            let row = try #require(
                try db.writer.read { try Row.fetchOne($0, sql: "SELECT territory_id, organisation_id, appointment_id FROM receipts") })
            #expect(row["territory_id"] as Int64? == 1)
            #expect(row["organisation_id"] as Int64? == nil)
            #expect(row["appointment_id"] as Int64? == nil)
            let done = try browser.request("GET", Self.path).text
            #expect(done.contains("<td>+33612345678</td><td>dev</td><td>Délivré</td>"))
            #expect(!done.contains("En cours d&#39;envoi"))
        }
    }

    /// Receipts of appointment messages carry the appointment's organisation and territory, so
    /// the statistics count them (admin.md §7).
    @Test func appointmentReceiptsCarryTheirOrganisationAndTerritory() throws {
        try withAppointmentBrowser { _, db in
            try db.writer.write {
                try AppDatabase.insertRenderedMessage(
                    $0, RenderedMessage(event: "rdv_created", channel: "sms", recipient: "+33612345678", body: "…", appointmentID: 1),
                    key: "rdv_created:1:user:1:sms", dueAt: testNow)
            }
            let message = try #require(try db.claimDueMessages(now: testNow, kinds: ["sms"]).first)
            _ = try db.markSent(
                message, now: testNow,
                receipt: DeliveryReceipt(event: "rdv_created", channel: "sms", result: "sent", smsProvider: "dev", phoneNumber: "+33612345678"))
            let row = try #require(try db.writer.read { try Row.fetchOne($0, sql: "SELECT territory_id, organisation_id FROM receipts") })
            #expect(row["territory_id"] as Int64? == 1)
            #expect(row["organisation_id"] as Int64? == 1)
        }
    }

    /// TerritoryPolicy.configure: territorial admins only.
    @Test(arguments: ["alice@example.fr", "bruno@example.fr"])
    func othersAreRefused(email: String) throws {
        try withAppointmentBrowser(as: email) { browser, _ in
            let response = try browser.request("GET", Self.path)
            #expect(response.status == 403)
        }
    }
}
