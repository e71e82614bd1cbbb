import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// Organisation o1 (MDS Arras) with an admin (Alice, PMI), a basic PMI agent (Bruno), a basic
/// agent of another service (Carla, Social); Denis is basic in o2 (MDS Lens) only.
/// testNow = Wednesday 2025-11-25 10:00 Paris. Appointments (ids in import order):
/// 1 upcoming (Thu 27th 10:00, Alice, Jean), 2 today (14:00, Bruno, Marie), 3 past unknown
/// (Thu 20th 09:00, Alice, Jean), 4 social (Wed 26th 11:00, Carla, Marie), 5…16 December (Bruno, Paul).
let appointmentFixture: String = {
    let december: String = (1...12).map { (day: Int) -> String in
        let date = "2025-12-\(day < 10 ? "0" : "")\(day)"
        return """
            {"ref": "d\(day)", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "\(date)T09:00:00+01:00",
             "duration_in_min": 30, "agents": ["a2"], "users": ["u3"], "status": "unknown", "created_by": "agent"}
            """
    }.joined(separator: ",\n")
    let head: String = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"},
                      {"ref": "social", "name": "Service social", "short_name": "Social"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi", "social"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras", "phone_number": "0321000000"},
                           {"ref": "o2", "territory": "t62", "name": "MDS Lens"}],
         "agents": [
           {"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
            "password": "un mot de passe long", "services": ["pmi"], "roles": [{"organisation": "o1", "access_level": "admin"}]},
           {"ref": "a2", "email": "bruno@example.fr", "first_name": "Bruno", "last_name": "Petit",
            "password": "un mot de passe long", "services": ["pmi"], "roles": [{"organisation": "o1", "access_level": "basic"}]},
           {"ref": "a3", "email": "carla@example.fr", "first_name": "Carla", "last_name": "Roux",
            "password": "un mot de passe long", "services": ["social"], "roles": [{"organisation": "o1", "access_level": "basic"}]},
           {"ref": "a4", "email": "denis@example.fr", "first_name": "Denis", "last_name": "Leroy",
            "password": "un mot de passe long", "services": ["pmi"], "roles": [{"organisation": "o2", "access_level": "basic"}]}],
         "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre", "address": "10 rue de la Paix, 62000 Arras",
                     "latitude": 50.29, "longitude": 2.78},
                    {"ref": "l2", "organisation": "o1", "name": "Antenne Sud", "address": "2 place du Marché, 62000 Arras",
                     "latitude": 50.28, "longitude": 2.77}],
         "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation prénatale",
                     "location_type": "public_office", "default_duration_in_min": 45, "color": "#1f77b4"},
                    {"ref": "m2", "organisation": "o1", "service": "social", "name": "Accompagnement social",
                     "location_type": "public_office", "default_duration_in_min": 30, "color": "#ff7f0e"}],
         "users": [{"ref": "u1", "first_name": "Jean", "last_name": "Dupont", "email": "jean@example.fr",
                    "phone_number": "0612345678", "organisations": ["o1"]},
                   {"ref": "u2", "first_name": "Marie", "last_name": "Durand", "organisations": ["o1"]},
                   {"ref": "u3", "first_name": "Paul", "last_name": "Lambert", "email": "paul@example.fr", "organisations": ["o1"]}],
         "appointments": [
           {"ref": "r1", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-27T10:00:00+01:00",
            "duration_in_min": 45, "agents": ["a1"], "users": ["u1"], "status": "unknown", "created_by": "agent"},
           {"ref": "r2", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-25T14:00:00+01:00",
            "duration_in_min": 45, "agents": ["a2"], "users": ["u2"], "status": "unknown", "created_by": "agent"},
           {"ref": "r3", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-20T09:00:00+01:00",
            "duration_in_min": 45, "agents": ["a1"], "users": ["u1"], "status": "unknown", "created_by": "agent"},
           {"ref": "r4", "organisation": "o1", "motif": "m2", "place": "l2", "starts_at": "2025-11-26T11:00:00+01:00",
            "duration_in_min": 30, "agents": ["a3"], "users": ["u2"], "status": "unknown", "created_by": "agent"},
        """#
    return head + december + "]}"
}()

/// A signed-in browser on a fresh `appointmentFixture` database.
func withAppointmentBrowser(
    as email: String = "alice@example.fr", _ body: (Browser, AppDatabase) throws -> Void
) throws {
    let (db, directory) = try makeWebDatabase(fixture: appointmentFixture)
    defer { try? FileManager.default.removeItem(at: directory) }
    let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
    let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
    let response = try browser.request(
        "POST", "/agents/sign_in",
        form: [("authenticity_token", csrf), ("email", email), ("password", "un mot de passe long")])
    #expect(response.status == 303)
    try body(browser, db)
}

/// The CSRF token of a page of the signed-in browser.
func csrfToken(_ browser: Browser, _ path: String) throws -> String {
    try #require(Browser.token(in: try browser.request("GET", path).text))
}

@Suite("Appointment page", .serialized)
struct AppointmentPageTests {
    let show = "/admin/organisations/1/rdvs/1"

    private func location(_ response: WireResponse) -> String? {
        response.headers.first { $0.0.lowercased() == "location" }?.1
    }

    private func messages(_ db: AppDatabase, _ appointmentID: Int64) throws -> [String] {
        try db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT kind || ' ' || json_extract(payload, '$.event') || ' ' || json_extract(payload, '$.recipient')
                    FROM outbox_messages WHERE appointment_id = ? AND kind IN ('email', 'sms') ORDER BY id
                    """, arguments: [appointmentID])
        }
    }

    @Test func theAdminSeesEveryDetailAndEveryAction() throws {
        try withAppointmentBrowser { browser, _ in
            let response = try browser.request("GET", show)
            #expect(response.status == 200)
            let html = response.text
            #expect(html.contains(#"<time datetime="2025-11-27T10:00:00+01:00">jeudi 27 novembre 2025 à 10h00</time>"#))
            #expect(html.contains(#"<a href="/admin/organisations/1/users/1">Jean DUPONT</a>"#))
            #expect(html.contains(#"<a class="fr-btn fr-btn--secondary" href="/admin/organisations/1/rdvs/1/edit">Modifier</a>"#))
            #expect(
                html.contains(
                    "/admin/organisations/1/rdvs/new?motif_id=1&amp;lieu_id=1&amp;user_ids%5B%5D=1&amp;agent_ids%5B%5D=1&amp;duration=45"
                ))
            #expect(html.contains("<strong>Annulé par le service</strong> : Les usagers seront prévenus de l&#39;annulation par SMS et e-mail."))
            #expect(html.contains("<strong>Honoré</strong> : Aucune notification ne sera envoyée."))
            #expect(html.contains("Envoyer un rappel"))
            #expect(!html.contains("L'usager est arrivé"))
            #expect(html.contains("Pour prévenir l'usager, annulez le RDV plutôt que de le supprimer."))
            try GoldenPageTests.expectGolden("rdv-show", html)
        }
    }

    @Test func aBasicAgentOfTheServiceSeesItWithoutSupprimer() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let response = try browser.request("GET", show)
            #expect(response.status == 200)
            #expect(!response.text.contains("Supprimer"))
            #expect(!response.text.contains(#"id="history-title""#))
            let today = try browser.request("GET", "/admin/organisations/1/rdvs/2")
            #expect(today.text.contains("L'usager est arrivé"))
            try GoldenPageTests.expectGolden("rdv-show-today-basic", today.text)
        }
    }

    /// permissions.md preamble: an appointment outside the agent's scope is absent (404), so the
    /// answer does not tell it exists.
    @Test func anAgentOfAnotherServiceFindsNothingAndNeitherDoesAnotherOrganisation() throws {
        try withAppointmentBrowser(as: "carla@example.fr") { browser, _ in
            let response = try browser.request("GET", show)
            #expect(response.status == 404)
            #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."))
            #expect(try browser.request("GET", "/admin/organisations/1/rdvs/1/edit").status == 404)
        }
        try withAppointmentBrowser(as: "denis@example.fr") { browser, _ in
            let response = try browser.request("GET", show)
            #expect(response.status == 404)
            #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."))
            // The appointment through Denis's own organisation is absent too.
            #expect(try browser.request("GET", "/admin/organisations/2/rdvs/1").status == 404)
        }
    }

    @Test func anonymousVisitorsAreSentToSignIn() throws {
        let (db, directory) = try makeWebDatabase(fixture: appointmentFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
        for path in [show, "/admin/organisations/1/rdvs", "/admin/organisations/1/rdvs/1/edit"] {
            let response = try browser.request("GET", path)
            #expect(response.status == 303, "\(path)")
            #expect(location(response) == "/agents/sign_in", "\(path)")
        }
    }

    @Test func cancellingPlansTheMessagesAndRedirectsWithAFlash() throws {
        try withAppointmentBrowser { browser, db in
            let token = try csrfToken(browser, show)
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs/1/status", form: [("authenticity_token", token), ("status", "revoked")])
            #expect(response.status == 303)
            #expect(location(response) == show)
            let after = try browser.request("GET", show).text
            #expect(after.contains("Le statut du rendez-vous a été modifié."))
            #expect(after.contains("Annulé (par le service)"))
            #expect(
                try messages(db, 1) == ["email rdv_cancelled jean@example.fr", "sms rdv_cancelled +33612345678"])
        }
    }

    @Test func everyActionRefusesAFormWithoutToken() throws {
        try withAppointmentBrowser { browser, db in
            for (method, path, form) in [
                ("POST", "/admin/organisations/1/rdvs/1/status", [("status", "revoked")]),
                ("POST", "/admin/organisations/1/rdvs/1/reminder", []),
                ("POST", "/admin/organisations/1/rdvs/2/arrival", []),
                ("POST", "/admin/organisations/1/rdvs/1", [("_method", "DELETE")]),
                ("POST", "/admin/organisations/1/rdvs/1", [("_method", "PATCH"), ("duration_in_min", "30")]),
            ] as [(String, String, [(String, String)])] {
                let response = try browser.request(method, path, form: form)
                #expect(response.status == 403, "\(path)")
            }
            #expect(try messages(db, 1) == [])
            let status = try db.writer.read { try String.fetchOne($0, sql: "SELECT status FROM appointments WHERE id = 1") }
            #expect(status == "unknown")
        }
    }

    @Test func otherPrincipalsCannotChangeTheStatus() throws {
        try withAppointmentBrowser(as: "carla@example.fr") { browser, _ in
            let token = try csrfToken(browser, "/admin/organisations/1/rdvs/4")
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs/1/status", form: [("authenticity_token", token), ("status", "seen")])
            #expect(response.status == 404)
        }
    }

    @Test func theReminderGoesNow() throws {
        try withAppointmentBrowser { browser, db in
            let token = try csrfToken(browser, show)
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs/1/reminder", form: [("authenticity_token", token)])
            #expect(response.status == 303)
            #expect(location(response) == show)
            #expect(try browser.request("GET", show).text.contains("Le rappel a été envoyé."))
            #expect(
                try messages(db, 1) == [
                    "email rdv_upcoming_reminder jean@example.fr", "sms rdv_upcoming_reminder +33612345678",
                ])
            // The same start is reminded once.
            _ = try browser.request("POST", "/admin/organisations/1/rdvs/1/reminder", form: [("authenticity_token", token)])
            #expect(try browser.request("GET", show).text.contains("Aucun rappel n&#39;a été envoyé"))
            // A past appointment has no reminder.
            let past = try browser.request(
                "POST", "/admin/organisations/1/rdvs/3/reminder", form: [("authenticity_token", token)])
            #expect(past.status == 400)
        }
    }

    @Test func theArrivalIsRecordedForTodayOnly() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            let token = try csrfToken(browser, "/admin/organisations/1/rdvs/2")
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs/2/arrival", form: [("authenticity_token", token)])
            #expect(response.status == 303)
            #expect(location(response) == "/admin/organisations/1/rdvs/2")
            let page = try browser.request("GET", "/admin/organisations/1/rdvs/2").text
            #expect(page.contains("L&#39;arrivée de l&#39;usager est enregistrée."))
            #expect(page.contains("Usager arrivé à 10h00"))
            let arrived = try db.writer.read { try Int64.fetchOne($0, sql: "SELECT arrived_at FROM appointments WHERE id = 2") }
            #expect(arrived == Int64(testNow.timeIntervalSince1970))
            // The agenda says « Arrivé·e »; it recolours the event only where the territory asks.
            let agenda = "/admin/organisations/1/agent_agendas/2?date=2025-11-25&view=day"
            func eventClass() throws -> String? {
                let html = try browser.request("GET", agenda).text
                return html.firstMatch(of: /<div class="([^"]*)" data-starts-at="2025-11-25T14:00:00\+01:00"/)
                    .map { String($0.output.1) }
            }
            #expect(try browser.request("GET", agenda).text.contains("<span class=\"rdv-ev__arrived\">Arrivé·e</span>"))
            #expect(try eventClass()?.contains("rdv-ev--arrived") == false)
            try db.writer.write { try $0.execute(sql: "UPDATE territories SET enable_waiting_room_color_field = 1") }
            #expect(try eventClass()?.contains("rdv-ev--arrived") == true)
            let notToday = try browser.request(
                "POST", "/admin/organisations/1/rdvs/5/arrival", form: [("authenticity_token", token)])
            #expect(notToday.status == 400)
        }
    }

    @Test func onlyTheAdminDeletesAndTheWebhookSaysDestroyed() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let token = try csrfToken(browser, "/admin/organisations/1/rdvs/2")
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs/2", form: [("_method", "DELETE"), ("authenticity_token", token)])
            #expect(response.status == 403)
        }
        try withAppointmentBrowser { browser, db in
            try db.writer.write {
                try $0.execute(
                    sql: """
                        INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                        VALUES (1, 'https://partner.example.fr/hook', 'secret', '["rdv"]')
                        """)
            }
            let token = try csrfToken(browser, show)
            let response = try browser.request(
                "POST", show, form: [("_method", "DELETE"), ("authenticity_token", token)])
            #expect(response.status == 303)
            #expect(location(response) == "/admin/organisations/1/rdvs")
            #expect(try browser.request("GET", "/admin/organisations/1/rdvs").text.contains("Le rendez-vous a été supprimé."))
            #expect(try browser.request("GET", show).status == 404)
            let rows = try db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT kind || ' ' || coalesce(json_extract(payload, '$.body'), '') FROM outbox_messages
                        WHERE kind <> 'reminder' ORDER BY id
                        """)
            }
            #expect(rows.count == 1)
            #expect(rows.first?.hasPrefix("webhook ") == true)
            #expect(rows.first?.contains(#""event":"destroyed""#) == true)
        }
    }
}

@Suite("Appointment edit", .serialized)
struct AppointmentEditTests {
    let edit = "/admin/organisations/1/rdvs/1/edit"
    let show = "/admin/organisations/1/rdvs/1"

    private func patch(_ browser: Browser, _ fields: [(String, String)]) throws -> WireResponse {
        let token = try csrfToken(browser, edit)
        return try browser.request(
            "POST", show, form: [("_method", "PATCH"), ("authenticity_token", token)] + fields)
    }

    private let valid = [
        ("start_date", "2025-11-27"), ("start_time", "11:30"), ("duration_in_min", "45"), ("lieu_id", "1"),
        ("agent_ids[]", "1"),
    ]

    @Test func theFormShowsTheStoredValues() throws {
        try withAppointmentBrowser { browser, _ in
            let response = try browser.request("GET", edit)
            #expect(response.status == 200)
            let html = response.text
            #expect(html.contains(#"id="start_date" name="start_date" required value="2025-11-27""#))
            #expect(html.contains(#"id="start_time" name="start_time" required value="10:00""#))
            #expect(html.contains(#"<option value="1" selected>MDS Centre</option>"#))
            #expect(html.contains(#"<input type="checkbox" id="agent_ids-1" name="agent_ids[]" value="1" checked>"#))
            try GoldenPageTests.expectGolden("rdv-edit", html)
        }
    }

    @Test func movingPlansRdvUpdatedAndRedirects() throws {
        try withAppointmentBrowser { browser, db in
            let response = try patch(browser, valid)
            #expect(response.status == 303)
            #expect(response.headers.first { $0.0.lowercased() == "location" }?.1 == show)
            let page = try browser.request("GET", show).text
            #expect(page.contains("Le rendez-vous a été modifié."))
            #expect(page.contains(#"<time datetime="2025-11-27T11:30:00+01:00">"#))
            // « Historique » (domain.md §0), the admin's.
            #expect(page.contains("<td data-label=\"Par\">Alice MARTIN</td><td data-label=\"Action\">Modification</td>"))
            #expect(page.contains("Début : « 27/11/2025 10h00 » → « 27/11/2025 11h30 »<br>"))
            let events = try db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT kind || ' ' || json_extract(payload, '$.event') FROM outbox_messages
                        WHERE appointment_id = 1 AND kind IN ('email', 'sms') ORDER BY id
                        """)
            }
            #expect(events == ["email rdv_updated", "sms rdv_updated"])
        }
    }

    @Test func aDurationChangeAloneNotifiesNobody() throws {
        try withAppointmentBrowser { browser, db in
            var fields = valid
            fields[1] = ("start_time", "10:00")
            fields[2] = ("duration_in_min", "60")
            #expect(try patch(browser, fields).status == 303)
            let duration = try db.writer.read {
                try Int.fetchOne($0, sql: "SELECT duration_in_min FROM appointments WHERE id = 1")
            }
            #expect(duration == 60)
            let messages = try db.writer.read {
                try Int.fetchOne(
                    $0, sql: "SELECT count(*) FROM outbox_messages WHERE appointment_id = 1 AND kind IN ('email', 'sms')")
            }
            #expect(messages == 0)
        }
    }

    @Test func hardErrorsReRenderWithTheValuesKept() throws {
        try withAppointmentBrowser { browser, _ in
            let response = try patch(
                browser, [("start_date", "2025-11-27"), ("start_time", "11:30"), ("duration_in_min", "0"), ("lieu_id", "")])
            #expect(response.status == 422)
            let html = response.text
            #expect(html.contains("<title>Erreur : "))
            #expect(html.contains(#"<p id="duration_in_min-error" class="fr-error-text">doit être un nombre de minutes entre 1 et 1440</p>"#))
            #expect(html.contains(#"id="start_time" name="start_time" required value="11:30""#))
            try GoldenPageTests.expectGolden("rdv-edit-errors", html)
            let missing = try patch(
                browser, [("start_date", "2025-11-27"), ("start_time", "11:30"), ("duration_in_min", "45"), ("lieu_id", "")])
            #expect(missing.status == 422)
            #expect(missing.text.contains(#"<p id="lieu_id-error" class="fr-error-text">doit être rempli(e) pour un motif sur place</p>"#))
            #expect(missing.text.contains(#"<p id="agent_ids-error" class="fr-error-text">doit contenir au moins un agent</p>"#))
        }
    }

    @Test func benignWarningsAskForEnregistrerQuandMeme() throws {
        try withAppointmentBrowser { browser, db in
            // Bruno already has appointment 2 today at 14:00; the past start is the other warning.
            var fields = valid
            fields[0] = ("start_date", "2025-11-25")
            fields[1] = ("start_time", "14:15")
            fields[4] = ("agent_ids[]", "2")
            let response = try patch(browser, fields)
            #expect(response.status == 422)
            #expect(response.text.contains("<li>Bruno PETIT a déjà un RDV sur ce créneau</li>"))
            #expect(response.text.contains("Enregistrer quand même"))
            try GoldenPageTests.expectGolden("rdv-edit-warnings", response.text)
            let past = try patch(browser, [("start_date", "2025-11-24")] + valid.dropFirst())
            #expect(past.text.contains("<li>Ce RDV est dans le passé</li>"))
            let anyway = try patch(browser, fields + [("ignore_benign_errors", "1")])
            #expect(anyway.status == 303)
            let agents = try db.writer.read {
                try Int64.fetchAll($0, sql: "SELECT agent_id FROM appointment_agents WHERE appointment_id = 1")
            }
            #expect(agents == [2])
        }
    }

    @Test func anAppointmentEndingJustBeforeIsAWarning() throws {
        try withAppointmentBrowser { browser, _ in
            // Bruno's appointment 2 ends today at 14:45.
            var fields = valid
            fields[0] = ("start_date", "2025-11-25")
            fields[1] = ("start_time", "15:00")
            fields[4] = ("agent_ids[]", "2")
            let response = try patch(browser, fields)
            #expect(response.status == 422)
            #expect(response.text.contains("<ul><li>Bruno PETIT a un RDV qui se termine à 14h45</li></ul>"))
        }
    }

    @Test func aBasicAgentChoosesAmongItsConfreresOnly() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let html = try browser.request("GET", edit).text
            #expect(html.contains(#"<label class="fr-label" for="agent_ids-1">Alice MARTIN</label>"#))
            #expect(html.contains(#"<label class="fr-label" for="agent_ids-2">Bruno PETIT</label>"#))
            #expect(!html.contains("Carla ROUX"))
            var fields = valid
            fields[4] = ("agent_ids[]", "3")
            let response = try patch(browser, fields)
            #expect(response.status == 422)
            #expect(
                response.text.contains(
                    #"<p id="agent_ids-error" class="fr-error-text">ne peut contenir que des agents de votre périmètre</p>"#))
        }
    }

    @Test func anotherOrganisationCannotPatch() throws {
        try withAppointmentBrowser(as: "denis@example.fr") { browser, _ in
            let token = try csrfToken(browser, "/admin/organisations/2/rdvs")
            let response = try browser.request(
                "POST", show, form: [("_method", "PATCH"), ("authenticity_token", token), ("duration_in_min", "30")])
            #expect(response.status == 404)
        }
    }
}

