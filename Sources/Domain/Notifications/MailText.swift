import Foundation

/// The plain-text part and subject of user and agent e-mails (notifications.md §8). The HTML part
/// is rendered from the same content by the Notifications module.
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

    static func userBody(event: NotificationEvent, content: NotificationContent, group: RecipientGroup) -> String {
        let base = content.settings.baseURL
        let date = content.mailDate(content.appointment.startsAt)
        let button = "Voir mon rendez-vous : \(base)/r/\(content.appointment.id)/\(group.token)"
        let recap = { (withInformation: Bool) in
            userRecap(content: content, group: group, withInformation: withInformation)
        }
        var paragraphs: [String]
        switch event {
        case .rdvCreated:
            paragraphs = ["Votre RDV du \(date) a été confirmé.", recap(true), sentence(content), button]
        case .rdvUpdated:
            let previous = content.previous ?? content.appointment
            let before =
                "Votre RDV du \(content.mailDate(previous.startsAt)) a été modifié.\n"
                + "Ancien lieu : \(placeLine(previous, content, group))"
            paragraphs = [
                before, "Veuillez prendre note des nouvelles informations :", recap(false), sentence(content), button,
            ]
        case .rdvUpcomingReminder:
            paragraphs = ["Nous vous rappelons votre RDV du \(date).", recap(true), sentence(content), button]
        case .rdvCancelled:
            let reason =
                (group.cancellationStatus ?? content.appointment.status) == .excused
                ? "Votre RDV a été annulé à votre demande." : "Votre RDV a été annulé pour raison administrative."
            paragraphs = [reason]
            if let phone = content.phone { paragraphs.append("Pour toute question, appelez le \(phone).") }
            paragraphs.append("Reprendre RDV : \(base)/prdv?tkn=\(group.token)")
        case .newCreneauAvailable:
            paragraphs = [
                "Des créneaux plus proches sont disponibles pour votre RDV \(content.motif.serviceName).",
                "Voir les créneaux : \(base)/r/\(content.appointment.id)/cr?tkn=\(group.token)",
            ]
        }
        paragraphs.append("L'équipe \(content.settings.productName)")
        return paragraphs.filter { !$0.isEmpty }.joined(separator: "\n\n") + "\n"
    }

    /// The recap table as « Label : value » lines (notifications.md §8).
    static func userRecap(content: NotificationContent, group: RecipientGroup, withInformation: Bool) -> String {
        var rows = [
            ("Date", content.mailDate(content.appointment.startsAt)),
            ("Usager(s)", group.participantNames),
            ("Motif", content.motifLabel),
            ("Service", content.motif.serviceName),
        ]
        if content.motif.followUp, !content.agents.isEmpty {
            rows.append(("Référent", NotificationFormat.frenchList(content.agents.map(\.fullName).sorted())))
        }
        rows.append(("Durée", NotificationFormat.duration(minutes: content.appointment.durationInMin)))
        rows.append(("Lieu", placeLine(content.appointment, content, group)))
        let instruction = content.motif.instructionForRdv?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if withInformation, !instruction.isEmpty {
            rows.append(("Informations", instruction))
        }
        return rows.map { "\($0.0) : \($0.1)" }.joined(separator: "\n")
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
            let address = (group.participants.compactMap(\.user.address) + [group.contact.address].compactMap { $0 })
                .first { !$0.isEmpty }
            return address.map { "À votre domicile : \($0)" } ?? "À votre domicile"
        case .visio:
            return "Visioconférence : \(appointment.visioURL())"
        }
    }

    /// The cancel/modify sentence, then the phone (booking.md §7).
    static func sentence(_ content: NotificationContent) -> String {
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
        return parts.joined(separator: " ")
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
        -> String
    {
        var paragraphs: [String] = []
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
            paragraphs.append("RDV annulé \(by). Statut : \(label).")
        }
        if event == .rdvUpdated, let previous = content.previous, previous.startsAt != content.appointment.startsAt {
            paragraphs.append("Ancienne date : \(content.mailDate(previous.startsAt))")
        }
        let names = NotificationFormat.frenchList(participants.map(\.user.fullName).sorted())
        var rows = [
            ("Date", content.mailDate(content.appointment.startsAt)),
            ("Usager(s)", names),
            ("Motif", content.motifLabel),
            ("Durée", NotificationFormat.duration(minutes: content.appointment.durationInMin)),
        ]
        switch content.motif.locationType {
        case .publicOffice: rows.append(("Lieu", content.appointment.place?.fullName ?? ""))
        case .phone: rows.append(("Lieu", "Par téléphone"))
        case .home: rows.append(("Lieu", "À domicile"))
        case .visio: rows.append(("Lieu", "Visioconférence : \(content.appointment.visioURL())"))
        }
        paragraphs.append(rows.map { "\($0.0) : \($0.1)" }.joined(separator: "\n"))
        let link =
            "\(content.settings.baseURL)/admin/organisations/\(content.organisation.id)/rdvs/\(content.appointment.id)"
        paragraphs.append("Voir sur \(content.settings.productName) : \(link)")
        paragraphs.append("L'équipe \(content.settings.productName)")
        return paragraphs.joined(separator: "\n\n") + "\n"
    }
}
