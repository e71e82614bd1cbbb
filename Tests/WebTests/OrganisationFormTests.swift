import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// « Configuration » → « Organisation » (admin.md §2) on `appointmentFixture`: MDS Arras and
/// MDS Lens share the territory.
@Suite("Organisation form", .serialized)
struct OrganisationFormTests {
    static let edit = "/admin/organisations/1/edit"

    @Test func errorsSitByTheirFieldsThenTheChangesAreSaved() throws {
        try withAppointmentBrowser { browser, db in
            let form = try browser.request("GET", Self.edit).text
            #expect(form.contains(#"value="0321000000""#))
            try GoldenPageTests.expectGolden("organisation-edit", form)
            let csrf = try #require(Browser.token(in: form))
            func send(_ fields: [(String, String)]) throws -> WireResponse {
                try browser.request(
                    "POST", "/admin/organisations/1", form: [("authenticity_token", csrf), ("_method", "PATCH")] + fields)
            }
            let bad = try send([
                ("name", "mds lens"), ("phone_number", "12"), ("email", "accueil@"), ("website", ""), ("horaires", "9h–12h"),
                ("external_id", ""),
            ])
            #expect(bad.status == 422)
            #expect(bad.text.contains("Nom est déjà utilisé."))
            #expect(bad.text.contains(#"<p id="phone_number-error" class="fr-error-text">"#))
            #expect(bad.text.contains(#"<p id="email-error" class="fr-error-text">"#))
            #expect(bad.text.contains(#"value="9h–12h""#))
            #expect(try db.organisation(id: 1)?.name == "MDS Arras")
            let saved = try send([
                ("name", "MDS Arras Centre"), ("phone_number", "03 21 00 00 00"), ("email", " Accueil@MDS-Arras.fr "),
                ("website", "https://www.pasdecalais.fr"), ("horaires", "Du lundi au vendredi"), ("external_id", "MDS-01"),
            ])
            #expect(saved.status == 303)
            let organisation = try #require(try db.organisation(id: 1))
            #expect(organisation.name == "MDS Arras Centre" && organisation.email == "accueil@mds-arras.fr")
            #expect(organisation.externalID == "MDS-01" && organisation.horaires == "Du lundi au vendredi")
            let after = try browser.request("GET", Self.edit).text
            #expect(after.contains("Les informations de l&#39;organisation ont été enregistrées."))
            #expect(
                after.contains(
                    "<td data-label=\"Par\">Alice MARTIN</td><td data-label=\"Action\">Modification</td><td data-label=\"Changements\">Nom : « MDS Arras » → « MDS Arras Centre »<br>Téléphone : « 0321000000 » → « 03 21 00 00 00 »<br>E-mail : (vide) → « accueil@mds-arras.fr »<br>"
                ))
            // A failed save wrote no version.
            #expect(try db.versions(itemType: "Organisation", itemID: 1).count == 1)
            // The header names it anew; blank optional fields become empty again.
            #expect(after.contains("MDS Arras Centre"))
            #expect(try send([("name", "MDS Arras Centre"), ("website", ""), ("external_id", "")]).status == 303)
            #expect(try db.organisation(id: 1)?.website == nil)
        }
    }

    @Test func onlyItsAdminsChangeIt() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            let refused = try browser.request("GET", Self.edit)
            #expect(refused.status == 403)
            let csrf = try #require(Browser.token(in: refused.text))
            let patch = try browser.request(
                "POST", "/admin/organisations/1", form: [("authenticity_token", csrf), ("_method", "PATCH"), ("name", "X")])
            #expect(patch.status == 403)
            #expect(try db.organisation(id: 1)?.name == "MDS Arras")
            let other = try browser.request("GET", "/admin/organisations/2/edit")
            #expect(other.status == 404)
        }
    }
}
