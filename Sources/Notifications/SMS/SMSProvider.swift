import Foundation
import Persistence

/// What a provider reports for an accepted SMS (notifications.md §7).
public struct SMSResult: Sendable, Equatable {
    public enum Status: String, Sendable {
        /// The provider accepted the message (no delivery confirmation yet).
        case sent
        /// Delivery is confirmed (the development provider).
        case delivered
    }

    public var status: Status
    public var providerMessageID: String?
    /// Concatenated parts billed for the message (notifications.md §6 "Length").
    public var parts: Int

    public init(status: Status, providerMessageID: String? = nil, parts: Int) {
        self.status = status
        self.providerMessageID = providerMessageID
        self.parts = parts
    }
}

/// Why an SMS was not accepted: `transient` errors are retried (notifications.md §12),
/// `permanent` ones fail the message at once. Messages never quote the number or the text.
public enum SMSError: Error, Equatable, CustomStringConvertible {
    case transient(String)
    case permanent(String)

    public var message: String {
        switch self {
        case .transient(let message), .permanent(let message): message
        }
    }

    public var isPermanent: Bool {
        if case .permanent = self { return true }
        return false
    }

    public var description: String { (isPermanent ? "permanent: " : "transient: ") + message }
}

/// One SMS gateway (notifications.md §7). `send` blocks: the scheduler runs handlers on its own
/// thread. Implementations throw ``SMSError``; anything else is treated as transient.
public protocol SMSProvider: Sendable {
    /// The receipt's `sms_provider`: `http_json`, `mail_to_sms` or `dev`.
    var name: String { get }

    /// Sends `text` to the E.164 number `e164`; `tag` is the event, `idempotencyKey` the outbox key
    /// the provider may use to drop a duplicate after an unknown outcome (notifications.md §12).
    func send(to e164: String, text: String, tag: String, idempotencyKey: String) throws -> SMSResult
}

extension OutboxMessage {
    /// The payload of an `email` or `sms` row; nil when it cannot be read.
    var renderedMessage: RenderedMessage? {
        try? JSONDecoder().decode(RenderedMessage.self, from: Data(payload.utf8))
    }
}
