import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// The booking wizard (booking.md §1.3–§1.4) on `bookingFixture`.
@Suite("Booking wizard", .serialized)
struct AppointmentWizardTests {
    static let new = "/admin/organisations/1/rdvs/new"
    static let entry =
        new + "?motif_id=1&lieu_id=1&starts_at=2025-11-26T09%3A00%3A00%2B01%3A00&duration=30&agent_ids%5B%5D=1&user_ids%5B%5D=1"

    /// The form as the entry query fills it, with the page's token.
    static func form(
        _ browser: Browser, _ overrides: [(String, String)] = [], drop: Set<String> = [], adding: [(String, String)] = []
    ) throws -> [(String, String)] {
        let token = try #require(Browser.token(in: try browser.request("GET", new).text))
        var form: [(String, String)] = [
            ("authenticity_token", token), ("notification_keys", "1"), ("service_id", "1"), ("motif_id", "1"),
            ("user_ids[]", "1"), ("agent_ids[]", "1"), ("start_date", "2025-11-26"), ("start_time", "09:00"),
            ("duration", "30"), ("lieu_id", "1"), ("notify", "1"), ("remind", "1"),
        ]
        form.removeAll { drop.contains($0.0) }
        for (name, value) in overrides {
            form.removeAll { $0.0 == name }
            form.append((name, value))
        }
        return form + adding
    }

