import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// « Configuration » → « Lieux » (admin.md §2, permissions.md §2 "Place") on `appointmentFixture`:
/// Alice is admin of MDS Arras, Bruno a basic agent there.
@Suite("Places", .serialized)
struct PlacesTests {
    static let list = "/admin/organisations/1/lieux"

    static func withSite(as email: String = "alice@example.fr", _ body: (Browser, AppDatabase) throws -> Void) throws {
        try withAppointmentBrowser(as: email) { browser, db in
            var sample = SeedDocument.addressSample.makeIterator()
            _ = try db.importAddresses { sample.next() }
            try body(browser, db)
        }
    }

    @Test func anAdminFindsTheAddressThenSavesThePlace() throws {
        try Self.withSite { browser, db in
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains(#"<a class="fr-nav__link" href="/admin/organisations/1/lieux" aria-current="page">Lieux</a>"#))
            #expect(index.contains("<td>MDS Centre</td><td>10 rue de la Paix, 62000 Arras</td>"))
            try GoldenPageTests.expectGolden("lieux-index", index)
            let form = try browser.request("GET", Self.list + "/new").text
            try GoldenPageTests.expectGolden("lieux-new", form)
            let csrf = try #require(Browser.token(in: form))
            let fields: [(String, String)] = [
                ("authenticity_token", csrf), ("name", "Antenne Victor Hugo"), ("address", "12 victor hugo arras"),
                ("phone_number", "03 21 55 66 77"),
            ]
            // « Rechercher l'adresse »: the answers to choose from, every value kept, nothing saved.
            let searched = try browser.request("POST", Self.list, form: fields + [("commit", "search")])
            #expect(searched.status == 200)
            #expect(
                searched.text.contains(
                    #"<input type="radio" id="address_choice-0" name="address_choice" value="12 Rue Victor Hugo 62000 Arras" checked>"#))
            #expect(searched.text.contains(#"value="Antenne Victor Hugo""#))
            #expect(try db.places(organisationID: 1).count == 2)
            // Saving without choosing says so by the address.
            let unchosen = try browser.request("POST", Self.list, form: fields + [("commit", "save")])
            #expect(unchosen.status == 422)
            #expect(unchosen.text.contains("Recherchez l&#39;adresse puis choisissez-la parmi les propositions."))
            let saved = try browser.request(
                "POST", Self.list,
                form: fields + [("address_choice", "12 Rue Victor Hugo 62000 Arras"), ("commit", "save")])
            #expect(saved.status == 303)
            let place = try #require(try db.places(organisationID: 1).first { $0.name == "Antenne Victor Hugo" })
            #expect(place.address == "12 Rue Victor Hugo 62000 Arras")
            let match = try #require(try db.searchAddresses("12 rue victor hugo 62000 arras").first)
            #expect(match.label == place.address)
            #expect(place.latitude == match.latitude && place.longitude == match.longitude)
            #expect(place.phoneNumber == "03 21 55 66 77")
            #expect(try browser.request("GET", Self.list).text.contains("Le lieu a été créé."))
            let placeID = try #require(place.id)
            let created = try #require(try db.versions(itemType: "Place", itemID: placeID).first)
            #expect(created.event == .create && created.author == "Alice MARTIN")
            #expect(created.changes.map(\.field) == ["address", "latitude", "longitude", "name", "phone_number"])
            // The address service now knows it.
            #expect(try db.searchAddresses("antenne").isEmpty)
            #expect(try db.searchAddresses("12 victor hugo").contains { $0.label == "12 Rue Victor Hugo 62000 Arras" })
        }
    }

    @Test func errorsSitByTheirFieldsAndAnEditKeepsItsAddress() throws {
        try Self.withSite { browser, db in
            let edit = try browser.request("GET", Self.list + "/1/edit").text
            let csrf = try #require(Browser.token(in: edit))
            let bad = try browser.request(
                "POST", Self.list + "/1",
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("name", ""),
                    ("address", "10 rue de la Paix, 62000 Arras"), ("phone_number", "12"), ("commit", "save"),
                ])
            #expect(bad.status == 422)
            #expect(bad.text.contains("Nom doit être rempli(e)."))
            #expect(bad.text.contains("Téléphone n&#39;est pas un numéro valide, par exemple 03 21 00 00 00."))
            #expect(bad.text.contains(#"<title>Erreur : "#))
            // The address unchanged keeps its position; the name changes.
            let renamed = try browser.request(
                "POST", Self.list + "/1",
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("name", "MDS Arras Centre"),
                    ("address", "10 rue de la Paix, 62000 Arras"), ("phone_number", ""), ("commit", "save"),
                ])
            #expect(renamed.status == 303)
            let place = try #require(try db.place(id: 1, organisationID: 1))
            #expect(place.name == "MDS Arras Centre" && place.latitude == 50.29 && place.longitude == 2.78)
            // « Historique » (domain.md §0): who changed what, the unchanged fields left out.
            let history = try browser.request("GET", Self.list + "/1/edit").text
            #expect(
                history.contains(
                    #"<td data-label="Par">Alice MARTIN</td><td data-label="Action">Modification</td><td data-label="Changements">Nom : « MDS Centre » → « MDS Arras Centre »<br></td></tr>"#))
            // « Désactiver ce lieu »: still listed, marked, no longer editable.
            let disabled = try browser.request(
                "POST", Self.list + "/1", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(disabled.status == 303)
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains(#"MDS Arras Centre <span class="fr-badge fr-badge--sm fr-badge--no-icon">Désactivé</span>"#))
            #expect(!index.contains("/lieux/1/edit"))
            #expect(try browser.request("GET", Self.list + "/1/edit").status == 404)
            let versions = try db.versions(itemType: "Place", itemID: 1)
            #expect(versions.map(\.event) == [.update, .update])
            #expect(versions.first?.changes == [.init(field: "availability", before: "enabled", after: "disabled")])
        }
    }

    @Test func aBasicAgentSeesTheListButChangesNothing() throws {
        try Self.withSite(as: "bruno@example.fr") { browser, db in
            let index = try browser.request("GET", Self.list)
            #expect(index.status == 200)
            #expect(!index.text.contains("Créer un lieu"))
            #expect(!index.text.contains(">Paramètres</summary>"))
            #expect(try browser.request("GET", Self.list + "/new").status == 403)
            let csrf = try #require(Browser.token(in: index.text))
            let refused = try browser.request(
                "POST", Self.list + "/1", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(refused.status == 403)
            #expect(try db.place(id: 1, organisationID: 1) != nil)
            // Another organisation's places: absent.
            #expect(try browser.request("GET", "/admin/organisations/2/lieux").status == 404)
            // No token: refused.
            #expect(try browser.request("POST", Self.list, form: [("name", "X")]).status == 403)
        }
    }
}
