import Domain
import Foundation
import HTTP
import Persistence

/// « Motifs » of « Configuration » (admin.md §2): the list for members, create, edit, duplicate
/// and « Supprimer » for organisation admins (`MotifPolicy.manage`); copies go only to the
/// organisations where the agent may manage motifs too.
struct MotifsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(OrganisationPolicy.show(agent.principal, organisationID: organisationID))
        let filter = MotifIndexPage.filter(exchange.query)
        let options = try formOptions(organisationID, agent)
        let page = MotifIndexPage.load(
            organisationID: organisationID, filter: filter, services: options.services,
            motifs: try db.motifs(organisationID: organisationID, filter: filter),
            canManage: MotifPolicy.manage(agent.principal, organisationID: organisationID) == .allowed)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = try managed(exchange, agent)
        let options = try formOptions(organisationID, agent)
        return try responses.page(
            MotifFormPage.load(
                organisationID: organisationID, motifID: nil,
                input: MotifFormPage.newInput(organisationID: organisationID, services: options.services),
                options: options),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try save(&exchange, agent, organisationID: try managed(exchange, agent), existing: nil)
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, motif) = try record(exchange, agent)
        let options = try formOptions(organisationID, agent)
        return try responses.page(
            MotifFormPage.load(
                organisationID: organisationID, motifID: motif.id, input: .init(motif), options: options,
                history: try history(motif, organisationID, options)),
            layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, motif) = try record(exchange, agent)
        return try save(&exchange, agent, organisationID: organisationID, existing: motif)
    }

    /// « Supprimer ce motif »: soft when appointments (or a period that has no other motif) keep it.
    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, motif) = try record(exchange, agent)
        guard
            try db.deleteMotif(
                id: motif.id ?? 0, organisationID: organisationID, author: agent.account.displayName, now: clock.now) != nil
        else { throw WebError.noAccess }
        sessions.setFlash(.motifDeleted, &exchange)
        return responses.redirect(.organisation(id: organisationID, .motifs))
    }

    // MARK: -

    private func save(_ exchange: inout Exchange, _ agent: AgentContext, organisationID: Int64, existing: Motif?)
        throws -> HTTPResponse
    {
        let options = try formOptions(organisationID, agent)
        let input = MotifFormPage.Input(form: exchange.form)
        var (motif, errors) = input.motif(organisationID: organisationID, stored: existing)
        // Only the organisations the form offered: the others are out of the agent's reach.
        let allowed = Set(options.duplicationTargets.map(\.id))
        if input.duplicateTo.contains(where: { !allowed.contains($0) }) {
            errors["duplicate_organisation_ids"] = "Vous ne pouvez copier le motif que dans les organisations proposées."
        }
        if errors["service_id"] == nil, !options.services.contains(where: { $0.id == motif.serviceID }) {
            errors["service_id"] = "Service n'est pas activé dans ce territoire."
        }
        if errors.isEmpty {
            switch try db.saveMotif(motif, duplicateTo: input.duplicateTo, author: agent.account.displayName, now: clock.now) {
            case .success(let id):
                motif.id = id
                sessions.setFlash(
                    !input.duplicateTo.isEmpty ? .motifDuplicated : existing == nil ? .motifCreated : .motifUpdated,
                    &exchange)
                return responses.redirect(.organisation(id: organisationID, .motifs))
            case .failure(let refusal):
                errors.merge(fieldErrors(refusal.issues, labels: MotifFormPage.labels)) { mine, _ in mine }
            }
        } else {
            // The domain's own messages for the fields the form could read.
            errors.merge(fieldErrors(motif.validate().errors.filter { errors[$0.field] == nil }, labels: MotifFormPage.labels)) {
                mine, _ in mine
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            MotifFormPage.load(
                organisationID: organisationID, motifID: existing?.id, input: input, options: options, errors: errors,
                history: try existing.map { try history($0, organisationID, options) }),
            layout: layout, status: HTTPStatus(422))
    }

    private func history(_ motif: Motif, _ organisationID: Int64, _ options: MotifFormOptions) throws -> HistoryList {
        HistoryList.load(
            try db.versions(itemType: "Motif", itemID: motif.id ?? 0), fields: MotifFormPage.historyFields,
            zone: try db.timeZone(organisationID: organisationID),
            describe: { MotifFormPage.describe(field: $0, value: $1, options: options) })
    }

    private func formOptions(_ organisationID: Int64, _ agent: AgentContext) throws -> MotifFormOptions {
        try db.motifFormOptions(organisationID: organisationID) {
            MotifPolicy.duplicate(agent.principal, into: $0, territoryID: $1)
        }
    }

    /// The path's organisation, where the agent may manage motifs (else 404 or 403).
    private func managed(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(MotifPolicy.manage(agent.principal, organisationID: organisationID))
        return organisationID
    }

    /// The non-deleted motif of the path, in its organisation, that the agent may change.
    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Motif) {
        let organisationID = try managed(exchange, agent)
        guard let motif = try db.motif(id: exchange.parameters.id("id"), organisationID: organisationID) else {
            throw WebError.noAccess
        }
        return (organisationID, motif)
    }
}
