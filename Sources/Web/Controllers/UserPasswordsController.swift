import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Mot de passe oublié ? » of users (booking.md §3.3): `GET /users/password/new`, `POST
/// /users/password` (always the same answer), then from the e-mail `GET
/// /users/password/edit?reset_password_token=` and `PATCH /users/password` (2 hours, single use;
/// every session of the user ends, this browser is signed in).
struct UserPasswordsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let form: UserLinkPasswordForm

    func new(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(UserPasswordRequestPage(), layout: exchange.layout)
    }

    /// The answer never says whether the address has an account, nor whether a link just left.
    func create(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard EmailAddress.isValid(email) else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                UserPasswordRequestPage(email: email, error: UserCodeRequestPage.invalidEmail), layout: layout,
                status: HTTPStatus(422))
        }
        if try db.requestUserPasswordReset(email: email, now: clock.now) != nil {
            exchange.context.logger.notice("user password reset link sent")
        }
        return try responses.page(UserPasswordSentPage(), layout: exchange.layout)
    }

    func edit(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.show(&exchange, .passwordReset, tokenName: "reset_password_token", page: UserPasswordEditPage.load)
    }

    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.submit(
            &exchange, .passwordReset, tokenName: "reset_password_token", sessionMethod: "password",
            flash: .passwordChanged, page: UserPasswordEditPage.load)
    }
}