@Suite("Appointment participants and receipts", .serialized)
struct AppointmentParticipantsTests {
    let edit = "/admin/organisations/1/rdvs/1/edit"
    let participants = "/admin/organisations/1/rdvs/1/participants"
    let show = "/admin/organisations/1/rdvs/1"

    private func userIDs(_ db: AppDatabase, _ appointmentID: Int64) throws -> [Int64] {
        try db.writer.read {
            try Int64.fetchAll(
                $0, sql: "SELECT user_id FROM participations WHERE appointment_id = ? ORDER BY user_id",
                arguments: [appointmentID])
        }
    }

    @Test func theSearchOffersUsersWhoDoNotTakePartYet() throws {
        try withAppointmentBrowser { browser, _ in
            let html = try browser.request("GET", edit + "?user_search=du").text
            // Jean Dupont takes part; Marie Durand is offered.
            #expect(html.contains(#"<input type="hidden" name="user_id" value="2">"#))
            #expect(html.contains(#"Ajouter<span class="fr-sr-only"> Marie DURAND</span>"#))
            #expect(!html.contains(#"Ajouter<span class="fr-sr-only"> Jean DUPONT</span>"#))
            // The only participant of an individual appointment cannot be removed.
            #expect(!html.contains("Retirer"))
            try GoldenPageTests.expectGolden("rdv-edit-participant-search", html)
            let none = try browser.request("GET", edit + "?user_search=zzz").text
            #expect(none.contains("Aucun usager ne correspond à « zzz »."))
        }
    }

