import Foundation

extension NotificationPlanner {
    /// Agent e-mails with ICS (notifications.md §2 last column, §3 levels).
    static func agentMessages(
        event: NotificationEvent, content: NotificationContent, change: NotificationChange,
        participants: [NotifiedParticipant], pool: [NotifiedAgent]
    ) -> [PlannedMessage] {
        let targets: [(Int64, NotificationEvent)]
        switch event {
        case .rdvUpcomingReminder, .newCreneauAvailable:
            return []
        case .rdvCreated, .rdvCancelled:
            // None for changes made in the agents' participants form.
            if change.viaParticipantsForm { return [] }
            targets = content.appointment.agentIDs.map { ($0, event) }
        case .rdvUpdated:
            // Kept agents: updated; added: created; removed: cancelled.
            let before = content.previous?.agentIDs ?? content.appointment.agentIDs
            let after = content.appointment.agentIDs
            targets =
                after.map { ($0, before.contains($0) ? .rdvUpdated : .rdvCreated) }
                + before.filter { !after.contains($0) }.map { ($0, .rdvCancelled) }
        }
        let shown = participants.filter { participant in
            event == .rdvCancelled ? !participant.statusBeforeChange.isCancelled : !participant.status.isCancelled
        }
        let homeAddress = shown.flatMap { [$0.user.address, $0.responsible?.address] }.compactMap { $0 }
            .first { !$0.isEmpty }
        return targets.compactMap { id, agentEvent in
            guard let agent = pool.first(where: { $0.id == id }), receives(agent, content: content),
                let email = agent.email, EmailAddress.isValid(email)
            else { return nil }
            let recipient = NotificationRecipient.agent(id)
            let subject = MailText.agentSubject(event: agentEvent, content: content)
            let body = MailText.agentBody(event: agentEvent, content: content, participants: shown)
            let method: CalendarMethod = agentEvent == .rdvCancelled ? .cancel : .request
            // REQUEST lists every agent as an attendee; a removed agent's CANCEL names it too.
            let attendees = content.agents.contains { $0.id == id } ? content.agents : content.agents + [agent]
            let ics = content.calendar(
                method: method, location: content.calendarLocation(homeAddress: homeAddress),
                description: content.agentLink, attendees: attendees)
            return PlannedMessage(
                recipient: recipient, channel: .mail, address: EmailAddress.normalised(email), event: agentEvent,
                appointmentID: content.appointment.id, subject: subject, body: body.text,
                html: body.html(title: subject), calendarMethod: method, ics: ics,
                idempotencyKey: PlannedMessage.idempotencyKey(
                    event: agentEvent, appointmentID: content.appointment.id,
                    startsAt: content.appointment.startsAt, changeID: change.changeID, recipient: recipient,
                    channel: .mail))
        }
    }

    /// `rdv_notifications_level` (notifications.md §3): `all` always; `others` unless the author;
    /// `soon` unless the author, and only when the old or new start is today or tomorrow; `none` never.
    static func receives(_ agent: NotifiedAgent, content: NotificationContent) -> Bool {
        let isAuthor = content.author == .agent(agent.id)
        switch agent.level {
        case .all: return true
        case .others: return !isAuthor
        case .none: return false
        case .soon:
            guard !isAuthor else { return false }
            let today = LocalDate(content.now, in: content.zone)
            let soonDays = [today, today.adding(days: 1)].compactMap { $0 }
            let starts = [content.previous?.startsAt, content.appointment.startsAt].compactMap { $0 }
            return starts.contains { soonDays.contains(LocalDate($0, in: content.zone)) }
        }
    }
}
