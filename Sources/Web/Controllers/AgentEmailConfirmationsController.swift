import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// The link of an agent's e-mail change (admin.md §6): `GET
/// /agents/account/email_confirmation?confirmation_token=` shows a button, `POST` spends the link.
/// No session is needed: the link proves the new address, the request proved the account.
struct AgentEmailConfirmationsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let responses: PageResponses

    func show(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.query["confirmation_token"] ?? ""
        guard let email = try db.agentEmailChange(token: token, now: clock.now) else { return try invalid(exchange) }
        return try responses.page(AgentEmailConfirmationPage(token: token, email: email), layout: exchange.layout)
    }

    func confirm(_ exchange: inout Exchange) throws -> HTTPResponse {
        switch try db.confirmAgentEmailChange(token: exchange.form["confirmation_token"] ?? "", now: clock.now) {
        case .changed(let agentID, _):
            exchange.context.logger.notice("agent e-mail changed", metadata: ["agent": "\(agentID)"])
            sessions.setFlash(.emailChanged, &exchange)
            return responses.redirect(exchange.agent?.id == agentID ? .agents(.account) : .agents(.signIn))
        case .invalidLink:
            return try invalid(exchange)
        case .emailTaken:
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(AgentInvalidLinkPage.emailTaken, layout: layout, status: HTTPStatus(409))
        }
    }

    private func invalid(_ exchange: Exchange) throws -> HTTPResponse {
        try responses.page(AgentInvalidLinkPage.emailChange, layout: exchange.layout, status: .notFound)
    }
}
