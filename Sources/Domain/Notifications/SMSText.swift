import Foundation

/// The user SMS templates of notifications.md §6. They never contain the motif name, which can
/// reveal sensitive information; agents cannot edit them.
enum SMSText {
    /// The target: one SMS (notifications.md §6 "Length").
    static let singleSMSSeptets = 160

    static func text(event: NotificationEvent, content: NotificationContent, group: RecipientGroup) -> String {
        let full = compose(event: event, content: content, group: group, fullPlaceName: true)
        guard [.rdvCreated, .rdvUpdated, .rdvUpcomingReminder].contains(event),
            content.motif.locationType == .publicOffice, GSM7.septetCount(full) > singleSMSSeptets
        else { return full }
        // Over one SMS: the place's full name becomes its name alone; links and date are never cut.
        return compose(event: event, content: content, group: group, fullPlaceName: false)
    }

    private static func compose(
        event: NotificationEvent, content: NotificationContent, group: RecipientGroup, fullPlaceName: Bool
    ) -> String {
        let links = content.settings.links
        let title = content.smsTitle
        let date = content.smsDate(content.appointment.startsAt)
        let url = links.userAppointment(id: content.appointment.id, token: group.token, withScheme: false)
        let phoneSuffix = content.phone.map { " / \($0)" } ?? ""
        let location = location(content: content, group: group, fullPlaceName: fullPlaceName)
        let rebook = links.rebook(token: group.token, withScheme: false)
        let rebookLine =
            content.phone.map { "Appelez le \($0) ou allez sur \(rebook) pour reprendre RDV." }
            ?? "Allez sur \(rebook) pour reprendre RDV."
        let text: String
        switch event {
        case .rdvCreated:
            text = "RDV \(title) \(date).\n\(location)\nInfos et annulation: \(url)\(phoneSuffix)"
        case .rdvUpdated:
            text = "RDV modifié: \(title) \(date).\n\(location)\nInfos et annulation: \(url)\(phoneSuffix)"
        case .rdvUpcomingReminder:
            text = "Rappel RDV \(title) le \(date).\n\(location)\nInfos et annulation: \(url)\(phoneSuffix)"
        case .rdvCancelled:
            // The participation wording when only the participation ends in a collective appointment.
            let participationOnly = content.motif.collectif && !content.appointment.status.isCancelled
            text =
                participationOnly
                ? "Votre participation au RDV \(title) \(date) a été annulée.\n\(rebookLine)"
                : "RDV \(title) \(date) a été annulé.\n\(rebookLine)"
        case .newCreneauAvailable:
            text =
                "RDV \(title): des créneaux se sont libérés.\nPour voir les disponibilités: "
                + links.userReschedule(id: content.appointment.id, token: group.token, withScheme: false)
        }
        let labelled = content.settings.instanceLabel.map { "\($0)\n\(text)" } ?? text
        return GSM7.normalise(labelled)
    }

    /// `{location}` (notifications.md §6).
    static func location(content: NotificationContent, group: RecipientGroup, fullPlaceName: Bool) -> String {
        var location: String
        switch content.motif.locationType {
        case .publicOffice:
            let place = content.appointment.place
            location = (fullPlaceName ? place?.fullName : place?.name) ?? ""
        case .phone: location = "RDV téléphonique"
        case .home: location = "RDV à votre domicile"
        case .visio: location = "RDV par visioconférence"
        }
        if !content.motif.collectif, group.isForRelatives { location += " pour \(group.participantNames)" }
        if content.motif.followUp, !content.agents.isEmpty { location += " avec \(content.referentShortNames)" }
        return location
    }
}
