import Domain
import Foundation
import HTTP
import Persistence

/// « Boîte d'envoi » (notifications.md §7, admin.md §11): the e-mails and SMS the development
/// providers kept instead of sending, for the admins of the organisations concerned, while a
/// development provider is in use.
struct DevOutboxController: Sendable {
    let db: AppDatabase
    let responses: PageResponses
    let enabled: Bool

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        guard enabled else { throw WebError.notFound }
        try authorize(OrganisationPolicy.readDevelopmentOutbox(agent.principal) ? .allowed : .refused)
        let messages = try db.devOutboxMessages(adminAgentID: agent.account.id)
        return try responses.page(DevOutboxPage.load(messages), layout: agent.layout(exchange))
    }

    /// The operator's: every message.
    func superAdminIndex(_ exchange: inout Exchange, layout: LayoutModel) throws -> HTTPResponse {
        guard enabled else { throw WebError.notFound }
        return try responses.page(DevOutboxPage.load(try db.devOutboxMessages()), layout: layout)
    }
}

public struct DevOutboxPage: PageModel, Equatable {
    public static let template = "agents/dev_outbox"

    public struct Message: Sendable, Equatable {
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
            sentAt = NotificationFormat.mailDate(message.createdAt, in: TimeZone(identifier: "Europe/Paris")!)
        }
    }

    public let messages: [Message]
    public let isEmpty: Bool

    static func load(_ messages: [DevOutboxMessage]) -> DevOutboxPage {
        DevOutboxPage(messages: messages.map(Message.init), isEmpty: messages.isEmpty)
    }
}
