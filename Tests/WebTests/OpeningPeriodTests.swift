import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Plages d'ouverture » (domain.md §7) on the agenda fixture: Bob (basic, PMI) holds
/// « Permanence » (weekly, Arras) and « Lens matin » (Lens); Carla is in another service.
@Suite("Opening periods", .serialized)
struct OpeningPeriodTests {
    static let list = "/admin/organisations/1/agents/2/plage_ouvertures"

    /// A signed-in browser and the database, on the agenda fixture at `agendaNow`.
    static func site(_ email: String = "bob@example.fr", _ body: (Browser, AppDatabase) throws -> Void) throws {
        let (db, directory) = try makeWebDatabase(fixture: agendaFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(agendaNow)))
        let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/agents/sign_in").text)
        let signIn = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", csrf), ("email", email), ("password", "un mot de passe long")])
        #expect(signIn.status == 303)
        try body(browser, db)
    }

    static func form(_ csrf: String, _ fields: [(String, String)]) -> [(String, String)] {
        [("authenticity_token", csrf)] + fields
    }

    static let weekly: [(String, String)] = [
        ("title", "Permanence du soir"), ("first_day", "2026-11-30"), ("start_time", "14:00"), ("end_time", "17:00"),
        ("place_id", "1"), ("motif_ids[]", "1"), ("every", "week"), ("interval", "2"), ("on[]", "monday"),
        ("on[]", "thursday"), ("monthly_by", "weekday"), ("until", "2026-12-31"),
    ]

    static func agentMails(_ db: AppDatabase) throws -> [String] {
        try db.writer.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT json_extract(payload, '$.recipient') || ' ' || json_extract(payload, '$.subject')
                    FROM outbox_messages WHERE kind = 'email' ORDER BY id
                    """)
        }
    }

    @Test func theListShowsCurrentAndPastPeriodsWithTheirRepetition() throws {
        try Self.site { browser, _ in
            let html = try browser.request("GET", Self.list).text
            #expect(html.contains("<h1 class=\"fr-h3\">Plages d&#39;ouverture de Bob DURAND</h1>"))
            #expect(
                html.contains(
                    "<td><a href=\"/admin/organisations/1/plage_ouvertures/1\">Permanence</a></td><td>De 09h00 à 12h00</td><td>À partir du lundi 2 novembre 2026 : toutes les semaines, le lundi, le mardi et le jeudi</td><td>MDS Centre</td><td>Consultation</td>"
                ))
            // « Lens matin » belongs to MDS Lens: not in Arras's list.
            #expect(!html.contains("Lens matin"))
            let past = try browser.request("GET", Self.list + "?expired=1").text
            #expect(past.contains("Aucune plage d&#39;ouverture passée."))
            let search = try browser.request("GET", Self.list + "?search=perm").text
            #expect(search.contains(">Permanence</a>"))
            let none = try browser.request("GET", Self.list + "?search=zzz").text
            #expect(none.contains("Aucune plage d&#39;ouverture ne correspond à « zzz »."))
            try GoldenPageTests.expectGolden("opening-periods-index", html)
        }
    }

    /// booking.md §9 « calendar mode »: the month of the agent's periods, each occurrence linked to
    /// its own form; a cancelled one leaves, a moved one shows on its new day.
    @Test func theCalendarModeShowsEachOccurrenceOfTheMonth() throws {
        try Self.site { browser, db in
            let calendar = Self.list + "?view=calendar"
            let html = try browser.request("GET", calendar).text
            #expect(html.contains(#"<a class="fr-tag" href="\#(Self.list)?view=calendar" aria-current="page">Calendrier</a>"#))
            #expect(html.contains(#"<h2 class="fr-h5 fr-mb-0">Novembre 2026</h2>"#))
            #expect(html.contains(#"<caption class="fr-sr-only">Plages d&#39;ouverture, novembre 2026</caption>"#))
            let thursday =
                #"<li class="rdv-month__item rdv-month__item--period" data-starts-at="2026-11-26T09:00:00+01:00"><time datetime="2026-11-26T09:00:00+01:00">09h00–12h00</time> <a href="/admin/organisations/1/plage_ouvertures/1/occurrence?date=2026-11-26">Permanence</a></li>"#
            #expect(html.contains(thursday))
            // Mondays, Tuesdays and Thursdays from 2 November: 13 occurrences in November, and the
            // weeks around it (26 October–1 November show none, 1–6 December two).
            #expect(html.matches(of: /rdv-month__item--period/).count == 13 + 2)
            #expect(!html.contains("Lens matin"))
            #expect(html.contains(#"href="\#(Self.list)?view=calendar&amp;month=2026-12">Mois suivant</a>"#))
            try GoldenPageTests.expectGolden("opening-periods-calendar", html)

            let csrf = try GoldenPageTests.token(in: html)
            _ = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1/occurrence",
                form: [
                    ("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-11-26"), ("ignore_benign_errors", "1"),
                ])
            _ = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1/occurrence",
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-11-30"), ("day", "2026-12-02"),
                    ("start_time", "14:00"), ("end_time", "16:00"),
                ])
            #expect(try OpeningPeriodTests.agentMails(db).count == 2)
            let after = try browser.request("GET", calendar + "&month=2026-11").text
            #expect(!after.contains(thursday))
            #expect(
                after.contains(
                    #"data-starts-at="2026-12-02T14:00:00+01:00"><time datetime="2026-12-02T14:00:00+01:00">14h00–16h00</time> <a href="/admin/organisations/1/plage_ouvertures/1/occurrence?date=2026-11-30">Permanence</a>"#
                ))
            // A month that is not one falls back to the current month; a search keeps the mode.
            #expect(try browser.request("GET", calendar + "&month=2026-13").text.contains(">Novembre 2026</h2>"))
            let searched = try browser.request("GET", calendar + "&month=2027-03&search=zzz").text
            #expect(searched.contains(#"<input type="hidden" name="view" value="calendar">"#))
            #expect(searched.contains(#"<input type="hidden" name="month" value="2027-03">"#))
            #expect(searched.contains(#"href="\#(Self.list)?view=calendar&amp;month=2027-04&amp;search=zzz">Mois suivant</a>"#))
            #expect(searched.contains("Aucune plage d'ouverture ce mois-ci."))
        }
    }

    @Test func creatingAWeeklyPeriodSavesItsRecurrenceAndMailsTheAgent() throws {
        try Self.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            let response = try browser.request("POST", Self.list, form: Self.form(csrf, Self.weekly))
            #expect(response.status == 303)
            let location = try #require(response.header("Location"))
            #expect(location == "/admin/organisations/1/plage_ouvertures/3")
            let page = try browser.request("GET", location).text
            #expect(page.contains("La plage d&#39;ouverture a été créée."))
            #expect(
                page.contains(
                    "<dd>À partir du lundi 30 novembre 2026 : toutes les 2 semaines, le lundi et le jeudi, jusqu&#39;au jeudi 31 décembre 2026</dd>"
                ))
            let stored = try db.writer.read {
                try Row.fetchOne(
                    $0, sql: "SELECT recurrence, recurrence_ends_at FROM opening_periods WHERE id = 3")
            }
            let row = try #require(stored)
            #expect(
                row["recurrence"] as String
                    == #"{"every":"week","interval":2,"on":["monday","thursday"],"until":"2026-12-31"}"#)
            // The end of 31 December in Paris.
            #expect(row["recurrence_ends_at"] as Int64 == 1_798_758_000)
            #expect(try Self.agentMails(db).count == 1)
            #expect(try Self.agentMails(db).first?.hasPrefix("bob@example.fr ") == true)
            // Its slots exist: Monday 30 November at 14:00.
            let agenda = try browser.request("GET", bobAgenda + "?date=2026-11-30&view=day").text
            #expect(agenda.contains("Permanence du soir"))
        }
    }

    @Test func errorsSitByTheirFieldsAndKeepEveryValue() throws {
        try Self.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            var fields = Self.weekly.filter { !["end_time", "motif_ids[]", "on[]"].contains($0.0) }
            fields.append(("end_time", "13:00"))
            let response = try browser.request("POST", Self.list, form: Self.form(csrf, fields))
            #expect(response.status == 422)
            let html = response.text
            #expect(html.contains("<title>Erreur : Nouvelle plage d&#39;ouverture — RDV Service Public</title>"))
            #expect(html.contains("Cochez au moins un jour de la semaine."))
            #expect(html.contains(#"value="Permanence du soir""#))
            #expect(html.contains(#"value="2026-12-31""#))
            let domain = try browser.request(
                "POST", Self.list, form: Self.form(csrf, fields + [("on[]", "monday")]))
            #expect(domain.status == 422)
            #expect(domain.text.contains(#"<p id="end_time-error" class="fr-error-text">Heure de fin doit être postérieure à l&#39;heure de début.</p>"#))
            #expect(domain.text.contains("Motifs doit contenir au moins un motif."))
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM opening_periods") } == 2)
            #expect(try Self.agentMails(db).isEmpty)
            try GoldenPageTests.expectGolden("opening-periods-form-errors", domain.text)
        }
    }

    @Test func anOverlapIsABenignWarningSavedOnlyWhenConfirmed() throws {
        try Self.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            // Mondays 10:00–11:00 every week: inside « Permanence ».
            let overlapping: [(String, String)] = [
                ("title", "Renfort"), ("first_day", "2026-11-30"), ("start_time", "10:00"), ("end_time", "11:00"),
                ("place_id", "1"), ("motif_ids[]", "1"), ("every", "week"), ("interval", "1"), ("on[]", "monday"),
            ]
            let warned = try browser.request("POST", Self.list, form: Self.form(csrf, overlapping))
            #expect(warned.status == 422)
            #expect(warned.text.contains("Cette plage d&#39;ouverture chevauche la plage d&#39;ouverture « Permanence »"))
            #expect(warned.text.contains("Enregistrer quand même"))
            #expect(!warned.text.contains("<title>Erreur"))
            let saved = try browser.request(
                "POST", Self.list, form: Self.form(csrf, overlapping + [("ignore_benign_errors", "1")]))
            #expect(saved.status == 303)
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM opening_periods") } == 3)
        }
    }

    @Test func editingAndDeletingPlanTheAgentsMails() throws {
        try Self.site { browser, db in
            let edit = try browser.request("GET", "/admin/organisations/1/plage_ouvertures/1/edit").text
            #expect(edit.contains(#"<input type="checkbox" id="on-thursday" name="on[]" value="thursday" checked>"#))
            let csrf = try GoldenPageTests.token(in: edit)
            let updated = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1",
                form: Self.form(
                    csrf,
                    [
                        ("_method", "PATCH"), ("title", "Permanence"), ("first_day", "2026-11-02"),
                        ("start_time", "08:30"), ("end_time", "12:00"), ("place_id", "1"), ("motif_ids[]", "1"),
                        ("every", "month"), ("interval", "1"), ("monthly_by", "weekday"), ("until", ""),
                        // Thursday 26 November's appointment falls outside: confirmed.
                        ("ignore_benign_errors", "1"),
                    ]))
            #expect(updated.status == 303)
            let period = try #require(try db.openingPeriod(id: 1, organisationID: 1))
            #expect(period.startTime == TimeOfDay(hour: 8, minute: 30))
            #expect(period.recurrence == .monthly(.init(interval: 1, day: .init(.monday, 1))))
            let deleted = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1",
                form: Self.form(csrf, [("_method", "DELETE")]))
            #expect(deleted.status == 303)
            #expect(deleted.header("Location") == Self.list)
            #expect(try db.openingPeriod(id: 1, organisationID: 1) == nil)
            #expect(try browser.request("GET", Self.list).text.contains("La plage d&#39;ouverture a été supprimée."))
            let mails = try Self.agentMails(db)
            #expect(mails.count == 2)
            #expect(mails.allSatisfy { $0.hasPrefix("bob@example.fr ") })
        }
    }

    /// Léa LEFÈVRE's appointment on Thursday 26 November at 09:30 sits in « Permanence »; moving
    /// the period to 10:30 leaves it outside: a benign warning lists it, the save needs consent.
    @Test func narrowingHoursWarnsOfTheAppointmentsLeftOutside() throws {
        try Self.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/admin/organisations/1/plage_ouvertures/1/edit").text)
            let fields: [(String, String)] = [
                ("_method", "PATCH"), ("title", "Permanence"), ("first_day", "2026-11-02"), ("start_time", "10:30"),
                ("end_time", "12:00"), ("place_id", "1"), ("motif_ids[]", "1"), ("every", "week"), ("interval", "1"),
                ("on[]", "monday"), ("on[]", "tuesday"), ("on[]", "thursday"),
            ]
            let warned = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1", form: Self.form(csrf, fields))
            #expect(warned.status == 422)
            #expect(
                warned.text.contains(
                    "<li>Ces rendez-vous à venir ne seront plus dans une plage d&#39;ouverture : jeudi 26 novembre 2026 à 09h30 (Consultation).</li>"
                ))
            #expect(try db.openingPeriod(id: 1, organisationID: 1)?.startTime == TimeOfDay("09:00"))
            let saved = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1",
                form: Self.form(csrf, fields + [("ignore_benign_errors", "1")]))
            #expect(saved.status == 303)
            #expect(try db.openingPeriod(id: 1, organisationID: 1)?.startTime == TimeOfDay("10:30"))
            // The appointment stays booked.
            #expect(try db.writer.read { try String.fetchOne($0, sql: "SELECT status FROM appointments WHERE id = 2") } == "unknown")
        }
    }

    /// A place closed and a motif deleted since the period was made: the edit form still shows
    /// them, selected and marked, and the save says by each field why they cannot stay; nothing is
    /// dropped silently.
    @Test func aPlaceOrMotifNoLongerOfferedIsShownAndRefusedNeverDropped() throws {
        try Self.site { browser, db in
            try db.writer.write {
                try $0.execute(sql: "UPDATE places SET availability = 'disabled' WHERE id = 1")
                try $0.execute(sql: "UPDATE motifs SET deleted_at = 1 WHERE id = 1")
            }
            let edit = try browser.request("GET", "/admin/organisations/1/plage_ouvertures/1/edit").text
            #expect(edit.contains(#"<option value="1" selected>MDS Centre (n&#39;est plus proposé)</option>"#))
            #expect(edit.contains(#"<input type="checkbox" id="motif-1" name="motif_ids[]" value="1" checked>"#))
            #expect(edit.contains(#"<label class="fr-label" for="motif-1">Consultation (n&#39;est plus proposé)</label>"#))
            let csrf = try GoldenPageTests.token(in: edit)
            let fields: [(String, String)] = [
                ("_method", "PATCH"), ("title", "Permanence du jeudi"), ("first_day", "2026-11-02"),
                ("start_time", "09:00"), ("end_time", "12:00"), ("place_id", "1"), ("motif_ids[]", "1"), ("every", "week"),
                ("interval", "1"), ("on[]", "monday"), ("on[]", "tuesday"), ("on[]", "thursday"),
            ]
            let refused = try browser.request(
                "POST", "/admin/organisations/1/plage_ouvertures/1", form: Self.form(csrf, fields))
            #expect(refused.status == 422)
            #expect(refused.text.contains("Lieu doit être un lieu ouvert de l&#39;organisation."))
            #expect(refused.text.contains("n&#39;est pas un motif actif de l&#39;organisation"))
            #expect(refused.text.contains(#"<option value="1" selected>MDS Centre (n&#39;est plus proposé)</option>"#))
            #expect(refused.text.contains(#"value="Permanence du jeudi""#))
            #expect(try db.openingPeriod(id: 1, organisationID: 1)?.title == "Permanence")
        }
    }

    /// Values a form cannot offer (forged or out of range) are errors by their fields, never a 500.
    @Test(arguments: [
        ("end_time", "24:00", "end_time-error"), ("until", "9999-12-31", "until-error"),
        ("motif_ids[]", "999", "motifs-error"), ("place_id", "999", "place_id-error"),
    ])
    func forgedOrOutOfRangeValuesAreRefusedByTheirFields(name: String, value: String, errorID: String) throws {
        try Self.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            let fields = Self.weekly.filter { $0.0 != name || name == "motif_ids[]" } + [(name, value)]
            let response = try browser.request("POST", Self.list, form: Self.form(csrf, fields))
            #expect(response.status == 422, "\(name)=\(value)")
            #expect(response.text.contains(#"id="\#(errorID)""#), "\(name)=\(value)")
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM opening_periods") } == 2)
        }
    }

    @Test func anotherServicesAgentGets404AndFormsNeedTheToken() throws {
        try Self.site("carla@example.fr") { browser, db in
            for path in [Self.list, Self.list + "/new", "/admin/organisations/1/plage_ouvertures/1",
                "/admin/organisations/1/plage_ouvertures/1/edit"]
            {
                #expect(try browser.request("GET", path).status == 404, "\(path)")
            }
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/admin/organisations/1/rdvs").text)
            #expect(try browser.request("POST", Self.list, form: Self.form(csrf, Self.weekly)).status == 404)
            #expect(
                try browser.request(
                    "POST", "/admin/organisations/1/plage_ouvertures/1", form: Self.form(csrf, [("_method", "DELETE")])
                ).status == 404)
            #expect(try db.openingPeriod(id: 1, organisationID: 1) != nil)
        }
        try Self.site { browser, db in
            let response = try browser.request("POST", Self.list, form: Self.weekly)
            #expect(response.status == 403)
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM opening_periods") } == 2)
        }
    }

    @Test func theFormAndThePageMatchTheirGoldenFiles() throws {
        try Self.site { browser, _ in
            try GoldenPageTests.expectGolden("opening-periods-new", try browser.request("GET", Self.list + "/new").text)
            try GoldenPageTests.expectGolden(
                "opening-periods-show", try browser.request("GET", "/admin/organisations/1/plage_ouvertures/1").text)
        }
    }
}

/// domain.md §7b: one occurrence changes without splitting the series.
@Suite("One occurrence of an opening period", .serialized)
struct OpeningPeriodOccurrenceTests {
    static let page = "/admin/organisations/1/plage_ouvertures/1"
    static let occurrence = page + "/occurrence"

    static func exceptions(_ db: AppDatabase) throws -> [String] {
        try db.writer.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT date || ' ' || cancelled || ' ' || day || ' ' || coalesce(start_time, '-') || ' ' ||
                           coalesce(end_time, '-') FROM occurrence_exceptions ORDER BY date
                    """)
        }
    }

    @Test func cancellingMovingAndRestoringOneOccurrence() throws {
        try OpeningPeriodTests.site { browser, db in
            let html = try browser.request("GET", Self.page).text
            // « Permanence » repeats Mondays, Tuesdays and Thursdays; agendaNow is Wednesday 25 November.
            #expect(html.contains(#"<tr data-date="2026-11-26"><td>Jeudi 26 novembre 2026</td><td>09h00 – 12h00</td>"#))
            try GoldenPageTests.expectGolden("opening-periods-show-occurrences", html)
            let csrf = try GoldenPageTests.token(in: html)
            // Léa LEFÈVRE's appointment at 09:30 that day would be left outside every period: the
            // occurrence's page asks first, and nothing changes until the agent confirms.
            let stranded =
                "<li>Ces rendez-vous à venir ne seront plus dans une plage d&#39;ouverture : jeudi 26 novembre 2026 à 09h30 (Consultation).</li>"
            let asked = try browser.request(
                "POST", Self.occurrence, form: [("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-11-26")])
            #expect(asked.status == 422)
            #expect(asked.text.contains(stranded))
            #expect(asked.text.contains(#"name="ignore_benign_errors" value="1">Annuler l'occurrence quand même</button>"#))
            #expect(try Self.exceptions(db).isEmpty)
            let cancelled = try browser.request(
                "POST", Self.occurrence,
                form: [
                    ("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-11-26"), ("ignore_benign_errors", "1"),
                ])
            #expect(cancelled.status == 303)
            #expect(try Self.exceptions(db) == ["2026-11-26 1 2026-11-26 - -"])
            let after = try browser.request("GET", Self.page).text
            #expect(after.contains("L&#39;occurrence a été annulée."))
            #expect(!after.contains(#"<tr data-date="2026-11-26">"#))
            #expect(after.contains("Occurrences annulées"))
            // The agenda no longer shows the period that Thursday; the series is untouched.
            let agenda = try browser.request("GET", bobAgenda + "?date=2026-11-26&view=day").text
            #expect(!agenda.contains("plage_ouvertures/1/occurrence?date=2026-11-26"))
            #expect(!agenda.contains(">Permanence — MDS Centre<"))
            // Another Thursday still shows it, its title leading to that occurrence's form.
            let next = try browser.request("GET", bobAgenda + "?date=2026-12-03&view=day").text
            #expect(next.contains(#"href="/admin/organisations/1/plage_ouvertures/1/occurrence?date=2026-12-03">Permanence — MDS Centre"#))
            #expect(try db.openingPeriod(id: 1, organisationID: 1)?.startTime == TimeOfDay("09:00"))

            let form = try browser.request("GET", Self.occurrence + "?date=2026-11-30")
            #expect(form.status == 200)
            #expect(form.text.contains("Modifier l&#39;occurrence du lundi 30 novembre 2026 de « Permanence »"))
            let bad = try browser.request(
                "POST", Self.occurrence,
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-11-30"), ("day", "2026-12-01"),
                    ("start_time", "14:00"), ("end_time", "13:00"),
                ])
            #expect(bad.status == 422)
            #expect(bad.text.contains("Heure de fin doit être postérieure à l&#39;heure de début."))
            #expect(bad.text.contains(#"value="2026-12-01""#))
            let moved = try browser.request(
                "POST", Self.occurrence,
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-11-30"), ("day", "2026-12-01"),
                    ("start_time", "14:00"), ("end_time", "17:00"),
                ])
            #expect(moved.status == 303)
            #expect(try Self.exceptions(db) == ["2026-11-26 1 2026-11-26 - -", "2026-11-30 0 2026-12-01 14:00 17:00"])
            let restored = try browser.request(
                "POST", Self.occurrence + "/restore", form: [("authenticity_token", csrf), ("date", "2026-11-26")])
            #expect(restored.status == 303)
            #expect(try Self.exceptions(db) == ["2026-11-30 0 2026-12-01 14:00 17:00"])
            // Moving that Thursday to 10:30 would leave the appointment out too: « Enregistrer quand
            // même » in the form, every value kept.
            let move: [(String, String)] = [
                ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-11-26"), ("day", "2026-11-26"),
                ("start_time", "10:30"), ("end_time", "12:00"),
            ]
            let warned = try browser.request("POST", Self.occurrence, form: move)
            #expect(warned.status == 422)
            #expect(warned.text.contains(stranded))
            #expect(warned.text.contains(#"value="10:30""#))
            #expect(warned.text.contains(">Enregistrer quand même</button>"))
            #expect(try browser.request("POST", Self.occurrence, form: move + [("ignore_benign_errors", "1")]).status == 303)
            #expect(try Self.exceptions(db) == ["2026-11-26 0 2026-11-26 10:30 12:00", "2026-11-30 0 2026-12-01 14:00 17:00"])
            // Each change mailed the agent the series again (its ICS with EXDATE / RECURRENCE-ID).
            #expect(try OpeningPeriodTests.agentMails(db).count == 4)
        }
    }

    /// domain.md §7b: a series change that leaves an exception's date out of the series warns,
    /// then deletes it with the change; a moved occurrence can be restored too.
    @Test func aSeriesChangeDropsTheExceptionsItLeavesOut() throws {
        try OpeningPeriodTests.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.page).text)
            _ = try browser.request(
                "POST", Self.occurrence,
                form: [
                    ("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-11-26"), ("ignore_benign_errors", "1"),
                ])
            _ = try browser.request(
                "POST", Self.occurrence,
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-11-30"), ("day", "2026-11-30"),
                    ("start_time", "10:00"), ("end_time", "11:00"),
                ])
            let page = try browser.request("GET", Self.page).text
            #expect(page.contains("Rétablir<span class=\"fr-sr-only\"> l'occurrence du Lundi 30 novembre 2026</span>"))
            // Thursdays leave the series: the cancelled 26 November goes with them.
            let fields: [(String, String)] = [
                ("authenticity_token", csrf), ("_method", "PATCH"), ("title", "Permanence"), ("first_day", "2026-11-02"),
                ("start_time", "09:00"), ("end_time", "12:00"), ("place_id", "1"), ("motif_ids[]", "1"),
                ("every", "week"), ("interval", "1"), ("on[]", "monday"), ("on[]", "tuesday"),
            ]
            let warned = try browser.request("POST", Self.page, form: fields)
            #expect(warned.status == 422)
            #expect(warned.text.contains("Une occurrence modifiée ou annulée ne fait plus partie de la série : elle sera supprimée."))
            #expect(try Self.exceptions(db).count == 2)
            let saved = try browser.request("POST", Self.page, form: fields + [("ignore_benign_errors", "1")])
            #expect(saved.status == 303)
            #expect(try Self.exceptions(db) == ["2026-11-30 0 2026-11-30 10:00 11:00"])
        }
    }

    @Test func aDateWithoutAnOccurrenceIs404() throws {
        try OpeningPeriodTests.site { browser, db in
            // Wednesday: « Permanence » does not repeat on Wednesdays.
            #expect(try browser.request("GET", Self.occurrence + "?date=2026-11-25").status == 404)
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.page).text)
            let status = try browser.request(
                "POST", Self.occurrence, form: [("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-11-25")]
            ).status
            #expect(status == 404)
            // « Lens matin » is a single day: no occurrence to change (and it is Lens's).
            #expect(try browser.request("GET", "/admin/organisations/2/plage_ouvertures/2/occurrence?date=2026-11-27").status == 404)
            #expect(try Self.exceptions(db).isEmpty)
        }
    }
}
