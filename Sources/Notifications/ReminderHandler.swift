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
        do {
            switch try db.planReminderMessages(
                appointmentID: appointmentID, reminderKey: message.idempotencyKey, publicURL: publicURL, now: now)
            {
            case .planned: return .sent(nil)
            case .dropped(let reason): return .dropped(reason)
            }
        } catch {
            return .failed("\(error)", nil)
        }
    }
}
