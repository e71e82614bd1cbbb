import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « RDV collectifs » (booking.md §6) on the booking fixture: « Atelier » (collective, PMI) has
/// « Atelier portage » on 3 December, full (1/1). Chloé is in the social service.
@Suite("Collective appointments", .serialized)
struct CollectiveAppointmentTests {
    static let list = "/admin/organisations/1/rdvs_collectifs"

    @Test func theListShowsSeatsAndFiltersThem() throws {
        try withBookingBrowser { browser, _ in
            let html = try browser.request("GET", Self.list).text
            #expect(html.contains(#"<a class="fr-nav__link" href="/admin/organisations/1/rdvs_collectifs" aria-current="page">RDV collectifs</a>"#))
            #expect(html.contains(#"<a href="/admin/organisations/1/rdvs/1">Atelier : Atelier portage</a>"#))
            #expect(html.contains(#"<td>1/1 <span class="fr-badge fr-badge--sm fr-badge--warning">Complet</span></td>"#))
            let withSeats = try browser.request("GET", Self.list + "?with_seats=1").text
            #expect(withSeats.contains("Aucun RDV collectif ne correspond."))
            let later = try browser.request("GET", Self.list + "?from=2025-12-04").text
            #expect(later.contains("Aucun RDV collectif ne correspond."))
            // « Lieu »: MDS Centre holds it, MDS Sud does not; MDS Lens (another organisation's) is
            // not a choice and filters nothing.
            #expect(html.contains(#"<option value="2">MDS Sud</option>"#))
            #expect(!html.contains("MDS Lens"))
            let centre = try browser.request("GET", Self.list + "?lieu_id=1").text
            #expect(centre.contains("Atelier : Atelier portage"))
            #expect(centre.contains(#"<option value="1" selected>MDS Centre</option>"#))
            #expect(try browser.request("GET", Self.list + "?lieu_id=2").text.contains("Aucun RDV collectif ne correspond."))
            #expect(try browser.request("GET", Self.list + "?lieu_id=3").text.contains("Atelier : Atelier portage"))
            try GoldenPageTests.expectGolden("rdvs-collectifs-index", html)
        }
    }

