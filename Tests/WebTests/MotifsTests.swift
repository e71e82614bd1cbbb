import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Configuration » → « Motifs » (admin.md §2, domain.md §6, permissions.md §2 "Motif") on
/// `appointmentFixture`: Alice is admin of MDS Arras (o1) where motif 1 has appointments and
/// motif 2 too; Bruno is a basic agent there.
@Suite("Motifs", .serialized)
struct MotifsTests {
    static let list = "/admin/organisations/1/motifs"

    /// A complete form, as the browser sends it for a new PMI motif.
    static func form(_ csrf: String, _ changes: [String: String] = [:], extra: [(String, String)] = []) -> [(String, String)] {
        var values: [String: String] = [
            "name": "Bilan de santé", "service_id": "1", "color": "#2ca02c", "default_duration_in_min": "30",
            "collectif": "0", "location_type": "public_office", "bookable_by": "everyone",
            "min_public_booking_delay": "3600", "max_public_booking_delay": "2629746", "sectorisation_level": "departement",
            "visibility_type": "visible_and_notified", "restriction_for_rdv": "Pour les enfants de moins de 6 ans",
            "instruction_for_rdv": "", "custom_cancel_warning_message": "", "rdvs_editable_by_user": "1",
            "rdvs_cancellable_by_user": "1",
        ]
        values.merge(changes) { $1 }
        return [("authenticity_token", csrf)] + values.sorted { $0.key < $1.key }.map { ($0.key, $0.value) } + extra
    }

