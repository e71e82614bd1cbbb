import Domain
import Foundation
import HTTP
import Persistence

/// An agent's « Indisponibilités » (domain.md §8): `GET/POST
/// /admin/organisations/<org>/agents/<agent_id>/absences`, `…/new`, then `GET/PATCH/DELETE
/// /admin/organisations/<org>/absences/<id>` and `…/<id>/edit`. The organisation in the path is
/// where the agent works from; the absence blocks the agent everywhere. Every action asks
/// `AgentPolicy.manageAbsence` (the absence's agent in the viewer's agent scope).
struct AbsencesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try absenceAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        let expired = exchange.query["expired"] == "1"
        let search = (exchange.query["search"] ?? "").trimmingCharacters(in: .whitespaces)
        let items = try db.absences(agentID: owner.id, expired: expired, search: search, today: try db.today(organisationID: organisationID, now: clock.now))
        return try responses.page(
            AbsenceIndexPage.load(agent: owner, organisationID: organisationID, items: items, expired: expired, search: search),
            layout: agent.layout(exchange))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try absenceAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        var input = AbsenceFormPage.Input()
        let today = try db.today(organisationID: organisationID, now: clock.now)
        input.firstDay = (exchange.query["first_day"].flatMap(LocalDate.init) ?? today).description
        return try responses.page(
            AbsenceFormPage.load(agent: owner, organisationID: organisationID, absenceID: nil, input: input),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try absenceAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        return try save(&exchange, agent, owner: owner, organisationID: organisationID, absence: nil)
    }

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (absence, owner, organisationID) = try record(exchange, agent)
        let today = try db.today(organisationID: organisationID, now: clock.now)
        let (occurrences, cancelled) = try db.absenceOccurrences(
            id: absence.id ?? 0, from: today, through: today.adding(days: 183) ?? today)
        return try responses.page(
            AbsenceShowPage.load(
                absence, agent: owner, organisationID: organisationID, occurrences: Array(occurrences.prefix(10)),
                cancelled: cancelled, history: try history(absence, organisationID, agent)),
            layout: agent.layout(exchange))
    }

    private func history(_ absence: Absence, _ organisationID: Int64, _ agent: AgentContext) throws -> HistoryList? {
        guard AgentPolicy.seriesHistory(agent.principal, organisationID: organisationID) == .allowed else { return nil }
        let entries = try db.versions(itemType: "Absence", itemID: absence.id ?? 0)
        return SeriesHistory.load(
            entries, fields: SeriesHistory.absenceFields, firstDay: absence.firstDay,
            zone: try db.timeZone(organisationID: organisationID),
            names: try db.historyNames(organisationID: organisationID, entries: entries))
    }

    // MARK: One occurrence (domain.md §7b)

    func editOccurrence(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try occurrences.edit(&exchange, agent, try series(exchange, agent))
    }

    func moveOccurrence(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try occurrences.move(&exchange, agent, try series(exchange, agent))
    }

    func cancelOccurrence(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try occurrences.cancel(&exchange, agent, try series(exchange, agent))
    }

    func restoreOccurrence(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try occurrences.restore(&exchange, try series(exchange, agent))
    }

    private var occurrences: OccurrenceActions { OccurrenceActions(responses: responses, sessions: sessions) }

    private func series(_ exchange: Exchange, _ agent: AgentContext) throws -> OccurrenceActions.Series {
        let (absence, _, organisationID) = try record(exchange, agent)
        let id = absence.id ?? 0
        let (db, clock, publicURL) = (db, clock, publicURL)
        return OccurrenceActions.Series(
            title: absence.title, pattern: absence.pattern, page: .organisation(id: organisationID, .absence(id: id)),
            occurrence: .organisation(id: organisationID, .absenceOccurrence(id: id)),
            current: { date in
                try db.absenceOccurrences(id: id, from: date.adding(days: -366) ?? date, through: date.adding(days: 366) ?? date)
                    .occurrences.first { $0.originalDate == date }
            },
            // No confirmation for an absence's occurrence: appointments stay booked through an
            // absence, and its form says so (« RDV existants »).
            change: { date, edit, _ in
                try db.changeAbsenceOccurrence(
                    absenceID: id, date: date, change: edit, authorName: agent.account.displayName,
                    publicURL: publicURL, now: clock.now)
            })
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (absence, owner, organisationID) = try record(exchange, agent)
        return try responses.page(
            AbsenceFormPage.load(
                agent: owner, organisationID: organisationID, absenceID: absence.id, input: .init(absence)),
            layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (absence, owner, organisationID) = try record(exchange, agent)
        return try save(&exchange, agent, owner: owner, organisationID: organisationID, absence: absence)
    }

    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (absence, owner, organisationID) = try record(exchange, agent)
        guard
            try db.deleteAbsence(
                id: absence.id ?? 0, authorName: agent.account.displayName, publicURL: publicURL, now: clock.now)
        else { throw WebError.noAccess }
        sessions.setFlash(.absenceDeleted, &exchange)
        return responses.redirect(.organisation(id: organisationID, .absences(agentID: owner.id)))
    }

    // MARK: -

    /// An update keeps the absence's own organisation; a new one belongs to the page's.
    private func save(
        _ exchange: inout Exchange, _ agent: AgentContext, owner: AgendaAgent, organisationID: Int64, absence: Absence?
    ) throws -> HTTPResponse {
        let input = AbsenceFormPage.Input(form: exchange.form)
        let (parsed, formIssues) = input.absence(agentID: owner.id, organisationID: organisationID, id: absence?.id)
        var issues = formIssues
        if var parsed {
            parsed.organisationID = absence?.organisationID ?? organisationID
            switch try db.saveAbsence(parsed, authorName: agent.account.displayName, publicURL: publicURL, now: clock.now) {
            case .saved(let id):
                sessions.setFlash(absence == nil ? .absenceCreated : .absenceUpdated, &exchange)
                return responses.redirect(.organisation(id: organisationID, .absence(id: id)))
            case .refused(let refused):
                issues = refused
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            AbsenceFormPage.load(
                agent: owner, organisationID: organisationID, absenceID: absence?.id, input: input, issues: issues),
            layout: layout, status: HTTPStatus(422))
    }

    /// The agent, a member of the page's organisation, in the viewer's agent scope (else 404).
    private func absenceAgent(_ agentID: Int64, _ organisationID: Int64, _ agent: AgentContext) throws -> AgendaAgent {
        guard agent.principal.isMember(of: organisationID), let owner = try db.agendaAgents(ids: [agentID]).first,
            owner.view.organisationIDs.contains(organisationID)
        else { throw WebError.noAccess }
        try authorize(AgentPolicy.manageAbsence(agent.principal, agent: owner.view))
        return owner
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Absence, AgendaAgent, Int64) {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let absence = try db.absence(id: exchange.parameters.id("id")) else { throw WebError.noAccess }
        return (absence, try absenceAgent(absence.agentID, organisationID, agent), organisationID)
    }
}
