import Domain
import Foundation
import HTTP
import Persistence

/// « Boîte d'envoi » (notifications.md §7, admin.md §11): the e-mails and SMS the development
/// providers kept instead of sending, for the admins of the territories concerned, while a
/// development provider is in use.
struct DevOutboxController {
    let app: WebApplication

    func index(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let agent = exchange.agent else {
            app.setFlash(.signInRequired, &exchange)
            return app.redirect(.agentSignIn)
        }
        guard app.settings.developmentOutbox else { throw WebError.notFound }
        // Authorisation, in one place for this resource: an admin role in some organisation; the
        // query then shows the messages of those organisations' territories only.
        guard try app.db.agentOrganisations(agentID: agent.id).contains(where: { $0.accessLevel == "admin" }) else {
            throw WebError.forbidden
        }
        let messages = try app.db.devOutboxMessages(adminAgentID: agent.id)
        let model = DevOutboxPage(
            messages: messages.map(DevOutboxPage.Message.init), isEmpty: messages.isEmpty,
            signedInAgent: exchange.signedInAgent, csrfToken: exchange.csrfToken, flash: exchange.flash)
        return try app.page(model)
    }
}

public struct DevOutboxPage: PageModel {
    public static let template = "agents/dev_outbox"

    public struct Message: Sendable {
        public let channelLabel: String
        public let recipient: String
        public let subject: String?
        public let body: String
        public let hasCalendar: Bool
        public let sentAt: String

        init(_ message: DevOutboxMessage) {
            channelLabel = message.channel == "sms" ? "SMS" : "E-mail"
            recipient = message.recipient
            subject = message.subject
            body = message.body
            hasCalendar = message.hasCalendar
            sentAt = Self.format(message.createdAt)
        }

        init(channelLabel: String, recipient: String, subject: String?, body: String, hasCalendar: Bool, sentAt: String)
        {
            self.channelLabel = channelLabel
            self.recipient = recipient
            self.subject = subject
            self.body = body
            self.hasCalendar = hasCalendar
            self.sentAt = sentAt
        }

        /// « mercredi 25 novembre 2026 à 10h00 » (notifications.md §5), Paris time.
        static func format(_ date: Date) -> String {
            NotificationFormat.mailDate(date, in: TimeZone(identifier: "Europe/Paris")!)
        }
    }

    public var messages: [Message]
    public var isEmpty: Bool
    public var signedInAgent: LayoutModel.SignedInAgent?
    public var csrfToken: String
    public var flash: LayoutModel.Flash?
    public let homePath = SiteURL.home.path
    public let signOutPath = SiteURL.agentSignOut.path
}
