import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Territoire » (admin.md §3) on `appointmentFixture` (Pas-de-Calais, today
/// 25 November 2025), Alice made territorial admin.
@Suite("Territory form", .serialized)
struct TerritoryFormTests {
    static let page = "/admin/territories/1"

    @Test func aTerritorialAdminSeesTheHolidaysAndChangesTheSettings() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            let html = try browser.request("GET", Self.page).text
            #expect(html.contains(#"<a class="fr-nav__link" href="/admin/territories/1" aria-current="page">Espace admin : territoire</a>"#))
            #expect(html.contains("<dt>Département</dt><dd>62</dd>"))
            #expect(html.contains(#"<li><time datetime="2025-05-29">Jeudi 29 mai 2025</time> : Ascension</li>"#))
            #expect(html.contains(#"<li><time datetime="2026-04-06">Lundi 6 avril 2026</time> : Lundi de Pâques</li>"#))
            #expect(!html.contains("Lundi de Pentecôte</li>"))
            try GoldenPageTests.expectGolden("territory-edit", html)
            let csrf = try #require(Browser.token(in: html))
            let bad = try browser.request(
                "POST", Self.page,
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("name", " "), ("phone_number", "12"),
                       ("whit_monday_is_holiday", "1")])
            #expect(bad.status == 422)
            #expect(bad.text.contains("Nom doit être rempli(e)."))
            #expect(bad.text.contains(#"id="whit_monday_is_holiday" name="whit_monday_is_holiday" value="1" checked"#))
            let saved = try browser.request(
                "POST", Self.page,
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("name", "Pas-de-Calais"),
                       ("phone_number", "03 21 21 62 62"), ("whit_monday_is_holiday", "1"),
                       ("enable_waiting_room_color_field", "1"), ("enable_context_field", "1")])
            #expect(saved.status == 303)
            let after = try browser.request("GET", Self.page).text
            #expect(after.contains("Les réglages du territoire ont été enregistrés."))
            #expect(after.contains(#"<li><time datetime="2026-05-25">Lundi 25 mai 2026</time> : Lundi de Pentecôte</li>"#))
            let settings = try #require(try db.territorySettings(id: 1))
            #expect(settings.whitMondayIsHoliday && !settings.openOnSundaysAndHolidays)
            #expect(settings.phoneNumber == "03 21 21 62 62")
            #expect(settings.toggles.filter(\.value).keys.sorted() == ["enable_context_field", "enable_waiting_room_color_field"])
            #expect(after.contains(#"<input type="checkbox" id="enable_waiting_room_color_field" name="enable_waiting_room_color_field" value="1" checked>"#))
            // The agenda now recolours an arrived user's appointment (booking.md §1.5).
            let agenda = try db.agendaTerritory(organisationID: 1)
            #expect(agenda?.recoloursArrivals == true)
        }
    }

    @Test func anOrganisationAdminAloneIsRefused() throws {
        try withAppointmentBrowser { browser, _ in
            let refused = try browser.request("GET", Self.page)
            #expect(refused.status == 403)
            #expect(!refused.text.contains("Espace admin"))
            let elsewhere = try browser.request("GET", "/admin/territories/99")
            #expect(elsewhere.status == 404)
        }
    }

    @Test func servicesActivateAndRefuseToLeaveWhileTheyHaveMotifs() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write {
                try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)")
                try $0.execute(sql: "INSERT INTO services (id, name, short_name) VALUES (9, 'Secrétariat', 'Secrétariat')")
            }
            let page = "/admin/territories/1/services"
            let html = try browser.request("GET", page).text
            #expect(html.contains(#"<input type="checkbox" id="service_1" name="service_ids[]" value="service_1" checked>"#))
            #expect(html.contains(#"<label class="fr-label" for="service_1">PMI (Protection Maternelle Infantile) (3 agents)</label>"#))
            #expect(html.contains(#"<input type="checkbox" id="service_9" name="service_ids[]" value="service_9">"#))
            try GoldenPageTests.expectGolden("territory-services", html)
            let csrf = try #require(Browser.token(in: html))
            // Social has Carla's motif « Accompagnement social »: it stays, and nothing changes.
            let refused = try browser.request(
                "POST", page,
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("service_ids[]", "service_1"), ("service_ids[]", "service_9")])
            #expect(refused.status == 422)
            #expect(refused.text.contains("« Service social » a encore 1 motif dans le territoire : supprimez-les avant de le désactiver."))
            #expect(refused.text.contains(#"<input type="checkbox" id="service_9" name="service_ids[]" value="service_9" checked>"#))
            let active = { try db.territoryServices(territoryID: 1).filter(\.isActive).map(\.id) }
            #expect(try active() == [1, 2])
            let saved = try browser.request(
                "POST", page,
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("service_ids[]", "service_1"),
                    ("service_ids[]", "service_2"), ("service_ids[]", "service_9"), ("service_ids[]", "service_999"),
                ])
            #expect(saved.status == 303)
            #expect(try active() == [1, 9, 2])  // by name: PMI, Secrétariat, Service social
            let none = try browser.request("POST", page, form: [("authenticity_token", csrf), ("_method", "PATCH")])
            #expect(none.status == 422)
        }
    }

    @Test func aTerritorialAdminCreatesAnOrganisationAndBecomesItsAdmin() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            let page = "/admin/territories/1/organisations"
            let html = try browser.request("GET", page).text
            #expect(html.contains("<tr><td>MDS Arras</td><td>0321000000</td><td>3</td></tr>"))
            #expect(html.contains("<tr><td>MDS Lens</td><td>—</td><td>1</td></tr>"))
            try GoldenPageTests.expectGolden("territory-organisations", html)
            let csrf = try #require(Browser.token(in: html))
            let taken = try browser.request(
                "POST", page,
                form: [("authenticity_token", csrf), ("name", "MDS Lens"), ("phone_number", "03 21 00 00 09"),
                       ("verticale", "rdv_mairie")])
            #expect(taken.status == 422)
            #expect(taken.text.contains("Nom est déjà utilisé."))
            #expect(taken.text.contains(#"value="03 21 00 00 09""#))
            #expect(taken.text.contains(#"<option value="rdv_mairie" selected>"#))
            let created = try browser.request(
                "POST", page,
                form: [("authenticity_token", csrf), ("name", "MDS Béthune"), ("email", "mds@bethune.fr")])
            #expect(created.status == 303)
            let id = try #require(try db.territoryOrganisations(territoryID: 1).first { $0.name == "MDS Béthune" }?.id)
            #expect(created.headers.first { $0.0.lowercased() == "location" }?.1 == "/admin/organisations/\(id)/edit")
            let landing = try browser.request("GET", "/admin/organisations/\(id)/edit")
            #expect(landing.status == 200)
            #expect(landing.text.contains("L&#39;organisation a été créée : vous en êtes l&#39;administrateur."))
            #expect(try db.versions(itemType: "Organisation", itemID: id).first?.event == .create)
        }
    }

    @Test func anOrganisationAdminCannotCreateOne() throws {
        try withAppointmentBrowser { browser, db in
            let refused = try browser.request("GET", "/admin/territories/1/organisations")
            #expect(refused.status == 403)
            let csrf = try #require(Browser.token(in: refused.text))
            let post = try browser.request(
                "POST", "/admin/territories/1/organisations", form: [("authenticity_token", csrf), ("name", "X")])
            #expect(post.status == 403)
            #expect(try db.territoryOrganisations(territoryID: 1).count == 2)
        }
    }
}
