import Foundation

extension NotificationContent {
    /// The ICS of an appointment e-mail (notifications.md §10): UID = the appointment's uuid,
    /// SUMMARY « RDV <motif name> », the organizer is the product at the no-reply address.
    /// `attendees` is empty for users (PUBLISH) and lists the agents for agent e-mails (REQUEST).
    func calendar(
        method: CalendarMethod, location: String?, description: String, attendees: [NotifiedAgent] = []
    ) -> String {
        let event = ICalendarEvent(
            uid: appointment.uuid.uuidString.lowercased(), start: ICalendarDateTime(appointment.startsAt, in: zone),
            end: ICalendarDateTime(appointment.endsAt, in: zone), sequence: appointment.sequence,
            status: method == .cancel ? .cancelled : .confirmed, summary: "RDV \(motif.name)", location: location,
            description: description, organizer: settings.organizer,
            attendees: attendees.compactMap { agent in
                guard let email = agent.email, EmailAddress.isValid(email) else { return nil }
                return ICalendarEvent.Person(name: agent.fullName, email: EmailAddress.normalised(email))
            })
        return ICalendar(productName: settings.productName, method: method, timeZone: zone, stamp: now, events: [event])
            .rendered
    }

    /// LOCATION: the place's address; none for phone; the participant's address at home, when
    /// known; « Visioconférence <link> » for visio (notifications.md §10).
    func calendarLocation(homeAddress: String?) -> String? {
        switch motif.locationType {
        case .publicOffice: appointment.place?.address
        case .phone: nil
        case .home: homeAddress
        case .visio: "Visioconférence \(appointment.visioURL())"
        }
    }
}

extension NotificationSettings {
    /// ORGANIZER;CN=<product name>:mailto:<no-reply address> (notifications.md §10).
    var organizer: ICalendarEvent.Person { ICalendarEvent.Person(name: productName, email: noReplyAddress) }
}

extension RecipientGroup {
    /// The postal address for a home appointment: a participant's, else the recipient's.
    var homeAddress: String? {
        (participants.compactMap(\.user.address) + [contact.address].compactMap { $0 }).first { !$0.isEmpty }
    }
}
