import DatabaseTestSupport
import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Persistence
import Testing

@testable import Web

/// The public search (booking.md §2.2 steps 1–8) on the contract's example document: one
/// organisation (MDS Arras), one PMI motif « Consultation » on site at « MDS Centre », open on
/// Mondays 09:00–11:20 from 2021-05-03 with r1 at 09:00; the clock on Fri 2021-04-30 08:00 Paris.
@Suite("Public search")
struct PublicSearchTests {
    static let now = AvailabilityAPITests.now
    /// The state once « Rue Ernestale, Arras » is chosen.
    static let arras =
        "/prendre_rdv?address=Rue%20Ernestale%2062000%20Arras&departement=62&city_code=62041"
        + "&street_ban_id=62041_0420&latitude=50.2900000&longitude=2.7700000"

    func withSearch(
        _ change: (inout InterchangeDocument) -> Void = { _ in }, _ body: (Browser, [String: Int64]) throws -> Void
    ) throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-public")
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        change(&document)
        let ids = try db.importDocument(document, clock: FixedClock(Self.now))
        try body(Browser(app: try makeWebApplication(db, clock: FixedClock(Self.now))), ids)
    }

    @Test func visitorsStartWithTheirAddressAndChooseAmongTheMatches() throws {
        try withSearch { browser, _ in
            let home = try browser.request("GET", "/")
            #expect(home.status == 200)
            #expect(home.text.contains("<title>Votre adresse — Prendre rendez-vous — RDV Service Public</title>"))
            #expect(home.text.contains(#"<label class="fr-label" for="address">Adresse"#))
            #expect(home.text.contains(#"<a class="fr-btn fr-icon-lock-line" href="/agents/sign_in">Espace agents</a>"#))
            try GoldenPageTests.expectGolden("public-search-address", home.text)

            // Without JavaScript the server looks the text up (the zones' streets and cities here).
            let matches = try browser.request("GET", "/prendre_rdv?address=ernestale")
            #expect(matches.status == 200)
            #expect(matches.text.contains(#"<legend class="fr-fieldset__legend" id="address-choices-legend">Choisissez votre adresse</legend>"#))
            #expect(matches.text.contains(#"name="address_choice" value="Rue Ernestale Arras|62041|62041_0420||" checked>"#))

            let chosen = try browser.request("GET", "/prendre_rdv?address_choice=Rue%20Ernestale%20Arras%7C62041%7C62041_0420%7C50.29%7C2.78")
            #expect(chosen.status == 303)
            #expect(
                chosen.header("Location")
                    == "/prendre_rdv?address=Rue%20Ernestale%20Arras&departement=62&city_code=62041&street_ban_id=62041_0420&latitude=50.2900000&longitude=2.7800000")
            let response1 = try browser.request("GET", "/prendre_rdv?address_choice=forged")

            #expect(response1.status == 400)
            // A suggestion of the autocomplete is one exact match: straight to the next step.
            let exact = try browser.request("GET", "/prendre_rdv?address=rue%20ernestale%20arras")
            #expect(exact.status == 303)
            #expect(
                exact.header("Location")
                    == "/prendre_rdv?address=Rue%20Ernestale%20Arras&departement=62&city_code=62041&street_ban_id=62041_0420")
            #expect(matches.text.contains(#"list="address-suggestions" data-address-autocomplete="/adresses""#))

            let nothing = try browser.request("GET", "/prendre_rdv?address=zzzzqqq")
            #expect(nothing.text.contains("<title>Erreur : Votre adresse"))
            #expect(nothing.text.contains(#"aria-describedby="address-error""#))
            #expect(nothing.text.contains(#"<p id="address-error" class="fr-error-text">Aucune adresse ne correspond. Vérifiez-la, ou saisissez seulement la commune.</p>"#))
            #expect(nothing.text.contains(#"value="zzzzqqq""#))
        }
    }

    /// One service and one motif: both steps are skipped; the place says how far it is and when
    /// it is next free; the week offers one button per start.
    @Test func fromTheAddressToTheSlotWeek() throws {
        try withSearch { browser, ids in
            let places = try browser.request("GET", Self.arras).text
            #expect(places.contains(#"<h1 class="fr-h2">Sélectionnez un lieu</h1>"#))
            // One motif: its step was skipped, so there is nothing to « Modifier ».
            #expect(places.contains("<span class=\"rdv-recalls__label\">Motif :</span> Consultation (Sur place)</li>"))
            #expect(places.contains(#"<span class="rdv-choice__label">MDS Centre</span><span class="rdv-choice__detail">10 rue de la Paix, 62000 Arras</span><span class="rdv-choice__detail">à 710 m</span><span class="rdv-choice__next">Prochaine disponibilité le lundi 3 mai 2021</span>"#))
            try GoldenPageTests.expectGolden("public-search-places", places)

            let week = try browser.request("GET", Self.arras + "&lieu_id=\(ids["l1"]!)").text
            #expect(week.contains(#"<h1 class="fr-h2">Choisissez un créneau</h1>"#))
            // 09:00 is r1's; 10:00–11:00 fits, 11:00 + 60 min does not.
            let starts = week.components(separatedBy: #"data-starts-at=""#).dropFirst().map { $0.prefix(25) }
            #expect(starts == ["2021-05-03T10:00:00+02:00"])
            #expect(week.contains(#"<a class="fr-link fr-icon-arrow-right-line fr-link--icon-right" href="/prendre_rdv?address=Rue%20Ernestale%2062000%20Arras"#))
            #expect(week.contains("Semaine suivante</a>"))
            #expect(!week.contains("Semaine précédente"))
            try GoldenPageTests.expectGolden("public-search-week", week)

            // A later week with no period (the 10th is cancelled): the next availability.
            let empty = try browser.request("GET", Self.arras + "&lieu_id=\(ids["l1"]!)&date=2021-05-05").text
            #expect(empty.contains(#"Aucun créneau disponible cette semaine. <a href="/prendre_rdv?"#))
            #expect(empty.contains("Prochaine disponibilité le lundi 17 mai 2021</a>"))
        }
    }

    @Test func theChosenSlotIsComputedAgain() throws {
        try withSearch { browser, ids in
            let slot = "/prendre_rdv/creneau?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&starts_at="
            let free = try browser.request("GET", slot + "2021-05-03T10:00:00%2B02:00")
            #expect(free.status == 200)
            #expect(free.text.contains("Votre rendez-vous n'est pas encore confirmé."))
            #expect(free.text.contains(#"<dt>Date et heure</dt><dd><time datetime="2021-05-03T10:00:00+02:00">lundi 3 mai 2021 à 10h00</time></dd>"#))
            #expect(free.text.contains("Identifiez-vous pour réserver ce créneau"))

            let taken = try browser.request("GET", slot + "2021-05-03T09:00:00%2B02:00")
            #expect(taken.text.contains(#"<div class="fr-alert fr-alert--warning fr-mb-3w" role="alert"><p>Ce créneau n'est plus disponible. Choisissez-en un autre.</p></div>"#))
            let response2 = try browser.request("GET", slot + "demain")

            #expect(response2.status == 400)
            let response3 = try browser.request("GET", "/prendre_rdv/creneau?motif_id=999&starts_at=2021-05-03T10:00:00%2B02:00")

            #expect(response3.status == 404)
        }
    }

    /// slots.md §9: a motif sectorised by organisation is offered only where a zone of an
    /// attributed sector matches; elsewhere the page gives the département's contacts.
    @Test func anAddressOutsideTheSectorsGetsTheContacts() throws {
        try withSearch({ $0.motifs[0].sectorisation_level = "organisation" }) { browser, _ in
            let response4 = try browser.request("GET", Self.arras)

            #expect(response4.text.contains("Sélectionnez un lieu"))
            let elsewhere = try browser.request(
                "GET", "/prendre_rdv?address=Lens&departement=62&city_code=62498").text
            #expect(elsewhere.contains(#"<h1 class="fr-h2">Aucun service n&#39;est disponible en ligne pour cette adresse.</h1>"#))
            #expect(elsewhere.contains(#"<p class="fr-mb-1v">Téléphone : <a href="tel:0321000000">0321000000</a></p>"#))
            #expect(elsewhere.contains(#"<a href="mailto:mds.arras@example.fr">mds.arras@example.fr</a>"#))
            let otherDepartement = try browser.request("GET", "/prendre_rdv?address=Paris&departement=75&city_code=75056").text
            #expect(otherDepartement.contains("Aucun service n&#39;est disponible en ligne pour cette adresse."))
            #expect(!otherDepartement.contains("MDS Arras"))
        }
    }

    @Test func theMotifsConditionsAreAcceptedWithTheCheckbox() throws {
        try withSearch({ $0.motifs[0].restriction_for_rdv = "Venez avec le carnet de santé." }) { browser, ids in
            let place = Self.arras + "&lieu_id=\(ids["l1"]!)"
            let conditions = try browser.request("GET", place).text
            #expect(conditions.contains(#"<h1 class="fr-h2">À lire avant de prendre rendez-vous</h1>"#))
            #expect(conditions.contains("Venez avec le carnet de santé."))
            #expect(conditions.contains(#"<input type="hidden" name="lieu_id" value="\#(ids["l1"]!)">"#))
            let refused = try browser.request("GET", place + "&restriction_submitted=1").text
            #expect(refused.contains("<title>Erreur : À lire avant de prendre rendez-vous"))
            #expect(refused.contains(#"<p id="restriction-error" class="fr-error-text">Cochez « J&#39;ai lu et j&#39;accepte ces conditions » pour continuer.</p>"#))
            let accepted = try browser.request("GET", place + "&restriction_submitted=1&restriction_accepted=1").text
            #expect(accepted.contains("Choisissez un créneau"))
        }
    }

    /// « Réservation en ligne »'s public link: the organisation's own motifs, no address asked.
    @Test func anOrganisationsPublicLinkOpensItsOwnSearch() throws {
        try withSearch({
            $0.motifs[0].sectorisation_level = "organisation"
            $0.organisations[0].external_id = "mds-arras-01"
        }) { browser, ids in
            let link = try browser.request("GET", "/org/\(ids["o1"]!)/mds-arras")
            #expect(link.status == 303)
            #expect(link.header("Location") == "/prendre_rdv?public_link_organisation_id=\(ids["o1"]!)")
            let bare = try browser.request("GET", "/org/\(ids["o1"]!)")
            #expect(bare.header("Location") == "/prendre_rdv?public_link_organisation_id=\(ids["o1"]!)")
            let unknown = try browser.request("GET", "/org/999/x")
            #expect(unknown.status == 404)
            let external = try browser.request("GET", "/org/ext/62/mds-arras-01")
            #expect(external.header("Location") == "/prendre_rdv?public_link_organisation_id=\(ids["o1"]!)")
            let otherDepartement = try browser.request("GET", "/org/ext/59/mds-arras-01")
            #expect(otherDepartement.status == 404)
            let search = try browser.request("GET", "/prendre_rdv?public_link_organisation_id=\(ids["o1"]!)").text
            #expect(search.contains(#"<h1 class="fr-h2">Sélectionnez un lieu</h1>"#))
            #expect(search.contains(#"<span class="rdv-recalls__label">Organisation :</span> MDS Arras <a class="fr-link fr-link--sm" href="/prendre_rdv">Modifier"#))
            // No address: the place is listed without a distance.
            #expect(search.contains(#"<span class="rdv-choice__label">MDS Centre</span><span class="rdv-choice__detail">10 rue de la Paix, 62000 Arras</span><span class="rdv-choice__next">"#))
        }
    }

    /// RGAA: every footer links to the statement, which declares the site non-compliant (no
    /// audit yet) and says what each build checks.
    @Test func theAccessibilityStatementIsLinkedFromEveryPage() throws {
        try withSearch { browser, _ in
            let home = try browser.request("GET", "/").text
            #expect(home.contains(#"<a class="fr-footer__bottom-link" href="/accessibilite">Accessibilité : non conforme</a>"#))
            let statement = try browser.request("GET", "/accessibilite")
            #expect(statement.status == 200)
            #expect(statement.text.contains("<title>Déclaration d'accessibilité — RDV Service Public</title>"))
            #expect(statement.text.contains("RDV Service Public est <strong>non conforme</strong>"))
        }
    }

    /// A motif open to agents only is never offered, nor its slot.
    @Test func aMotifForAgentsOnlyIsNotOffered() throws {
        try withSearch({ $0.motifs[0].bookable_by = "agents" }) { browser, ids in
            let response5 = try browser.request("GET", Self.arras)

            #expect(response5.text.contains("Aucun service n&#39;est disponible"))
            let slot = "/prendre_rdv/creneau?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&starts_at=2021-05-03T10:00:00%2B02:00"
            let response6 = try browser.request("GET", slot)

            #expect(response6.status == 404)
        }
    }
}