    @Test func addingPlansRdvCreatedForThatUserOnlyAndRemovingKeepsOne() throws {
        try withAppointmentBrowser { browser, db in
            let token = try csrfToken(browser, edit)
            let added = try browser.request(
                "POST", participants, form: [("authenticity_token", token), ("user_id", "3")])
            #expect(added.status == 303)
            #expect(added.headers.first { $0.0.lowercased() == "location" }?.1 == edit)
            #expect(try browser.request("GET", edit).text.contains("Le participant a été ajouté."))
            #expect(try userIDs(db, 1) == [1, 3])
            let messages = try db.writer.read {
                try String.fetchAll(
                    $0,
                    sql: """
                        SELECT kind || ' ' || json_extract(payload, '$.event') || ' ' || json_extract(payload, '$.recipient')
                        FROM outbox_messages WHERE appointment_id = 1 AND kind IN ('email', 'sms') ORDER BY id
                        """)
            }
            #expect(messages == ["email rdv_created paul@example.fr"])
            let removed = try browser.request(
                "POST", participants, form: [("_method", "DELETE"), ("authenticity_token", token), ("user_id", "1")])
            #expect(removed.status == 303)
            #expect(try userIDs(db, 1) == [3])
            let last = try browser.request(
                "POST", participants, form: [("_method", "DELETE"), ("authenticity_token", token), ("user_id", "3")])
            #expect(last.status == 422)
            #expect(last.text.contains("Un rendez-vous individuel doit garder au moins un usager"))
            #expect(try userIDs(db, 1) == [3])
            // The appointment's « Historique » tells who joined and who left.
            let page = try browser.request("GET", show).text
            #expect(page.contains("<td data-label=\"Par\">Alice MARTIN</td><td data-label=\"Action\">Retrait d&#39;un participant</td><td data-label=\"Changements\">Statut : « Rendez-vous à venir »<br>Usager : « Jean DUPONT »<br></td>"))
            #expect(page.contains("<td data-label=\"Par\">Alice MARTIN</td><td data-label=\"Action\">Ajout d&#39;un participant</td><td data-label=\"Changements\">Statut : « Rendez-vous à venir »<br>Usager : « Paul LAMBERT »<br></td>"))
        }
    }

