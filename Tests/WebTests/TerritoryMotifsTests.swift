import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Motifs » (admin.md §3, permissions.md §2 "bulk edit across the
/// territory: TA") on `appointmentFixture`: motifs 1 « Consultation prénatale » (PMI) and 2
/// « Accompagnement social », both of MDS Arras, bookable by agents only.
@Suite("Territory motifs", .serialized)
struct TerritoryMotifsTests {
    static let list = "/admin/territories/1/motifs"

    @Test func onlyTheTerritorialAdminSeesEveryMotif() throws {
        try withAppointmentBrowser { browser, db in
            // Admin of MDS Arras, not of the territory.
            #expect(try browser.request("GET", Self.list).status == 403)
            try TerritoryAgentsTests.makeAliceTerritorialAdmin(db)
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains("<caption>Motifs du territoire (2)</caption>"))
            #expect(index.contains(#"<input type="checkbox" id="motif-1" name="motif_ids" value="1">"#))
            #expect(index.contains(#"<td data-label="Organisation">MDS Arras</td><td data-label="Service">PMI (Protection Maternelle Infantile)</td>"#))
            #expect(index.contains("Espace admin : motifs"))
            try GoldenPageTests.expectGolden("territory-motifs-index", index)
            let filtered = try browser.request("GET", Self.list + "?organisation_id=2").text
            #expect(filtered.contains("Aucun motif ne correspond à ces filtres."))
            #expect(try browser.request("GET", "/admin/territories/2/motifs").status == 404)
        }
    }

    @Test func aFieldIsAppliedToTheSelectedMotifsWithTheirHistory() throws {
        try withAppointmentBrowser { browser, db in
            try TerritoryAgentsTests.makeAliceTerritorialAdmin(db)
            // Nothing chosen: said on the list, which keeps the field.
            let empty = try browser.request("GET", Self.list + "/bulk_edit?field=bookable_by")
            #expect(empty.status == 422)
            #expect(empty.text.contains("Sélectionnez au moins un motif."))
            #expect(empty.text.contains(#"<option value="bookable_by" selected>Qui peut réserver</option>"#))
            let noField = try browser.request("GET", Self.list + "/bulk_edit?motif_ids=1")
            #expect(noField.status == 422)
            #expect(noField.text.contains(#"<p id="field-error" class="fr-error-text">Choisissez le champ à modifier.</p>"#))
            #expect(noField.text.contains(#"<input type="checkbox" id="motif-1" name="motif_ids" value="1" checked>"#))
            // A motif of no organisation of the territory is ignored.
            let form = try browser.request("GET", Self.list + "/bulk_edit?motif_ids=1&motif_ids=2&motif_ids=99&field=bookable_by")
            #expect(form.status == 200)
            #expect(form.text.contains("<h1 class=\"fr-h3\">Modifier 2 motifs</h1>"))
            #expect(form.text.contains(#"<label class="fr-label" for="value-3">Ouvert aux agents et aux usagers</label>"#))
            try GoldenPageTests.expectGolden("territory-motifs-bulk-edit", form.text)
            let csrf = try #require(Browser.token(in: form.text))
            let saved = try browser.request(
                "POST", Self.list,
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("field", "bookable_by"), ("motif_ids", "1"),
                    ("motif_ids", "2"), ("value", "everyone"),
                ])
            #expect(saved.status == 303)
            let bookable = try db.writer.read { try String.fetchAll($0, sql: "SELECT bookable_by FROM motifs ORDER BY id") }
            #expect(bookable == ["everyone", "everyone"])
            let history = try db.versions(itemType: "Motif", itemID: 2)
            #expect(history.first?.author == "Alice MARTIN")
            #expect(history.first?.changes == [.init(field: "bookable_by", before: "agents", after: "everyone")])
            let after = try browser.request("GET", Self.list).text
            #expect(after.contains("Les motifs sélectionnés ont été modifiés."))
        }
    }

    /// All or nothing: a value one motif cannot take is refused naming it, and no motif changes.
    @Test func aRefusedValueChangesNoMotif() throws {
        try withAppointmentBrowser { browser, db in
            try TerritoryAgentsTests.makeAliceTerritorialAdmin(db)
            let csrf = try csrfToken(browser, Self.list)
            let refused = try browser.request(
                "POST", Self.list,
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("field", "delays"), ("motif_ids", "1"), ("motif_ids", "2"),
                    ("min_public_booking_delay", "1209600"), ("max_public_booking_delay", "604800"),
                ])
            #expect(refused.status == 422)
            #expect(
                refused.text.contains(
                    "« Consultation prénatale » (MDS Arras) : Délai maximum de réservation doit être supérieur au délai minimum de réservation."
                ))
            #expect(refused.text.contains(#"<option value="1209600" selected>2 semaines</option>"#))
            let delays = try db.writer.read { try Int.fetchAll($0, sql: "SELECT max_public_booking_delay FROM motifs ORDER BY id") }
            #expect(delays == [Motif.defaultMaxPublicBookingDelay, Motif.defaultMaxPublicBookingDelay])
            let versions = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM versions WHERE item_type = 'Motif'") }
            #expect(versions == 0)
            // A value outside the choices is said by its field.
            let unknown = try browser.request(
                "POST", Self.list,
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("field", "visibility_type"), ("motif_ids", "1"),
                    ("value", "secret"),
                ])
            #expect(unknown.status == 422)
            #expect(unknown.text.contains(#"<p id="value-error" class="fr-error-text fr-fieldset__element">Choisissez une valeur.</p>"#))
        }
    }
}
