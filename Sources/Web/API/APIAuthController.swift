import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// `auth/sign_in`, `auth/validate_token`, `auth/sign_out` (api.md §2), with the headers of
/// devise_token_auth that partner clients already send and read.
struct APIAuthController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let credentials: AgentCredentialCheck
    let clientAddress: ClientAddress
    /// api.md §5: 20 sign-ins a minute per address, besides the account lockout.
    let perAddress: ClientRateLimit
    static let signInsPerMinute = 20

    func signIn(_ exchange: inout Exchange) throws -> HTTPResponse {
        let address = clientAddress.of(exchange)
        guard perAddress.allow(address, now: clock.now) else {
            throw APIFailure.tooManyRequests(retryAfter: 60 / Self.signInsPerMinute)
        }
        let parameters = try APIParameters(exchange)
        let missing = ["email", "password"].filter { (parameters[$0] ?? "").isEmpty }
        guard missing.isEmpty else { throw APIFailure.invalidCredentials }
        let email = (parameters["email"] ?? "").trimmingCharacters(in: .whitespaces)
        switch try credentials.check(
            email: email, password: parameters["password"] ?? "", address: address, logger: exchange.context.logger)
        {
        case .verified(let account):
            let now = clock.now
            try db.recordSuccessfulSignIn(agentID: account.id, now: now)
            let token = try db.issueAPIToken(agentID: account.id, client: nil, now: now)
            exchange.context.logger.notice("agent signed in", metadata: ["agent": "\(account.id)", "method": "api"])
            var response = APIResponse.json(.object([("data", try db.apiAgent(id: account.id) ?? .null)]))
            response.headers["access-token"] = token.accessToken
            response.headers["client"] = token.client
            response.headers["uid"] = account.email
            response.headers["token-type"] = "Bearer"
            response.headers["expiry"] = String(Int64(token.expiresAt.timeIntervalSince1970))
            return response
        case .wrongCredentials:
            throw APIFailure.invalidCredentials
        case .locked:
            throw APIFailure(
                status: .unauthorized,
                body: .object([("success", .bool(false)), ("errors", .array([.string(AgentSessionsController.locked)]))]))
        case .slowDown:
            throw APIFailure.tooManyRequests(retryAfter: 60 / Self.signInsPerMinute)
        }
    }

    func validateToken(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        APIResponse.json(.object([("success", .bool(true)), ("data", try db.apiAgent(id: agent.agentID) ?? .null)]))
    }

    /// Revokes the token of the call's `client`; a shared-secret call has none to revoke.
    func signOut(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        guard let client = agent.client else {
            throw APIFailure.errors(["Aucune session à fermer : cet appel est signé par le secret partagé."], status: .notFound)
        }
        try db.revokeAPIToken(agentID: agent.agentID, client: client)
        return APIResponse.json(.object([("success", .bool(true))]))
    }
}
