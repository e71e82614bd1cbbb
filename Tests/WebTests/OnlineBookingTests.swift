import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Réservation en ligne » (admin.md §2) on `appointmentFixture` (today 25 November 2025):
/// the checklist moves as a motif opens to users and gets a current opening period.
@Suite("Online booking checklist", .serialized)
struct OnlineBookingTests {
    static let page = "/admin/organisations/1/online_booking"

    @Test func theChecklistSaysWhichStepIsMissingThenThatBookingIsActive() throws {
        try withAppointmentBrowser { browser, db in
            let first = try browser.request("GET", Self.page).text
            #expect(first.contains(#"<input class="fr-input" type="text" id="public-url" value="http://localhost:8080/org/1/mds-arras" readonly>"#))
            #expect(first.contains("Aucun motif n&#39;est « Ouvert aux agents et aux usagers »"))
            #expect(first.contains(#"<a class="fr-nav__link" href="/admin/organisations/1/online_booking" aria-current="page">Réservation en ligne</a>"#))
            try db.writer.write { try $0.execute(sql: "UPDATE motifs SET bookable_by = 'everyone' WHERE id = 1") }
            let second = try browser.request("GET", Self.page).text
            #expect(second.contains("Aucun motif ouvert aux usagers n&#39;est associé à une plage d&#39;ouverture en cours"))
            // A period that ended yesterday does not count; one from today does.
            try db.writer.write {
                try $0.execute(
                    sql: """
                        INSERT INTO opening_periods (id, agent_id, organisation_id, place_id, title, first_day, start_time, end_time)
                        VALUES (1, 1, 1, 1, 'Hier', '2025-11-24', '09:00', '12:00');
                        INSERT INTO opening_period_motifs (opening_period_id, motif_id) VALUES (1, 1);
                        """)
            }
            #expect(try browser.request("GET", Self.page).text.contains("La réservation en ligne n'est pas encore active"))
            try db.writer.write {
                try $0.execute(
                    sql: """
                        INSERT INTO opening_periods (id, agent_id, organisation_id, place_id, title, first_day, start_time, end_time)
                        VALUES (2, 1, 1, 1, 'Permanence', '2025-11-25', '14:00', '17:00');
                        INSERT INTO opening_period_motifs (opening_period_id, motif_id) VALUES (2, 1);
                        """)
            }
            let active = try browser.request("GET", Self.page).text
            #expect(active.contains(#"<h2 class="fr-alert__title">La réservation en ligne est active</h2>"#))
            #expect(
                active.contains(
                    #"<tr><td><a href="/admin/organisations/1/motifs/1/edit">Consultation prénatale</a></td><td>PMI (Protection Maternelle Infantile)</td><td><span class="fr-badge fr-badge--sm fr-badge--success">Oui</span></td><td><span class="fr-badge fr-badge--sm fr-badge--success">Oui</span>"#
                ))
            try GoldenPageTests.expectGolden("online-booking-active", active)
        }
    }

    @Test func onlyTheOrganisationsAdminsSeeIt() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, _ in
            let basic = try browser.request("GET", Self.page)
            #expect(basic.status == 403)
            let elsewhere = try browser.request("GET", "/admin/organisations/2/online_booking")
            #expect(elsewhere.status == 404)
        }
    }
}
