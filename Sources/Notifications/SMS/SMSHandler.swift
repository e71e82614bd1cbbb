import Foundation
import Persistence

/// Delivers `sms` outbox rows through the effective provider of the message's territory
/// (notifications.md §7), with the outbox key as the provider `reference` so a retry after an
/// unknown outcome can be dropped by the provider (§12). Permanent errors are not retried.
public struct SMSHandler: OutboxHandler {
    /// The effective provider for a message; nil when SMS are off (`none`). May read the database.
    public typealias ProviderResolver = @Sendable (OutboxMessage) throws -> (any SMSProvider)?

    let resolveProvider: ProviderResolver

    public init(resolveProvider: @escaping ProviderResolver) { self.resolveProvider = resolveProvider }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let rendered = message.renderedMessage else { return .dropped("unreadable payload") }
        let provider: any SMSProvider
        do {
            guard let resolved = try resolveProvider(message) else { return .dropped("sms disabled") }
            provider = resolved
        } catch let error as SMSError where error.isPermanent {
            // A missing or invalid territory configuration: only an administrator can fix it.
            return .failedPermanently(error.message, nil)
        } catch {
            return .failed("cannot resolve the SMS provider: \(error)", nil)
        }
        var receipt = DeliveryReceipt(
            event: rendered.event, channel: "sms", result: "failure", smsProvider: provider.name,
            content: rendered.body, phoneNumber: rendered.recipient)
        do {
            let result = try provider.send(
                to: rendered.recipient, text: rendered.body, tag: rendered.event, idempotencyKey: message.idempotencyKey
            )
            receipt.result = result.status.rawValue
            receipt.smsCount = result.parts
            return .sent(receipt)
        } catch let error as SMSError {
            receipt.errorMessage = error.message
            return error.isPermanent ? .failedPermanently(error.message, receipt) : .failed(error.message, receipt)
        } catch {
            receipt.errorMessage = "\(error)"
            return .failed("\(error)", receipt)
        }
    }
}
