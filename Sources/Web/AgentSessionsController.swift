import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// `GET/POST /agents/sign_in`, `DELETE /agents/sign_out` (booking.md §3.2).
struct AgentSessionsController {
    let app: WebApplication

    static let wrongCredentials = "E-mail ou mot de passe incorrect."
    static let locked = "Compte verrouillé pendant 15 minutes après trop d'essais."
    /// Verified when the e-mail is unknown, so that both cases take the same time.
    static let decoyHash = "scrypt$15$8$1$00000000000000000000000000000000$" + String(repeating: "0", count: 64)

    func new(_ exchange: inout Exchange) throws -> HTTPResponse {
        if exchange.agent != nil { return app.redirect(.agentHome) }
        return try app.page(
            AgentSignInPage(email: "", errorMessage: nil, csrfToken: exchange.csrfToken, flash: exchange.flash))
    }

    func create(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        let now = app.clock.now
        let address = exchange.context.remoteAddress
        func refuse(_ message: String) throws -> HTTPResponse {
            try app.page(
                AgentSignInPage(email: email, errorMessage: message, csrfToken: exchange.csrfToken, flash: nil),
                status: HTTPStatus(422))
        }
        if app.throttle.isLocked(address, now: now) { return try refuse(Self.locked) }
        guard let account = try app.db.agentAccount(email: email) else {
            _ = PasswordHasher.verify(password, against: Self.decoyHash)
            app.throttle.recordFailure(address, now: now)
            return try refuse(Self.wrongCredentials)
        }
        if let lockedUntil = account.lockedUntil, lockedUntil > now { return try refuse(Self.locked) }
        guard let hash = account.passwordHash, PasswordHasher.verify(password, against: hash) else {
            try app.db.recordFailedSignIn(agentID: account.id, now: now)
            app.throttle.recordFailure(address, now: now)
            exchange.context.logger.notice("agent sign-in refused", metadata: ["agent": "\(account.id)"])
            return try refuse(Self.wrongCredentials)
        }
        try app.db.recordSuccessfulSignIn(agentID: account.id, now: now)
        app.throttle.recordSuccess(address)
        // A new session id at every sign-in (no fixation); the visitor's old session ends.
        if let old = exchange.session { try app.db.destroySession(id: old.id) }
        let token = try app.db.createAgentSession(
            agentID: account.id, ip: address, userAgent: exchange.request.headers["User-Agent"], now: now)
        exchange.setCookies.append(Cookies.set(Cookies.session, token, secure: app.settings.https))
        exchange.context.logger.notice("agent signed in", metadata: ["agent": "\(account.id)"])
        return app.redirect(.agentHome)
    }

    func destroy(_ exchange: inout Exchange) throws -> HTTPResponse {
        if let session = exchange.session { try app.db.destroySession(id: session.id) }
        exchange.setCookies.append(Cookies.clear(Cookies.session, secure: app.settings.https))
        app.setFlash(.signedOut, &exchange)
        return app.redirect(.agentSignIn)
    }
}
