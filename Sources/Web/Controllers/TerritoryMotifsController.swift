import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « Motifs » (admin.md §3): territorial admins (`MotifPolicy.bulkEdit`) list
/// every motif of the territory, select some, choose one field (GET `bulk_edit`, so no
/// JavaScript is needed to show its control) and apply it to all of them (PATCH).
struct TerritoryMotifsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        return try responses.page(try indexPage(territoryID, exchange), layout: agent.layout(exchange))
    }

    /// Step 2: the selected motifs and the chosen field's control; without a selection or a
    /// field, the list again with its errors.
    func bulkEdit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        let selected = try selection(territoryID, exchange.query)
        let field = MotifBulkField(rawValue: exchange.query["field"] ?? "")
        guard let field, !selected.isEmpty else {
            return try incompleteSelection(territoryID, exchange, agent, selected: selected, field: field)
        }
        return try responses.page(
            TerritoryMotifBulkEditPage.load(territoryID: territoryID, field: field, motifs: selected),
            layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territoryID = try territory(exchange, agent)
        let form = exchange.form
        let selected = try selection(territoryID, form)
        let field = MotifBulkField(rawValue: form["field"] ?? "")
        guard let field, !selected.isEmpty else {
            return try incompleteSelection(territoryID, exchange, agent, selected: selected, field: field)
        }
        var errors: [String: String] = [:]
        switch field.change(form) {
        case .failure(let error):
            errors[error.field] = error.message
        case .success(let change):
            switch try db.bulkUpdateMotifs(
                territoryID: territoryID, motifIDs: selected.compactMap(\.motif.id), change: change,
                author: agent.account.displayName, now: clock.now)
            {
            case .success:
                sessions.setFlash(.motifsBulkUpdated, &exchange)
                return responses.redirect(.territory(id: territoryID, .motifs))
            case .failure(let refusal):
                errors = fieldErrors(refusal.issues, labels: [:])
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            TerritoryMotifBulkEditPage.load(territoryID: territoryID, field: field, motifs: selected, form: form, errors: errors),
            layout: layout, status: HTTPStatus(422))
    }

    // MARK: -

    /// The list again, with what is missing said next to it.
    private func incompleteSelection(
        _ territoryID: Int64, _ exchange: Exchange, _ agent: AgentContext, selected: [MotifListRow], field: MotifBulkField?
    ) throws -> HTTPResponse {
        var errors: [String: String] = [:]
        if selected.isEmpty { errors["motif_ids"] = "Sélectionnez au moins un motif." }
        if field == nil { errors["field"] = "Choisissez le champ à modifier." }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            try indexPage(territoryID, exchange, selected: Set(selected.compactMap(\.motif.id)), errors: errors),
            layout: layout, status: HTTPStatus(422))
    }

    private func indexPage(
        _ territoryID: Int64, _ exchange: Exchange, selected: Set<Int64> = [], errors: [String: String] = [:]
    ) throws -> TerritoryMotifIndexPage {
        let filter = TerritoryMotifIndexPage.filter(exchange.query)
        return TerritoryMotifIndexPage.load(
            territoryID: territoryID, filter: filter,
            organisations: try db.territoryOrganisations(territoryID: territoryID).map { NamedOption(id: $0.id, name: $0.name) },
            services: try db.territoryServices(territoryID: territoryID).filter(\.isActive).map {
                NamedOption(id: $0.id, name: $0.name)
            }, motifs: try db.territoryMotifs(territoryID: territoryID, filter: filter), selected: selected,
            field: exchange.query["field"] ?? "", errors: errors)
    }

    /// The territory's non-deleted motifs among the `motif_ids` sent (others are ignored).
    private func selection(_ territoryID: Int64, _ data: FormData) throws -> [MotifListRow] {
        let ids = Set(data.values("motif_ids").compactMap { Int64($0) })
        guard !ids.isEmpty else { return [] }
        return try db.territoryMotifs(territoryID: territoryID, filter: MotifListFilter()).filter { ids.contains($0.motif.id ?? 0) }
    }

    private func territory(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let id = exchange.parameters.id("territory_id")
        try authorize(MotifPolicy.bulkEdit(agent.principal, territoryID: id))
        return id
    }
}
