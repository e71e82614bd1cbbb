import Domain
import Foundation
import Persistence

/// The development provider (contracts.md §1: `RDV_SMS_PROVIDER=dev`, no `RDV_SMTP_URL`): every
/// message lands in the « boîte d'envoi » table instead of leaving the machine; the receipt says
/// `delivered` (notifications.md §7, §11).
public struct DevMessageHandler: OutboxHandler {
    let db: AppDatabase

    public init(db: AppDatabase) { self.db = db }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let rendered = message.renderedMessage else { return .dropped("unreadable payload") }
        do {
            try db.storeDevMessage(rendered, outboxID: message.id, now: now)
        } catch {
            return .failed("\(error)", nil)
        }
        let sms = rendered.channel == "sms"
        return .sent(
            DeliveryReceipt(
                event: rendered.event, channel: rendered.channel, result: "delivered", smsProvider: sms ? "dev" : nil,
                smsCount: sms ? GSM7.smsCount(rendered.body) : nil, content: sms ? rendered.body : rendered.subject,
                phoneNumber: sms ? rendered.recipient : nil, emailAddress: sms ? nil : rendered.recipient))
    }
}