    @Test func anAdminCreatesAMotifOpenToUsersAndFindsItInTheFilteredList() throws {
        try withAppointmentBrowser { browser, db in
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains(#"<a class="fr-nav__link" href="/admin/organisations/1/motifs" aria-current="page">Motifs</a>"#))
            #expect(index.contains("<caption>Motifs (2)</caption>"))
            try GoldenPageTests.expectGolden("motifs-index", index)
            let new = try browser.request("GET", Self.list + "/new").text
            try GoldenPageTests.expectGolden("motifs-new", new)
            #expect(new.contains(#"<h2 class="fr-h5">2. Réservation en ligne</h2>"#))
            #expect(new.contains(#"<label class="fr-label" for="bookable_by-3">Ouvert aux agents et aux usagers</label>"#))
            let csrf = try #require(Browser.token(in: new))
            let saved = try browser.request("POST", Self.list, form: Self.form(csrf))
            #expect(saved.status == 303)
            let row = try #require(try db.motifs(organisationID: 1, filter: .init()).first { $0.motif.name == "Bilan de santé" })
            let motif = row.motif
            #expect(motif.bookableBy == .everyone && motif.minPublicBookingDelay == 3600)
            #expect(motif.maxPublicBookingDelay == 2_629_746 && motif.color == "#2ca02c" && motif.defaultDurationInMin == 30)
            #expect(motif.restrictionForRdv == "Pour les enfants de moins de 6 ans" && motif.instructionForRdv == nil)
            #expect(motif.rdvsEditableByUser && motif.rdvsCancellableByUser && !motif.followUp && !motif.forSecretariat)
            #expect(row.serviceName == "PMI (Protection Maternelle Infantile)")
            let listed = try browser.request("GET", Self.list).text
            #expect(listed.contains("Le motif a été créé."))
            // « Réservable en ligne » keeps only it; « Supprimés » shows none yet.
            let online = try browser.request("GET", Self.list + "?online=1").text
            #expect(online.contains("<caption>Motifs (1)</caption>") && online.contains(" Bilan de santé</td>"))
            #expect(online.contains(#"<input type="checkbox" id="online" name="online" value="1" checked>"#))
            let social = try browser.request("GET", Self.list + "?service_id=2").text
            #expect(social.contains("<caption>Motifs (1)</caption>") && social.contains(" Accompagnement social</td>"))
            #expect(try browser.request("GET", Self.list + "?deleted=1").text.contains("Aucun motif ne correspond à ces filtres."))
            // « Historique »: the creation, in the form's words.
            let edit = try browser.request("GET", Self.list + "/\(try #require(motif.id))/edit").text
            #expect(edit.contains("Qui peut réserver ce motif ? : « Ouvert aux agents et aux usagers »"))
            #expect(edit.contains("Délai minimum de réservation : « 1 heure »"))
        }
    }

    @Test func aRefusedMotifKeepsEveryValueAndNamesItsFields() throws {
        try withAppointmentBrowser { browser, db in
            let csrf = try csrfToken(browser, Self.list + "/new")
            let bad = try browser.request(
                "POST", Self.list,
                form: Self.form(
                    csrf,
                    [
                        "name": "Atelier", "collectif": "1", "location_type": "phone",
                        "min_public_booking_delay": "2629746", "max_public_booking_delay": "604800", "follow_up": "1",
                        "for_secretariat": "1", "instruction_for_rdv": "Venir à jeun",
                    ]))
            #expect(bad.status == 422)
            let text = bad.text
            #expect(text.contains("<title>Erreur : "))
            #expect(text.contains(#"<p id="location_type-error" class="fr-error-text fr-fieldset__element">Les RDV collectifs doivent avoir lieu sur place</p>"#))
            #expect(text.contains(#"<p id="max_public_booking_delay-error" class="fr-error-text">Délai maximum de réservation doit être supérieur au délai minimum de réservation.</p>"#))
            #expect(text.contains(#"<p id="for_secretariat-error" class="fr-error-text">Un motif de suivi ne peut pas être ouvert au secrétariat.</p>"#))
            // Every value as typed.
            #expect(text.contains(#"<input type="radio" id="location_type-1" name="location_type" value="phone" checked>"#))
            #expect(text.contains(#"<input type="radio" id="collectif-1" name="collectif" value="1" checked>"#))
            #expect(text.contains(#"<option value="2629746" selected>1 mois</option>"#))
            #expect(text.contains(">Venir à jeun</textarea>"))
            #expect(text.contains(#"<input type="checkbox" id="follow_up" name="follow_up" value="1" checked>"#))
            try GoldenPageTests.expectGolden("motifs-form-errors", text)
            #expect(try db.motifs(organisationID: 1, filter: .init()).count == 2)
            // The same name, service and type of place as a motif of the organisation.
            let clash = try browser.request("POST", Self.list, form: Self.form(csrf, ["name": "Consultation prénatale"]))
            #expect(clash.status == 422)
            #expect(clash.text.contains(#"<p id="name-error" class="fr-error-text">Nom est déjà utilisé.</p>"#))
        }
    }

    @Test func anEditIsInTheHistoryAndAMotifWithAppointmentsIsSoftDeleted() throws {
        try withAppointmentBrowser { browser, db in
            let csrf = try csrfToken(browser, Self.list + "/1/edit")
            // collectif and location_type are frozen once appointments exist (domain.md §6).
            let frozen = try browser.request(
                "POST", Self.list + "/1",
                form: Self.form(csrf, ["name": "Consultation prénatale", "location_type": "phone"], extra: [("_method", "PATCH")]))
            #expect(frozen.status == 422)
            #expect(frozen.text.contains("Type de lieu ne peut plus être modifié car des RDV existent pour ce motif."))
            let renamed = try browser.request(
                "POST", Self.list + "/1",
                form: Self.form(
                    csrf, ["name": "Consultation prénatale PMI", "default_duration_in_min": "45", "bookable_by": "agents"],
                    extra: [("_method", "PATCH")]))
            #expect(renamed.status == 303)
            let history = try browser.request("GET", Self.list + "/1/edit").text
            #expect(history.contains("Nom : « Consultation prénatale » → « Consultation prénatale PMI »"))
            #expect(!history.contains("Durée par défaut (en minutes) : « 45 »"))
            // « Supprimer ce motif »: appointments keep it, the list no longer shows it, « Supprimés » does.
            let deleted = try browser.request("POST", Self.list + "/1", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(deleted.status == 303)
            #expect(try db.motif(id: 1, organisationID: 1) == nil)
            let kept = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM motifs WHERE id = 1 AND deleted_at IS NOT NULL") }
            #expect(kept == 1)
            let list = try browser.request("GET", Self.list).text
            #expect(list.contains("Le motif a été supprimé.") && !list.contains("Consultation prénatale PMI"))
            let trash = try browser.request("GET", Self.list + "?deleted=1").text
            #expect(trash.contains(" Consultation prénatale PMI</td>") && !trash.contains("/motifs/1/edit"))
            #expect(try browser.request("GET", Self.list + "/1/edit").status == 404)
            #expect(try db.versions(itemType: "Motif", itemID: 1).map(\.event) == [.update, .update])
        }
    }

    @Test func aMotifWithoutAppointmentsIsRemoved() throws {
        try withAppointmentBrowser { browser, db in
            let csrf = try csrfToken(browser, Self.list + "/new")
            #expect(try browser.request("POST", Self.list, form: Self.form(csrf)).status == 303)
            let id = try #require(try db.motifs(organisationID: 1, filter: .init()).first { $0.motif.name == "Bilan de santé" }?.motif.id)
            #expect(try db.deleteMotif(id: id, organisationID: 1, author: "Alice MARTIN", now: testNow) == .hard)
            let left = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM motifs WHERE id = ?", arguments: [id]) }
            #expect(left == 0)
            #expect(try db.versions(itemType: "Motif", itemID: id).map(\.event) == [.destroy, .create])
        }
    }

    @Test func aTerritorialAdminCopiesTheMotifIntoAnotherOrganisation() throws {
        try withAppointmentBrowser { browser, db in
            // Without territorial rights, Alice may copy nowhere: the section is not shown.
            #expect(!(try browser.request("GET", Self.list + "/new").text.contains("4. Organisations")))
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            let new = try browser.request("GET", Self.list + "/new").text
            #expect(new.contains(#"<label class="fr-label" for="duplicate_organisation_ids-2">MDS Lens</label>"#))
            let csrf = try #require(Browser.token(in: new))
            let saved = try browser.request(
                "POST", Self.list, form: Self.form(csrf, extra: [("duplicate_organisation_ids", "2")]))
            #expect(saved.status == 303)
            let copy = try #require(try db.motifs(organisationID: 2, filter: .init()).first)
            #expect(copy.motif.name == "Bilan de santé" && copy.motif.bookableBy == .everyone && copy.motif.minPublicBookingDelay == 3600)
            // A copy that would clash with a motif of MDS Lens: nothing is saved, the message names it.
            let lens = Motif(organisationID: 2, serviceID: 1, name: "Bilan", color: "#000000")
            #expect(try db.saveMotif(lens, now: testNow).map { _ in true } == .success(true))
            let clash = try browser.request(
                "POST", Self.list, form: Self.form(csrf, ["name": "Bilan"], extra: [("duplicate_organisation_ids", "2")]))
            #expect(clash.status == 422)
            #expect(
                clash.text.contains(
                    #"<p id="duplicate_organisation_ids-error" class="fr-error-text fr-fieldset__element">« MDS Lens » a déjà un motif « Bilan » de ce service et de ce type de lieu.</p>"#))
            #expect(clash.text.contains(#"<input type="checkbox" id="duplicate_organisation_ids-2" name="duplicate_organisation_ids" value="2" checked>"#))
            #expect(try db.motifs(organisationID: 1, filter: .init()).map(\.motif.name).contains("Bilan") == false)
            #expect(try db.motifs(organisationID: 2, filter: .init()).map(\.motif.name) == ["Bilan", "Bilan de santé"])
            // An organisation the form did not offer is refused.
            let outside = try browser.request(
                "POST", Self.list, form: Self.form(csrf, ["name": "Autre"], extra: [("duplicate_organisation_ids", "99")]))
            #expect(outside.status == 422)
            #expect(outside.text.contains("Vous ne pouvez copier le motif que dans les organisations proposées."))
        }
    }

    @Test func aBasicAgentSeesTheListButChangesNothing() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            let index = try browser.request("GET", Self.list)
            #expect(index.status == 200)
            #expect(!index.text.contains("Créer un motif") && !index.text.contains("/motifs/1/edit"))
            #expect(try browser.request("GET", Self.list + "/new").status == 403)
            #expect(try browser.request("GET", Self.list + "/1/edit").status == 403)
            let csrf = try #require(Browser.token(in: index.text))
            #expect(try browser.request("POST", Self.list, form: Self.form(csrf)).status == 403)
            #expect(
                try browser.request("POST", Self.list + "/1", form: [("authenticity_token", csrf), ("_method", "DELETE")]).status
                    == 403)
            #expect(try db.motif(id: 1, organisationID: 1) != nil)
            #expect(try browser.request("GET", "/admin/organisations/2/motifs").status == 404)
            #expect(try browser.request("POST", Self.list, form: [("name", "X")]).status == 403)
        }
    }
}
