import Domain
import Foundation
import GRDB

/// The e-mails of `MailPlanner` (prescriber confirmation, user arrived, export ready, deletion
/// warning, account e-mails) become `email` outbox rows like every other message, so they get
/// the same retries, receipts and development outbox (notifications.md §1, §12).
extension AppDatabase {
    /// In a transaction of its own: for a request that changes nothing else (a sign-in code).
    /// A change that causes e-mails calls the `Database` version in its transaction.
    public func planMails(_ mails: [PlannedMail], now: Date) throws {
        try writer.write { db in try Self.planMails(db, mails, now: now) }
    }

    static func planMails(_ db: Database, _ mails: [PlannedMail], now: Date) throws {
        for mail in mails {
            let payload = RenderedMessage(
                event: mail.event.rawValue, channel: "mail", recipient: mail.address, subject: mail.subject,
                body: mail.text, html: mail.html, appointmentID: mail.appointmentID)
            try insertRenderedMessage(db, payload, key: mail.idempotencyKey, dueAt: now)
        }
    }
}
