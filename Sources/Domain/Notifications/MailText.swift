import Foundation

/// The subject and body content of user and agent e-mails (notifications.md §8); `MailBody`
/// renders the body as the text and the HTML part.
enum MailText {
    // MARK: User e-mails

    static func userSubject(event: NotificationEvent, content: NotificationContent) -> String {
        let date = content.mailDate(content.appointment.startsAt)
        switch event {
        case .rdvCreated: return "RDV confirmé le \(date)"
        case .rdvUpdated:
            return "RDV du \(content.mailDate(content.previous?.startsAt ?? content.appointment.startsAt)) modifié"
        case .rdvUpcomingReminder: return "[Rappel] RDV le \(date)"
        case .rdvCancelled: return "RDV annulé le \(date) avec \(content.organisation.name)"
        case .newCreneauAvailable: return "Un créneau vient de se libérer !"
        }
    }

    static func userBody(event: NotificationEvent, content: NotificationContent, group: RecipientGroup) -> MailBody {
        let links = content.settings.links
        let date = content.mailDate(content.appointment.startsAt)
        let button = MailBody.Block.button(
            label: "Voir mon rendez-vous", url: links.userAppointment(id: content.appointment.id, token: group.token))
        let recap = { (withInformation: Bool) in
            MailBody.Block.recap(userRecap(content: content, group: group, withInformation: withInformation))
        }
        let blocks: [MailBody.Block]
        switch event {
        case .rdvCreated:
            blocks = [.paragraph("Votre RDV du \(date) a été confirmé."), recap(true), sentence(content), button]
        case .rdvUpdated:
            let previous = content.previous ?? content.appointment
            let before =
                "Votre RDV du \(content.mailDate(previous.startsAt)) a été modifié.\n"
                + "Ancien lieu : \(placeLine(previous, content, group))"
            blocks = [
                .paragraph(before), .paragraph("Veuillez prendre note des nouvelles informations :"), recap(false),
                sentence(content), button,
            ]
        case .rdvUpcomingReminder:
            blocks = [.paragraph("Nous vous rappelons votre RDV du \(date)."), recap(true), sentence(content), button]
        case .rdvCancelled:
            let reason =
                (group.cancellationStatus ?? content.appointment.status) == .excused
                ? "Votre RDV a été annulé à votre demande." : "Votre RDV a été annulé pour raison administrative."
            blocks =
                [.paragraph(reason)]
                + (content.phone.map { [.paragraph("Pour toute question, appelez le \($0).")] } ?? [])
                + [.button(label: "Reprendre RDV", url: links.rebook(token: group.token))]
        case .newCreneauAvailable:
            blocks = [
                .paragraph("Des créneaux plus proches sont disponibles pour votre RDV \(content.motif.serviceName)."),
                .button(label: "Voir les créneaux", url: links.userReschedule(id: content.appointment.id, token: group.token)),
            ]
        }
        return MailBody(blocks: blocks, productName: content.settings.productName)
    }

    /// The recap table's rows (notifications.md §8). `place` replaces the « Lieu » value, for a
    /// reader who is not the participant (the prescriber).
    static func userRecap(
        content: NotificationContent, group: RecipientGroup, withInformation: Bool, place: String? = nil
    ) -> [MailBody.Row] {
        var rows = [
            MailBody.Row(label: "Date", value: content.mailDate(content.appointment.startsAt)),
            MailBody.Row(label: "Usager(s)", value: group.participantNames),
            MailBody.Row(label: "Motif", value: content.motifLabel),
            MailBody.Row(label: "Service", value: content.motif.serviceName),
        ]
        if content.motif.followUp, !content.agents.isEmpty {
            rows.append(
                MailBody.Row(
                    label: "Référent", value: NotificationFormat.frenchList(content.agents.map(\.fullName).sorted())))
        }
        rows.append(
            MailBody.Row(label: "Durée", value: NotificationFormat.duration(minutes: content.appointment.durationInMin))
        )
        rows.append(MailBody.Row(label: "Lieu", value: place ?? placeLine(content.appointment, content, group)))
        let instruction = content.motif.instructionForRdv?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if withInformation, !instruction.isEmpty {
            rows.append(MailBody.Row(label: "Informations", value: instruction))
        }
        return rows
    }

    /// « Lieu »: the place, or the phone, home or visio wording (notifications.md §8).
    static func placeLine(_ appointment: NotifiedAppointment, _ content: NotificationContent, _ group: RecipientGroup)
        -> String
    {
        switch content.motif.locationType {
        case .publicOffice:
            return appointment.place?.fullName ?? ""
        case .phone:
            guard let phone = group.contact.phoneNumber, !phone.trimmingCharacters(in: .whitespaces).isEmpty else {
                return "RDV téléphonique"
            }
            return "RDV téléphonique : l'agent vous appellera au \(NotificationFormat.phone(phone))"
        case .home:
            return group.homeAddress.map { "À votre domicile : \($0)" } ?? "À votre domicile"
        case .visio:
            return "Visioconférence : \(appointment.visioURL())"
        }
    }

