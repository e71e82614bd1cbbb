import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// « Liste des RDV » on `appointmentFixture` (booking.md §9).
@Suite("Appointment list", .serialized)
struct AppointmentListTests {
    let list = "/admin/organisations/1/rdvs"

    /// The appointment ids linked from the rows, in order.
    private func ids(_ html: String) -> [Int64] {
        html.matches(of: /<tr><td><a href="\/admin\/organisations\/1\/rdvs\/(\d+)">/).compactMap { Int64($0.output.1) }
    }

    @Test func theAdminSeesTenPerPageNewestFirst() throws {
        try withAppointmentBrowser { browser, _ in
            let first = try browser.request("GET", list)
            #expect(first.status == 200)
            #expect(first.text.contains("<p role=\"status\">16 rendez-vous</p>"))
            #expect(ids(first.text) == [16, 15, 14, 13, 12, 11, 10, 9, 8, 7])
            #expect(first.text.contains(#"href="/admin/organisations/1/rdvs?page=2" title="Page 2""#))
            try GoldenPageTests.expectGolden("rdvs-index", first.text)
            let second = try browser.request("GET", list + "?page=2")
            #expect(ids(second.text) == [6, 5, 1, 4, 2, 3])
        }
    }

    /// A page number whose row offset overflows would stop the process (Swift traps): it is
    /// clamped, and the page past the end shows the last rows' page links.
    @Test func anAbsurdPageNumberIsServedNotACrash() throws {
        try withAppointmentBrowser { browser, _ in
            for page in ["9223372036854775807", "-1", "abc"] {
                let response = try browser.request("GET", list + "?page=" + page)
                #expect(response.status == 200, "\(page)")
            }
        }
    }

    @Test func filtersNarrowTheRows() throws {
        try withAppointmentBrowser { browser, _ in
            let pending = try browser.request("GET", list + "?agent_id=1&status=unknown_past")
            #expect(ids(pending.text) == [3])
            #expect(pending.text.contains(#"<option value="unknown_past" selected>À renseigner</option>"#))
            try GoldenPageTests.expectGolden("rdvs-index-filtered", pending.text)
            #expect(ids(try browser.request("GET", list + "?status=unknown_future&agent_id=1").text) == [1])
            #expect(ids(try browser.request("GET", list + "?motif_ids%5B%5D=2").text) == [4])
            #expect(ids(try browser.request("GET", list + "?lieu_ids%5B%5D=2").text) == [4])
            #expect(ids(try browser.request("GET", list + "?start=2025-11-25&end=2025-11-27").text) == [1, 4, 2])
            #expect(ids(try browser.request("GET", list + "?user=dupont").text) == [1, 3])
            #expect(ids(try browser.request("GET", list + "?user_id=2").text) == [4, 2])
            let none = try browser.request("GET", list + "?status=seen")
            #expect(none.text.contains("Aucun rendez-vous ne correspond à ces filtres."))
            try GoldenPageTests.expectGolden("rdvs-index-empty", none.text)
        }
    }

    @Test func pageLinksKeepTheFilters() throws {
        try withAppointmentBrowser { browser, _ in
            let html = try browser.request("GET", list + "?agent_id=2").text
            #expect(ids(html) == [16, 15, 14, 13, 12, 11, 10, 9, 8, 7])
            #expect(html.contains(#"href="/admin/organisations/1/rdvs?agent_id=2&amp;page=2""#))
            #expect(ids(try browser.request("GET", list + "?agent_id=2&page=2").text) == [6, 5, 2])
        }
    }

    @Test func aBasicAgentSeesOnlyItsScope() throws {
        // Carla (Social): her own appointment 4; none of the PMI ones.
        try withAppointmentBrowser(as: "carla@example.fr") { browser, _ in
            let html = try browser.request("GET", list).text
            #expect(ids(html) == [4])
        }
        // Bruno (PMI): every PMI appointment, not the social one.
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let html = try browser.request("GET", list + "?page=2").text
            #expect(ids(html) == [6, 5, 1, 2, 3])
        }
    }

    @Test func anotherOrganisationsListIsAbsent() throws {
        try withAppointmentBrowser(as: "denis@example.fr") { browser, _ in
            let response = try browser.request("GET", list)
            #expect(response.status == 404)
            #expect(response.text.contains("Vous n&#39;avez pas accès à cette page."))
            let own = try browser.request("GET", "/admin/organisations/2/rdvs")
            #expect(own.status == 200)
            #expect(ids(own.text) == [])
        }
    }
}
