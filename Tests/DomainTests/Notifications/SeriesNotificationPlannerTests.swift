import Domain
import Foundation
import Testing

@Suite("Opening period and absence e-mails (notifications.md §2, §8, §10)")
struct SeriesNotificationPlannerTests {
    static let now = instant("2024-06-01T10:00:00+02:00")
    static let settings = NotificationSettings(publicURL: "https://rdv.example.fr", timeZone: paris)
    static let place = NotifiedPlace(id: 5, name: "MDS Centre", address: "10 rue d'Ici 62000 Arras")

    static func agent(openingPeriods: Agent.NotificationLevel = .all, absences: Agent.NotificationLevel = .all) -> Agent
    {
        Agent(
            id: 7, email: "marie.durand@example.fr", firstName: "Marie", lastName: "Durand",
            plageOuvertureNotificationLevel: openingPeriods, absenceNotificationLevel: absences, serviceIDs: [1])
    }

    /// « Permanence », Mondays and Thursdays 09:00–12:00 from 3 June to 31 December 2024, at MDS
    /// Centre, without its Monday 10 June.
    static let openingPeriod = NotifiedSeries(
        OpeningPeriod(
            id: 42, agentID: 7, organisationID: 3, title: "Permanence", placeID: 5, firstDay: ICS.day("2024-06-03"),
            startTime: ICS.time("09:00"), endTime: ICS.time("12:00"),
            recurrence: .weekly(Recurrence.Weekly(weekdays: [.monday, .thursday], until: ICS.day("2024-12-31"))),
            motifIDs: [1]),
        id: 42, place: place,
        exceptions: [
            OccurrenceException(
                seriesType: .openingPeriod, seriesID: 42, date: ICS.day("2024-06-10"), cancelled: true)
        ], updatedAt: now)

    /// « Congés » from Monday 1 July 14:00 to Friday 5 July 18:00, without organisation.
    static let absence = NotifiedSeries(
        Absence(
            id: 8, agentID: 7, title: "Congés", firstDay: ICS.day("2024-07-01"), startTime: ICS.time("14:00"),
            endDay: ICS.day("2024-07-05"), endTime: ICS.time("18:00")),
        id: 8, updatedAt: now)

    static func plan(
        _ series: NotifiedSeries, _ change: SeriesChange, agent: Agent = agent(), authorName: String? = nil
    ) -> [PlannedSeriesMessage] {
        SeriesNotificationPlanner.plan(
            series: series, change: change, agent: agent, authorName: authorName, settings: settings, now: now)
    }

