import Domain
import Foundation
import HTTP
import Persistence

/// `GET /organisations`, `/organisations/:id` and an organisation's motifs, lieux and agents
/// (api.md §6), through the pages' policies.
struct APIOrganisationsController: Sendable {
    let db: AppDatabase
    let clock: any Clock

    /// The agent's organisations; with an address (`departement_number` and `city_code`, and
    /// `street_ban_id`), those of them in the most precise sector of that address.
    func index(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        var ids = agent.organisationIDs
        let address = ["departement_number", "city_code", "street_ban_id"]
        if address.contains(where: parameters.has) {
            let missing = ["departement_number", "city_code"].filter { (parameters[$0] ?? "").isEmpty }
            guard missing.isEmpty else { throw APIFailure.missing(missing) }
            let sector = try db.apiSectorOrganisationIDs(
                departementNumber: parameters["departement_number"] ?? "", cityCode: parameters["city_code"] ?? "",
                streetBanID: parameters["street_ban_id"].flatMap { $0.isEmpty ? nil : $0 })
            ids = ids.filter(sector.contains)
        }
        let found = try db.apiOrganisations(ids: ids, page: page)
        return APIResponse.collection("organisations", APIPage(number: page, totalCount: found.total), items: found.items)
    }

    func show(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: id), "Organisation", id: id)
        guard let organisation = try db.apiOrganisation(id: id) else { throw APIFailure.notFound("Organisation", id: String(id)) }
        return APIResponse.record("organisation", organisation)
    }

    func motifs(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("organisation_id")
        try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: id), "Organisation", id: id)
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        let filter = APIMotifFilter(
            active: try parameters.flag("active"), bookablePublicly: try parameters.flag("bookable_publicly"),
            serviceID: try parameters.integer("service_id"), categoryShortName: parameters["motif_category_short_name"])
        let found = try db.apiMotifs(organisationID: id, filter: filter, page: page)
        return APIResponse.collection("motifs", APIPage(number: page, totalCount: found.total), items: found.items)
    }

    func lieux(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("organisation_id")
        try apiAuthorize(PlacePolicy.list(agent.principal, organisationID: id), "Organisation", id: id)
        let page = try APIPage.number(try APIParameters(exchange)["page"])
        let found = try db.apiLieux(organisationID: id, page: page)
        return APIResponse.collection("lieux", APIPage(number: page, totalCount: found.total), items: found.items)
    }

    /// `GET /agents`: the agents of `organisation_id` (or of all the caller's organisations and
    /// of the territories it administers) that `AgentPolicy.inScope` lets it see.
    func agents(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        var organisations = agent.organisationIDs
        var territories = agent.principal.adminTerritoryIDs.sorted()
        if let id = try parameters.integer("organisation_id") {
            try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: id), "Organisation", id: id)
            (organisations, territories) = ([id], [])
        }
        let visible = try db.apiAgents(organisationIDs: organisations, territoryIDs: territories).filter { AgentPolicy.inScope(agent.principal, $0.view) }
        let items = APIPage.slice(visible, page: page).map(\.json)
        return APIResponse.collection("agents", APIPage(number: page, totalCount: visible.count), items: items)
    }
}

extension APIOrganisationsController {
    /// `PATCH /organisations/:id` (admin, `OrganisationPolicy.update`): the fields sent change,
    /// through the organisation form's validation.
    func update(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        try apiAuthorize(OrganisationPolicy.update(agent.principal, organisationID: id), "Organisation", id: id)
        guard var organisation = try db.organisation(id: id) else { throw APIFailure.notFound("Organisation", id: String(id)) }
        let parameters = try APIParameters(exchange)
        func text(_ name: String) -> String? {
            let value = (parameters[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            return value.isEmpty ? nil : value
        }
        if parameters.has("name") { organisation.name = text("name") ?? "" }
        if parameters.has("phone_number") { organisation.phoneNumber = text("phone_number") }
        if parameters.has("email") { organisation.email = text("email") }
        if parameters.has("website") { organisation.website = text("website") }
        if parameters.has("verticale") {
            guard let verticale = text("verticale").flatMap(Organisation.Verticale.init(rawValue:)) else {
                throw APIFailure.invalid([
                    .error("verticale", "doit valoir " + Organisation.Verticale.allCases.map(\.rawValue).joined(separator: ", "))
                ])
            }
            organisation.verticale = verticale
        }
        let issues = try db.updateOrganisation(organisation, author: agent.author, now: clock.now)
        guard issues.hasNoErrors else { throw APIFailure.invalid(issues) }
        return APIResponse.record("organisation", try db.apiOrganisation(id: id) ?? .null)
    }
}
