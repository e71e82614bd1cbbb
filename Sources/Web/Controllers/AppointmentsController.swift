import Domain
import Foundation
import HTTP
import Persistence

/// « Liste des RDV » and one appointment: show, edit, update, destroy (booking.md §1.5, §9).
/// Every decision goes through `AppointmentPolicy` (permissions.md §2).
struct AppointmentsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let page = try AppointmentIndexPage.load(
            db: db, agent: agent, organisationID: organisationID, query: exchange.query, now: clock.now)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try Self.record(db, exchange, agent, AppointmentPolicy.show)
        var history: HistoryList?
        if AppointmentPolicy.history(agent.principal, record.view) == .allowed {
            let entries = try db.appointmentVersions(appointmentID: record.id)
            history = AppointmentShowPage.history(
                entries, record: record, names: try db.historyNames(organisationID: record.organisationID, entries: entries),
                now: clock.now)
        }
        let page = AppointmentShowPage.load(
            record, receipts: try db.appointmentReceipts(appointmentID: record.id),
            canDelete: AppointmentPolicy.delete(agent.principal, record.view) == .allowed, history: history,
            now: clock.now)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try Self.record(db, exchange, agent, AppointmentPolicy.show)
        let choices = try AppointmentEditPage.agentChoices(db: db, record: record, principal: agent.principal)
        let page = try AppointmentEditPage.load(
            db: db, record: record, choices: choices, form: nil, issues: [], userSearch: exchange.query["user_search"],
            now: clock.now)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    /// PATCH: hard errors by field and benign warnings re-render the form (422, values kept);
    /// « Enregistrer quand même » (`ignore_benign_errors=1`) saves despite the warnings.
    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try Self.record(db, exchange, agent, AppointmentPolicy.show)
        let form = AppointmentEditForm(exchange.form, record: record)
        let choices = try AppointmentEditPage.agentChoices(db: db, record: record, principal: agent.principal)
        let issues = try form.validate(db: db, record: record, choices: choices, now: clock.now)
        let acceptsWarnings = exchange.form["ignore_benign_errors"] == "1"
        if !issues.hasNoErrors || (!issues.warnings.isEmpty && !acceptsWarnings) {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let page = try AppointmentEditPage.load(
                db: db, record: record, choices: choices, form: form, issues: issues, userSearch: nil, now: clock.now)
            return try responses.page(page, layout: layout, status: HTTPStatus(422))
        }
        do {
            try db.updateAppointment(
                appointmentID: record.id, form.update(record), author: .agent(agent.account.id), now: clock.now,
                publicURL: publicURL)
        } catch AppointmentChangeError.notFound {
            throw WebError.noAccess
        }
        sessions.setFlash(.rdvUpdated, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .rdv(id: record.id)))
    }

    /// « Supprimer »: org admin only; back to the list.
    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try Self.record(db, exchange, agent, AppointmentPolicy.delete)
        try db.deleteAppointment(appointmentID: record.id, author: .agent(agent.account.id), now: clock.now, publicURL: publicURL)
        sessions.setFlash(.rdvDeleted, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .rdvs))
    }

    /// The appointment of the path's organisation, authorised by `policy`; absent → 404.
    static func record(
        _ db: AppDatabase, _ exchange: Exchange, _ agent: AgentContext,
        _ policy: (Principal, AppointmentView) -> Access
    ) throws -> AppointmentPageRecord {
        guard
            let record = try db.appointmentRecord(
                id: exchange.parameters.id("id"), organisationID: exchange.parameters.id("organisation_id"))
        else { throw WebError.noAccess }
        try authorize(policy(agent.principal, record.view))
        return record
    }
}
