import Cryptography
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
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let passwordRule: PasswordRule
    let responses: PageResponses

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
        let token = exchange.query["reset_password_token"] ?? ""
        guard let holder = try db.userPasswordLink(.passwordReset, token: token, now: clock.now) else {
            return try invalid(exchange)
        }
        return try responses.page(UserPasswordEditPage.load(token: token, holder: holder), layout: exchange.layout)
    }

    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.form["reset_password_token"] ?? ""
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        guard let holder = try db.userPasswordLink(.passwordReset, token: token, now: now) else {
            return try invalid(exchange)
        }
        let errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
            email: holder.email, firstName: holder.firstName, lastName: holder.lastName)
        guard errors.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                UserPasswordEditPage.load(token: token, holder: holder, errors: errors), layout: layout,
                status: HTTPStatus(422))
        }
        guard
            let userID = try db.spendUserPasswordLink(
                .passwordReset, token: token, passwordHash: try PasswordHasher.hash(password), now: now)
        else { return try invalid(exchange) }
        try sessions.openUserSession(
            userID: userID, method: "password", confirmsEmail: true, ip: clientAddress.of(exchange), &exchange, now: now)
        sessions.setFlash(.passwordChanged, &exchange)
        return responses.redirect(.users(.rdvs))
    }

    private func invalid(_ exchange: Exchange) throws -> HTTPResponse {
        try responses.page(UserPasswordEditPage.invalid, layout: exchange.layout, status: .notFound)
    }
}
