import Domain
import Foundation
import GRDB
import HTTPTestSupport
@_spi(RawDatabase) import Persistence
import Testing

@testable import Web

/// notifications.md §10 webcal feed over real sockets: the agent's appointments, no personal data,
/// 404 for an unknown secret.
@Suite("Agent calendar feed", .serialized)
struct CalendarFeedTests {
    let api = AvailabilityAPITests()

    @Test func theFeedListsTheAgentsAppointmentWithoutPersonalData() throws {
        try api.withAPI(prepare: setCalendarUID) { port, _ in
            let response = try Browser(port: port).request("GET", "/calendrier/feed-4f2a9c.ics")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/calendar; charset=utf-8")
            let text = String(decoding: response.body, as: UTF8.self)
            let lines = ICalendar.unfold(text)
            #expect(lines.first == "BEGIN:VCALENDAR")
            #expect(lines.contains("SUMMARY:Consultation"))
            #expect(lines.contains(#"LOCATION:10 rue de la Paix\, 62000 Arras"#))
            #expect(lines.contains("DTSTART;TZID=Europe/Paris:20210503T090000"))
            #expect(lines.contains("DESCRIPTION:http://localhost:8080/admin/organisations/1/rdvs/1"))
            #expect(lines.contains("STATUS:CONFIRMED"))
            #expect(!text.contains("Dupont") && !text.contains("Jean") && !text.contains("0612345678"))
            #expect(!lines.contains { $0.hasPrefix("METHOD") || $0.hasPrefix("ATTENDEE") })
        }
    }

    @Test func anUnknownOrMalformedSecretIsNotFound() throws {
        try api.withAPI(prepare: setCalendarUID) { port, _ in
            for path in [
                "/calendrier/nobody.ics", "/calendrier/a%2Fb.ics", "/calendrier/.ics", "/calendrier/feed-4f2a9c",
            ] {
                let status = try Browser(port: port).request("GET", path).status
                #expect(status == 404, "\(path)")
            }
        }
    }

    func setCalendarUID(_ db: AppDatabase) throws {
        try db.writer.write { try $0.execute(sql: "UPDATE agents SET calendar_uid = 'feed-4f2a9c' WHERE id = 1") }
    }
}
