import Domain
import Foundation
import Testing

@Suite("Agent webcal feed (notifications.md §10)")
struct AgentCalendarFeedTests {
    static func entry(
        _ id: Int64, _ start: String, minutes: Double = 30, status: AppointmentStatus = .unknown,
        motif: String = "Dépistage IST", collective: CalendarFeedEntry.Collective? = nil,
        location: CalendarFeedEntry.Location = .place(address: "10 rue d'Ici 62000 Arras"), organisationID: Int64 = 3
    ) -> CalendarFeedEntry {
        let startsAt = instant(start)
        return CalendarFeedEntry(
            appointmentID: id, uuid: UUID(uuidString: "00000000-0000-0000-0000-00000000000\(id)") ?? UUID(),
            organisationID: organisationID, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(minutes * 60),
            status: status, motifName: motif, collective: collective, location: location)
    }

    @Test("One VEVENT per appointment since now − 1 month, in start order; cancelled and collective ones")
    func feed() {
        // Given, on Wednesday 1 December 2021, an appointment, a cancelled home one, a collective
        // one in another organisation, and one from 15 October (older than a month)
        let entries = [
            Self.entry(1, "2021-12-10T13:10:00+01:00"),
            Self.entry(
                3, "2021-12-15T14:00:00+01:00", minutes: 120, motif: "Atelier",
                collective: CalendarFeedEntry.Collective(name: "Atelier portage", usersCount: 3, maxParticipants: 8),
                location: .place(address: "1 rue du Sud 62000 Arras"), organisationID: 4),
            Self.entry(
                2, "2021-12-06T09:00:00+01:00", status: .revoked, motif: "Consultation",
                location: .home(postCode: "62000", city: "Arras")),
            Self.entry(4, "2021-10-15T09:00:00+02:00"),
        ]
        // When the feed is built
        let document = AgentCalendarFeed.document(entries: entries, settings: NF.settings, now: NF.now)
        // Then
        func event(_ id: Int, _ lines: [String]) -> [String] {
            ["BEGIN:VEVENT", "UID:00000000-0000-0000-0000-00000000000\(id)", "DTSTAMP:20211201T080000Z"] + lines
                + ["END:VEVENT"]
        }
        #expect(
            ICalendar.unfold(document)
                == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RDV Service Public//RDV//FR"] + ICS.parisTimeZone
                + event(
                    2,
                    [
                        "DTSTART;TZID=Europe/Paris:20211206T090000", "DTEND;TZID=Europe/Paris:20211206T093000",
                        "SEQUENCE:0", "STATUS:CANCELLED", "SUMMARY:Consultation", "LOCATION:À domicile (62000 Arras)",
                        "DESCRIPTION:https://rdv.example.fr/admin/organisations/3/rdvs/2",
                    ])
                + event(
                    1,
                    [
                        "DTSTART;TZID=Europe/Paris:20211210T131000", "DTEND;TZID=Europe/Paris:20211210T134000",
                        "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Dépistage IST",
                        "LOCATION:10 rue d'Ici 62000 Arras",
                        "DESCRIPTION:https://rdv.example.fr/admin/organisations/3/rdvs/1",
                    ])
                + event(
                    3,
                    [
                        "DTSTART;TZID=Europe/Paris:20211215T140000", "DTEND;TZID=Europe/Paris:20211215T160000",
                        "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Atelier portage (3/8)",
                        "LOCATION:1 rue du Sud 62000 Arras",
                        "DESCRIPTION:https://rdv.example.fr/admin/organisations/4/rdvs/3",
                    ]) + ["END:VCALENDAR"])
        #expect(!document.contains("METHOD:"))
        #expect(!document.contains("ATTENDEE") && !document.contains("ORGANIZER"))
    }

    @Test("The window starts one calendar month before now")
    func window() {
        #expect(
            AgentCalendarFeed.earliestStart(now: instant("2021-12-01T09:00:00+01:00"), in: paris)
                == instant("2021-11-01T09:00:00+01:00"))
    }

    struct LocationCase: Sendable, CustomTestStringConvertible {
        var location: CalendarFeedEntry.Location
        var expected: String
        var testDescription: String { expected }
    }

    @Test(
        "LOCATION wording",
        arguments: [
            LocationCase(location: .place(address: "10 rue d'Ici 62000 Arras"), expected: "10 rue d'Ici 62000 Arras"),
            LocationCase(location: .home(postCode: "62000", city: "Arras"), expected: "À domicile (62000 Arras)"),
            LocationCase(location: .home(postCode: nil, city: nil), expected: "À domicile"),
            LocationCase(location: .phone, expected: "Par téléphone"),
            LocationCase(location: .visio, expected: "Visioconférence"),
            LocationCase(
                location: .occasional(address: "Salle des fêtes"), expected: "Lieu ponctuel : Salle des fêtes"),
        ])
    func location(row: LocationCase) {
        #expect(Self.entry(1, "2021-12-10T13:10:00+01:00", location: row.location).locationText == row.expected)
    }

    @Test("Collective SUMMARY: the motif without intitulé, the count alone without a limit")
    func collectiveSummary() {
        let unnamed = Self.entry(
            1, "2021-12-10T13:10:00+01:00", motif: "Atelier",
            collective: CalendarFeedEntry.Collective(name: " ", usersCount: 2, maxParticipants: 10))
        let unlimited = Self.entry(
            1, "2021-12-10T13:10:00+01:00", motif: "Atelier",
            collective: CalendarFeedEntry.Collective(name: "Portage", usersCount: 4, maxParticipants: nil))
        #expect(unnamed.summary == "Atelier (2/10)")
        #expect(unlimited.summary == "Portage (4)")
    }
}
