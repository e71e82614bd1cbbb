import Domain
import Foundation
import Testing

@Suite("Prescriber, arrival, export and deletion-warning e-mails (notifications.md §2, §8)")
struct MailPlannerTests {
    static let prescriber = Prescriber(
        id: 4, firstName: "Paul", lastName: "Martin", email: " Paul.Martin@Example.fr ", phoneNumber: "0600000000")

    static func confirmation(
        beneficiary: NotifiedContact = NF.contact(1), prescriber: Prescriber = prescriber,
        appointment: NotifiedAppointment = NF.appointment(), motif: NotifiedMotif = NF.motif(), now: Date = NF.now
    ) -> PlannedMail? {
        MailPlanner.prescriberConfirmation(
            appointment: appointment, beneficiary: beneficiary, prescriber: prescriber, prescriberID: 4, motif: motif,
            organisation: NF.organisation, agents: [NF.agent()], settings: NF.settings, now: now)
    }

    static let arrivedAt = instant("2021-12-10T13:02:00+01:00")

    static func arrived(
        participants: [NotifiedParticipant] = [NF.participant()], agents: [NotifiedAgent] = [NF.agent()],
        agentIDs: [Int64] = [10], toggle: Bool = true, now: Date = arrivedAt
    ) -> [PlannedMail] {
        MailPlanner.userArrived(
            appointment: NF.appointment(agentIDs: agentIDs), participants: participants, agents: agents,
            motif: NF.motif(), organisation: NF.organisation, territoryNotifiesArrivals: toggle, arrivedAt: arrivedAt,
            settings: NF.settings, now: now)
    }

    static func agent(email: String? = "Marie.Durand@Example.fr", deletedAt: Date? = nil) -> MailAccount {
        MailAccount(
            agent: Agent(email: email, firstName: "Marie", lastName: "Durand", deletedAt: deletedAt, serviceIDs: [1]),
            id: 7)
    }

    // MARK: Prescriber confirmation