    @Test func theEntryQueryFillsTheFourSteps() throws {
        try withBookingBrowser { browser, _ in
            let response = try browser.request("GET", Self.entry)
            #expect(response.status == 200)
            let html = response.text
            #expect(html.contains(#"<option value="1" selected>Consultation</option>"#))
            #expect(html.contains(#"<input type="checkbox" id="user-1" name="user_ids[]" value="1" checked>"#))
            #expect(html.contains(#"id="start_date" name="start_date" required value="2025-11-26""#))
            #expect(html.contains(#"id="start_time" name="start_time" required value="09:00""#))
            #expect(html.contains(#"id="duration" name="duration" required value="30""#))
            #expect(html.contains(#"<input type="checkbox" id="agent-1" name="agent_ids[]" value="1" checked>"#))
            #expect(html.contains(#"<option value="1" selected>MDS Centre (10 rue de la Paix, 62000 Arras)</option>"#))
            #expect(html.contains(">Prévenir l'usager (création, modification, annulation)</label>"))
            #expect(
                html.contains(
                    "Jean DUPONT recevra un SMS et un e-mail de confirmation, et un rappel 2 jours avant."))
            #expect(html.contains(#"<button type="submit" class="fr-btn">Créer le rendez-vous</button>"#))
            try GoldenPageTests.expectGolden("rdv-wizard-new", html)
        }
    }

    @Test func aRelativesMessagesGoToTheResponsible() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.entry.replacingOccurrences(of: "user_ids%5B%5D=1", with: "user_ids%5B%5D=3")).text
            #expect(
                html.contains(
                    "Jean DUPONT (responsable de Léo DUPONT) recevra un SMS et un e-mail de confirmation, et un rappel 2 jours avant."
                ))
        }
    }

    @Test func theUserSearchAddsCheckboxesAndKeepsTheForm() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.entry + "&user_search=curie").text
            #expect(html.contains(#"<input type="checkbox" id="user-2" name="user_ids[]" value="2">"#))
            #expect(html.contains(#"aria-label="Rechercher un usager""#))
            #expect(html.contains(#"value="curie""#))
            let none = try browser.request("GET", Self.new + "?user_search=zzz").text
            #expect(none.contains("Aucun usager ne correspond à « zzz »."))
            try GoldenPageTests.expectGolden("rdv-wizard-user-search", html)
        }
    }

    @Test func savingCreatesTheAppointmentAndLandsOnTheAgenda() throws {
        try withBookingBrowser { browser, db in
            let response = try browser.request("POST", "/admin/organisations/1/rdvs", form: try Self.form(browser))
            #expect(response.status == 303)
            #expect(response.header("Location") == "/admin/organisations/1/agent_agendas/1?date=2025-11-26&highlight=2")
            #expect(browser.cookies["rdv_flash"] == "rdv_created")
            let row = try #require(
                try db.writer.read { db in
                    try Row.fetchOne(db, sql: "SELECT created_by_type, created_by_id, place_id FROM appointments WHERE id = 2")
                })
            #expect(row["created_by_type"] as String == "Agent")
            #expect(row["created_by_id"] as Int64 == 1)
            let kinds = try db.writer.read { db in
                try String.fetchAll(db, sql: "SELECT kind FROM outbox_messages WHERE appointment_id = 2 ORDER BY kind")
            }
            // The reminder's moment (Monday 24, 2 days before) has passed: only the confirmation.
            #expect(kinds == ["email", "sms"])
        }
    }

    @Test func hardErrorsAreShownByTheirFieldsWithEveryValueKept() throws {
        try withBookingBrowser { browser, db in
            let form = try Self.form(browser, [("start_time", "25:99"), ("duration", "30")], drop: ["agent_ids[]"])
            let response = try browser.request("POST", "/admin/organisations/1/rdvs", form: form)
            #expect(response.status == 422)
            let html = response.text
            #expect(html.contains("<title>Erreur : Nouveau rendez-vous"))
            #expect(html.contains(#"<p id="start_time-error" class="fr-error-text">Indiquez une heure valide (HH:MM).</p>"#))
            #expect(html.contains(#"value="25:99""#))
            #expect(html.contains(#"id="start_date" name="start_date" required value="2025-11-26""#))
            #expect(html.contains(#"<input type="checkbox" id="user-1" name="user_ids[]" value="1" checked>"#))
            try GoldenPageTests.expectGolden("rdv-wizard-errors", html)
            let noAgent = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: try Self.form(browser, drop: ["agent_ids[]"]))
            #expect(noAgent.status == 422)
            #expect(noAgent.text.contains(#"<p id="agents-error" class="fr-error-text">Agents : doit contenir au moins un agent</p>"#))
            let empty = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: try Self.form(browser, drop: ["motif_id", "user_ids[]"]))
            #expect(empty.status == 422)
            #expect(empty.text.contains(#"<p id="motif_id-error" class="fr-error-text">Veuillez choisir un motif.</p>"#))
            #expect(empty.text.contains(#"<p id="users-error" class="fr-error-text fr-fieldset__element" role="alert">Ajoutez au moins un usager.</p>"#))
            let count = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") }
            #expect(count == 1)
        }
    }

    @Test func benignWarningsNeedEnregistrerQuandMeme() throws {
        try withBookingBrowser { browser, db in
            let past = try Self.form(browser, [("start_date", "2025-11-24")])
            let response = try browser.request("POST", "/admin/organisations/1/rdvs", form: past)
            #expect(response.status == 422)
            let html = response.text
            #expect(html.contains("<li>Ce RDV est dans le passé</li>"))
            #expect(html.contains(#"name="ignore_benign_errors" value="1">Enregistrer quand même</button>"#))
            #expect(html.contains("Jean DUPONT ne recevra aucune notification : le rendez-vous est dans le passé."))
            try GoldenPageTests.expectGolden("rdv-wizard-warnings", html)
            let confirmed = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: past + [("ignore_benign_errors", "1")])
            #expect(confirmed.status == 303)
            #expect(confirmed.header("Location") == "/admin/organisations/1/agent_agendas/1?date=2025-11-24&highlight=2")
            // notifications.md §3: nothing is sent about a past appointment.
            let messages = try db.writer.read {
                try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_messages WHERE appointment_id = 2 AND kind <> 'webhook'")
            }
            #expect(messages == 0)
        }
    }

    @Test func anOverlapWithAnotherAppointmentIsAWarning() throws {
        try withBookingBrowser { browser, _ in
            let first = try browser.request("POST", "/admin/organisations/1/rdvs", form: try Self.form(browser))
            #expect(first.status == 303)
            let again = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: try Self.form(browser, [("user_ids[]", "2"), ("notify", "2"), ("notification_keys", "2")]))
            #expect(again.status == 422)
            #expect(again.text.contains("<li>Alice MARTIN a déjà un RDV sur ce créneau</li>"))
            let duplicate = try browser.request("POST", "/admin/organisations/1/rdvs", form: try Self.form(browser))
            #expect(duplicate.status == 422)
            #expect(duplicate.text.contains(Appointment.duplicateMessage))
        }
    }

    @Test func aNewUserWithAResponsibleIsCreatedInTheSameTransaction() throws {
        try withBookingBrowser { browser, db in
            let form = try Self.form(
                browser,
                [
                    ("new_user_first_name", "Léa"), ("new_user_last_name", "Dupont"), ("new_user_responsible_id", "1"),
                    ("notify", "new"),
                ], adding: [("notification_keys", "new")])
            let response = try browser.request("POST", "/admin/organisations/1/rdvs", form: form)
            #expect(response.status == 303)
            let row = try #require(
                try db.writer.read { db in
                    try Row.fetchOne(
                        db, sql: "SELECT id, responsible_id, created_through FROM users WHERE first_name = 'Léa'")
                })
            #expect(row["responsible_id"] as Int64? == 1)
            #expect(row["created_through"] as String == "agent_creation")
            let participants = try db.writer.read { db in
                try Row.fetchAll(
                    db,
                    sql: """
                        SELECT user_id, send_lifecycle_notifications, send_reminder_notification FROM participations
                        WHERE appointment_id = 2 ORDER BY user_id
                        """
                ).map { [$0["user_id"] as Int64, $0["send_lifecycle_notifications"], $0["send_reminder_notification"]] }
            }
            // Jean: lifecycle unchecked ("notify" was replaced), reminder checked; Léa: lifecycle only.
            #expect(participants == [[1, 0, 1], [row["id"] as Int64, 1, 0]])
        }
    }

    @Test func aFormWithoutItsTokenIsRefused() throws {
        try withBookingBrowser { browser, db in
            let form = try Self.form(browser, drop: ["authenticity_token"])
            let response = try browser.request("POST", "/admin/organisations/1/rdvs", form: form)
            #expect(response.status == 403)
            let count = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") }
            #expect(count == 1)
        }
    }

    @Test func aNonMemberCannotOpenOrPostTheWizard() throws {
        try withBookingBrowser((email: "denis@example.fr", password: "un mot de passe long")) { browser, _ in
            let page = try browser.request("GET", Self.entry)
            #expect(page.status == 404)
            #expect(page.text.contains("Vous n&#39;avez pas accès à cette page."))
            let token = try #require(Browser.token(in: try browser.request("GET", "/admin/organisations/2/rdvs/new").text))
            let post = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: [("authenticity_token", token), ("motif_id", "1")])
            #expect(post.status == 404)
        }
    }

    @Test func anAgentOfAnotherServiceCannotBookTheMotif() throws {
        try withBookingBrowser((email: "chloe@example.fr", password: "un mot de passe long")) { browser, _ in
            let response = try browser.request("GET", Self.entry)
            #expect(response.status == 403)
        }
    }

    @Test func aBasicAgentCannotBookForAnAgentOutsideItsScope() throws {
        try withBookingBrowser((email: "bob@example.fr", password: "un mot de passe long")) { browser, _ in
            // Chloé (Social) is not a confrère of Bob (PMI).
            let response = try browser.request(
                "POST", "/admin/organisations/1/rdvs", form: try Self.form(browser, [("agent_ids[]", "3")]))
            #expect(response.status == 403)
        }
    }
}
