import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Mot de passe oublié ? » (booking.md §3.2): `GET /agents/password/new`, `POST
/// /agents/password` (always the same answer), then from the e-mail `GET
/// /agents/password/edit?reset_password_token=` and `PATCH /agents/password` (2 hours, single use).
struct AgentPasswordsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let form: AgentLinkPasswordForm
    let publicURL: String
    let responses: PageResponses

    func new(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(AgentPasswordRequestPage.load(), layout: exchange.layout)
    }

    /// The answer never says whether the e-mail has an account, nor whether a link was just sent
    /// to it (at most one a minute per account).
    func create(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !email.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                AgentPasswordRequestPage.load(email: email, error: AgentPasswordRequestPage.blank), layout: layout,
                status: HTTPStatus(422))
        }
        let outcome = try db.requestAgentPasswordReset(email: email, publicURL: publicURL, now: clock.now)
        if case .sent = outcome { exchange.context.logger.notice("agent password reset link sent") }
        sessions.setFlash(.passwordResetRequested, &exchange)
        return responses.redirect(.agents(.signIn))
    }

    func edit(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.show(&exchange, .passwordReset, tokenName: "reset_password_token", page: AgentPasswordEditPage.load)
    }

    /// The new password ends every session of the agent, then signs this browser in.
    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.submit(
            &exchange, .passwordReset, tokenName: "reset_password_token", sessionMethod: "password",
            flash: .passwordChanged, page: AgentPasswordEditPage.load)
    }
}

/// The common-password list of booking.md §3.4 (`Data/common-passwords.txt`, installed by
/// `make deps`): one password a line. Without the file the rule checks the rest.
public enum CommonPasswords {
    public static func rule(file: URL) -> PasswordRule {
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return PasswordRule(commonPasswords: text.split(whereSeparator: \.isNewline).map(String.init))
    }
}
