import Foundation

/// Everything one recipient's message is written from: the appointment side of the planner's
/// input, plus the participations that recipient answers for (notifications.md §3, §6, §8).
struct NotificationContent: Sendable {
    var appointment: NotifiedAppointment
    var previous: NotifiedAppointment?
    var motif: NotifiedMotif
    var organisation: NotifiedOrganisation
    /// The appointment's agents (after the change), for follow-up « avec … » and recaps.
    var agents: [NotifiedAgent]
    var author: NotificationAuthor
    var settings: NotificationSettings
    var now: Date

    var zone: TimeZone { settings.timeZone }
    var approximate: Bool { motif.locationType == .home }

    /// `{phone}`: the place's, else the organisation's, formatted (notifications.md §5–§6).
    var phone: String? {
        let raw = [appointment.place?.phoneNumber, organisation.phoneNumber].compactMap { $0 }
            .first { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        return raw.map(NotificationFormat.phone)
    }

    /// « RDV PMI » or, collective with an intitulé, « PMI : <intitulé cut at 50>, ».
    var smsTitle: String {
        guard motif.collectif, let name = appointment.name?.trimmingCharacters(in: .whitespaces), !name.isEmpty
        else { return motif.serviceShortName }
        let cut = name.count > 50 ? String(name.prefix(50)) + "..." : name
        return "\(motif.serviceShortName) : \(cut),"
    }

    /// The intitulé of a collective appointment, else the motif name (e-mails may name it).
    var motifLabel: String {
        if motif.collectif, let name = appointment.name, !name.trimmingCharacters(in: .whitespaces).isEmpty {
            return name
        }
        return motif.name
    }

    /// « M. DURAND et P. MARTIN » for follow-up motifs (notifications.md §6).
    var referentShortNames: String {
        NotificationFormat.frenchList(agents.map(\.shortName).sorted())
    }

    /// The appointment's page for agents: e-mail button and ICS DESCRIPTION (notifications.md §8, §10).
    var agentLink: String { settings.agentLink(organisationID: organisation.id, appointmentID: appointment.id) }

    func agentDate(_ instant: Date) -> String {
        NotificationFormat.agentDate(instant, now: now, in: zone, approximate: approximate)
    }

    func mailDate(_ instant: Date) -> String {
        NotificationFormat.mailDate(instant, in: zone, approximate: approximate)
    }

    func smsDate(_ instant: Date) -> String {
        NotificationFormat.smsDate(instant, in: zone, approximate: approximate)
    }
}

/// The participations one person answers for: their own and their relatives' (domain.md §11).
struct RecipientGroup: Sendable {
    var contact: NotifiedContact
    var participants: [NotifiedParticipant]

    /// The token of the recipient's own participation, else the first relative's.
    var token: String {
        (participants.first { $0.user.userID == contact.userID } ?? participants[0]).token
    }

    /// True when the recipient gets it for someone else (« pour <names> », notifications.md §6).
    var isForRelatives: Bool { participants.contains { $0.user.userID != contact.userID } }

    /// Participants' full names, sorted, joined with « , » and « et ».
    var participantNames: String {
        NotificationFormat.frenchList(participants.map(\.user.fullName).sorted())
    }

    /// The most specific status for the cancellation wording.
    var cancellationStatus: AppointmentStatus? {
        participants.map(\.status).first(where: \.isCancelled)
    }
}
