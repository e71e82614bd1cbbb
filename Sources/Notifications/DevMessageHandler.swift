import Foundation
import Persistence

/// The development provider (contracts.md §1: `RDV_SMS_PROVIDER=dev`, no `RDV_SMTP_URL`): every
/// message lands in the « boîte d'envoi » table instead of leaving the machine.
public struct DevMessageHandler: OutboxHandler {
    let db: AppDatabase

    public init(db: AppDatabase) { self.db = db }

    /// GSM-7: one SMS holds 160 characters; concatenated parts hold 153 each.
    static func smsParts(_ text: String) -> Int { text.count <= 160 ? 1 : (text.count + 152) / 153 }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let rendered = try? JSONDecoder().decode(RenderedMessage.self, from: Data(message.payload.utf8)) else {
            return .dropped("unreadable payload")
        }
        do {
            try db.storeDevMessage(rendered, outboxID: message.id)
        } catch {
            return .failed("\(error)", nil)
        }
        let sms = rendered.channel == "sms"
        return .sent(
            DeliveryReceipt(
                event: rendered.event, channel: rendered.channel, result: "sent", smsProvider: sms ? "dev" : nil,
                smsCount: sms ? Self.smsParts(rendered.body) : nil, content: sms ? rendered.body : rendered.subject,
                phoneNumber: sms ? rendered.recipient : nil, emailAddress: sms ? nil : rendered.recipient))
    }
}
