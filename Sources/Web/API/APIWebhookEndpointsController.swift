import Domain
import Foundation
import HTTP
import Persistence

/// `/organisations/:organisation_id/webhook_endpoints` (api.md §6): a territorial admin's
/// endpoints (WebhookPolicy.manage), through the same operations as « Webhooks » (admin.md §3).
struct APIWebhookEndpointsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (organisationID, territoryID) = try scope(exchange, agent)
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        let target = parameters["target_url"]
        let endpoints = try db.webhookEndpoints(territoryID: territoryID).filter {
            $0.organisationID == organisationID && (target == nil || $0.targetURL == target)
        }.sorted { $0.id < $1.id }
        return APIResponse.collection(
            "webhook_endpoints", APIPage(number: page, totalCount: endpoints.count),
            items: APIPage.slice(endpoints, page: page).map(Self.json))
    }

    /// `trigger` (default true) replays the `created` events of existing records (notifications.md §13).
    func create(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (organisationID, territoryID) = try scope(exchange, agent)
        let parameters = try APIParameters(exchange)
        let result = try db.createWebhookEndpoint(
            territoryID: territoryID, organisationID: organisationID, targetURL: Self.text(parameters["target_url"]) ?? "",
            subscriptions: parameters.list("subscriptions"), replay: try parameters.flag("trigger") ?? true,
            secret: Self.text(parameters["secret"]), publicURL: publicURL, now: clock.now)
        switch result {
        case .failure(let refusal): throw APIFailure.invalid(refusal.issues)
        case .success(let created): return try record(created.id, territoryID: territoryID)
        }
    }

    /// The fields sent change; the others are kept.
    func update(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (_, territoryID) = try scope(exchange, agent)
        let endpoint = try found(exchange, territoryID: territoryID)
        let parameters = try APIParameters(exchange)
        let issues = try db.updateWebhookEndpoint(
            id: endpoint.id, territoryID: territoryID,
            targetURL: parameters.has("target_url") ? Self.text(parameters["target_url"]) ?? "" : endpoint.targetURL,
            subscriptions: parameters.has("subscriptions[]") || parameters.has("subscriptions")
                ? parameters.list("subscriptions") : endpoint.subscriptions,
            secret: Self.text(parameters["secret"]), now: clock.now)
        guard issues.isEmpty else { throw APIFailure.invalid(issues) }
        return try record(endpoint.id, territoryID: territoryID)
    }

    func destroy(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (_, territoryID) = try scope(exchange, agent)
        let endpoint = try found(exchange, territoryID: territoryID)
        _ = try db.deleteWebhookEndpoint(id: endpoint.id, territoryID: territoryID)
        return APIResponse.noContent()
    }

    /// The organisation of the path and its territory, which the caller must administer.
    private func scope(_ exchange: Exchange, _ agent: APIAgent) throws -> (Int64, Int64) {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let organisation = try db.organisation(id: organisationID) else {
            throw APIFailure.notFound("Organisation", id: String(organisationID))
        }
        try apiAuthorize(
            WebhookPolicy.manage(agent.principal, territoryID: organisation.territoryID), "Organisation", id: organisationID)
        return (organisationID, organisation.territoryID)
    }

    private func found(_ exchange: Exchange, territoryID: Int64) throws -> WebhookEndpointRow {
        let id = exchange.parameters.id("id")
        guard let endpoint = try db.webhookEndpoint(id: id, territoryID: territoryID),
            endpoint.organisationID == exchange.parameters.id("organisation_id")
        else { throw APIFailure.notFound("WebhookEndpoint", id: String(id)) }
        return endpoint
    }

    private func record(_ id: Int64, territoryID: Int64) throws -> HTTPResponse {
        guard let endpoint = try db.webhookEndpoint(id: id, territoryID: territoryID) else {
            throw APIFailure.notFound("WebhookEndpoint", id: String(id))
        }
        return APIResponse.record("webhook_endpoint", Self.json(endpoint))
    }

    /// `webhook_endpoint` (api.md §7).
    static func json(_ endpoint: WebhookEndpointRow) -> JSONValue {
        .object([
            ("id", .int(endpoint.id)), ("target_url", .string(endpoint.targetURL)),
            ("organisation_id", .int(endpoint.organisationID)),
            ("subscriptions", .array(endpoint.subscriptions.map(JSONValue.string))),
        ])
    }

    static func text(_ value: String?) -> String? {
        let trimmed = (value ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }
}
