import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Indisponibilités » (domain.md §8) on the agenda fixture: Bob holds « Formation » on
/// Wednesday 25 November 14:00–16:00; Carla is in another service.
@Suite("Absences", .serialized)
struct AbsenceTests {
    static let list = "/admin/organisations/1/agents/2/absences"

    static func count(_ db: AppDatabase) throws -> Int? {
        try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM absences") }
    }

    @Test func theListAndAMultiDayAbsenceThatBlocksTheAgenda() throws {
        try OpeningPeriodTests.site { browser, db in
            let html = try browser.request("GET", Self.list).text
            #expect(html.contains("<h1 class=\"fr-h3\">Indisponibilités de Bob DURAND</h1>"))
            // 25 November has passed at agendaNow's 10:00? No: it ends at 16:00 today.
            #expect(html.contains("<td><a href=\"/admin/organisations/1/absences/1\">Formation</a></td><td>De 14h00 à 16h00</td><td>Le mercredi 25 novembre 2026</td>"))
            try GoldenPageTests.expectGolden("absences-index", html)
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            let created = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("title", "Congés"), ("first_day", "2026-12-01"), ("start_time", "08:00"),
                    ("end_day", "2026-12-03"), ("end_time", "18:00"), ("every", "none"), ("interval", "1"),
                ])
            #expect(created.status == 303)
            let location = try #require(created.header("Location"))
            let page = try browser.request("GET", location).text
            #expect(page.contains("L&#39;indisponibilité a été créée."))
            #expect(page.contains("<dd>Du mardi 1er décembre 2026 à 08h00 au jeudi 3 décembre 2026 à 18h00</dd>"))
            let absence = try #require(try db.absence(id: 2))
            #expect(absence.organisationID == 1)
            #expect(absence.endDay == LocalDate("2026-12-03"))
            // Blocked in every organisation: the Lens agenda shows it too.
            let lens = try browser.request("GET", "/admin/organisations/2/agent_agendas/2?date=2026-12-02&view=day").text
            #expect(lens.contains("Congés"))
            #expect(try OpeningPeriodTests.agentMails(db).count == 1)
        }
    }

    @Test func aMultiDayAbsenceCannotRepeatAndValuesAreKept() throws {
        try OpeningPeriodTests.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            let refused = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("title", "Congés"), ("first_day", "2026-12-01"), ("start_time", "08:00"),
                    ("end_day", "2026-12-03"), ("end_time", "18:00"), ("every", "week"), ("interval", "1"),
                    ("on[]", "tuesday"),
                ])
            #expect(refused.status == 422)
            #expect(
                refused.text.contains(
                    #"<p id="every-error" class="fr-error-text fr-fieldset__element">Une indisponibilité sur plusieurs jours ne peut pas être récurrente.</p>"#
                ))
            #expect(refused.text.contains(#"value="2026-12-03""#))
            #expect(refused.text.contains(#"<input type="checkbox" id="on-tuesday" name="on[]" value="tuesday" checked>"#))
            #expect(try Self.count(db) == 1)
            try GoldenPageTests.expectGolden("absences-form-errors", refused.text)
        }
    }

    @Test func editingAndDeleting() throws {
        try OpeningPeriodTests.site { browser, db in
            let edit = try browser.request("GET", "/admin/organisations/1/absences/1/edit").text
            #expect(edit.contains(#"value="Formation""#))
            let csrf = try GoldenPageTests.token(in: edit)
            let updated = try browser.request(
                "POST", "/admin/organisations/1/absences/1",
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("title", "Formation"), ("first_day", "2026-11-25"),
                    ("start_time", "13:00"), ("end_day", ""), ("end_time", "17:00"), ("every", "week"), ("interval", "2"),
                    ("on[]", "wednesday"), ("until", "2026-12-31"),
                ])
            #expect(updated.status == 303)
            let absence = try #require(try db.absence(id: 1))
            #expect(absence.startTime == TimeOfDay("13:00"))
            #expect(absence.recurrence == .weekly(.init(interval: 2, weekdays: [.wednesday], until: LocalDate("2026-12-31"))))
            let deleted = try browser.request(
                "POST", "/admin/organisations/1/absences/1", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(deleted.status == 303)
            #expect(try Self.count(db) == 0)
            #expect(try OpeningPeriodTests.agentMails(db).count == 2)
        }
    }

    @Test func outsideTheAgentScopeIs404AndTheTokenIsRequired() throws {
        try OpeningPeriodTests.site("carla@example.fr") { browser, db in
            let paths = [
                Self.list, Self.list + "/new", "/admin/organisations/1/absences/1", "/admin/organisations/1/absences/1/edit",
            ]
            for path in paths {
                let status = try browser.request("GET", path).status
                #expect(status == 404, "\(path)")
            }
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", "/admin/organisations/1/rdvs").text)
            #expect(
                try browser.request(
                    "POST", "/admin/organisations/1/absences/1", form: [("authenticity_token", csrf), ("_method", "DELETE")]
                ).status == 404)
            #expect(try Self.count(db) == 1)
        }
        try OpeningPeriodTests.site { browser, db in
            let status = try browser.request("POST", Self.list, form: [("title", "x")]).status
            #expect(status == 403)
            #expect(try Self.count(db) == 1)
        }
    }
}

@Suite("One occurrence of an absence", .serialized)
struct AbsenceOccurrenceTests {
    @Test func aWeeklyAbsenceLosesOneOccurrenceAndGetsItBack() throws {
        try OpeningPeriodTests.site { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", AbsenceTests.list + "/new").text)
            let created = try browser.request(
                "POST", AbsenceTests.list,
                form: [
                    ("authenticity_token", csrf), ("title", "Réunion d'équipe"), ("first_day", "2026-11-27"),
                    ("start_time", "14:00"), ("end_day", ""), ("end_time", "15:00"), ("every", "week"), ("interval", "1"),
                    ("on[]", "friday"),
                ])
            #expect(created.status == 303)
            let page = try #require(created.header("Location"))
            let html = try browser.request("GET", page).text
            #expect(html.contains(#"<tr data-date="2026-12-04"><td>Vendredi 4 décembre 2026</td><td>14h00 – 15h00</td>"#))
            let cancel = try browser.request(
                "POST", page + "/occurrence", form: [("authenticity_token", csrf), ("_method", "DELETE"), ("date", "2026-12-04")])
            #expect(cancel.status == 303)
            let exceptions = try db.writer.read {
                try String.fetchAll($0, sql: "SELECT date || ' ' || cancelled FROM occurrence_exceptions WHERE absence_id IS NOT NULL")
            }
            #expect(exceptions == ["2026-12-04 1"])
            let moved = try browser.request(
                "POST", page + "/occurrence",
                form: [
                    ("authenticity_token", csrf), ("_method", "PATCH"), ("date", "2026-12-11"), ("day", "2026-12-11"),
                    ("start_time", "15:00"), ("end_time", "16:00"),
                ])
            #expect(moved.status == 303)
            let restored = try browser.request(
                "POST", page + "/occurrence/restore", form: [("authenticity_token", csrf), ("date", "2026-12-04")])
            #expect(restored.status == 303)
            let after = try db.writer.read {
                try String.fetchAll(
                    $0, sql: "SELECT date || ' ' || cancelled || ' ' || coalesce(start_time, '-') FROM occurrence_exceptions")
            }
            #expect(after == ["2026-12-11 0 15:00"])
            // « Formation » does not repeat: it has no single occurrence to change.
            #expect(try browser.request("GET", "/admin/organisations/1/absences/1/occurrence?date=2026-11-25").status == 404)
        }
    }
}
