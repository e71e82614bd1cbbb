import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « Territoire » (admin.md §3): territorial admins
/// (`TerritoryPolicy.configure`).
struct TerritoriesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        return try responses.page(TerritoryFormPage.load(territory, today: today(territory)), layout: agent.layout(exchange))
    }

    /// PATCH: errors by their fields (422, values kept); saved → the page again, its holidays
    /// recomputed with the new setting.
    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        var territory = try record(exchange, agent)
        let form = exchange.form
        territory.name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        territory.phoneNumber = (form["phone_number"] ?? "").trimmingCharacters(in: .whitespaces)
        territory.openOnSundaysAndHolidays = form["open_on_sundays_and_holidays"] == "1"
        territory.whitMondayIsHoliday = form["whit_monday_is_holiday"] == "1"
        for column in TerritorySettingsRecord.toggleColumns { territory.toggles[column] = form[column] == "1" }
        let issues = try db.updateTerritorySettings(territory, now: clock.now)
        guard !issues.isEmpty else {
            sessions.setFlash(.territoryUpdated, &exchange)
            return responses.redirect(.territory(id: territory.id, .show))
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            TerritoryFormPage.load(territory, today: today(territory), issues: issues), layout: layout,
            status: HTTPStatus(422))
    }

    private func today(_ territory: TerritorySettingsRecord) -> LocalDate {
        LocalDate(clock.now, in: TimeZone(identifier: territory.timeZone) ?? TimeZone(identifier: "Europe/Paris")!)
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> TerritorySettingsRecord {
        guard let territory = try db.territorySettings(id: try agent.configurableTerritoryID(exchange)) else {
            throw WebError.noAccess
        }
        return territory
    }

    /// « Services »: the catalogue with the territory's choice.
    func services(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        return try responses.page(
            TerritoryServicesPage.load(territoryID: territory.id, services: try db.territoryServices(territoryID: territory.id)),
            layout: agent.layout(exchange))
    }

    /// PATCH « Services »: the refusal names each service that still has motifs; the boxes stay as sent.
    func updateServices(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        let checked = Set(
            exchange.form.values("service_ids").compactMap { $0.hasPrefix("service_") ? Int64($0.dropFirst(8)) : nil })
        let issues = try db.setTerritoryServices(territoryID: territory.id, activeServiceIDs: checked, now: clock.now)
        guard !issues.isEmpty else {
            sessions.setFlash(.territoryServicesUpdated, &exchange)
            return responses.redirect(.territory(id: territory.id, .services))
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            TerritoryServicesPage.load(
                territoryID: territory.id, services: try db.territoryServices(territoryID: territory.id), checked: checked,
                issues: issues),
            layout: layout, status: HTTPStatus(422))
    }

    /// « Catégories de motifs »: the national catalogue with the territory's choice.
    func motifCategories(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        return try responses.page(
            TerritoryMotifCategoriesPage.load(
                territoryID: territory.id, categories: try db.territoryMotifCategories(territoryID: territory.id)),
            layout: agent.layout(exchange))
    }

    /// PATCH: a category still used by a motif stays enabled, its row says why; boxes kept.
    func updateMotifCategories(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        let checked = Set(
            exchange.form.values("category_ids").compactMap { $0.hasPrefix("category_") ? Int64($0.dropFirst(9)) : nil })
        let issues = try db.setTerritoryMotifCategories(territoryID: territory.id, enabled: checked, now: clock.now)
        guard !issues.isEmpty else {
            sessions.setFlash(.motifCategoriesUpdated, &exchange)
            return responses.redirect(.territory(id: territory.id, .motifCategories))
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            TerritoryMotifCategoriesPage.load(
                territoryID: territory.id, categories: try db.territoryMotifCategories(territoryID: territory.id),
                checked: checked, errors: Dictionary(issues.map { ($0.field, $0.message) }) { first, _ in first }),
            layout: layout, status: HTTPStatus(422))
    }

    /// « Organisations »: the list and the creation form (`OrganisationPolicy.create`).
    func organisations(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        return try responses.page(
            TerritoryOrganisationsPage.load(
                territoryID: territory.id, organisations: try db.territoryOrganisations(territoryID: territory.id)),
            layout: agent.layout(exchange))
    }

    /// POST: created → its « Organisation » page (the creator is its admin now); errors by their
    /// fields with every value kept (422).
    func createOrganisation(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        guard OrganisationPolicy.create(agent.principal, territoryID: territory.id) else { throw WebError.noAccessForbidden }
        let input = OrganisationFormPage.Input(form: exchange.form)
        let verticale = exchange.form["verticale"].flatMap(Organisation.Verticale.init(rawValue:)) ?? .rdvSolidarites
        let organisation = input.organisation(
            Organisation(territoryID: territory.id, name: "", verticale: verticale))
        switch try db.createOrganisation(
            organisation, creatorAgentID: agent.account.id, author: agent.account.displayName, now: clock.now)
        {
        case .success(let id):
            sessions.setFlash(.organisationCreated, &exchange)
            return responses.redirect(.organisation(id: id, .edit))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                TerritoryOrganisationsPage.load(
                    territoryID: territory.id, organisations: try db.territoryOrganisations(territoryID: territory.id),
                    input: input, verticale: verticale.rawValue, issues: refusal.issues),
                layout: layout, status: HTTPStatus(422))
        }
    }
}
