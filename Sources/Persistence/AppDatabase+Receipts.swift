import Domain
import Foundation
import GRDB

/// One delivery attempt's record (domain.md §13 « Accusé d'envoi »), as the `receipts` table
/// stores it: the event is a string because receipts also record webhook, opening-period and
/// account e-mail events, beyond the appointment events of `NotificationEvent`.
public struct DeliveryReceipt: Sendable, Equatable {
    public var event: String
    public var channel: String
    public var result: String
    public var errorMessage: String?
    public var smsProvider: String?
    public var smsCount: Int?
    public var content: String?
    public var phoneNumber: String?
    public var emailAddress: String?

    public init(
        event: String, channel: String, result: String, errorMessage: String? = nil, smsProvider: String? = nil,
        smsCount: Int? = nil, content: String? = nil, phoneNumber: String? = nil, emailAddress: String? = nil
    ) {
        self.event = event
        self.channel = channel
        self.result = result
        self.errorMessage = errorMessage
        self.smsProvider = smsProvider
        self.smsCount = smsCount
        self.content = content
        self.phoneNumber = phoneNumber
        self.emailAddress = emailAddress
    }
}

extension AppDatabase {
    /// The appointment and endpoint are read from the row itself: their foreign keys are cleared
    /// when the appointment or endpoint is deleted while the message is on its way.
    /// Dated by the process clock, as the retention jobs and « Historique des notifications »
    /// read it (booking.md §11).
    static func insertReceipt(_ db: Database, _ receipt: DeliveryReceipt, message: OutboxMessage, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO receipts (appointment_id, outbox_message_id, event, channel, result, error_message, sms_provider,
                                      sms_count, content, sms_phone_number, email_address, idempotency_key,
                                      webhook_endpoint_id, created_at)
                VALUES ((SELECT appointment_id FROM outbox_messages WHERE id = ?1), ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,
                        ?10, ?11, (SELECT webhook_endpoint_id FROM outbox_messages WHERE id = ?1 AND kind = 'webhook'), ?12)
                """,
            arguments: [
                message.id, receipt.event, receipt.channel, receipt.result, receipt.errorMessage, receipt.smsProvider,
                receipt.smsCount, receipt.content, receipt.phoneNumber, receipt.emailAddress, message.idempotencyKey,
                Int64(now.timeIntervalSince1970),
            ])
    }
}