    /// domain.md §11: a territory that shares its users lets an agent add a user followed only by
    /// another of its organisations (who then gets a profile here); otherwise that user is unknown.
    @Test(arguments: [true, false])
    func aUserOfAnotherOrganisationOfTheTerritory(shared: Bool) throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write {
                try $0.execute(
                    sql: """
                        UPDATE territories SET visible_users_throughout_the_territory = ?;
                        INSERT INTO users (id, first_name, last_name, created_at, updated_at)
                            VALUES (40, 'Zoé', 'Lensoise', 1764000000, 1764000000);
                        INSERT INTO user_profiles (user_id, organisation_id) VALUES (40, 2);
                        """, arguments: [shared])
            }
            let token = try csrfToken(browser, edit)
            let response = try browser.request(
                "POST", participants, form: [("authenticity_token", token), ("user_id", "40")])
            let profiles = try db.writer.read {
                try Int64.fetchAll($0, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = 40 ORDER BY 1")
            }
            if shared {
                #expect(response.status == 303)
                #expect(try userIDs(db, 1) == [1, 40])
                #expect(profiles == [1, 2])
            } else {
                #expect(response.status == 422)
                #expect(try userIDs(db, 1) == [1])
                #expect(profiles == [2])
            }
        }
    }

    @Test func participantsNeedTheTokenAndAccess() throws {
        try withAppointmentBrowser { browser, db in
            let response = try browser.request("POST", participants, form: [("user_id", "3")])
            #expect(response.status == 403)
            #expect(try userIDs(db, 1) == [1])
        }
        try withAppointmentBrowser(as: "carla@example.fr") { browser, db in
            let token = try csrfToken(browser, "/admin/organisations/1/rdvs")
            let response = try browser.request(
                "POST", participants, form: [("authenticity_token", token), ("user_id", "3")])
            #expect(response.status == 404)
            #expect(try userIDs(db, 1) == [1])
        }
    }

    @Test func theHistoryListsReceiptsWithMaskedRecipients() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write {
                try $0.execute(
                    sql: """
                        INSERT INTO receipts (appointment_id, organisation_id, event, channel, result, content, email_address, created_at)
                        VALUES (1, 1, 'rdv_created', 'mail', 'processed', 'RDV confirmé', 'jean@example.fr', 1764000000);
                        INSERT INTO receipts (appointment_id, organisation_id, event, channel, result, sms_provider,
                            sms_count, content, sms_phone_number, error_message, created_at)
                        VALUES (1, 1, 'rdv_created', 'sms', 'failure', 'dev', 1, 'RDV confirmé', '+33612345678',
                            'timeout', 1764000060);
                        """)
            }
            let html = try browser.request("GET", "/admin/organisations/1/rdvs/1").text
            #expect(html.contains("<td>j***@e***.fr</td>"))
            #expect(html.contains("<td>06 ** ** ** 78</td>"))
            #expect(html.contains(#"<span class="fr-badge fr-badge--sm fr-badge--error">Échec</span>"#))
            try GoldenPageTests.expectGolden("rdv-show-receipts", html)
        }
    }
}

