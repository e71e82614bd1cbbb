import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « Webhooks » (admin.md §3, notifications.md §13): territorial admins
/// (`TerritoryPolicy.configure`) manage the endpoints of the territory's organisations. A
/// secret is shown once, in the answer to the request that made it, and never again.
struct WebhooksController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        return try responses.page(
            WebhookIndexPage.load(
                territoryID: territoryID, endpoints: try db.webhookEndpoints(territoryID: territoryID),
                organisations: try organisations(territoryID)),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try agent.configurableTerritoryID(exchange)
        let form = exchange.form
        let organisation = form["organisation_id"] ?? ""
        let targetURL = (form["target_url"] ?? "").trimmingCharacters(in: .whitespaces)
        let subscriptions = form.values("subscriptions")
        let replay = form["replay"] == "1"
        switch try db.createWebhookEndpoint(
            territoryID: territoryID, organisationID: Int64(organisation) ?? 0, targetURL: targetURL,
            subscriptions: subscriptions, replay: replay, publicURL: publicURL, now: clock.now)
        {
        case .success(let created):
            return try secretPage(exchange, agent, territoryID, endpointID: created.id, secret: created.secret, heading: "Le webhook a été créé")
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                WebhookIndexPage.load(
                    territoryID: territoryID, endpoints: try db.webhookEndpoints(territoryID: territoryID),
                    organisations: try organisations(territoryID), input: (organisation, targetURL, subscriptions, replay),
                    errors: fieldErrors(refusal.issues, labels: WebhookIndexPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, endpoint) = try record(exchange, agent)
        return try responses.page(WebhookShowPage.load(territoryID: territoryID, endpoint: endpoint), layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, endpoint) = try record(exchange, agent)
        let targetURL = (exchange.form["target_url"] ?? "").trimmingCharacters(in: .whitespaces)
        let subscriptions = exchange.form.values("subscriptions")
        let issues = try db.updateWebhookEndpoint(
            id: endpoint.id, territoryID: territoryID, targetURL: targetURL, subscriptions: subscriptions, now: clock.now)
        guard !issues.isEmpty else {
            sessions.setFlash(.webhookUpdated, &exchange)
            return responses.redirect(.territory(id: territoryID, .webhook(id: endpoint.id)))
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            WebhookShowPage.load(
                territoryID: territoryID, endpoint: endpoint, targetURL: targetURL, subscriptions: subscriptions,
                errors: fieldErrors(issues, labels: WebhookIndexPage.labels)),
            layout: layout, status: HTTPStatus(422))
    }

    func regenerateSecret(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, endpoint) = try record(exchange, agent)
        guard let secret = try db.regenerateWebhookSecret(id: endpoint.id, territoryID: territoryID, now: clock.now) else {
            throw WebError.noAccess
        }
        return try secretPage(exchange, agent, territoryID, endpointID: endpoint.id, secret: secret, heading: "Le secret a été régénéré")
    }

    func replay(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, endpoint) = try record(exchange, agent)
        guard let replay = try db.replayWebhookEvents(id: endpoint.id, territoryID: territoryID, publicURL: publicURL, now: clock.now)
        else { throw WebError.noAccess }
        let refreshed = try db.webhookEndpoint(id: endpoint.id, territoryID: territoryID) ?? endpoint
        return try responses.page(
            WebhookShowPage.load(
                territoryID: territoryID, endpoint: refreshed, replayMessage: WebhookShowPage.replayMessage(replay)),
            layout: agent.layout(exchange))
    }

    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, endpoint) = try record(exchange, agent)
        _ = try db.deleteWebhookEndpoint(id: endpoint.id, territoryID: territoryID)
        sessions.setFlash(.webhookDeleted, &exchange)
        return responses.redirect(.territory(id: territoryID, .webhooks))
    }

    private func secretPage(
        _ exchange: Exchange, _ agent: AgentContext, _ territoryID: Int64, endpointID: Int64, secret: String, heading: String
    ) throws -> HTTPResponse {
        try responses.page(
            WebhookSecretPage(
                heading: heading, secret: secret, path: SiteURL.territory(id: territoryID, .webhook(id: endpointID)).path,
                backPath: SiteURL.territory(id: territoryID, .webhooks).path),
            layout: agent.layout(exchange))
    }

    private func organisations(_ territoryID: Int64) throws -> [NamedOption] {
        try db.territoryOrganisations(territoryID: territoryID).map { NamedOption(id: $0.id, name: $0.name) }
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, WebhookEndpointRow) {
        let territoryID = try agent.configurableTerritoryID(exchange)
        guard let endpoint = try db.webhookEndpoint(id: exchange.parameters.id("id"), territoryID: territoryID) else {
            throw WebError.noAccess
        }
        return (territoryID, endpoint)
    }
}
