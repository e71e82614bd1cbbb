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
    /// The organisation and territory are the appointment's, or the territory named by the
    /// payload of a message about no appointment: the statistics count receipts by them
    /// (admin.md §7).
    static func insertReceipt(_ db: Database, _ receipt: DeliveryReceipt, message: OutboxMessage, now: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO receipts (appointment_id, outbox_message_id, event, channel, result, error_message, sms_provider,
                                      sms_count, content, sms_phone_number, email_address, idempotency_key,
                                      webhook_endpoint_id, organisation_id, territory_id, created_at)
                SELECT m.appointment_id, ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11,
                       CASE WHEN m.kind = 'webhook' THEN m.webhook_endpoint_id END, a.organisation_id,
                       coalesce(o.territory_id, (SELECT id FROM territories WHERE id = json_extract(m.payload, '$.territory_id'))),
                       ?12
                FROM (SELECT ?1 AS id) AS wanted
                LEFT JOIN outbox_messages m ON m.id = wanted.id
                LEFT JOIN appointments a ON a.id = m.appointment_id
                LEFT JOIN organisations o ON o.id = a.organisation_id
                """,
            arguments: [
                message.id, receipt.event, receipt.channel, receipt.result, receipt.errorMessage, receipt.smsProvider,
                receipt.smsCount, receipt.content, receipt.phoneNumber, receipt.emailAddress, message.idempotencyKey,
                Int64(now.timeIntervalSince1970),
            ])
    }
}
