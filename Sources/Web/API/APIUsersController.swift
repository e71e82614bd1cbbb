import Domain
import Foundation
import HTTP
import Persistence

/// `GET /users`, `/users/:id`, `/organisations/:id/users` and `/organisations/:id/users/:user_id`
/// (api.md §6): the users the pages' policies let the agent see, in the `user` shape of §7 with
/// the profiles of the caller's organisations.
struct APIUsersController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        let ids = parameters.has("ids[]") || parameters.has("ids") ? try parameters.integers("ids") : nil
        let found = try db.apiVisibleUserIDs(organisationIDs: agent.organisationIDs, among: ids, page: page)
        let items = try db.apiUsers(ids: found.ids, scope: agent.organisationIDs)
        return APIResponse.collection("users", APIPage(number: page, totalCount: found.total), items: items)
    }

    /// Visible when one of the agent's organisations lets it see the user (UserPolicy.show).
    func show(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        _ = try visibleFrom(agent, userID: id)
        return try record(id, agent)
    }

    func organisationIndex(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try apiAuthorize(UserPolicy.list(agent.principal, currentOrganisationID: organisationID), "Organisation", id: organisationID)
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        let ids: [Int64]
        let total: Int
        if let search = parameters["search"]?.trimmingCharacters(in: .whitespaces), !search.isEmpty {
            let found = try db.searchUsersPage(
                search, organisationID: organisationID, offset: (page - 1) * APIPage.size, limit: APIPage.size)
            (ids, total) = (found.results.map(\.id), found.total)
        } else {
            (ids, total) = try db.apiUserIDs(organisationID: organisationID, page: page)
        }
        let items = try db.apiUsers(ids: ids, scope: agent.organisationIDs)
        return APIResponse.collection("users", APIPage(number: page, totalCount: total), items: items)
    }

    func organisationShow(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: organisationID), "Organisation", id: organisationID)
        let id = exchange.parameters.id("user_id")
        try apiAuthorize(try access(agent, userID: id, from: organisationID), "User", id: id)
        return try record(id, agent)
    }

    /// The first of the agent's organisations from which it sees the user (UserPolicy.show);
    /// none → 404, as for a user that does not exist.
    func visibleFrom(_ agent: APIAgent, userID: Int64) throws -> Int64 {
        for organisationID in agent.organisationIDs.sorted() where try access(agent, userID: userID, from: organisationID) == .allowed {
            return organisationID
        }
        throw APIFailure.notFound("User", id: String(userID))
    }

    func access(_ agent: APIAgent, userID: Int64, from organisationID: Int64) throws -> Access {
        guard let view = try db.apiUserView(id: userID), let settings = try db.userFileSettings(organisationID: organisationID)
        else { return .hidden }
        return UserPolicy.show(
            agent.principal, view, currentOrganisationID: organisationID,
            visibleThroughoutTerritory: settings.visibleThroughoutTerritory,
            territoryOrganisationIDs: settings.territoryOrganisationIDs)
    }

    func record(_ id: Int64, _ agent: APIAgent) throws -> HTTPResponse {
        APIResponse.record("user", try userJSON(id, agent))
    }

    /// The `user` shape with the profiles of the caller's organisations.
    func userJSON(_ id: Int64, _ agent: APIAgent) throws -> JSONValue {
        guard let user = try db.apiUsers(ids: [id], scope: agent.organisationIDs).first else {
            throw APIFailure.notFound("User", id: String(id))
        }
        return user
    }
}