@Suite("Appointment page states from the view model")
struct AppointmentShowPageTests {
    /// A collective workshop of today with an arrival, one cancelled participation and a
    /// context: states the web fixture does not hold.
    static let collective = AppointmentPageRecord(
        id: 7, organisationID: 1, motifID: 3, motifName: "Atelier massage bébé", motifColor: "#2ca02c",
        motifServiceID: 1, locationType: .publicOffice, collectif: true, name: "Atelier de décembre",
        startsAt: testNow.addingTimeInterval(3600), endsAt: testNow.addingTimeInterval(3 * 3600), status: .unknown,
        placeID: 1, placeName: "MDS Centre", placeAddress: "10 rue de la Paix, 62000 Arras",
        context: "Apporter une serviette", createdByType: .user, createdBy: "Jean DUPONT", arrivedAt: testNow,
        agents: [.init(id: 1, firstName: "Alice", lastName: "Martin")],
        participants: [
            .init(user: .init(id: 1, firstName: "Jean", lastName: "Dupont"), status: .unknown, reachableByEmail: true,
                reachableBySMS: false),
            .init(user: .init(id: 2, firstName: "Marie", lastName: "Durand"), status: .revoked, reachableByEmail: false,
                reachableBySMS: true),
        ],
        timeZone: TimeZone(identifier: "Europe/Paris")!, contextEnabled: true)

