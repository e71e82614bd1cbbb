import Domain
import Foundation
import HTTP
import Persistence

/// « Configuration » → « Organisation » (admin.md §2): organisation admins
/// (`OrganisationPolicy.update`).
struct OrganisationsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisation = try record(exchange, agent)
        return try responses.page(
            OrganisationFormPage.load(
                organisationID: organisation.id ?? 0, input: .init(organisation), history: try history(organisation)),
            layout: agent.layout(exchange))
    }

    private func history(_ organisation: Organisation) throws -> HistoryList {
        let id = organisation.id ?? 0
        return HistoryList.load(
            try db.versions(itemType: "Organisation", itemID: id), fields: OrganisationFormPage.fields,
            zone: try db.timeZone(organisationID: id))
    }

    /// PATCH: errors by their fields, every value kept (422); saved → back to the form.
    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisation = try record(exchange, agent)
        let input = OrganisationFormPage.Input(form: exchange.form)
        let issues = try db.updateOrganisation(
            input.organisation(organisation), author: agent.account.displayName, now: clock.now)
        guard !issues.isEmpty else {
            sessions.setFlash(.organisationUpdated, &exchange)
            return responses.redirect(.organisation(id: organisation.id ?? 0, .edit))
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            OrganisationFormPage.load(
                organisationID: organisation.id ?? 0, input: input, issues: issues, history: try history(organisation)),
            layout: layout, status: HTTPStatus(422))
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> Organisation {
        let id = exchange.parameters.id("organisation_id")
        try authorize(OrganisationPolicy.update(agent.principal, organisationID: id))
        guard let organisation = try db.organisation(id: id) else { throw WebError.noAccess }
        return organisation
    }
}
