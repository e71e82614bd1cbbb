import Foundation
import Persistence

/// Delivers `webhook` outbox rows (notifications.md §13). The row holds a ``WebhookPayload``: the
/// endpoint id and the exact body as a string, so the bytes signed at each attempt are the bytes
/// planned. The endpoint's current URL and secret are looked up at each attempt (an edited
/// endpoint applies to pending retries; a deleted one drops them).
public struct WebhookHandler: OutboxHandler {
    /// The endpoint's target URL and secret, or nil when it was deleted.
    public typealias EndpointResolver = @Sendable (Int64) throws -> (url: String, secret: String)?

    let sender: WebhookSender
    let resolveEndpoint: EndpointResolver

    public init(sender: WebhookSender = WebhookSender(), resolveEndpoint: @escaping EndpointResolver) {
        self.sender = sender
        self.resolveEndpoint = resolveEndpoint
    }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let payload = try? JSONDecoder().decode(WebhookPayload.self, from: Data(message.payload.utf8)) else {
            return .dropped("unreadable payload")
        }
        let endpoint: (url: String, secret: String)
        do {
            guard let found = try resolveEndpoint(payload.endpointID) else { return .dropped("endpoint deleted") }
            endpoint = found
        } catch {
            return .failed("cannot load the webhook endpoint: \(error)", nil)
        }
        var receipt = DeliveryReceipt(
            event: WebhookBody.receiptEvent(of: payload.body), channel: "webhook", result: "sent")
        do {
            try sender.send(body: payload.body, to: endpoint.url, secret: endpoint.secret)
            return .sent(receipt)
        } catch {
            receipt.result = "failure"
            receipt.errorMessage = error.description
            return error.permanent ? .failedPermanently(error.description, receipt) : .failed(error.description, receipt)
        }
    }
}