    @Test func creatingOneLandsOnItsPageWithItsSeats() throws {
        try withBookingBrowser { browser, db in
            let form = try browser.request("GET", Self.list + "/new?motif_id=3").text
            try GoldenPageTests.expectGolden("rdvs-collectifs-new", form)
            let csrf = try GoldenPageTests.token(in: form)
            let created = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("motif_id", "3"), ("day", "2025-12-10"), ("time", "14:00"),
                    // An agent twice (a forged form) counts once.
                    ("duration_in_min", ""), ("place_id", "1"), ("agent_ids[]", "1"), ("agent_ids[]", "2"),
                    ("agent_ids[]", "2"),
                    ("name", "Massage bébé"), ("max_participants_count", "8"),
                ])
            #expect(created.status == 303)
            let location = try #require(created.header("Location"))
            #expect(location == "/admin/organisations/1/rdvs/2")
            let row = try #require(
                try db.writer.read {
                    try Row.fetchOne(
                        $0,
                        sql: """
                            SELECT collectif, name, max_participants_count, users_count, (ends_at - starts_at) / 60 AS minutes,
                                   (SELECT count(*) FROM appointment_agents WHERE appointment_id = 2) AS agents
                            FROM appointments WHERE id = 2
                            """)
                })
            #expect(row["collectif"] as Bool == true)
            #expect(row["name"] as String == "Massage bébé")
            #expect(row["max_participants_count"] as Int == 8)
            #expect(row["users_count"] as Int == 0)
            #expect(row["minutes"] as Int == 60)
            #expect(row["agents"] as Int == 2)
            let list = try browser.request("GET", Self.list).text
            #expect(list.contains(#"<a href="/admin/organisations/1/rdvs/2">Atelier : Massage bébé</a>"#))
            #expect(list.contains("<td>0/8</td>"))
        }
    }

    /// booking.md §6: « Dupliquer » copies a collective appointment into the « RDV collectifs » form.
    @Test func duplicatingFillsTheCollectiveForm() throws {
        try withBookingBrowser { browser, _ in
            let page = try browser.request("GET", "/admin/organisations/1/rdvs/1").text
            let link = "/admin/organisations/1/rdvs_collectifs/new?motif_id=3&amp;place_id=1&amp;agent_ids%5B%5D=1&amp;duration_in_min=60&amp;name=Atelier%20portage"
            #expect(page.contains(#"href="\#(link)">Dupliquer</a>"#))
            let form = try browser.request("GET", link.replacingOccurrences(of: "&amp;", with: "&")).text
            #expect(form.contains(#"<option value="3" selected>Atelier</option>"#))
            #expect(form.contains(#"value="Atelier portage""#))
            #expect(form.contains(#"<input type="checkbox" id="agent-1" name="agent_ids[]" value="1" checked>"#))
            #expect(form.contains(#"value="60""#))
        }
    }

    @Test func errorsKeepTheValuesAndALongTitleIsAWarning() throws {
        try withBookingBrowser { browser, db in
            let csrf = try GoldenPageTests.token(in: try browser.request("GET", Self.list + "/new").text)
            let refused = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("motif_id", "3"), ("day", "2025-12-10"), ("time", ""),
                    ("place_id", ""), ("name", "Atelier"), ("max_participants_count", "0"),
                ])
            #expect(refused.status == 422)
            let html = refused.text
            #expect(html.contains(#"<p id="time-error" class="fr-error-text">Saisissez une heure, par exemple 14:00.</p>"#))
            #expect(html.contains(#"<p id="place_id-error" class="fr-error-text">Choisissez le lieu de ce motif sur place.</p>"#))
            #expect(html.contains("Cochez au moins un agent."))
            #expect(html.contains("Saisissez un nombre entier supérieur ou égal à 1, ou laissez vide."))
            #expect(html.contains(#"value="2025-12-10""#))
            let long = String(repeating: "Atelier ", count: 8)
            let fields: [(String, String)] = [
                ("authenticity_token", csrf), ("motif_id", "3"), ("day", "2025-12-10"), ("time", "10:00"),
                ("place_id", "1"), ("agent_ids[]", "1"), ("name", long),
            ]
            let warned = try browser.request("POST", Self.list, form: fields)
            #expect(warned.status == 422)
            #expect(warned.text.contains("L&#39;intitulé sera tronqué à 50 caractères dans les SMS"))
            #expect(try browser.request("POST", Self.list, form: fields + [("ignore_benign_errors", "1")]).status == 303)
            // domain.md §9: a start before 2018 is a hard error, shown above the form.
            let old = try browser.request(
                "POST", Self.list,
                form: fields.map { $0.0 == "day" ? ("day", "2017-06-01") : $0 } + [("ignore_benign_errors", "1")])
            #expect(old.status == 422)
            #expect(old.text.contains(#"<div class="fr-alert fr-alert--error fr-mb-3w" role="alert"><p>"#))
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") } == 2)
        }
    }

    @Test func anotherServiceSeesNoMotifAndCannotCreate() throws {
        try withBookingBrowser((email: "chloe@example.fr", password: "un mot de passe long")) { browser, db in
            let html = try browser.request("GET", Self.list).text
            #expect(html.contains("Aucun motif collectif que vous pouvez utiliser dans cette organisation."))
            #expect(!html.contains("Atelier portage"))
            let csrf = try GoldenPageTests.token(in: html)
            let response = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("motif_id", "3"), ("day", "2025-12-10"), ("time", "10:00"),
                    ("place_id", "1"), ("agent_ids[]", "3"),
                ])
            #expect(response.status == 422)
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") } == 1)
        }
        try withBookingBrowser((email: "denis@example.fr", password: "un mot de passe long")) { browser, _ in
            let status = try browser.request("GET", Self.list).status
            #expect(status == 404)
        }
        try withBookingBrowser { browser, db in
            let status = try browser.request("POST", Self.list, form: [("motif_id", "3")]).status
            #expect(status == 403)
            #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM appointments") } == 1)
        }
    }
}
