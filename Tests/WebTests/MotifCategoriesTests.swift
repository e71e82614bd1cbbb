import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// Motif categories (admin.md §3, §11; domain.md §6): the operator's national catalogue and
/// each territory's choice, on `appointmentFixture`.
@Suite("Motif categories", .serialized)
struct MotifCategoriesTests {
    @Test func theOperatorAddsACategoryToTheCatalogue() throws {
        try SuperAdminTests.withOperator { browser, db in
            let page = try browser.request("GET", "/super_admins/motif_categories").text
            #expect(page.contains("Aucune catégorie dans le catalogue."))
            let csrf = try #require(Browser.token(in: page))
            let form: [(String, String)] = [
                ("authenticity_token", csrf), ("name", "Carte d'identité, passeport"), ("short_name", "cni-passeport"),
                ("requires_ants_number", "1"),
            ]
            let added = try browser.request("POST", "/super_admins/motif_categories", form: form)
            #expect(added.status == 303)
            let again = try browser.request("POST", "/super_admins/motif_categories", form: form)
            #expect(again.status == 422)
            #expect(again.text.contains(#"<p id="short_name-error" class="fr-error-text">Nom court est déjà utilisé.</p>"#))
            let listed = try browser.request("GET", "/super_admins/motif_categories").text
            #expect(listed.contains("<tr><td>Carte d&#39;identité, passeport</td><td>cni-passeport</td><td>Exigé</td></tr>"))
            let catalogue = try db.motifCategoryCatalogue()
            #expect(catalogue.map(\.shortName) == ["cni-passeport"])
        }
    }

    @Test func aTerritoryEnablesCategoriesAndKeepsThoseItsMotifsUse() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { db in
                try db.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)")
                try db.execute(sql: "INSERT INTO motif_categories (name, short_name) VALUES ('Carte d''identité', 'cni'), ('Permis', 'permis')")
            }
            let path = "/admin/territories/1/motif_categories"
            let page = try browser.request("GET", path).text
            #expect(page.contains(#"<input type="checkbox" id="category_1" name="category_ids[]" value="category_1">"#))
            let csrf = try #require(Browser.token(in: page))
            let enabled = try browser.request(
                "POST", path,
                form: [("_method", "PATCH"), ("authenticity_token", csrf), ("category_ids[]", "category_1"), ("category_ids[]", "category_2")])
            #expect(enabled.status == 303)
            let both = try db.territoryMotifCategories(territoryID: 1)
            #expect(both.map(\.isEnabled) == [true, true])
            try db.writer.write { try $0.execute(sql: "UPDATE motifs SET motif_category_id = 1 WHERE id = 1") }
            let refused = try browser.request(
                "POST", path, form: [("_method", "PATCH"), ("authenticity_token", csrf), ("category_ids[]", "category_2")])
            #expect(refused.status == 422)
            #expect(refused.text.contains("« Carte d&#39;identité » reste activée : 1 motif l&#39;utilise."))
            let kept = try db.territoryMotifCategories(territoryID: 1)
            #expect(kept.map(\.isEnabled) == [true, true])
            let dropped = try browser.request(
                "POST", path, form: [("_method", "PATCH"), ("authenticity_token", csrf), ("category_ids[]", "category_1")])
            #expect(dropped.status == 303)
            let after = try db.territoryMotifCategories(territoryID: 1)
            #expect(after.map(\.isEnabled) == [true, false])
        }
    }

    @Test func organisationAdminsAreRefused() throws {
        try withAppointmentBrowser { browser, _ in
            let response = try browser.request("GET", "/admin/territories/1/motif_categories")
            #expect(response.status == 403)
        }
    }
}
