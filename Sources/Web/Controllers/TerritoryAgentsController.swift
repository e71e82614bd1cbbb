import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « Agents » (admin.md §3, §4): territorial admins and holders of a
/// territorial right (`TerritoryPolicy.manageAgents`) search the territory's agents; each part
/// of one agent's form is shown and saved only when its `AgentPolicy` rule allows it.
struct TerritoryAgentsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    static let pageSize = 50

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        let search = (exchange.query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        let page = Pagination.requestedPage(exchange.query["page"])
        let (rows, total) = try db.territoryAgents(
            territoryID: territoryID, search: search, limit: Self.pageSize, offset: (page - 1) * Self.pageSize)
        return try responses.page(
            TerritoryAgentIndexPage.load(
                territoryID: territoryID, rows: rows, total: total, search: search, page: page, pageSize: Self.pageSize,
                canInvite: TerritoryPolicy.inviteAgents(agent.principal, territoryID: territoryID) == .allowed),
            layout: agent.layout(exchange))
    }

    // MARK: « Inviter un agent » into one or several organisations

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try inviting(exchange, agent)
        return try responses.page(try invitationForm(territoryID, input: .init()), layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try inviting(exchange, agent)
        let input = AgentInvitationFormPage.Input(form: exchange.form)
        let known = Set(try organisations(territoryID).map(\.id))
        let submission = AgentInvitationSubmission(db: db, publicURL: publicURL, now: clock.now)
        switch try submission.submit(
            input, organisationIDs: input.organisationIDs.intersection(known).sorted(), territoryID: territoryID, agent: agent,
            confirmsServiceMerge: exchange.form["ignore_benign_errors"] == "1")
        {
        case .done(let flash):
            sessions.setFlash(flash, &exchange)
            return responses.redirect(.territory(id: territoryID, .agents))
        case .rejected(let errors, let warnings):
            var layout = agent.layout(exchange)
            layout.hasErrors = warnings.isEmpty
            return try responses.page(
                try invitationForm(territoryID, input: input, errors: errors, warnings: warnings), layout: layout,
                status: HTTPStatus(422))
        }
    }

    // MARK: One agent

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, row) = try record(exchange, agent)
        return try responses.page(try editPage(territoryID, row, agent), layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (territoryID, row) = try record(exchange, agent)
        let allowed = TerritoryAgentEditPage.Permissions(agent.principal, territoryID: territoryID, target: try view(of: row))
        guard allowed.any else { throw WebError.noAccessForbidden }
        let form = exchange.form
        func ids(_ name: String) -> Set<Int64> { Set(form.values(name).compactMap { Int64($0) }) }
        let rights = Set(form.values("rights"))
        let change = TerritoryAgentChange(
            agentID: row.agentID, territoryID: territoryID,
            serviceIDs: allowed.services ? ids("service_ids") : nil,
            isTerritorialAdmin: allowed.territorialAdmin ? form.values("territorial_admin").contains("1") : nil,
            rights: allowed.rights
                ? Principal.TerritorialRights(
                    inviteAgents: rights.contains("allow_to_invite_agents"), manageTeams: rights.contains("allow_to_manage_teams"),
                    manageAccessRights: rights.contains("allow_to_manage_access_rights")) : nil,
            teamIDs: allowed.teams ? ids("team_ids") : nil)
        switch try db.updateTerritoryAgent(change, author: agent.account.displayName, now: clock.now) {
        case .success:
            sessions.setFlash(.territoryAgentSaved, &exchange)
            return responses.redirect(.territory(id: territoryID, .agent(id: row.agentID)))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                try editPage(
                    territoryID, row, agent, submitted: change,
                    errors: fieldErrors(refusal.issues, labels: TerritoryAgentEditPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    // MARK: -

    private func editPage(
        _ territoryID: Int64, _ row: TerritoryAgentRow, _ agent: AgentContext, submitted: TerritoryAgentChange? = nil,
        errors: [String: String] = [:]
    ) throws -> TerritoryAgentEditPage {
        let settings = try db.territorySettings(id: territoryID)
        return TerritoryAgentEditPage.load(
            territoryID: territoryID, row: row,
            permissions: .init(agent.principal, territoryID: territoryID, target: try view(of: row)),
            services: try services(territoryID), teams: try db.teams(territoryID: territoryID).map(\.team), submitted: submitted,
            history: try db.versions(itemType: "Agent", itemID: row.agentID),
            zone: TimeZone(identifier: settings?.timeZone ?? "Europe/Paris") ?? .current, errors: errors)
    }

    private func invitationForm(
        _ territoryID: Int64, input: AgentInvitationFormPage.Input, errors: [String: String] = [:], warnings: [String] = []
    ) throws -> AgentInvitationFormPage {
        AgentInvitationFormPage.load(
            listPath: SiteURL.territory(id: territoryID, .agents).path, organisations: try organisations(territoryID),
            input: input, services: try services(territoryID), errors: errors, warnings: warnings)
    }

    private func territory(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let id = exchange.parameters.id("territory_id")
        try authorize(TerritoryPolicy.manageAgents(agent.principal, territoryID: id))
        return id
    }

    private func inviting(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let id = try territory(exchange, agent)
        try authorize(TerritoryPolicy.inviteAgents(agent.principal, territoryID: id))
        return id
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, TerritoryAgentRow) {
        let territoryID = try territory(exchange, agent)
        guard let row = try db.territoryAgent(territoryID: territoryID, agentID: exchange.parameters.id("id")) else {
            throw WebError.noAccess
        }
        return (territoryID, row)
    }

    private func view(of row: TerritoryAgentRow) throws -> AgentView {
        guard let agenda = try db.agendaAgents(ids: [row.agentID]).first else { throw WebError.noAccess }
        return agenda.view
    }

    private func services(_ territoryID: Int64) throws -> [NamedOption] {
        try db.territoryServices(territoryID: territoryID).filter(\.isActive).map { NamedOption(id: $0.id, name: $0.name) }
    }

    private func organisations(_ territoryID: Int64) throws -> [NamedOption] {
        try db.territoryOrganisations(territoryID: territoryID).map { NamedOption(id: $0.id, name: $0.name) }
    }
}