    /// The cancel/modify sentence, then the phone (booking.md §7).
    static func sentence(_ content: NotificationContent) -> MailBody.Block {
        let motif = content.motif
        let canCancel = motif.rdvsCancellableByUser
        let canMove =
            !motif.collectif && motif.rdvsEditableByUser && content.appointment.createdByType != .agent
            && [.everyone, .agentsAndPrescripteursAndInvitedUsers].contains(motif.bookableBy)
        var parts: [String] = []
        switch (canCancel, canMove) {
        case (true, true):
            parts.append(
                "Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant, et le déplacer jusqu'à 48 heures avant."
            )
        case (true, false): parts.append("Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant.")
        case (false, true): parts.append("Vous pouvez déplacer ce rendez-vous en ligne jusqu'à 48 heures avant.")
        case (false, false): break
        }
        if let phone = content.phone { parts.append("Pour toute question, appelez le \(phone).") }
        return .paragraph(parts.joined(separator: " "))
    }

    // MARK: Agent e-mails

    /// `event` is the agent's own event (an agent added by an update gets `rdv_created`).
    static func agentSubject(event: NotificationEvent, content: NotificationContent) -> String {
        let start = content.appointment.startsAt
        switch event {
        case .rdvUpdated:
            let old = content.agentDate(content.previous?.startsAt ?? start)
            // « RDV du le vendredi… » contracted as French requires: du / d'aujourd'hui / de demain.
            if old.hasPrefix("le ") { return "RDV du \(old.dropFirst(3)) modifié" }
            if old.hasPrefix("aujourd'hui") { return "RDV d'\(old) modifié" }
            return "RDV de \(old) modifié"
        case .rdvCancelled:
            return "RDV annulé \(content.agentDate(start))"
        default:
            if content.motif.collectif, content.author.isUserOrPrescriber {
                return "Nouvelle participation au RDV collectif \(content.motifLabel) pour \(content.agentDate(start))"
            }
            return
                "Nouveau RDV ajouté sur votre agenda \(content.settings.productName) pour \(content.agentDate(start))"
        }
    }

    static func agentBody(event: NotificationEvent, content: NotificationContent, participants: [NotifiedParticipant])
        -> MailBody
    {
        var blocks: [MailBody.Block] = []
        if event == .rdvCancelled {
            let by: String
            switch content.author {
            case .user: by = "par l'usager"
            case .agent(let id):
                by = content.agents.first { $0.id == id }.map { "par \($0.fullName)" } ?? "par un agent"
            case .prescriber: by = "par le prescripteur"
            case .system: by = "automatiquement"
            }
            let status = content.appointment.status.isCancelled ? content.appointment.status : .revoked
            let today = LocalDate(content.now, in: content.zone)
            let label = status.label(day: LocalDate(content.appointment.startsAt, in: content.zone), today: today)
            blocks.append(.paragraph("RDV annulé \(by). Statut : \(label)."))
        }
        if event == .rdvUpdated, let previous = content.previous, previous.startsAt != content.appointment.startsAt {
            blocks.append(.paragraph("Ancienne date : \(content.mailDate(previous.startsAt))"))
        }
        blocks.append(agentRecap(content: content, participants: participants))
        blocks.append(.button(label: "Voir sur \(content.settings.productName)", url: content.agentLink))
        return MailBody(blocks: blocks, productName: content.settings.productName)
    }

    /// The agents' recap: date, participants, motif, duration and place (notifications.md §8).
    static func agentRecap(content: NotificationContent, participants: [NotifiedParticipant]) -> MailBody.Block {
        let names = NotificationFormat.frenchList(participants.map(\.user.fullName).sorted())
        var rows = [
            MailBody.Row(label: "Date", value: content.mailDate(content.appointment.startsAt)),
            MailBody.Row(label: "Usager(s)", value: names),
            MailBody.Row(label: "Motif", value: content.motifLabel),
            MailBody.Row(
                label: "Durée", value: NotificationFormat.duration(minutes: content.appointment.durationInMin)),
        ]
        let place: String
        switch content.motif.locationType {
        case .publicOffice: place = content.appointment.place?.fullName ?? ""
        case .phone: place = "Par téléphone"
        case .home: place = "À domicile"
        case .visio: place = "Visioconférence : \(content.appointment.visioURL())"
        }
        rows.append(MailBody.Row(label: "Lieu", value: place))
        return .recap(rows)
    }
}
