import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Trouver un RDV » and the wizard's fixture (testNow = Tue 2025-11-25 10:00 Paris): Alice
/// (admin, PMI) and Bob (basic, PMI) in MDS Arras, Chloé (basic, Social) in MDS Arras, Denis
/// in MDS Lens only; two places with periods for the public_office motif, a phone motif, a
/// collective motif with one full appointment, two users and Jean's son Léo in Arras, Paul in Lens.
let bookingFixture = #"""
    {"format": "rdv-import/1",
     "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"},
                  {"ref": "social", "name": "Service social", "short_name": "Social"}],
     "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi", "social"]}],
     "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"},
                       {"ref": "o2", "territory": "t62", "name": "MDS Lens"}],
     "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o1", "access_level": "admin"}]},
                {"ref": "a2", "email": "bob@example.fr", "first_name": "Bob", "last_name": "Leroy",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o1", "access_level": "basic"}]},
                {"ref": "a3", "email": "chloe@example.fr", "first_name": "Chloé", "last_name": "Petit",
                 "password": "un mot de passe long", "services": ["social"],
                 "roles": [{"organisation": "o1", "access_level": "basic"}]},
                {"ref": "a4", "email": "denis@example.fr", "first_name": "Denis", "last_name": "Roux",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o2", "access_level": "basic"}]}],
     "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre", "address": "10 rue de la Paix, 62000 Arras",
                 "latitude": 50.29, "longitude": 2.78},
                {"ref": "l2", "organisation": "o1", "name": "MDS Sud", "address": "2 avenue Foch, 62000 Arras",
                 "latitude": 50.28, "longitude": 2.77},
                {"ref": "l3", "organisation": "o2", "name": "MDS Lens", "address": "1 place Jean Jaurès, 62300 Lens",
                 "latitude": 50.43, "longitude": 2.83}],
     "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation",
                 "location_type": "public_office", "default_duration_in_min": 30, "bookable_by": "everyone",
                 "color": "#1f77b4"},
                {"ref": "m2", "organisation": "o1", "service": "pmi", "name": "Entretien téléphonique",
                 "location_type": "phone", "default_duration_in_min": 20, "bookable_by": "agents", "color": "#ff7f0e"},
                {"ref": "m3", "organisation": "o1", "service": "pmi", "name": "Atelier", "location_type": "public_office",
                 "default_duration_in_min": 60, "collectif": true, "color": "#2ca02c"},
                {"ref": "m4", "organisation": "o1", "service": "pmi", "name": "Vaccination", "location_type": "public_office",
                 "default_duration_in_min": 15, "color": "#9467bd"},
                {"ref": "m5", "organisation": "o2", "service": "pmi", "name": "Vaccination Lens",
                 "location_type": "public_office", "default_duration_in_min": 15, "bookable_by": "agents_and_prescripteurs",
                 "color": "#9467bd"}],
     "opening_periods": [{"ref": "p1", "agent": "a1", "organisation": "o1", "place": "l1", "title": "Permanence",
                          "first_day": "2025-11-24", "start_time": "09:00", "end_time": "10:00", "motifs": ["m1", "m2"],
                          "recurrence": {"every": "week", "interval": 1,
                                         "on": ["monday", "tuesday", "wednesday", "thursday", "friday"], "until": null}},
                         {"ref": "p2", "agent": "a2", "organisation": "o1", "place": "l2", "title": "Permanence Sud",
                          "first_day": "2025-12-02", "start_time": "14:00", "end_time": "15:00", "motifs": ["m1"],
                          "recurrence": null},
                         {"ref": "p3", "agent": "a4", "organisation": "o2", "place": "l3", "title": "Vaccins",
                          "first_day": "2025-12-04", "start_time": "09:00", "end_time": "09:30", "motifs": ["m5"],
                          "recurrence": null}],
     "users": [{"ref": "u1", "first_name": "Jean", "last_name": "Dupont", "email": "jean@example.fr",
                "phone_number": "0612345678", "birth_date": "1980-01-01", "organisations": ["o1"]},
               {"ref": "u2", "first_name": "Marie", "last_name": "Curie", "email": null, "phone_number": null,
                "organisations": ["o1"]},
               {"ref": "u3", "first_name": "Léo", "last_name": "Dupont", "responsible": "u1", "organisations": ["o1"]},
               {"ref": "u4", "first_name": "Paul", "last_name": "Lensois", "email": "paul@lens.fr",
                "phone_number": "0611223344", "organisations": ["o2"]}],
     "appointments": [{"ref": "r1", "organisation": "o1", "motif": "m3", "place": "l1",
                       "starts_at": "2025-12-03T14:00:00+01:00", "duration_in_min": 60, "agents": ["a1"], "users": ["u2"],
                       "status": "unknown", "created_by": "agent", "max_participants_count": 1, "name": "Atelier portage"}]}
    """#

let bookingAlice = (email: "alice@example.fr", password: "un mot de passe long")

/// A browser signed in on a fresh booking fixture, and its database.
func withBookingBrowser(
    _ who: (email: String, password: String)? = bookingAlice, _ body: (Browser, AppDatabase) throws -> Void
) throws {
    let (db, directory) = try makeWebDatabase(fixture: bookingFixture)
    defer { try? FileManager.default.removeItem(at: directory) }
    let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
    if let who {
        let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        let response = try browser.request(
            "POST", "/agents/sign_in", form: [("authenticity_token", csrf), ("email", who.email), ("password", who.password)])
        #expect(response.status == 303)
    }
    try body(browser, db)
}

@Suite("Trouver un RDV", .serialized)
struct CreneauxSearchTests {
    static let search = "/admin/organisations/1/creneaux_search"

    @Test func theFormOffersTheUsableMotifsAndTodayByDefault() throws {
        try withBookingBrowser { browser, _ in
            let response = try browser.request("GET", Self.search)
            #expect(response.status == 200)
            let html = response.text
            #expect(html.contains(#"<label class="fr-label" for="motif_id">Motif</label>"#))
            #expect(html.contains(#"<input class="fr-input" type="date" id="from" name="from" value="2025-11-25" required>"#))
            #expect(html.contains(#"<option value="1" selected>PMI (Protection Maternelle Infantile)</option>"#))
            #expect(html.contains(">Entretien téléphonique</option>"))
            #expect(!html.contains("Vaccination Lens"))
            try GoldenPageTests.expectGolden("creneaux-search-form", html)
        }
    }

    @Test func aPublicOfficeMotifListsItsPlacesWithTheirNextAvailability() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.search + "?motif_id=1&from=2025-11-25&user_ids%5B%5D=1").text
            #expect(html.contains("MDS Centre</a> — prochaine disponibilité le mercredi 26 novembre 2025"))
            #expect(html.contains("MDS Sud</a> — prochaine disponibilité le mardi 2 décembre 2025"))
            #expect(html.contains(#"<input type="hidden" name="user_ids[]" value="1">"#))
            try GoldenPageTests.expectGolden("creneaux-search-places", html)
        }
    }

    @Test func thePlaceGridHasOneLinkPerStartAndAgentFromTheNextAvailability() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.search + "?motif_id=1&from=2025-11-25&lieu_id=1&user_ids%5B%5D=1")
                .text
            // 26 Nov → 2 Dec 2025, 9:00 and 9:30 on the five weekdays: ten slots of Alice.
            #expect(html.components(separatedBy: "class=\"fr-btn fr-btn--sm fr-btn--secondary rdv-slot\"").count == 11)
            #expect(html.contains("mercredi 26 novembre 2025"))
            #expect(html.contains("mardi 2 décembre 2025"))
            #expect(!html.contains("mercredi 3 décembre 2025"))
            #expect(
                html.contains(
                    #"<time datetime="2025-11-26T09:00:00+01:00">09h00</time> <span class="rdv-slot__agent">Alice MARTIN</span></a>"#))
            #expect(
                html.contains(
                    "href=\"/admin/organisations/1/rdvs/new?motif_id=1&amp;lieu_id=1&amp;starts_at=2025-11-26T09%3A00%3A00%2B01%3A00&amp;duration=30&amp;agent_ids%5B%5D=1&amp;user_ids%5B%5D=1\""
                ))
            #expect(html.contains(">Semaine précédente</a>"))
            #expect(html.contains("date=2025-12-03\">Semaine suivante</a>"))
            try GoldenPageTests.expectGolden("creneaux-search-grid", html)
        }
    }

    @Test func anEmptyWeekLinksToTheNextAvailability() throws {
        try withBookingBrowser { browser, _ in
            // Bob's only period is on 2 Dec, at MDS Sud: the week of 3 Dec is empty.
            let html = try browser.request("GET", Self.search + "?motif_id=1&lieu_id=2&date=2025-12-03").text
            #expect(html.contains("Aucun créneau disponible sur cette semaine."))
            #expect(!html.contains("Prochaine disponibilité le"))
            #expect(html.contains(">Élargir la recherche</a>"))
            let before = try browser.request("GET", Self.search + "?motif_id=1&lieu_id=2&date=2025-11-20").text
            #expect(
                before.contains(
                    "lieu_id=2&amp;date=2025-12-02\">Prochaine disponibilité le mardi 2 décembre 2025</a>"))
            try GoldenPageTests.expectGolden("creneaux-search-empty-week", before)
        }
    }

    @Test func aTeamExpandsToItsMembersAndAgentsFilterTheSlots() throws {
        try withBookingBrowser { browser, db in
            // Given a team of Bob (slots.md §7)
            try db.writer.write { db in
                try db.execute(sql: "INSERT INTO teams (id, territory_id, name) VALUES (1, 1, 'Équipe Sud')")
                try db.execute(sql: "INSERT INTO agent_teams (team_id, agent_id) VALUES (1, 2)")
            }
            let form = try browser.request("GET", Self.search).text
            #expect(form.contains(#"<label class="fr-label" for="team_ids">Équipes"#))
            // Then the team finds Bob's slots only: none at MDS Centre, 14:00 on 2 Dec at MDS Sud
            let centre = try browser.request("GET", Self.search + "?motif_id=1&lieu_id=1&team_ids%5B%5D=1").text
            #expect(centre.contains("Aucun créneau disponible sur cette semaine."))
            let south = try browser.request("GET", Self.search + "?motif_id=1&lieu_id=2&team_ids%5B%5D=1").text
            #expect(south.contains(#"<time datetime="2025-12-02T14:00:00+01:00">14h00</time> <span class="rdv-slot__agent">Bob LEROY</span>"#))
            let alice = try browser.request("GET", Self.search + "?motif_id=1&lieu_id=1&agent_ids%5B%5D=1").text
            #expect(alice.components(separatedBy: "Alice MARTIN</span>").count == 11)
        }
    }

    @Test func aPhoneMotifOpensTheGridAtItsNextAvailability() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.search + "?motif_id=2").text
            #expect(html.contains(#"<time datetime="2025-11-26T09:00:00+01:00">09h00</time>"#))
            #expect(html.contains(#"<time datetime="2025-11-26T09:40:00+01:00">09h40</time>"#))
            #expect(!html.contains("MDS Centre</a> —"))
        }
    }

    @Test func aCollectiveMotifListsItsUpcomingAppointments() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.search + "?motif_id=3").text
            #expect(html.contains("<h3>MDS Centre</h3>"))
            #expect(html.contains("<strong>Atelier portage</strong>"))
            #expect(html.contains("— 1/1 <span class=\"fr-badge fr-badge--sm fr-badge--warning\">Complet</span>"))
            #expect(html.contains("<a href=\"/admin/organisations/1/rdvs/1\">Ajouter des participants</a>"))
            try GoldenPageTests.expectGolden("creneaux-search-collective", html)
        }
    }

    @Test func nothingInTheOrganisationOffersToWidenTheSearch() throws {
        try withBookingBrowser { browser, _ in
            // Vaccination has no period in MDS Arras.
            let html = try browser.request("GET", Self.search + "?motif_id=4").text
            #expect(html.contains(">Élargir la recherche</a>"))
            let widened = try browser.request("GET", Self.search + "?motif_id=4&from=2025-11-25&elargir=1").text
            #expect(
                widened.contains(
                    "<li>MDS Lens — Vaccination Lens — MDS Lens — prochaine disponibilité le jeudi 4 décembre 2025 — <a href="))
            try GoldenPageTests.expectGolden("creneaux-search-widened", widened)
        }
    }

    static let prescription = "/admin/organisations/1/creneaux_search/prescription"

    @Test func anInternalPrescriptionBooksInAnotherOrganisation() throws {
        try withBookingBrowser { browser, db in
            // Given the widened search's link for Vaccination Lens (MDS Lens, open to prescribers)
            let widened = try browser.request("GET", Self.search + "?motif_id=4&from=2025-11-25&elargir=1&user_ids%5B%5D=1").text
            let link = Self.prescription + "?motif_id=5&amp;lieu_id=3&amp;from=2025-11-25&amp;user_ids%5B%5D=1"
            #expect(widened.contains("<a href=\"\(link)\">Voir les créneaux</a>"))
            // When the agent opens its grid, picks 9:15 and confirms
            let grid = try browser.request("GET", link.replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(grid.contains(#"<time datetime="2025-12-04T09:15:00+01:00">09h15</time> <span class="rdv-slot__agent">Denis ROUX</span>"#))
            try GoldenPageTests.expectGolden("creneaux-search-prescription-grid", grid)
            let slot =
                Self.prescription
                + "?motif_id=5&lieu_id=3&starts_at=2025-12-04T09%3A15%3A00%2B01%3A00&duration=15&agent_ids%5B%5D=4&user_ids%5B%5D=1"
            #expect(grid.contains(slot.replacingOccurrences(of: "&", with: "&amp;")))
            let summary = try browser.request("GET", slot).text
            #expect(summary.contains("<li>Le jeudi 4 décembre 2025 à 09h15</li>"))
            #expect(summary.contains("<li>Pour Jean Dupont</li>"))
            try GoldenPageTests.expectGolden("creneaux-search-prescription-summary", summary)
            let token = try #require(Browser.token(in: summary))
            let created = try browser.request(
                "POST", Self.prescription,
                form: [
                    ("authenticity_token", token), ("motif_id", "5"), ("lieu_id", "3"),
                    ("starts_at", "2025-12-04T09:15:00+01:00"), ("agent_id", "4"), ("user_ids[]", "1"),
                ])
            // Then the appointment is MDS Lens's, made by Alice as a prescriber, and confirmed
            #expect(created.status == 303)
            #expect(created.header("Location") == Self.prescription + "?confirmed=2")
            let confirmation = try browser.request("GET", Self.prescription + "?confirmed=2").text
            #expect(confirmation.contains("<p>Le rendez-vous de Jean Dupont est confirmé.</p>"))
            try GoldenPageTests.expectGolden("creneaux-search-prescription-confirmation", confirmation)
            let row = try #require(
                try db.writer.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT a.organisation_id, a.created_by_type, a.created_by_id, p.created_by_agent_prescripteur,
                                   (SELECT count(*) FROM user_profiles WHERE user_id = 1 AND organisation_id = 2) AS profile
                            FROM appointments a JOIN participations p ON p.appointment_id = a.id WHERE a.id = 2
                            """)
                })
            #expect(row["organisation_id"] as Int64 == 2)
            #expect(row["created_by_type"] as String == "Agent")
            #expect(row["created_by_id"] as Int64 == 1)
            #expect(row["created_by_agent_prescripteur"] as Bool == true)
            #expect(row["profile"] as Int == 1)
            // The same slot again is taken.
            let again = try browser.request(
                "POST", Self.prescription,
                form: [
                    ("authenticity_token", token), ("motif_id", "5"), ("lieu_id", "3"),
                    ("starts_at", "2025-12-04T09:15:00+01:00"), ("agent_id", "4"), ("user_ids[]", "2"),
                ])
            #expect(again.status == 422)
            #expect(again.text.contains("Ce créneau n&#39;est plus disponible"))
        }
    }

    @Test func thePrescriptionSummaryAsksForTheUserWhenNoneWasCarried() throws {
        try withBookingBrowser { browser, _ in
            let slot = Self.prescription + "?motif_id=5&lieu_id=3&starts_at=2025-12-04T09%3A15%3A00%2B01%3A00&agent_ids%5B%5D=4"
            let html = try browser.request("GET", slot + "&user_search=curie").text
            #expect(html.contains("<h3>Choix de l'usager</h3>"))
            #expect(html.contains("&amp;agent_ids%5B%5D=4&amp;user_ids%5B%5D=2\">Marie CURIE</a>"))
            #expect(!html.contains("Confirmer le rendez-vous"))
            try GoldenPageTests.expectGolden("creneaux-search-prescription-user-choice", html)
            // permissions.md: a user of another organisation of the territory is found, masked.
            let lens = try browser.request("GET", slot + "&user_search=lensois").text
            #expect(lens.contains(#"user_ids%5B%5D=4">Paul LENSOIS</a> <span class="fr-text--sm">p***@l***.fr — 06 ** ** ** 44</span>"#))
        }
    }

    @Test func aPrescriptionOutsideTheAgentsServicesIsRefused() throws {
        try withBookingBrowser((email: "chloe@example.fr", password: "un mot de passe long")) { browser, _ in
            let response = try browser.request("GET", Self.prescription + "?motif_id=5")
            #expect(response.status == 403)
        }
        try withBookingBrowser { browser, _ in
            // A motif for agents only is not open to prescription.
            let response = try browser.request("GET", "/admin/organisations/1/creneaux_search/prescription?motif_id=2")
            #expect(response.status == 404)
        }
    }

    @Test func thePrescriptionIsRefusedWithoutItsToken() throws {
        try withBookingBrowser { browser, db in
            let response = try browser.request(
                "POST", Self.prescription,
                form: [("motif_id", "5"), ("starts_at", "2025-12-04T09:15:00+01:00"), ("agent_id", "4"), ("user_ids[]", "1")])
            #expect(response.status == 403)
            let count = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") }
            #expect(count == 1)
        }
    }

    @Test func anOrganisationOfWhichTheAgentIsNotAMemberIsAbsent() throws {
        try withBookingBrowser((email: "denis@example.fr", password: "un mot de passe long")) { browser, _ in
            let response = try browser.request("GET", Self.search)
            #expect(response.status == 404)
            #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."))
        }
    }

    @Test func aMotifOfAnotherServiceIsRefused() throws {
        try withBookingBrowser((email: "chloe@example.fr", password: "un mot de passe long")) { browser, _ in
            let form = try browser.request("GET", Self.search).text
            #expect(!form.contains(">Consultation</option>"))
            let response = try browser.request("GET", Self.search + "?motif_id=1")
            #expect(response.status == 403)
            #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."))
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() throws {
        try withBookingBrowser(nil) { browser, _ in
            let response = try browser.request("GET", Self.search)
            #expect(response.status == 303)
            #expect(response.header("Location") == "/agents/sign_in")
        }
    }
}
