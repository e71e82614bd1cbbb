import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// The agenda fixture, around `agendaNow` (Wednesday 2026-11-25 10:00 in Paris): Bob (basic, PMI)
/// has periods, an absence and appointments in MDS Arras and one in MDS Lens; Alice is admin of
/// Arras (PMI); Carla is basic in Arras in another service (Social).
let agendaFixture = #"""
    {"format": "rdv-import/1",
     "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"},
                  {"ref": "soc", "name": "Service social", "short_name": "Social"}],
     "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi", "soc"]}],
     "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"},
                       {"ref": "o2", "territory": "t62", "name": "MDS Lens"}],
     "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o1", "access_level": "admin"}]},
                {"ref": "a2", "email": "bob@example.fr", "first_name": "Bob", "last_name": "Durand",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o1", "access_level": "basic"}, {"organisation": "o2", "access_level": "basic"}]},
                {"ref": "a3", "email": "carla@example.fr", "first_name": "Carla", "last_name": "Petit",
                 "password": "un mot de passe long", "services": ["soc"],
                 "roles": [{"organisation": "o1", "access_level": "basic"}]}],
     "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre", "address": "10 rue de la Paix, 62000 Arras", "latitude": 50.29, "longitude": 2.78},
                {"ref": "l2", "organisation": "o2", "name": "MDS Lens", "address": "1 place Jean Jaurès, 62300 Lens", "latitude": 50.43, "longitude": 2.83}],
     "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation", "location_type": "public_office",
                 "default_duration_in_min": 30, "color": "#1f77b4"},
                {"ref": "m2", "organisation": "o2", "service": "pmi", "name": "Vaccination", "location_type": "public_office",
                 "default_duration_in_min": 30, "color": "#ff7f0e"}],
     "opening_periods": [{"ref": "p1", "agent": "a2", "organisation": "o1", "place": "l1", "title": "Permanence",
                          "first_day": "2026-11-02", "start_time": "09:00", "end_time": "12:00", "motifs": ["m1"],
                          "recurrence": {"every": "week", "interval": 1, "on": ["monday", "tuesday", "thursday"]}},
                         {"ref": "p2", "agent": "a2", "organisation": "o2", "place": "l2", "title": "Lens matin",
                          "first_day": "2026-11-27", "start_time": "09:00", "end_time": "11:00", "motifs": ["m2"]}],
     "absences": [{"ref": "x1", "agent": "a2", "title": "Formation", "first_day": "2026-11-25",
                   "start_time": "14:00", "end_day": "2026-11-25", "end_time": "16:00"}],
     "users": [{"ref": "u1", "first_name": "Jean", "last_name": "Dupont", "organisations": ["o1", "o2"]},
               {"ref": "u2", "first_name": "Léa", "last_name": "Lefèvre", "organisations": ["o1"]}],
     "appointments": [{"ref": "r1", "organisation": "o1", "motif": "m1", "place": "l1",
                       "starts_at": "2026-11-24T10:00:00+01:00", "duration_in_min": 30, "agents": ["a2"], "users": ["u1"],
                       "status": "unknown", "created_by": "agent"},
                      {"ref": "r2", "organisation": "o1", "motif": "m1", "place": "l1",
                       "starts_at": "2026-11-26T09:30:00+01:00", "duration_in_min": 45, "agents": ["a2"], "users": ["u2"],
                       "status": "unknown", "created_by": "agent"},
                      {"ref": "r3", "organisation": "o2", "motif": "m2", "place": "l2",
                       "starts_at": "2026-11-26T09:45:00+01:00", "duration_in_min": 30, "agents": ["a2"], "users": ["u1"],
                       "status": "unknown", "created_by": "agent"},
                      {"ref": "r4", "organisation": "o1", "motif": "m1", "place": "l1",
                       "starts_at": "2026-11-23T11:00:00+01:00", "duration_in_min": 30, "agents": ["a2"], "users": ["u2"],
                       "status": "revoked", "created_by": "agent"}]}
    """#

/// 2026-11-25T09:00:00Z, a Wednesday (10:00 in Paris).
let agendaNow = Date(timeIntervalSince1970: 1_795_597_200)

/// Bob's agenda in MDS Arras (agent 2, organisation 1).
let bobAgenda = "/admin/organisations/1/agent_agendas/2"

@Suite("Agenda pages", .serialized)
struct AgendaTests {
    static func signedIn(_ email: String, _ body: (Browser) throws -> Void) throws {
        _ = try GoldenPageTests.withBrowser(
            fixture: agendaFixture, signedIn: (email, "un mot de passe long"), clock: ManualClock(agendaNow)
        ) {
            try body($0)
            return ""
        }
    }

    static func page(_ email: String, _ path: String) throws -> String {
        try GoldenPageTests.withBrowser(
            fixture: agendaFixture, signedIn: (email, "un mot de passe long"), clock: ManualClock(agendaNow)
        ) { browser in
            let response = try browser.request("GET", path)
            #expect(response.status == 200, "\(path)")
            return response.text
        }
    }

    @Test func weekViewShowsAppointmentsPeriodsAbsencesAndOtherOrganisationsAsBusy() throws {
        // Given Bob's week of 2026-11-23, when Bob opens it
        let html = try Self.page("bob@example.fr", bobAgenda + "?date=2026-11-25")
        // Then his appointment of MDS Arras is linked, in its motif colour, with its user
        #expect(html.contains(#"<a class="rdv-ev__title" href="/admin/organisations/1/rdvs/2">Consultation</a>"#))
        #expect(html.contains(#"<time datetime="2026-11-26T09:30:00+01:00">09h30–10h15</time>"#))
        #expect(html.contains(##"fill="#1f77b4""##))
        #expect(html.contains("Léa LEFÈVRE"))
        // MDS Lens's is grey « Occupé·e », with no link and no user name
        #expect(html.contains(#"data-starts-at="2026-11-26T09:45:00+01:00" title="09h45–10h15 · Occupé·e""#))
        #expect(!html.contains("/rdvs/3"))
        #expect(!html.contains("Vaccination"))
        // Opening periods are background blocks, the absence is shown, the cancelled one too
        // (display_cancelled_rdv is on by default)
        // Each period's title opens that occurrence's own form (domain.md §7b); the absence its page
        #expect(
            html.contains(
                #"<a class="rdv-period__title rdv-period__link" href="/admin/organisations/1/plage_ouvertures/1/occurrence?date=2026-11-26">Permanence — MDS Centre<span class="fr-sr-only"> 09h00–12h00</span></a>"#
            ))
        #expect(html.contains(#"rdv-period rdv-r-9 rdv-s-8 rdv-period--other"#))
        #expect(html.contains(#"<a class="rdv-ev__title" href="/admin/organisations/1/absences/1">Formation</a>"#))
        #expect(html.contains("rdv-ev--cancelled"))
        #expect(html.contains("Annulé (par le service)"))
        // Past flag, status labels, navigation
        #expect(html.contains("rdv-ev--past"))
        #expect(html.contains("À renseigner"))
        #expect(html.contains(#"href="\#(bobAgenda)?date=2026-11-18&amp;view=week">Semaine précédente</a>"#))
        #expect(html.contains(#"href="\#(bobAgenda)?date=2026-12-02&amp;view=week">Semaine suivante</a>"#))
        #expect(html.contains(#"href="\#(bobAgenda)?date=2026-11-25&amp;view=week">Aujourd&#39;hui</a>"#))
        #expect(html.contains("Semaine du lundi 23 novembre 2026 au dimanche 29 novembre 2026"))
    }

    @Test func freeCellsLinkToTheWizardAndBusyOnesDoNot() throws {
        let html = try Self.page("bob@example.fr", bobAgenda + "?date=2026-11-26&view=day")
        // 09:00 is free: the wizard with start, duration and agent
        #expect(
            html.contains(
                #"<a class="rdv-cell rdv-r-9" href="/admin/organisations/1/rdvs/new?starts_at=2026-11-26T09%3A00%3A00%2B01%3A00&amp;duration=30&amp;agent_ids%5B%5D=2" data-starts-at="2026-11-26T09:00:00+01:00">"#
            ))
        // 09:30 (Consultation) and 10:00 (Lens) are busy
        #expect(
            html.contains(
                #"<span class="rdv-cell rdv-r-11 rdv-cell--busy" data-starts-at="2026-11-26T09:30:00+01:00">"#))
        #expect(
            html.contains(
                #"<span class="rdv-cell rdv-r-13 rdv-cell--busy" data-starts-at="2026-11-26T10:00:00+01:00">"#))
        // After 19:00 is outside business hours
        #expect(html.contains(#"<a class="rdv-cell rdv-r-49 rdv-cell--off""#))
        #expect(html.contains(#"href="\#(bobAgenda)?date=2026-11-25&amp;view=day">Jour précédent</a>"#))
    }

    @Test func saturdaysAndSundaysAreHiddenWithoutEvents() throws {
        let html = try Self.page("bob@example.fr", bobAgenda + "?date=2026-11-25&view=week")
        #expect(html.contains(#"aria-label="ven. 27/11""#))
        #expect(!html.contains(#"aria-label="sam. 28/11""#))
        #expect(!html.contains(#"aria-label="dim. 29/11""#))
    }

    @Test func theViewersSettingsShowSaturdaysAndHideCancelledAppointments() throws {
        // Given Bob displays Saturdays and hides cancelled appointments
        let (db, directory) = try makeWebDatabase(fixture: agendaFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { try $0.execute(sql: "UPDATE agents SET display_saturdays = 1, display_cancelled_rdv = 0 WHERE id = 2") }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(agendaNow)))
        let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/agents/sign_in").text)
        _ = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", csrf), ("email", "bob@example.fr"), ("password", "un mot de passe long")])
        // When he opens his week
        let html = try browser.request("GET", bobAgenda + "?date=2026-11-25&view=week").text
        // Then Saturday is shown, Sunday is not, and the revoked appointment is gone
        #expect(html.contains(#"aria-label="sam. 28/11""#))
        #expect(!html.contains(#"aria-label="dim. 29/11""#))
        #expect(!html.contains("rdv-ev--cancelled"))
        #expect(!html.contains("/rdvs/4"))
    }

    @Test func onlyTheDefaultWeekLetsTheScriptOpenTheDayOnSmallScreens() throws {
        try Self.signedIn("bob@example.fr") { browser in
            let byDefault = try browser.request("GET", bobAgenda + "?date=2026-11-25").text
            #expect(byDefault.contains(#"data-small-screen-path="\#(bobAgenda)?date=2026-11-25&amp;view=day""#))
            let chosen = try browser.request("GET", bobAgenda + "?date=2026-11-25&view=week").text
            #expect(!chosen.contains("data-small-screen-path"))
            let remembered = try browser.request("GET", bobAgenda + "?date=2026-11-25").text
            #expect(!remembered.contains("data-small-screen-path"))
        }
    }

    @Test func holidaysAreMarked() throws {
        // 2026-11-11, Armistice
        let html = try Self.page("bob@example.fr", bobAgenda + "?date=2026-11-11&view=week")
        #expect(html.contains(#"mer. 11/11</a> <span class="fr-badge fr-badge--sm rdv-holiday">Jour férié</span>"#))
    }

    @Test func theViewIsRememberedInACookie() throws {
        try Self.signedIn("bob@example.fr") { browser in
            let response = try browser.request("GET", bobAgenda + "?view=month")
            #expect(response.headers.contains { $0.0 == "Set-Cookie" && $0.1.hasPrefix("rdv_agenda_view=month;") })
            let again = try browser.request("GET", bobAgenda + "?date=2026-11-25")
            #expect(
                again.text.contains(
                    #"<a class="fr-tag" href="\#(bobAgenda)?date=2026-11-25&amp;view=month" aria-current="page">Mois</a>"#
                ))
            #expect(again.text.contains("Mois suivant"))
        }
    }

    @Test func badgeCountsPastAppointmentsToFillIn() throws {
        let html = try Self.page("bob@example.fr", bobAgenda)
        #expect(
            html.contains(
                #"<a class="fr-tag rdv-agenda__todo" href="/admin/organisations/1/rdvs?agent_id=2&amp;status=unknown_past">RDV à renseigner (1)</a>"#
            ))
    }

    @Test func theNewAppointmentIsHighlighted() throws {
        let html = try Self.page("bob@example.fr", bobAgenda + "?date=2026-11-26&highlight=2")
        #expect(html.contains(#"rdv-ev--highlight" data-starts-at="2026-11-26T09:30:00+01:00" title="#))
        #expect(html.contains(#"aria-current="true"><svg"#))
        #expect(html.contains(#"<strong class="rdv-ev__new">Nouveau</strong>"#))
    }

    @Test func severalAgentsSideBySideInTheDayView() throws {
        let html = try Self.page(
            "alice@example.fr", "/admin/organisations/1/agent_agendas/1?date=2026-11-26&agent_ids[]=1&agent_ids[]=2")
        #expect(html.contains(#"<section class="rdv-agenda__col" aria-label="Alice MARTIN">"#))
        #expect(html.contains(#"<section class="rdv-agenda__col" aria-label="Bob DURAND">"#))
        #expect(html.contains("Créer un RDV le jeudi 26 novembre 2026 à 09h00 avec Bob DURAND"))
        #expect(html.contains(#"<input type="checkbox" id="agent-3" name="agent_ids[]" value="3">"#))
        #expect(html.contains(#"<input type="checkbox" id="agent-2" name="agent_ids[]" value="2" checked>"#))
    }

    @Test func choosingOneAgentOpensItsAgenda() throws {
        try Self.signedIn("alice@example.fr") { browser in
            let response = try browser.request(
                "GET", "/admin/organisations/1/agent_agendas/1?date=2026-11-26&view=day&agent_ids[]=2")
            #expect(response.status == 303)
            #expect(response.headers.first { $0.0 == "Location" }?.1 == bobAgenda + "?date=2026-11-26&view=day")
        }
    }

    @Test func anAgentOfAnotherServiceCannotOpenTheAgenda() throws {
        try Self.signedIn("carla@example.fr") { browser in
            let response = try browser.request("GET", bobAgenda)
            #expect(response.status == 404)
            #expect(
                response.text.contains("Vous n&#39;avez pas accès à cette page.")
                    || response.text.contains("Vous n'avez pas accès à cette page."))
            // Nor through the selector of her own agenda
            let sideBySide = try browser.request(
                "GET", "/admin/organisations/1/agent_agendas/3?agent_ids[]=3&agent_ids[]=2")
            #expect(sideBySide.status == 404)
            let own = try browser.request("GET", "/admin/organisations/1/agent_agendas/3")
            #expect(own.status == 200)
            #expect(!own.text.contains("Bob DURAND"))
        }
    }

    @Test func theAdminSeesEveryAgendaOfItsOrganisation() throws {
        let html = try Self.page("alice@example.fr", bobAgenda + "?date=2026-11-26")
        #expect(html.contains("Agenda de Bob DURAND"))
        #expect(html.contains(#"href="/admin/organisations/1/rdvs/2""#))
    }

    @Test func anAgendaOfAnotherOrganisationIsAbsent() throws {
        try Self.signedIn("alice@example.fr") { browser in
            // Alice has no role in MDS Lens; agent 99 does not exist
            let lens = try browser.request("GET", "/admin/organisations/2/agent_agendas/2")
            #expect(lens.status == 404)
            let unknown = try browser.request("GET", "/admin/organisations/1/agent_agendas/99")
            #expect(unknown.status == 404)
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() throws {
        _ = try GoldenPageTests.withBrowser(fixture: agendaFixture, signedIn: nil, clock: ManualClock(agendaNow)) {
            browser in
            for path in [bobAgenda, bobAgenda + "/print"] {
                let response = try browser.request("GET", path)
                #expect(response.status == 303)
                #expect(response.headers.first { $0.0 == "Location" }?.1 == "/agents/sign_in")
            }
            return ""
        }
    }

    @Test func theAgendaHasNoUnsafeAction() throws {
        // GET forms only (date picker, agent selector): any other method is refused.
        try Self.signedIn("bob@example.fr") { browser in
            let response = try browser.request("POST", bobAgenda, form: [("date", "2026-11-26")])
            #expect(response.status == 403 || response.status == 405)
        }
    }

    @Test func theHomePageIsTheAgentsOwnAgenda() throws {
        try Self.signedIn("bob@example.fr") { browser in
            for path in ["/", "/agents", "/admin/organisations/1"] {
                let response = try browser.request("GET", path)
                #expect(response.status == 303, "\(path)")
                #expect(response.headers.first { $0.0 == "Location" }?.1 == bobAgenda, "\(path)")
            }
            let lens = try browser.request("GET", "/admin/organisations/2")
            #expect(lens.headers.first { $0.0 == "Location" }?.1 == "/admin/organisations/2/agent_agendas/2")
        }
    }

    @Test func printViewListsTheDaysAppointments() throws {
        let html = try Self.page("bob@example.fr", bobAgenda + "/print?date=2026-11-26")
        #expect(html.contains("<h1 class=\"fr-h3\">Liste détaillée des RDV du jeudi 26 novembre 2026</h1>"))
        #expect(
            html.contains(
                #"<tr data-starts-at="2026-11-26T09:30:00+01:00"><td><time datetime="2026-11-26T09:30:00+01:00">09h30</time></td><td>45 minutes</td><td>Consultation</td><td>Léa LEFÈVRE</td><td>MDS Centre</td><td>Rendez-vous à venir</td></tr>"#
            ))
        #expect(!html.contains("Vaccination"))
    }

    static let goldens: [String: String] = [
        "agenda-week": bobAgenda + "?date=2026-11-25&view=week",
        "agenda-day": bobAgenda + "?date=2026-11-26&view=day",
        "agenda-month": bobAgenda + "?date=2026-11-25&view=month",
        "agenda-list": bobAgenda + "?date=2026-11-25&view=list",
        "agenda-list-empty": bobAgenda + "?date=2026-12-21&view=list",
        "agenda-print": bobAgenda + "/print?date=2026-11-26",
        "agenda-print-empty": bobAgenda + "/print?date=2026-11-28",
    ]

    @Test(arguments: goldens.keys.sorted())
    func pageMatchesItsGoldenFile(name: String) throws {
        let path = try #require(Self.goldens[name])
        try GoldenPageTests.expectGolden(name, try Self.page("bob@example.fr", path))
    }

    @Test func severalAgentsMatchTheirGoldenFile() throws {
        try GoldenPageTests.expectGolden(
            "agenda-day-several",
            try Self.page(
                "alice@example.fr", "/admin/organisations/1/agent_agendas/1?date=2026-11-26&agent_ids[]=1&agent_ids[]=2"
            ))
    }
}

@Suite("Agenda events as JSON", .serialized)
struct AgendaEventsTests {
    @Test func theWeeksEventsWithoutPersonalDataOfOtherOrganisations() throws {
        let json = try AgendaTests.page("bob@example.fr", bobAgenda + "/events?date=2026-11-26&view=day")
        #expect(
            json
                == #"{"from":"2026-11-26","to":"2026-11-26","events":["#
                + #"{"agent_id":2,"kind":"opening_period","title":"Permanence","organisation_id":1,"starts_at":"2026-11-26T09:00:00+01:00","ends_at":"2026-11-26T12:00:00+01:00"},"#
                + ##"{"agent_id":2,"kind":"appointment","id":2,"title":"Consultation","status":"unknown","color":"#1f77b4","url":"/admin/organisations/1/rdvs/2","starts_at":"2026-11-26T09:30:00+01:00","ends_at":"2026-11-26T10:15:00+01:00"},"##
                + #"{"agent_id":2,"kind":"busy","starts_at":"2026-11-26T09:45:00+01:00","ends_at":"2026-11-26T10:15:00+01:00"}]}"#
        )
    }

    @Test func anAgentOfAnotherServiceGetsNothing() throws {
        try AgendaTests.signedIn("carla@example.fr") { browser in
            let response = try browser.request("GET", bobAgenda + "/events")
            #expect(response.status == 404)
        }
    }
}
