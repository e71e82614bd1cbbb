import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « Équipes » (admin.md §3): territorial admins, or agents with
/// `allow_to_manage_teams` in the territory (`TerritoryPolicy.manageTeams`, permissions.md §2).
struct TeamsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        return try responses.page(
            TeamIndexPage.load(
                territoryID: territoryID, teams: try db.teams(territoryID: territoryID),
                agents: try db.territoryAgentOptions(territoryID: territoryID)),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        let (name, selected) = input(exchange)
        switch try db.saveTeam(Team(territoryID: territoryID, name: name, agentIDs: selected.sorted()), now: clock.now) {
        case .success:
            sessions.setFlash(.teamSaved, &exchange)
            return responses.redirect(.territory(id: territoryID, .teams))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                TeamIndexPage.load(
                    territoryID: territoryID, teams: try db.teams(territoryID: territoryID),
                    agents: try db.territoryAgentOptions(territoryID: territoryID), name: name, selected: selected,
                    errors: fieldErrors(refusal.issues, labels: TeamIndexPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, team) = try record(exchange, agent)
        return try responses.page(
            TeamEditPage.load(territoryID: territoryID, team: team, agents: try db.territoryAgentOptions(territoryID: territoryID)),
            layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, team) = try record(exchange, agent)
        let (name, selected) = input(exchange)
        switch try db.saveTeam(Team(id: team.id, territoryID: territoryID, name: name, agentIDs: selected.sorted()), now: clock.now) {
        case .success:
            sessions.setFlash(.teamSaved, &exchange)
            return responses.redirect(.territory(id: territoryID, .teams))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                TeamEditPage.load(
                    territoryID: territoryID, team: team, agents: try db.territoryAgentOptions(territoryID: territoryID),
                    name: name, selected: selected, errors: fieldErrors(refusal.issues, labels: TeamIndexPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, team) = try record(exchange, agent)
        _ = try db.deleteTeam(id: team.id ?? 0, territoryID: territoryID)
        sessions.setFlash(.teamDeleted, &exchange)
        return responses.redirect(.territory(id: territoryID, .teams))
    }

    private func input(_ exchange: Exchange) -> (String, Set<Int64>) {
        (
            (exchange.form["name"] ?? "").trimmingCharacters(in: .whitespaces),
            Set(exchange.form.values("agent_ids").compactMap { Int64($0) })
        )
    }

    private func territory(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let id = exchange.parameters.id("territory_id")
        try authorize(TerritoryPolicy.manageTeams(agent.principal, territoryID: id))
        return id
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Team) {
        let territoryID = try territory(exchange, agent)
        let id = exchange.parameters.id("id")
        guard let team = try db.teams(territoryID: territoryID).first(where: { $0.team.id == id })?.team else {
            throw WebError.noAccess
        }
        return (territoryID, team)
    }
}
