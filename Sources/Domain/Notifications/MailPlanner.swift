import Foundation

/// Plans the e-mails of notifications.md §2 beyond the appointment lifecycle: the prescriber's
/// confirmation, the arrival of a user, the export, the deletion warning and the account e-mails
/// (§8). Pure: `now` is a parameter, links are paths made absolute from `settings.publicURL`.
/// Each returns nil (or nothing) when the recipient has no valid e-mail.
public enum MailPlanner {
    /// The prescriber's confirmation of an external prescription (booking.md §5.1 step 6): the
    /// recap, the service's phone and « Pour modifier ou annuler ce rendez-vous, contactez le
    /// service. ». It goes to the prescriber only, never to the user, and not once the start is
    /// past (notifications.md §3).
    /// - Parameters:
    ///   - beneficiary: the user booked for; named in the subject and the recap.
    ///   - agents: the appointment's agents (the « Référent » row of follow-up motifs).
    public static func prescriberConfirmation(
        appointment: NotifiedAppointment, beneficiary: NotifiedContact, prescriber: Prescriber, prescriberID: Int64,
        motif: NotifiedMotif, organisation: NotifiedOrganisation, agents: [NotifiedAgent],
        settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        guard appointment.startsAt > now, EmailAddress.isValid(prescriber.email) else { return nil }
        let content = NotificationContent(
            appointment: appointment, previous: nil, motif: motif, organisation: organisation,
            agents: appointment.agentIDs.compactMap { id in agents.first { $0.id == id } }, author: .prescriber,
            settings: settings, now: now)
        let name = beneficiary.fullName
        let subject = "RDV confirmé pour \(name) le \(content.mailDate(appointment.startsAt))"
        let group = RecipientGroup(
            contact: beneficiary, participants: [NotifiedParticipant(user: beneficiary, token: "")])
        let recap = MailText.userRecap(
            content: content, group: group, withInformation: true, place: prescriberPlace(content, beneficiary))
        // « Le rendez-vous de <bénéficiaire> est confirmé. » is the prescriber's confirmation
        // page (booking.md §5.1 step 7); the phone line is ours (the spec only asks for it).
        let contact =
            "Pour modifier ou annuler ce rendez-vous, contactez le service."
            + (content.phone.map { "\nTéléphone du service : \($0)" } ?? "")
        let body = MailBody(
            blocks: [.paragraph("Le rendez-vous de \(name) est confirmé."), .recap(recap), .paragraph(contact)],
            productName: settings.productName)
        return PlannedMail(
            event: .prescriberConfirmation, recipient: nil, address: EmailAddress.normalised(prescriber.email),
            appointmentID: appointment.id, subject: subject, body: body,
            key: [
                String(appointment.id), ReminderSchedule.utcISO8601(appointment.startsAt),
                NotificationRecipient.user(beneficiary.userID).key, "prescriber-\(prescriberID)",
            ])
    }

    /// « Lieu » for a reader who is not the one called or visited: the user recap's « vous »
    /// becomes the beneficiary's name (our wording; the spec words only the user's recap).
    static func prescriberPlace(_ content: NotificationContent, _ beneficiary: NotifiedContact) -> String? {
        let name = beneficiary.fullName
        switch content.motif.locationType {
        case .publicOffice, .visio:
            return nil
        case .phone:
            guard let phone = beneficiary.phoneNumber, !phone.trimmingCharacters(in: .whitespaces).isEmpty else {
                return "RDV téléphonique"
            }
            return "RDV téléphonique : l'agent appellera \(name) au \(NotificationFormat.phone(phone))"
        case .home:
            guard let address = beneficiary.address, !address.isEmpty else { return "Au domicile de \(name)" }
            return "Au domicile de \(name) : \(address)"
        }
    }

    /// « L'usager est arrivé » (booking.md §1.5, notifications.md §2): each agent of the
    /// appointment with a valid e-mail, when the territory's toggle is on, whatever its
    /// `rdv_notifications_level` (the row names the appointment's agents). Intervenants have no
    /// e-mail; deleted agents have lost theirs. Nothing once the start is past (§3).
    /// - Parameters:
    ///   - participants: the appointment's participations; cancelled ones are not named.
    ///   - agents: the appointment's agents (others are ignored).
    ///   - arrivedAt: the `arrived_at` just set: one e-mail per arrival and agent.
    public static func userArrived(
        appointment: NotifiedAppointment, participants: [NotifiedParticipant], agents: [NotifiedAgent],
        motif: NotifiedMotif, organisation: NotifiedOrganisation, territoryNotifiesArrivals: Bool, arrivedAt: Date,
        settings: NotificationSettings, now: Date
    ) -> [PlannedMail] {
        guard territoryNotifiesArrivals, appointment.startsAt > now else { return [] }
        let present = participants.filter { !$0.status.isCancelled }
        guard !present.isEmpty else { return [] }
        let content = NotificationContent(
            appointment: appointment, previous: nil, motif: motif, organisation: organisation,
            agents: appointment.agentIDs.compactMap { id in agents.first { $0.id == id } }, author: .system,
            settings: settings, now: now)
        let names = NotificationFormat.frenchList(present.map(\.user.fullName).sorted())
        let time = NotificationFormat.time(appointment.startsAt, in: settings.timeZone)
        // Several participants (relatives together) take the plural; the spec words the singular.
        let subject =
            present.count == 1
            ? "\(names) est arrivé(e) pour son RDV de \(time)" : "\(names) sont arrivé(e)s pour leur RDV de \(time)"
        let body = MailBody(
            blocks: [
                .paragraph(subject + "."), MailText.agentRecap(content: content, participants: present),
                .button(label: "Voir sur \(settings.productName)", url: content.agentLink),
            ], productName: settings.productName)
        return content.agents.compactMap { agent in
            guard let email = agent.email, EmailAddress.isValid(email) else { return nil }
            let recipient = NotificationRecipient.agent(agent.id)
            return PlannedMail(
                event: .userArrived, recipient: recipient, address: EmailAddress.normalised(email),
                appointmentID: appointment.id, subject: subject, body: body,
                key: [String(appointment.id), PlannedMail.version(arrivedAt), recipient.key])
        }
    }
}
