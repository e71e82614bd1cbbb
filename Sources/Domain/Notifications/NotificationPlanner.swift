import Foundation

/// Plans the user and agent messages of one appointment event (notifications.md §2–§3, §6, §8):
/// pure, with `now` as a parameter. The caller writes the result as outbox rows in the
/// transaction of the change.
public enum NotificationPlanner {
    /// - Parameters:
    ///   - event: the event code (notifications.md §2).
    ///   - appointment: the appointment after the change.
    ///   - previous: the appointment before the change (`rdv_updated`: old start, place and agents).
    ///   - change: the participants concerned, the participants form, the change id.
    ///   - participants: every participation of the appointment, relatives with their responsible.
    ///   - agents: every agent of `appointment` and `previous`.
    ///   - author: who made the change.
    /// - Returns: the messages, users first (in recipient id order, mail before SMS), then agents.
    public static func plan(
        event: NotificationEvent, appointment: NotifiedAppointment, previous: NotifiedAppointment? = nil,
        change: NotificationChange = .wholeAppointment, participants: [NotifiedParticipant], agents: [NotifiedAgent],
        author: NotificationAuthor, motif: NotifiedMotif, organisation: NotifiedOrganisation,
        settings: NotificationSettings, now: Date
    ) -> [PlannedMessage] {
        // Nothing about an appointment whose start is past (notifications.md §3).
        guard appointment.startsAt > now else { return [] }
        // A reminder skips a cancelled appointment (notifications.md §4 "At send time").
        if event == .rdvUpcomingReminder, appointment.status.isCancelled { return [] }
        let content = NotificationContent(
            appointment: appointment, previous: previous, motif: motif, organisation: organisation,
            agents: appointment.agentIDs.compactMap { id in agents.first { $0.id == id } }, author: author,
            settings: settings, now: now)
        return userMessages(event: event, content: content, change: change, participants: participants)
            + agentMessages(event: event, content: content, change: change, participants: participants, pool: agents)
    }

    // MARK: Users

    static func userMessages(
        event: NotificationEvent, content: NotificationContent, change: NotificationChange,
        participants: [NotifiedParticipant]
    ) -> [PlannedMessage] {
        // rdv_updated reaches users only when the start or the place changed (notifications.md §2).
        if event == .rdvUpdated, let previous = content.previous, previous.startsAt == content.appointment.startsAt,
            previous.place == content.appointment.place
        {
            return []
        }
        let eligible = participants.filter { participant in
            if let concerned = change.concernedUserIDs, !concerned.contains(participant.user.userID) { return false }
            return isEligible(participant, for: event)
        }
        return groups(of: eligible).flatMap { group in
            userMessages(event: event, content: content, change: change, group: group)
        }
    }

    /// Participation flags and statuses (notifications.md §3).
    static func isEligible(_ participant: NotifiedParticipant, for event: NotificationEvent) -> Bool {
        switch event {
        case .rdvCreated, .rdvUpdated:
            return participant.sendLifecycleNotifications && !participant.status.isCancelled
        case .rdvCancelled:
            // Already cancelled before this change: no second cancellation.
            return participant.sendLifecycleNotifications && !participant.statusBeforeChange.isCancelled
        case .rdvUpcomingReminder:
            return participant.sendReminderNotification && !participant.status.isCancelled
        case .newCreneauAvailable:
            return !participant.status.isCancelled
        }
    }

    /// Relatives' participations go to their responsible, one group per person (domain.md §11).
    static func groups(of participants: [NotifiedParticipant]) -> [RecipientGroup] {
        var groups: [Int64: RecipientGroup] = [:]
        for participant in participants {
            let contact = participant.recipient
            groups[contact.userID, default: RecipientGroup(contact: contact, participants: [])].participants
                .append(participant)
        }
        return groups.keys.sorted().compactMap { groups[$0] }
    }

    static func userMessages(
        event: NotificationEvent, content: NotificationContent, change: NotificationChange, group: RecipientGroup
    ) -> [PlannedMessage] {
        let recipient = NotificationRecipient.user(group.contact.userID)
        func key(_ channel: NotificationChannel) -> String {
            PlannedMessage.idempotencyKey(
                event: event, appointmentID: content.appointment.id, startsAt: content.appointment.startsAt,
                changeID: change.changeID, recipient: recipient, channel: channel)
        }
        var messages: [PlannedMessage] = []
        if let email = mailAddress(group.contact) {
            let subject = MailText.userSubject(event: event, content: content)
            let body = MailText.userBody(event: event, content: content, group: group)
            let method = userCalendarMethod(event)
            // Users get PUBLISH (or CANCEL) without attendees, linking to their own page (notifications.md §10).
            let ics = method.map {
                content.calendar(
                    method: $0, location: content.calendarLocation(homeAddress: group.homeAddress),
                    description: content.settings.links.userAppointment(id: content.appointment.id, token: group.token))
            }
            messages.append(
                PlannedMessage(
                    recipient: recipient, channel: .mail, address: email, event: event,
                    appointmentID: content.appointment.id, subject: subject, body: body.text,
                    html: body.html(title: subject), calendarMethod: method, ics: ics, idempotencyKey: key(.mail)))
        }
        // A user cancelling gets the e-mail only (notifications.md §2).
        let smsAllowed = event != .rdvCancelled || content.author.isAgent
        if smsAllowed, content.settings.smsEnabled, let mobile = mobileAddress(group.contact) {
            messages.append(
                PlannedMessage(
                    recipient: recipient, channel: .sms, address: mobile, event: event,
                    appointmentID: content.appointment.id, subject: nil,
                    body: SMSText.text(event: event, content: content, group: group), calendarMethod: nil,
                    idempotencyKey: key(.sms)))
        }
        return messages
    }

    /// An e-mail address and `notify_by_email` (notifications.md §3).
    static func mailAddress(_ contact: NotifiedContact) -> String? {
        guard contact.notifyByEmail, let email = contact.email, EmailAddress.isValid(email) else { return nil }
        return EmailAddress.normalised(email)
    }

    /// A valid mobile number and `notify_by_sms`; landlines never get SMS (notifications.md §3).
    static func mobileAddress(_ contact: NotifiedContact) -> String? {
        guard contact.notifyBySMS, let raw = contact.phoneNumber, let number = PhoneNumber(raw), number.isMobile
        else { return nil }
        return number.e164
    }

    static func userCalendarMethod(_ event: NotificationEvent) -> CalendarMethod? {
        switch event {
        case .rdvCreated, .rdvUpdated, .rdvUpcomingReminder: .publish
        case .rdvCancelled: .cancel
        case .newCreneauAvailable: nil
        }
    }
}

extension NotificationAuthor {
    var isAgent: Bool {
        if case .agent = self { return true }
        return false
    }

    var isUserOrPrescriber: Bool {
        switch self {
        case .user, .prescriber: true
        case .agent, .system: false
        }
    }
}
