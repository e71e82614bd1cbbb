import Foundation

/// Plans the agent e-mail about a created, updated or deleted opening period or absence
/// (notifications.md §2 rows, §8 subjects, §10 ICS): pure, with `now` as a parameter.
public enum SeriesNotificationPlanner {
    /// - Parameters:
    ///   - series: the record after the change (before it, for a deletion).
    ///   - agent: the series' agent: it alone is notified, when its level for this kind is `all`,
    ///     whoever made the change (notifications.md §2).
    ///   - authorName: the author's name, shown in the body when given (« … par Marie DURAND »).
    /// - Returns: zero or one message.
    public static func plan(
        series: NotifiedSeries, change: SeriesChange, agent: Agent, authorName: String? = nil,
        settings: NotificationSettings, now: Date
    ) -> [PlannedSeriesMessage] {
        let level =
            series.kind == .openingPeriod ? agent.plageOuvertureNotificationLevel : agent.absenceNotificationLevel
        guard level == .all, agent.deletedAt == nil, let email = agent.email, EmailAddress.isValid(email) else {
            return []
        }
        let recipient = NotificationRecipient.agent(series.agentID)
        let address = EmailAddress.normalised(email)
        let text = SeriesMailText(series: series, change: change, settings: settings)
        let subject = text.subject
        let body = text.body(authorName: authorName)
        let method: CalendarMethod = change == .destroyed ? .cancel : .request
        let attendee = ICalendarEvent.Person(name: agent.fullName, email: address)
        return [
            PlannedSeriesMessage(
                recipient: recipient, address: address, kind: series.kind, seriesID: series.id, change: change,
                subject: subject, body: body.text, html: body.html(title: subject), calendarMethod: method,
                ics: calendar(
                    series, method: method, link: text.link, attendee: attendee, settings: settings, now: now),
                idempotencyKey: PlannedSeriesMessage.idempotencyKey(
                    kind: series.kind, change: change, seriesID: series.id, updatedAt: series.updatedAt,
                    sequence: series.sequence,
                    recipient: recipient))
        ]
    }

    /// The series as VEVENTs with its RRULE, EXDATEs and moved occurrences (notifications.md §10,
    /// slots.md §2): SUMMARY = its title, the agent as the attendee of the REQUEST or CANCEL.
    static func calendar(
        _ series: NotifiedSeries, method: CalendarMethod, link: String?, attendee: ICalendarEvent.Person,
        settings: NotificationSettings, now: Date
    ) -> String {
        let template = ICalendarEvent(
            uid: series.calendarUID(host: settings.host),
            start: ICalendarDateTime(day: series.pattern.firstDay, time: series.pattern.startTime),
            end: ICalendarDateTime(day: series.pattern.endDay, time: series.pattern.endTime), sequence: series.sequence,
            status: method == .cancel ? .cancelled : .confirmed, summary: series.title,
            location: series.place?.address, description: link, organizer: settings.organizer, attendees: [attendee])
        let events = series.pattern.calendarEvents(
            like: template, exceptions: series.exceptions, timeZone: settings.timeZone)
        return ICalendar(
            productName: settings.productName, method: method, timeZone: settings.timeZone, stamp: now, events: events
        ).rendered
    }
}
