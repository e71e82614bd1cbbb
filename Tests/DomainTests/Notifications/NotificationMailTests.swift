import Domain
import Foundation
import Testing

@Suite("Notification e-mails and formats (notifications.md §5, §8)")
struct NotificationMailTests {
    static let sentence =
        "Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant. Pour toute question, appelez le 03 21 00 00 00."
    static let button = "Voir mon rendez-vous : https://rdv.example.fr/r/123456/Ab3dE5gH"
    static let recap = """
        Date : vendredi 10 décembre 2021 à 13h10
        Usager(s) : Jeanne DUPONT
        Motif : Dépistage IST
        Service : PMI (Protection Maternelle Infantile)
        Durée : 30 minutes
        Lieu : MDS Centre (10 rue d'Ici 62000 Arras)
        """

    static func userMail(_ messages: [PlannedMessage]) -> PlannedMessage? {
        messages.first { $0.channel == .mail && $0.recipient.kind == .user }
    }

    static func agentMail(_ messages: [PlannedMessage]) -> PlannedMessage? {
        messages.first { $0.recipient.kind == .agent }
    }

    @Test("Created: subject, confirmation, recap with the motif and instructions, sentence, button")
    func created() {
        // Given the S49 appointment of motif « Dépistage IST » with instructions
        let messages = NF.plan(.rdvCreated, motif: NF.motif(instruction: "Venir avec le carnet de santé."))
        // When its user e-mail is built
        let mail = Self.userMail(messages)
        // Then subject and body are literal; e-mails may name the motif (S51)
        #expect(mail?.subject == "RDV confirmé le vendredi 10 décembre 2021 à 13h10")
        #expect(
            mail?.body == """
                Votre RDV du vendredi 10 décembre 2021 à 13h10 a été confirmé.

                \(Self.recap)
                Informations : Venir avec le carnet de santé.

                \(Self.sentence)

                \(Self.button)

                L'équipe RDV Service Public

                """)
    }

    @Test("Updated: old date subject, previous date and place, no instructions")
    func updated() {
        // Given an appointment moved from Thursday 9 December 10:00 at another place
        let previous = NF.appointment(
            startsAt: instant("2021-12-09T10:00:00+01:00"),
            place: NotifiedPlace(id: 4, name: "MDS Sud", address: "1 rue du Sud 62000 Arras"))
        // When its user e-mail is built
        let mail = Self.userMail(NF.plan(.rdvUpdated, previous: previous, motif: NF.motif(instruction: "Venir tôt.")))
        // Then
        #expect(mail?.subject == "RDV du jeudi 9 décembre 2021 à 10h00 modifié")
        #expect(
            mail?.body == """
                Votre RDV du jeudi 9 décembre 2021 à 10h00 a été modifié.
                Ancien lieu : MDS Sud (1 rue du Sud 62000 Arras)

                Veuillez prendre note des nouvelles informations :

                \(Self.recap)

                \(Self.sentence)

                \(Self.button)

                L'équipe RDV Service Public

                """)
    }

    @Test("Reminder: subject and opening sentence")
    func reminder() {
        // Given the S49 appointment, online-booked on an « everyone » motif (cancel and move allowed)
        let appointment = NF.appointment(createdByType: .user)
        // When the reminder e-mail is built
        let mail = Self.userMail(
            NF.plan(
                .rdvUpcomingReminder, appointment: appointment, author: .system, motif: NF.motif(bookableBy: .everyone))
        )
        // Then
        #expect(mail?.subject == "[Rappel] RDV le vendredi 10 décembre 2021 à 13h10")
        #expect(
            mail?.body == """
                Nous vous rappelons votre RDV du vendredi 10 décembre 2021 à 13h10.

                \(Self.recap)

                Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant, et le déplacer jusqu'à 48 heures avant. Pour toute question, appelez le 03 21 00 00 00.

                \(Self.button)

                L'équipe RDV Service Public

                """)
    }

    @Test("Cancelled: the reason follows the status", arguments: [AppointmentStatus.revoked, .excused])
    func cancelled(status: AppointmentStatus) {
        // Given an appointment cancelled with the status
        let messages = NF.plan(
            .rdvCancelled, appointment: NF.appointment(status: status),
            participants: [NF.participant(status: status, before: .unknown)])
        // When its user e-mail is built
        let mail = Self.userMail(messages)
        // Then
        let reason =
            status == .excused
            ? "Votre RDV a été annulé à votre demande." : "Votre RDV a été annulé pour raison administrative."
        #expect(mail?.subject == "RDV annulé le vendredi 10 décembre 2021 à 13h10 avec MDS Arras")
        #expect(
            mail?.body == """
                \(reason)

                Pour toute question, appelez le 03 21 00 00 00.

                Reprendre RDV : https://rdv.example.fr/prdv?tkn=Ab3dE5gH

                L'équipe RDV Service Public

                """)
    }

    @Test("Waiting list e-mail")
    func waitingList() {
        // Given earlier slots for the appointment
        let mail = Self.userMail(NF.plan(.newCreneauAvailable, author: .system))
        // Then
        #expect(mail?.subject == "Un créneau vient de se libérer !")
        #expect(
            mail?.body == """
                Des créneaux plus proches sont disponibles pour votre RDV PMI (Protection Maternelle Infantile).

                Voir les créneaux : https://rdv.example.fr/r/123456/cr?tkn=Ab3dE5gH

                L'équipe RDV Service Public

                """)
    }

    struct PlaceCase: Sendable, CustomTestStringConvertible {
        var location: LocationType
        var expected: String
        var testDescription: String { location.rawValue }
    }

    @Test(
        "The recap's « Lieu » per location type",
        arguments: [
            PlaceCase(location: .publicOffice, expected: "Lieu : MDS Centre (10 rue d'Ici 62000 Arras)"),
            PlaceCase(location: .phone, expected: "Lieu : RDV téléphonique : l'agent vous appellera au 06 12 34 56 78"),
            PlaceCase(location: .home, expected: "Lieu : À votre domicile : 3 place du Marché 62000 Arras"),
            PlaceCase(
                location: .visio,
                expected:
                    "Lieu : Visioconférence : https://webconf.numerique.gouv.fr/RdvServicePublic0f8fad5bd9cb469fa16570867728950e"
            ),
        ])
    func placeLine(row: PlaceCase) {
        // Given a participant with a mobile and an address
        let participant = NF.participant(NF.contact(1, address: "3 place du Marché 62000 Arras"))
        let appointment = NF.appointment(place: row.location == .publicOffice ? NF.place : nil)
        // When the confirmation e-mail is built
        let mail = Self.userMail(
            NF.plan(
                .rdvCreated, appointment: appointment, participants: [participant],
                motif: NF.motif(location: row.location)))
        // Then its « Lieu » row is the spec's wording
        #expect(mail?.body.split(separator: "\n").contains { $0 == row.expected } == true)
    }

    struct AgentCase: Sendable, CustomTestStringConvertible {
        var label: String
        var plan: @Sendable () -> [PlannedMessage]
        var subject: String
        var testDescription: String { label }
    }

    @Test(
        "Agent e-mail subjects",
        arguments: [
            AgentCase(
                label: "created", plan: { NF.plan(.rdvCreated) },
                subject: "Nouveau RDV ajouté sur votre agenda RDV Service Public pour le vendredi 10/12 à 13h10"),
            AgentCase(
                label: "collective participation by a user",
                plan: {
                    NF.plan(
                        .rdvCreated, appointment: NF.appointment(name: "Atelier portage"),
                        change: NotificationChange(concernedUserIDs: [1]), author: .user(1),
                        motif: NF.motif(collectif: true))
                },
                subject: "Nouvelle participation au RDV collectif Atelier portage pour le vendredi 10/12 à 13h10"),
            AgentCase(
                label: "updated: the old start",
                plan: {
                    NF.plan(.rdvUpdated, previous: NF.appointment(startsAt: instant("2021-12-09T10:00:00+01:00")))
                },
                subject: "RDV du jeudi 09/12 à 10h00 modifié"),
            AgentCase(
                label: "updated from tomorrow",
                plan: {
                    NF.plan(.rdvUpdated, previous: NF.appointment(startsAt: instant("2021-12-02T10:00:00+01:00")))
                },
                subject: "RDV de demain à 10h00 modifié"),
            AgentCase(
                label: "cancelled", plan: { NF.plan(.rdvCancelled, appointment: NF.appointment(status: .revoked)) },
                subject: "RDV annulé le vendredi 10/12 à 13h10"),
            AgentCase(
                label: "cancelled today",
                plan: {
                    NF.plan(
                        .rdvCancelled,
                        appointment: NF.appointment(startsAt: instant("2021-12-01T18:00:00+01:00"), status: .revoked))
                },
                subject: "RDV annulé aujourd'hui à 18h00"),
        ])
    func agentSubject(row: AgentCase) {
        // Given the row's change
        // When the agent e-mail is built
        // Then its subject is the spec's
        #expect(Self.agentMail(row.plan())?.subject == row.subject)
    }

    @Test("Agent cancellation body says who cancelled and the status")
    func agentCancellationBody() {
        // Given a user cancelling online
        let messages = NF.plan(
            .rdvCancelled, appointment: NF.appointment(status: .excused),
            participants: [NF.participant(status: .excused, before: .unknown)], author: .user(1))
        // When the agent e-mail is built
        // Then
        #expect(
            Self.agentMail(messages)?.body == """
                RDV annulé par l'usager. Statut : Annulé (excusé).

                Date : vendredi 10 décembre 2021 à 13h10
                Usager(s) : Jeanne DUPONT
                Motif : Dépistage IST
                Durée : 30 minutes
                Lieu : MDS Centre (10 rue d'Ici 62000 Arras)

                Voir sur RDV Service Public : https://rdv.example.fr/admin/organisations/3/rdvs/123456

                L'équipe RDV Service Public

                """)
    }

    @Test("Formats: dates, « 1er », « vers », phones, durations (notifications.md §5)")
    func formats() {
        // Given instants in Paris and a clock on Wed 1 Dec 2021
        let first = instant("2021-12-01T09:05:00+01:00")
        // Then
        #expect(NotificationFormat.mailDate(first, in: paris) == "mercredi 1er décembre 2021 à 09h05")
        #expect(NotificationFormat.smsDate(first, in: paris, approximate: true) == "mercredi 01/12 vers 09h05")
        #expect(NotificationFormat.agentDate(first, now: NF.now, in: paris) == "aujourd'hui à 09h05")
        #expect(
            NotificationFormat.agentDate(instant("2021-12-02T23:59:00+01:00"), now: NF.now, in: paris)
                == "demain à 23h59")
        #expect(NotificationFormat.agentDate(NF.start, now: NF.now, in: paris) == "le vendredi 10/12 à 13h10")
        #expect(NotificationFormat.smsDate(instant("2021-07-14T08:00:00Z"), in: paris) == "mercredi 14/07 à 10h00")
        #expect(NotificationFormat.phone("+33321000000") == "03 21 00 00 00")
        #expect(NotificationFormat.phone("0690123456") == "06 90 12 34 56")
        #expect(NotificationFormat.phone("3939") == "3939")
        #expect(NotificationFormat.duration(minutes: 30) == "30 minutes")
        #expect(NotificationFormat.duration(minutes: 60) == "1 h")
        #expect(NotificationFormat.duration(minutes: 90) == "1 h 30")
        #expect(NotificationFormat.frenchList(["A", "B", "C"]) == "A, B et C")
    }
}
