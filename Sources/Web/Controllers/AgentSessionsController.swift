import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// `GET/POST /agents/sign_in`, `DELETE /agents/sign_out` (booking.md §3.2).
struct AgentSessionsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let throttle: SignInThrottle
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let responses: PageResponses

    static let wrongCredentials = "E-mail ou mot de passe incorrect."
    static let locked = "Compte verrouillé pendant 15 minutes après trop d'essais."
    static let slowDown = "Trop de tentatives : patientez quelques secondes avant de réessayer."
    static let decoyHash = AgentCredentialCheck.decoyHash

    func new(_ exchange: inout Exchange) throws -> HTTPResponse {
        if exchange.agent != nil { return responses.redirect(.agents(.home)) }
        return try responses.page(AgentSignInPage(email: "", errorMessage: nil), layout: exchange.layout)
    }

    func create(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        let address = clientAddress.of(exchange)
        let layout = exchange.layout
        func refuse(_ message: String) throws -> HTTPResponse {
            var layout = layout
            layout.hasErrors = true
            return try responses.page(
                AgentSignInPage(email: email, errorMessage: message), layout: layout, status: HTTPStatus(422))
        }
        let checker = AgentCredentialCheck(db: db, clock: clock, throttle: throttle)
        let account: AgentAccount
        switch try checker.check(email: email, password: password, address: address, logger: exchange.context.logger) {
        case .verified(let verified): account = verified
        case .slowDown: return try refuse(Self.slowDown)
        case .wrongCredentials: return try refuse(Self.wrongCredentials)
        case .locked: return try refuse(Self.locked)
        }
        try sessions.openAgentSession(agentID: account.id, method: "password", ip: address, &exchange, now: now)
        return responses.redirect(.agents(.home))
    }

    func destroy(_ exchange: inout Exchange) throws -> HTTPResponse {
        if let session = exchange.session { try db.destroySession(id: session.id) }
        exchange.setCookies.append(Cookies.clear(Cookies.session, secure: sessions.https))
        sessions.setFlash(.signedOut, &exchange)
        return responses.redirect(.agents(.signIn))
    }
}

extension SessionLoader {
    /// Signs the agent in once its identity is proven (password, invitation or reset link,
    /// booking.md §3.1–§3.2): the sign-in is recorded, the visitor's old session ends and a new
    /// id is set (no fixation).
    func openAgentSession(agentID: Int64, method: String, ip: String, _ exchange: inout Exchange, now: Date) throws {
        try db.recordSuccessfulSignIn(agentID: agentID, now: now)
        if let old = exchange.session { try db.destroySession(id: old.id) }
        let token = try db.createAgentSession(
            agentID: agentID, method: method, ip: ip, userAgent: exchange.request.headers["User-Agent"], now: now)
        exchange.setCookies.append(Cookies.set(Cookies.session, token, secure: https))
        exchange.context.logger.notice("agent signed in", metadata: ["agent": "\(agentID)", "method": "\(method)"])
    }
}