    @Test func aCollectiveShowsEachParticipationAndItsThreeStatuses() throws {
        let page = AppointmentShowPage.load(Self.collective, receipts: [], canDelete: false, now: testNow)
        #expect(page.statusChoices.map(\.value) == ["seen", "revoked", "unknown"])
        #expect(page.statusChoices[1].sentence == "Les usagers seront prévenus de l'annulation par e-mail.")
        #expect(page.participants.map(\.participationStatus) == ["Rendez-vous aujourd'hui", "Annulé (par le service)"])
        #expect(page.arrivedAtLabel == "10h00")
        #expect(page.arrivalPath == nil)
        #expect(page.destroyPath == nil)
        #expect(page.creatorLabel == "Pris en ligne par Jean DUPONT (usager)")
        // A collective is duplicated in the « RDV collectifs » form, without its participants.
        #expect(
            page.duplicatePath
                == "/admin/organisations/1/rdvs_collectifs/new?motif_id=3&place_id=1&agent_ids%5B%5D=1&duration_in_min=120&name=Atelier%20de%20d%C3%A9cembre")
        let html = try GoldenPageTests.renderer.render(page, layout: GoldenPageTests.layout)
        try GoldenPageTests.expectGolden("rdv-show-collective", html)
    }

    @Test func aPastAppointmentTellsThatNothingIsSent() throws {
        var past = Self.collective
        past.startsAt = testNow.addingTimeInterval(-7200)
        past.endsAt = testNow.addingTimeInterval(-3600)
        let page = AppointmentShowPage.load(past, receipts: [], canDelete: true, now: testNow)
        #expect(page.statusChoices[1].sentence == "Aucune notification ne sera envoyée : le rendez-vous est passé.")
        #expect(page.reminderPath == nil)
    }

    @Test(arguments: [
        ("jean.dupont@example.fr", "mail", "j***@e***.fr"), ("+33612345678", "sms", "06 ** ** ** 78"),
        ("0321000000", "sms", "03 ** ** ** 00"),
    ])
    func recipientsAreMasked(recipient: String, channel: String, masked: String) {
        #expect(AppointmentShowPage.mask(recipient, channel: channel) == masked)
    }
}
