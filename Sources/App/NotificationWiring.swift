import Domain
import Foundation
import Notifications
import Persistence

/// The outbox handlers of `rdv serve`, from the environment (contracts.md §1): e-mails go through
/// SMTP when `RDV_SMTP_URL` is set, else to the development outbox, so `make run` sends nothing
/// out of the machine.
struct NotificationWiring {
    var publicURL: String
    var mailFrom: String
    var smtp: SMTPConfiguration?
    var smsDefault: SMSProviderResolver.InstanceDefault
    /// `RDV_ALLOW_PRIVATE_WEBHOOKS=1` (tests, closed networks): outbound HTTP may reach private
    /// addresses. Passed explicitly: the senders refuse them by default.
    var allowPrivateAddresses: Bool

    init(environment: [String: String]) throws {
        let instance = InstanceEnvironment(environment)
        publicURL = instance.publicURL
        mailFrom = instance.mailFrom
        allowPrivateAddresses = instance.allowPrivateWebhooks
        guard let smsDefault = SMSProviderResolver.InstanceDefault(rawValue: instance.smsProvider) else {
            throw InvalidSetting(
                description: "RDV_SMS_PROVIDER must be dev or none (territories choose their own provider)")
        }
        self.smsDefault = smsDefault
        if let url = environment["RDV_SMTP_URL"], !url.isEmpty {
            var configuration = try SMTPConfiguration(url: url)
            configuration.helloName = publicHost
            smtp = configuration
        }
    }

    struct InvalidSetting: Error, CustomStringConvertible {
        let description: String
    }

    /// The host of `RDV_PUBLIC_URL`: EHLO name and Message-ID domain (notifications.md §9).
    var publicHost: String { URLComponents(string: publicURL)?.host ?? "localhost" }

    func handlers(db: AppDatabase, clock: any Clock) -> [String: any OutboxHandler] {
        let client = smtp.map { SMTPClient(configuration: $0) }
        let resolver = SMSProviderResolver(
            db: db, instanceDefault: smsDefault, smtp: client, clock: clock, allowPrivateAddresses: allowPrivateAddresses)
        return [
            "email": client.map { EmailHandler(client: $0, from: mailFrom, host: publicHost) }
                ?? DevMessageHandler(db: db),
            "sms": SMSHandler(resolveProvider: resolver.provider(for:)),
            "reminder": ReminderHandler(db: db, publicURL: publicURL),
            "job": RecurringJobHandler(db: db, publicURL: publicURL),
            "webhook": WebhookHandler(
                sender: WebhookSender(allowPrivateAddresses: allowPrivateAddresses), resolveEndpoint: db.webhookEndpoint(id:)),
        ]
    }

    /// No SMTP server: a development or demo instance, where the « Boîte d'envoi » page is on for
    /// admins (notifications.md §7; on a production instance it is for super admins only).
    var usesDevelopmentOutbox: Bool { smtp == nil }

    /// One line for the start-up log; never the credentials.
    var summary: String {
        let mail = smtp.map { "smtp \($0.host):\($0.port) starttls=\($0.startTLS.rawValue)" } ?? "development outbox"
        return "e-mails: \(mail); SMS default provider: \(smsDefault.rawValue)"
    }
}