    @Test("Opening period created: subject, body, key and the recurring REQUEST")
    func openingPeriodCreated() {
        // Given the weekly opening period, created by another agent
        let messages = Self.plan(Self.openingPeriod, .created, authorName: "Paul MARTIN")
        // Then one message to its agent
        #expect(messages.count == 1)
        let mail = messages.first
        #expect(mail?.recipient == .agent(7))
        #expect(mail?.address == "marie.durand@example.fr")
        #expect(mail?.event == "plage_ouverture_created")
        #expect(mail?.subject == "RDV Service Public - Plage d'ouverture créée - Permanence")
        #expect(mail?.idempotencyKey == "plage_ouverture_created:42:1717228800:s0:agent-7:mail")
        #expect(
            mail?.body == """
                Votre plage d'ouverture « Permanence » a été créée par Paul MARTIN.

                Premier jour : lundi 3 juin 2024
                Horaires : de 09h00 à 12h00
                Récurrence : Toutes les semaines, le lundi et le jeudi, jusqu'au mardi 31 décembre 2024
                Lieu : MDS Centre (10 rue d'Ici 62000 Arras)

                Voir sur RDV Service Public : https://rdv.example.fr/admin/organisations/3/plage_ouvertures/42

                L'équipe RDV Service Public

                """)
        #expect(mail?.calendarMethod == .request)
        #expect(
            ICalendar.unfold(mail?.ics ?? "")
                == ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RDV Service Public//RDV//FR", "METHOD:REQUEST"]
                + ICS.parisTimeZone + [
                    "BEGIN:VEVENT", "UID:plage_ouverture_42@rdv.example.fr", "DTSTAMP:20240601T080000Z",
                    "DTSTART;TZID=Europe/Paris:20240603T090000", "DTEND;TZID=Europe/Paris:20240603T120000",
                    "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Permanence", "LOCATION:10 rue d'Ici 62000 Arras",
                    "DESCRIPTION:https://rdv.example.fr/admin/organisations/3/plage_ouvertures/42",
                    "ORGANIZER;CN=RDV Service Public:mailto:ne-pas-repondre@localhost",
                    "ATTENDEE;CN=Marie DURAND:mailto:marie.durand@example.fr",
                    "RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO,TH;UNTIL=20241231T225959Z",
                    "EXDATE;TZID=Europe/Paris:20240610T090000", "END:VEVENT", "END:VCALENDAR",
                ])
        #expect(
            mail?.html.contains("<p>Votre plage d&#39;ouverture « Permanence » a été créée par Paul MARTIN.</p>")
                == true)
    }

    @Test("Absence deleted: CANCEL, STATUS:CANCELLED, no page link")
    func absenceDestroyed() {
        // Given the multi-day absence, deleted
        let mail = Self.plan(Self.absence, .destroyed).first
        // Then
        #expect(mail?.subject == "RDV Service Public - Indisponibilité supprimée - Congés")
        #expect(mail?.idempotencyKey == "absence_destroyed:8:1717228800:s0:agent-7:mail")
        #expect(
            mail?.body == """
                Votre indisponibilité « Congés » a été supprimée.

                Du : lundi 1er juillet 2024 à 14h00
                Au : vendredi 5 juillet 2024 à 18h00

                L'équipe RDV Service Public

                """)
        #expect(mail?.calendarMethod == .cancel)
        #expect(
            ICS.eventLines(mail?.ics ?? "") == [
                "BEGIN:VEVENT", "UID:absence_8@rdv.example.fr", "DTSTAMP:20240601T080000Z",
                "DTSTART;TZID=Europe/Paris:20240701T140000", "DTEND;TZID=Europe/Paris:20240705T180000",
                "SEQUENCE:0", "STATUS:CANCELLED", "SUMMARY:Congés",
                "ORGANIZER;CN=RDV Service Public:mailto:ne-pas-repondre@localhost",
                "ATTENDEE;CN=Marie DURAND:mailto:marie.durand@example.fr", "END:VEVENT", "END:VCALENDAR",
            ])
        let lines = ICalendar.unfold(mail?.ics ?? "")
        #expect(lines.contains("METHOD:CANCEL"))
    }

    @Test("Absence updated: monthly recurrence wording and RRULE, the absence's page")
    func absenceUpdatedMonthly() {
        // Given a meeting every other month on the 1st Tuesday, from Tuesday 2 July 2024, changed again
        let series = NotifiedSeries(
            Absence(
                id: 9, agentID: 7, organisationID: 3, title: "Réunion", firstDay: ICS.day("2024-07-02"),
                startTime: ICS.time("09:00"), endTime: ICS.time("10:00"),
                recurrence: .monthly(Recurrence.Monthly(interval: 2, day: Recurrence.NthWeekday(.tuesday, 1)))),
            id: 9, updatedAt: instant("2024-06-01T12:00:00+02:00"), sequence: 3)
        // When
        let mail = Self.plan(series, .updated).first
        // Then
        #expect(mail?.subject == "RDV Service Public - Indisponibilité modifiée - Réunion")
        #expect(mail?.idempotencyKey == "absence_updated:9:1717236000:s3:agent-7:mail")
        #expect(
            mail?.body == """
                Votre indisponibilité « Réunion » a été modifiée.

                Premier jour : mardi 2 juillet 2024
                Horaires : de 09h00 à 10h00
                Récurrence : Tous les 2 mois, le 1er mardi

                Voir sur RDV Service Public : https://rdv.example.fr/admin/organisations/3/absences/9

                L'équipe RDV Service Public

                """)
        let lines = ICalendar.unfold(mail?.ics ?? "")
        #expect(lines.contains("RRULE:FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU"))
        #expect(lines.contains("SEQUENCE:3"))
        #expect(lines.contains("METHOD:REQUEST"))
    }

    @Test("Opening period updated and deleted subjects")
    func openingPeriodSubjects() {
        #expect(
            Self.plan(Self.openingPeriod, .updated).first?.subject
                == "RDV Service Public - Plage d'ouverture modifiée - Permanence")
        #expect(
            Self.plan(Self.openingPeriod, .destroyed).first?.subject
                == "RDV Service Public - Plage d'ouverture supprimée - Permanence")
    }

    struct LevelCase: Sendable, CustomTestStringConvertible {
        var openingPeriods: Agent.NotificationLevel
        var absences: Agent.NotificationLevel
        var expected: [String]
        var testDescription: String { "opening periods \(openingPeriods), absences \(absences)" }
    }

    @Test(
        "Each kind follows its own notification level",
        arguments: [
            LevelCase(openingPeriods: .all, absences: .all, expected: ["plage_ouverture_created", "absence_created"]),
            LevelCase(openingPeriods: .all, absences: .none, expected: ["plage_ouverture_created"]),
            LevelCase(openingPeriods: .none, absences: .all, expected: ["absence_created"]),
            LevelCase(openingPeriods: .none, absences: .none, expected: []),
        ])
    func levels(row: LevelCase) {
        // Given an agent with the row's levels
        let agent = Self.agent(openingPeriods: row.openingPeriods, absences: row.absences)
        // When an opening period and an absence are created
        let messages =
            Self.plan(Self.openingPeriod, .created, agent: agent) + Self.plan(Self.absence, .created, agent: agent)
        // Then
        #expect(messages.map(\.event) == row.expected)
    }

    @Test("No message without a valid e-mail, nor to a deleted agent")
    func noAddress() {
        var intervenant = Self.agent()
        intervenant.email = nil
        var deleted = Self.agent()
        deleted.deletedAt = Self.now
        #expect(Self.plan(Self.openingPeriod, .created, agent: intervenant).isEmpty)
        #expect(Self.plan(Self.openingPeriod, .created, agent: deleted).isEmpty)
    }
}
