import Domain
import Foundation

/// The `mail_to_sms` provider (notifications.md §7): a plain-text e-mail to
/// `<number>@<gateway_domain>` whose body is the SMS text, through the SMTP client (§9). The
/// gateway confirms nothing, so the result is `sent`; a 5xx is permanent, anything else transient.
public struct MailToSMSProvider: SMSProvider {
    public typealias NumberFormat = SMSProviderConfiguration.NumberFormat

    public let name = "mail_to_sms"
    public let gatewayDomain: String
    public let numberFormat: NumberFormat
    public let from: String
    let smtp: SMTPClient
    let clock: any Clock

    public init(gatewayDomain: String, numberFormat: NumberFormat, from: String, smtp: SMTPClient, clock: any Clock) {
        self.gatewayDomain = gatewayDomain
        self.numberFormat = numberFormat
        self.from = from
        self.smtp = smtp
        self.clock = clock
    }

    /// The gateway address of an E.164 number, e.g. `0612345678@sms.example.fr`.
    public func address(for e164: String) -> String? {
        guard let phone = PhoneNumber(e164) else { return nil }
        let number =
            switch numberFormat {
            case .national: "0" + phone.nationalNumber
            case .international: phone.countryCode + phone.nationalNumber
            }
        return "\(number)@\(gatewayDomain)"
    }

    public func send(to e164: String, text: String, tag: String, idempotencyKey: String) throws -> SMSResult {
        guard let recipient = address(for: e164) else {
            throw SMSError.permanent("the recipient is not a French phone number")
        }
        do {
            try smtp.send(
                try message(to: recipient, text: text, idempotencyKey: idempotencyKey), from: MailMessage.address(from),
                to: [recipient])
        } catch let error as SMTPError {
            throw error.permanent ? SMSError.permanent(error.description) : SMSError.transient(error.description)
        } catch {
            throw SMSError.transient("\(error)")
        }
        return SMSResult(status: .sent, parts: GSM7.smsCount(text))
    }

    /// The Message-ID's right-hand side: the domain of the sender address.
    var senderDomain: String { MailMessage.address(from).split(separator: "@").last.map(String.init) ?? "localhost" }

    /// RFC 5322 with a single text/plain part and no Subject (some gateways prepend it to the SMS).
    /// The Message-ID comes from the outbox key, stable across retries (notifications.md §12).
    func message(to recipient: String, text: String, idempotencyKey: String) throws(SMTPError) -> [UInt8] {
        let lines =
            [
                try MailMessage.headerLine("From", MailMessage.encodeAddressHeader(from), raw: from),
                try MailMessage.headerLine("To", recipient),
                "Date: \(MailMessage.rfc5322Date(clock.now))",
                "Message-ID: \(MailMessage.messageIDHeader(key: idempotencyKey, host: senderDomain))",
                "MIME-Version: 1.0",
                "Content-Type: text/plain; charset=utf-8", "Content-Transfer-Encoding: base64",
                "Auto-Submitted: auto-generated", "",
            ] + MailMessage.base64Lines(text) + [""]
        return Array(lines.joined(separator: "\r\n").utf8)
    }
}
