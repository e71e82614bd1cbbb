import Domain
import Foundation
import Persistence

/// A `reminder` row becomes the concrete e-mails and SMS of notifications.md §4–§6: the planner
/// decides recipients and texts when the reminder is due (not when it was planned), and each
/// message becomes its own `email`/`sms` row with its own key and retries.
public struct ReminderHandler: OutboxHandler {
    let db: AppDatabase
    let publicURL: String

    public init(db: AppDatabase, publicURL: String) {
        self.db = db
        self.publicURL = publicURL
    }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let appointmentID = message.appointmentID else { return .dropped("reminder without appointment") }
        let context: NotificationContext?
        do {
            context = try db.notificationContext(appointmentID: appointmentID, now: now)
        } catch {
            return .failed("\(error)", nil)
        }
        // Expected "too late" conditions are recorded and dropped, not retried (style.md §5).
        guard let context else { return .dropped("appointment deleted") }
        guard !context.appointment.status.isCancelled else { return .dropped("appointment cancelled") }
        guard context.appointment.startsAt > now else { return .dropped("appointment already started") }
        let planned = NotificationPlanner.plan(
            event: .rdvUpcomingReminder, appointment: context.appointment, participants: context.participants,
            agents: context.agents, author: .system, motif: context.motif, organisation: context.organisation,
            settings: NotificationSettings(
                publicURL: publicURL, timeZone: context.timeZone, smsEnabled: context.smsEnabled),
            now: now)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        do {
            let rows = try planned.map {
                message -> (kind: String, payload: String, key: String, appointmentID: Int64?) in
                let rendered = RenderedMessage(
                    event: message.event.rawValue, channel: message.channel.rawValue, recipient: message.address,
                    subject: message.subject, body: message.body)
                return (
                    message.channel == .sms ? "sms" : "email",
                    String(decoding: try encoder.encode(rendered), as: UTF8.self),
                    message.idempotencyKey, appointmentID
                )
            }
            try db.planMessages(rows, dueAt: now)
        } catch {
            return .failed("\(error)", nil)
        }
        return .sent(nil)
    }
}
