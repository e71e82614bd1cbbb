import Foundation
import Persistence

/// Sends `email` outbox rows through the SMTP client (`RDV_SMTP_URL`, notifications.md §8–§9).
/// The receipt says `processed` when the server accepted the message (§11); a 5xx is permanent,
/// anything else is retried with the same Message-ID.
public struct EmailHandler: OutboxHandler {
    let client: SMTPClient
    /// `RDV_MAIL_FROM`, e.g. `RDV Service Public <ne-pas-repondre@rdv.example.fr>`.
    let from: String
    /// The host of `RDV_PUBLIC_URL`: the Message-ID's right-hand side.
    let host: String

    public init(client: SMTPClient, from: String, host: String) {
        self.client = client
        self.from = from
        self.host = host
    }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let rendered = message.renderedMessage else {
            return .dropped("unreadable payload")
        }
        let mail = MailMessage(
            from: from, to: rendered.recipient, replyTo: rendered.replyTo, subject: rendered.subject ?? "",
            text: rendered.body, html: rendered.html,
            calendar: rendered.ics.map { ($0, rendered.calendarMethod ?? "PUBLISH") },
            messageID: message.idempotencyKey,
            host: host, date: now)
        func receipt(_ result: String, _ error: String? = nil) -> DeliveryReceipt {
            DeliveryReceipt(
                event: rendered.event, channel: "mail", result: result, errorMessage: error, content: rendered.subject,
                emailAddress: rendered.recipient)
        }
        do {
            try client.send(
                try mail.rendered(boundarySeed: String(message.id)), from: MailMessage.address(from),
                to: [rendered.recipient])
            return .sent(receipt("processed"))
        } catch let error as SMTPError {
            let receipt = receipt("failure", error.description)
            return error.permanent
                ? .failedPermanently(error.description, receipt) : .failed(error.description, receipt)
        } catch {
            return .failed("\(error)", receipt("failure", "\(error)"))
        }
    }
}
