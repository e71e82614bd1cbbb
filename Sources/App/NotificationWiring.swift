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

    static let defaultMailFrom = "RDV Service Public <ne-pas-repondre@localhost>"

    init(environment: [String: String]) throws {
        publicURL = environment["RDV_PUBLIC_URL"].flatMap { $0.isEmpty ? nil : $0 } ?? "http://localhost:8080"
        mailFrom = environment["RDV_MAIL_FROM"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultMailFrom
        if let url = environment["RDV_SMTP_URL"], !url.isEmpty {
            var configuration = try SMTPConfiguration(url: url)
            configuration.helloName = publicHost
            smtp = configuration
        }
    }

    /// The host of `RDV_PUBLIC_URL`: EHLO name and Message-ID domain (notifications.md §9).
    var publicHost: String { URLComponents(string: publicURL)?.host ?? "localhost" }

    func handlers(db: AppDatabase) -> [String: any OutboxHandler] {
        let dev = DevMessageHandler(db: db)
        return [
            "email": smtp.map { EmailHandler(client: SMTPClient(configuration: $0), from: mailFrom, host: publicHost) }
                ?? dev,
            "sms": dev,
            "reminder": ReminderHandler(db: db, publicURL: publicURL),
        ]
    }

    /// One line for the start-up log; never the credentials.
    var summary: String {
        let mail = smtp.map { "smtp \($0.host):\($0.port) starttls=\($0.startTLS.rawValue)" } ?? "development outbox"
        return "e-mails: \(mail)"
    }
}