    @Test("Prescriber confirmation: subject, recap, the service's phone and sentence, key")
    func prescriberConfirmation() {
        // Given the S49 appointment booked by a prescriber for Jeanne Dupont
        let mail = Self.confirmation()
        // Then one e-mail to the prescriber, none to the user
        #expect(mail?.event == .prescriberConfirmation)
        #expect(mail?.recipient == nil)
        #expect(mail?.address == "paul.martin@example.fr")
        #expect(mail?.appointmentID == 123456)
        #expect(mail?.subject == "RDV confirmé pour Jeanne DUPONT le vendredi 10 décembre 2021 à 13h10")
        #expect(mail?.idempotencyKey == "prescriber_confirmation:123456:2021-12-10T12:10:00Z:user-1:prescriber-4:mail")
        #expect(
            mail?.text == """
                Le rendez-vous de Jeanne DUPONT est confirmé.

                Date : vendredi 10 décembre 2021 à 13h10
                Usager(s) : Jeanne DUPONT
                Motif : Dépistage IST
                Service : PMI (Protection Maternelle Infantile)
                Durée : 30 minutes
                Lieu : MDS Centre (10 rue d'Ici 62000 Arras)

                Pour modifier ou annuler ce rendez-vous, contactez le service.
                Téléphone du service : 03 21 00 00 00

                L'équipe RDV Service Public

                """)
    }

    @Test("Prescriber confirmation of a phone appointment: the beneficiary is called, not « vous »")
    func prescriberConfirmationByPhone() {
        // Given a phone motif with instructions
        let mail = Self.confirmation(
            appointment: NF.appointment(place: nil),
            motif: NF.motif(location: .phone, instruction: "Munissez-vous du carnet."))
        // Then the place line names the beneficiary; the information row is kept; no service phone without a place
        #expect(
            mail?.text.contains("Lieu : RDV téléphonique : l'agent appellera Jeanne DUPONT au 06 12 34 56 78\n") == true
        )
        #expect(mail?.text.contains("Informations : Munissez-vous du carnet.\n") == true)
        #expect(mail?.text.contains("Téléphone du service : 03 21 99 99 99") == true)
    }

    @Test("Prescriber confirmation: nothing for an invalid address or a past start")
    func prescriberConfirmationSkipped() {
        var invalid = Self.prescriber
        invalid.email = "paul.martin@"
        #expect(Self.confirmation(prescriber: invalid) == nil)
        #expect(Self.confirmation(now: NF.start) == nil)
    }

    @Test("Prescriber confirmation: names with < and & are escaped in the HTML part only")
    func prescriberConfirmationEscaping() {
        // Given a beneficiary named « Zoé & Cie <b> »
        let mail = Self.confirmation(beneficiary: NF.contact(1, "Zoé & Cie", "<b>"))
        // Then the text keeps the name, the HTML escapes it everywhere
        #expect(mail?.subject == "RDV confirmé pour Zoé & Cie <B> le vendredi 10 décembre 2021 à 13h10")
        let html = mail?.html ?? ""
        #expect(html.contains("<title>RDV confirmé pour Zoé &amp; Cie &lt;B&gt; le vendredi"))
        #expect(html.contains("<p>Le rendez-vous de Zoé &amp; Cie &lt;B&gt; est confirmé.</p>"))
        #expect(html.contains(MailHTMLTests.row("Usager(s)", "Zoé &amp; Cie &lt;B&gt;")))
        #expect(
            html.contains(
                "<p>Pour modifier ou annuler ce rendez-vous, contactez le service.<br>Téléphone du service : 03 21 00 00 00</p>"
            ))
        #expect(!html.contains("<B>"))
    }

    // MARK: User arrived

    @Test("User arrived: every agent of the appointment with an e-mail, not intervenants")
    func userArrived() {
        // Given three agents, one of them an intervenant, another with an invalid e-mail, and an agent outside the appointment
        let agents = [
            NF.agent(10), NotifiedAgent(id: 11, firstName: nil, lastName: "Accueil", email: nil),
            NF.agent(12, level: .none, email: " Agent12@Example.fr"), NF.agent(13, email: "agent13@"), NF.agent(14),
        ]
        // When the user is marked arrived
        let mails = Self.arrived(agents: agents, agentIDs: [10, 11, 12, 13])
        // Then the agents with a valid e-mail each get it, whatever their level
        #expect(mails.map(\.address) == ["agent10@example.fr", "agent12@example.fr"])
        #expect(mails.map(\.recipient) == [.agent(10), .agent(12)])
        #expect(
            mails.map(\.idempotencyKey) == [
                "user_arrived:123456:1639137720:agent-10:mail", "user_arrived:123456:1639137720:agent-12:mail",
            ])
        let mail = mails.first
        #expect(mail?.event == .userArrived)
        #expect(mail?.appointmentID == 123456)
        #expect(mail?.subject == "Jeanne DUPONT est arrivé(e) pour son RDV de 13h10")
        #expect(
            mail?.text == """
                Jeanne DUPONT est arrivé(e) pour son RDV de 13h10.

                Date : vendredi 10 décembre 2021 à 13h10
                Usager(s) : Jeanne DUPONT
                Motif : Dépistage IST
                Durée : 30 minutes
                Lieu : MDS Centre (10 rue d'Ici 62000 Arras)

                Voir sur RDV Service Public : https://rdv.example.fr/admin/organisations/3/rdvs/123456

                L'équipe RDV Service Public

                """)
    }

    @Test("User arrived: nothing when the territory's toggle is off or the start is past")
    func userArrivedSkipped() {
        #expect(Self.arrived(toggle: false).isEmpty)
        #expect(Self.arrived(now: NF.start).isEmpty)
    }

    @Test("User arrived: several participants take the plural; cancelled ones are not named; names escaped")
    func userArrivedPlural() {
        // Given a mother, her child, and a cancelled participant
        let participants = [
            NF.participant(NF.contact(1, "Léa & Co", "<Dupont>")),
            NF.participant(NF.contact(2, "Hugo", "Dupont", email: nil)),
            NF.participant(NF.contact(3, "Paul", "Martin"), status: .excused),
        ]
        let mail = Self.arrived(participants: participants).first
        // Then
        #expect(mail?.subject == "Hugo DUPONT et Léa & Co <DUPONT> sont arrivé(e)s pour leur RDV de 13h10")
        #expect(mail?.text.contains("Usager(s) : Hugo DUPONT et Léa & Co <DUPONT>\n") == true)
        #expect(mail?.html.contains("<p>Hugo DUPONT et Léa &amp; Co &lt;DUPONT&gt; sont arrivé(e)s") == true)
        #expect(mail?.html.contains("<DUPONT>") == false)
    }

    // MARK: Export ready

    @Test("Export ready: the download link and its expiry, to the requesting agent")
    func exportReady() {
        // Given an export written now, valid 6 hours
        let mail = MailPlanner.exportReady(
            to: Self.agent(), exportID: 12, fileName: "export-rdv-2021-12-01-org-000003.xlsx",
            downloadPath: "/agents/exports/12", expiresAt: NF.now.addingTimeInterval(6 * 3600), settings: NF.settings,
            now: NF.now)
        // Then
        #expect(mail?.event == .exportReady)
        #expect(mail?.recipient == .agent(7))
        #expect(mail?.address == "marie.durand@example.fr")
        #expect(mail?.subject == "Votre export est prêt")
        #expect(mail?.idempotencyKey == "export_ready:12:\(PlannedMail.version(NF.now)):agent-7:mail")
        #expect(
            mail?.text == """
                Votre export « export-rdv-2021-12-01-org-000003.xlsx » est prêt.

                Télécharger l'export : https://rdv.example.fr/agents/exports/12

                Ce lien est valable 6 h, jusqu'au mercredi 1er décembre 2021 à 15h00. Vous le retrouverez aussi dans « Vos exports ».

                L'équipe RDV Service Public

                """)
        #expect(
            mail?.html.contains(
                "<a href=\"https://rdv.example.fr/agents/exports/12\" \(MailHTMLTests.link)>Télécharger l&#39;export</a>"
            )
                == true)
    }

    @Test("Export ready and deletion warning: nothing for a deleted agent, an intervenant or an invalid e-mail")
    func agentMailsSkipped() {
        let accounts = [
            Self.agent(deletedAt: NF.now), Self.agent(email: nil), Self.agent(email: "marie durand@example.fr"),
        ]
        for account in accounts {
            #expect(
                MailPlanner.exportReady(
                    to: account, exportID: 1, fileName: "x.csv", downloadPath: "/x", expiresAt: NF.now,
                    settings: NF.settings, now: NF.now) == nil)
            #expect(MailPlanner.accountDeletionWarning(to: account, settings: NF.settings, now: NF.now) == nil)
        }
    }

    // MARK: Account deletion warning

    @Test("Deletion warning: the sign-in link and the 30 days; a later warning is a new key")
    func accountDeletionWarning() {
        // Given the 22:00 retention job
        let now = instant("2021-12-01T22:00:00+01:00")
        let mail = MailPlanner.accountDeletionWarning(to: Self.agent(), settings: NF.settings, now: now)
        // Then
        #expect(mail?.event == .accountDeletionWarning)
        #expect(mail?.address == "marie.durand@example.fr")
        #expect(mail?.subject == "Votre compte RDV Service Public va être supprimé")
        #expect(mail?.idempotencyKey == "account_deletion_warning:1638392400:agent-7:mail")
        #expect(
            mail?.text == """
                Vous ne vous êtes pas connecté(e) à votre compte RDV Service Public depuis plus de 2 ans.

                Sans connexion de votre part dans les 30 jours, votre compte sera supprimé. Pour le conserver, il vous suffit de vous connecter.

                Se connecter : https://rdv.example.fr/agents/sign_in

                L'équipe RDV Service Public

                """)
        let later = MailPlanner.accountDeletionWarning(
            to: Self.agent(), settings: NF.settings, now: now.addingTimeInterval(2 * 366 * 86400))
        #expect(later?.idempotencyKey != mail?.idempotencyKey)
    }
}
