import Domain
import Foundation
import Persistence

/// The effective SMS provider of a message (notifications.md §7): its territory's provider, else
/// the instance's `RDV_SMS_PROVIDER` (`dev` by default, `none` turns SMS off).
public struct SMSProviderResolver: Sendable {
    public enum InstanceDefault: String, Sendable {
        case dev, none
    }

    let db: AppDatabase
    let instanceDefault: InstanceDefault
    /// For `mail_to_sms`; nil while `RDV_SMTP_URL` is unset.
    let smtp: SMTPClient?
    let clock: any Clock
    /// `RDV_ALLOW_PRIVATE_WEBHOOKS`: an `http_json` provider may be on a private address.
    let allowPrivateAddresses: Bool

    public init(
        db: AppDatabase, instanceDefault: InstanceDefault, smtp: SMTPClient?, clock: any Clock,
        allowPrivateAddresses: Bool = false
    ) {
        self.db = db
        self.instanceDefault = instanceDefault
        self.smtp = smtp
        self.clock = clock
        self.allowPrivateAddresses = allowPrivateAddresses
    }

    public func provider(for message: OutboxMessage) throws -> (any SMSProvider)? {
        let appointmentID = message.renderedMessage?.appointmentID
        let territoryID = message.renderedMessage?.territoryID
        let settings =
            try appointmentID.flatMap { try db.smsSettings(appointmentID: $0) }
            ?? territoryID.flatMap { try db.smsSettings(territoryID: $0) }
        switch settings?.provider ?? instanceDefault.rawValue {
        case "none":
            return nil
        case "dev":
            return DevSMSProvider(db: db, clock: clock, outboxID: message.id, appointmentID: appointmentID)
        default:
            guard let sealed = settings?.sealedConfiguration else {
                throw SMSError.permanent("le fournisseur SMS du territoire n'est pas configuré")
            }
            return try db.openSMSConfiguration(sealed).makeProvider(
                smtp: smtp, clock: clock, allowPrivateAddresses: allowPrivateAddresses)
        }
    }
}

/// The development provider (notifications.md §7 `dev`): the SMS lands in the « Boîte d'envoi »,
/// result `delivered`.
struct DevSMSProvider: SMSProvider {
    let db: AppDatabase
    let clock: any Clock
    let outboxID: Int64
    let appointmentID: Int64?
    var name: String { "dev" }

    func send(to e164: String, text: String, tag: String, idempotencyKey: String) throws -> SMSResult {
        try db.storeDevMessage(
            RenderedMessage(event: tag, channel: "sms", recipient: e164, body: text, appointmentID: appointmentID),
            outboxID: outboxID, now: clock.now)
        return SMSResult(status: .delivered, providerMessageID: nil, parts: GSM7.smsCount(text))
    }
}
