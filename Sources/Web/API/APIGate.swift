import Domain
import Foundation
import HTTP
import Persistence

/// What every API v1 operation goes through (api.md §2, §5): the caller is authenticated, held
/// to 600 calls a minute, and its call is logged as an `ApiCall` whatever the answer.
struct APIGate: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let authenticator: APIAuthenticator
    /// api.md §5: authenticated calls, per agent.
    let perAgent: ClientRateLimit
    static let callsPerMinute = 600
    /// api.md §5: the public endpoints (availability, public links), per client address.
    let perAddress: ClientRateLimit
    static let publicCallsPerMinute = 50
    let clientAddress: ClientAddress

    init(db: AppDatabase, clock: any Clock, sharedSecret: String?, rateLimits: Bool, clientAddress: ClientAddress) {
        self.db = db
        self.clock = clock
        self.clientAddress = clientAddress
        perAddress = ClientRateLimit(
            burst: Self.publicCallsPerMinute, perMinute: Self.publicCallsPerMinute, enabled: rateLimits)
        authenticator = APIAuthenticator(
            db: db, clock: clock, sharedSecret: sharedSecret.flatMap { $0.isEmpty ? nil : Array($0.utf8) })
        perAgent = ClientRateLimit(burst: Self.callsPerMinute, perMinute: Self.callsPerMinute, enabled: rateLimits)
    }

    /// One request more is allowed every 60/50 s.
    static let publicRetryAfter = 2

    func action(_ operation: APIOperation) -> RouteAction {
        RouteAction { exchange in try run(operation, &exchange) }
    }

    func run(_ operation: APIOperation, _ exchange: inout Exchange) throws -> HTTPResponse {
        guard operation.access == .agent else {
            if operation.group == .api, !perAddress.allow(clientAddress.of(exchange), now: clock.now) {
                // contracts.md §4's error shape, with api.md §5's message and Retry-After.
                var response = JSONResponse.error(
                    "Trop de requêtes. Réessayez dans \(Self.publicRetryAfter) secondes.", status: .tooManyRequests)
                response.headers["Retry-After"] = String(Self.publicRetryAfter)
                return response
            }
            return try operation.run(&exchange, nil)
        }
        let agent = try authenticator.authenticate(exchange.request)
        // The bucket key must not contain ":" (ClientRateLimit reads those as IPv6 addresses).
        guard perAgent.allow("agent-\(agent.agentID)", now: clock.now) else {
            throw APIFailure.tooManyRequests(retryAfter: 60 / Self.callsPerMinute + 1)
        }
        do {
            if let failure = try checkedBody(operation, exchange) { throw failure }
            let response = try operation.run(&exchange, agent)
            try record(operation, exchange, agent, status: response.status.code)
            return response
        } catch let failure as APIFailure {
            try? record(operation, exchange, agent, status: failure.status.code)
            throw failure
        } catch let error as WebError {
            try? record(operation, exchange, agent, status: error.status.code)
            throw error
        } catch {
            try? record(operation, exchange, agent, status: 500)
            throw error
        }
    }

    /// The body's documented fields have the document's types: checked here for every
    /// operation, after authentication and before its action.
    private func checkedBody(_ operation: APIOperation, _ exchange: Exchange) throws -> APIFailure? {
        guard operation.parameters.contains(where: { $0.location == .body }), !exchange.request.body.isEmpty else { return nil }
        let issues = try APIParameters(exchange).typeIssues(operation.parameters)
        return issues.isEmpty ? nil : APIFailure.invalid(issues)
    }

    private func record(_ operation: APIOperation, _ exchange: Exchange, _ agent: APIAgent, status: Int) throws {
        try db.recordAPICall(
            method: operation.method, path: exchange.request.path, host: exchange.request.headers["Host"] ?? "",
            controller: operation.controller, action: operation.action, agentID: agent.agentID,
            authentication: agent.authentication, status: status, now: clock.now)
    }
}

/// A policy's answer in the API's terms (api.md §4): hidden → 404 « <Model> introuvable »,
/// refused → 403.
func apiAuthorize(_ access: Access, _ model: String, id: Int64) throws {
    switch access {
    case .allowed: return
    case .refused: throw APIFailure.forbidden(Access.message)
    case .hidden: throw APIFailure.notFound(model, id: String(id))
    }
}
