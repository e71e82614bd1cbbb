import Domain
import Foundation
import Testing

@Suite("Appointment e-mails: ICS and HTML parts (notifications.md §8, §10)")
struct AppointmentCalendarTests {
    static let head = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RDV Service Public//RDV//FR"]
    static let eventHead = [
        "BEGIN:VEVENT", "UID:0f8fad5b-d9cb-469f-a165-70867728950e", "DTSTAMP:20211201T080000Z",
        "DTSTART;TZID=Europe/Paris:20211210T131000", "DTEND;TZID=Europe/Paris:20211210T134000",
    ]
    static let organizer = "ORGANIZER;CN=RDV Service Public:mailto:ne-pas-repondre@localhost"

    @Test("User confirmation: PUBLISH, no attendee, the user's own link")
    func userPublish() {
        // Given the S49 appointment
        let mail = NotificationMailTests.userMail(NF.plan(.rdvCreated))
        // Then its ICS is exact
        #expect(mail?.calendarMethod == .publish)
        #expect(
            mail?.ics
                == crlf(
                    Self.head + ["METHOD:PUBLISH"] + ICS.parisTimeZone + Self.eventHead + [
                        "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:RDV Dépistage IST",
                        "LOCATION:10 rue d'Ici 62000 Arras", "DESCRIPTION:https://rdv.example.fr/r/123456/Ab3dE5gH",
                        Self.organizer, "END:VEVENT", "END:VCALENDAR",
                    ]))
    }

    @Test("Agent e-mail: REQUEST listing every agent with an e-mail, the agent link, the sequence")
    func agentRequest() {
        // Given an appointment of agents 10 and 11 changed twice before, created by another agent,
        // and a custom no-reply address
        let settings = NotificationSettings(
            publicURL: "https://rdv.example.fr/", timeZone: paris, noReplyAddress: "ne-pas-repondre@rdv.example.fr")
        var appointment = NF.appointment(agentIDs: [10, 11])
        appointment.sequence = 2
        let messages = NF.plan(
            .rdvCreated, appointment: appointment, agents: [NF.agent(10), NF.agent(11)], settings: settings)
        // When the agent e-mails are built
        let agentMails = messages.filter { $0.recipient.kind == .agent }
        // Then both carry the same REQUEST
        #expect(agentMails.map(\.calendarMethod) == [.request, .request])
        #expect(Set(agentMails.compactMap(\.ics)).count == 1)
        #expect(
            agentMails.first?.ics
                == crlf(
                    Self.head + ["METHOD:REQUEST"] + ICS.parisTimeZone + Self.eventHead + [
                        "SEQUENCE:2", "STATUS:CONFIRMED", "SUMMARY:RDV Dépistage IST",
                        "LOCATION:10 rue d'Ici 62000 Arras",
                        "DESCRIPTION:https://rdv.example.fr/admin/organisations/3/rdvs/123456",
                        "ORGANIZER;CN=RDV Service Public:mailto:ne-pas-repondre@rdv.example.fr",
                        "ATTENDEE;CN=Marie DURAND10:mailto:agent10@example.fr",
                        "ATTENDEE;CN=Marie DURAND11:mailto:agent11@example.fr", "END:VEVENT", "END:VCALENDAR",
                    ]))
    }

    @Test("Cancellation: CANCEL and STATUS:CANCELLED for the user and the agent")
    func cancel() {
        // Given a revoked appointment
        let messages = NF.plan(
            .rdvCancelled, appointment: NF.appointment(status: .revoked),
            participants: [NF.participant(status: .revoked, before: .unknown)])
        // Then
        let user = NotificationMailTests.userMail(messages)
        let agent = NotificationMailTests.agentMail(messages)
        #expect(user?.calendarMethod == .cancel)
        #expect(
            user?.ics
                == crlf(
                    Self.head + ["METHOD:CANCEL"] + ICS.parisTimeZone + Self.eventHead + [
                        "SEQUENCE:0", "STATUS:CANCELLED", "SUMMARY:RDV Dépistage IST",
                        "LOCATION:10 rue d'Ici 62000 Arras", "DESCRIPTION:https://rdv.example.fr/r/123456/Ab3dE5gH",
                        Self.organizer, "END:VEVENT", "END:VCALENDAR",
                    ]))
        #expect(agent?.calendarMethod == .cancel)
        #expect(agent.map { ICalendar.unfold($0.ics ?? "") }?.contains("STATUS:CANCELLED") == true)
        #expect(agent.map { ICalendar.unfold($0.ics ?? "") }?.contains("METHOD:CANCEL") == true)
    }

    @Test("An agent removed by an update gets a CANCEL naming it among the attendees")
    func removedAgent() {
        // Given agent 11 removed from the appointment
        let messages = NF.plan(
            .rdvUpdated, appointment: NF.appointment(agentIDs: [10]), previous: NF.appointment(agentIDs: [10, 11]),
            agents: [NF.agent(10), NF.agent(11)])
        // Then agent 10 gets a REQUEST, agent 11 a CANCEL listing it
        let removed = messages.first { $0.recipient == .agent(11) }
        #expect(messages.first { $0.recipient == .agent(10) }?.calendarMethod == .request)
        #expect(removed?.calendarMethod == .cancel)
        #expect(
            removed.map { ICalendar.unfold($0.ics ?? "").filter { $0.hasPrefix("ATTENDEE") } } == [
                "ATTENDEE;CN=Marie DURAND10:mailto:agent10@example.fr",
                "ATTENDEE;CN=Marie DURAND11:mailto:agent11@example.fr",
            ])
    }

    struct LocationCase: Sendable, CustomTestStringConvertible {
        var location: LocationType
        var address: String?
        var expected: String?
        var testDescription: String { "\(location.rawValue) \(address ?? "without address")" }
    }

    @Test(
        "LOCATION per location type",
        arguments: [
            LocationCase(location: .publicOffice, address: nil, expected: "LOCATION:10 rue d'Ici 62000 Arras"),
            LocationCase(location: .phone, address: nil, expected: nil),
            LocationCase(
                location: .home, address: "3 place du Marché, 62000 Arras",
                expected: #"LOCATION:3 place du Marché\, 62000 Arras"#),
            LocationCase(location: .home, address: nil, expected: nil),
            LocationCase(
                location: .visio, address: nil,
                expected:
                    "LOCATION:Visioconférence https://webconf.numerique.gouv.fr/RdvServicePublic0f8fad5bd9cb469fa16570867728950e"
            ),
        ])
    func location(row: LocationCase) {
        // Given the location type and the participant's address
        let participant = NF.participant(NF.contact(1, address: row.address))
        let messages = NF.plan(
            .rdvCreated, appointment: NF.appointment(place: row.location == .publicOffice ? NF.place : nil),
            participants: [participant], motif: NF.motif(location: row.location))
        // Then users and agents get the same LOCATION (or none)
        for mail in messages where mail.channel == .mail {
            let lines = ICalendar.unfold(mail.ics ?? "")
            #expect(lines.first { $0.hasPrefix("LOCATION:") } == row.expected)
        }
    }

    @Test("ICS exactly when there is a METHOD: none for SMS and the waiting-list e-mail")
    func icsPresence() {
        // Given the messages of every event
        let all = NotificationEvent.allCases.flatMap { event in
            NF.plan(
                event, appointment: NF.appointment(status: event == .rdvCancelled ? .revoked : .unknown),
                participants: [NF.participant(status: event == .rdvCancelled ? .revoked : .unknown, before: .unknown)],
                author: event == .rdvUpcomingReminder || event == .newCreneauAvailable ? .system : .agent(99))
        }
        // Then
        #expect(!all.isEmpty)
        #expect(all.allSatisfy { ($0.ics != nil) == ($0.calendarMethod != nil) })
        #expect(all.allSatisfy { ($0.html != nil) == ($0.channel == .mail) })
        #expect(all.filter { $0.channel == .sms }.allSatisfy { $0.ics == nil })
        #expect(
            all.first { $0.event == .newCreneauAvailable && $0.channel == .mail }.map { $0.ics == nil } == true)
    }
}
