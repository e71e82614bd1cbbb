import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// An agent's « Plages d'ouverture » (domain.md §7, booking.md §9):
/// `GET/POST /admin/organisations/<org>/agents/<agent_id>/plage_ouvertures`, `…/new`, then
/// `GET/PATCH/DELETE /admin/organisations/<org>/plage_ouvertures/<id>` and `…/<id>/edit`.
/// Every action asks `AgentPolicy.showOpeningPeriods` about the period's agent.
struct OpeningPeriodsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try periodAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        let expired = exchange.query["expired"] == "1"
        let search = (exchange.query["search"] ?? "").trimmingCharacters(in: .whitespaces)
        let today = try db.today(organisationID: organisationID, now: clock.now)
        if exchange.query["view"] == "calendar" {
            return try responses.page(
                calendar(owner, organisationID, search: search, month: exchange.query["month"], today: today),
                layout: agent.layout(exchange))
        }
        let items = try db.openingPeriods(
            agentID: owner.id, organisationID: organisationID, expired: expired, search: search, today: today)
        return try responses.page(
            OpeningPeriodIndexPage.load(
                agent: owner, organisationID: organisationID, items: items, expired: expired, search: search),
            layout: agent.layout(exchange))
    }

    /// The calendar mode: every period of the agent here, current and past, over the month's weeks.
    private func calendar(_ owner: AgendaAgent, _ organisationID: Int64, search: String, month: String?, today: LocalDate)
        throws -> OpeningPeriodIndexPage
    {
        let shown = OpeningPeriodCalendar.month(month, today: today)
        let (first, last) = OpeningPeriodCalendar.weeks(of: shown)
        let items = try [false, true].flatMap {
            try db.openingPeriods(
                agentID: owner.id, organisationID: organisationID, expired: $0, search: search, today: today)
        }
        let series = try items.map {
            OpeningPeriodCalendar.Series(
                item: $0, occurrences: try db.openingPeriodOccurrences(id: $0.id, from: first, through: last).occurrences)
        }
        return OpeningPeriodIndexPage.load(
            agent: owner, organisationID: organisationID, items: items, expired: false, search: search,
            calendarMonth: OpeningPeriodCalendar.monthValue(shown),
            calendar: OpeningPeriodCalendar.load(
                agentID: owner.id, organisationID: organisationID, month: shown, today: today, series: series,
                zone: try db.timeZone(organisationID: organisationID),
                search: search))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try periodAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        var input = OpeningPeriodFormPage.Input()
        let today = try db.today(organisationID: organisationID, now: clock.now)
        input.firstDay = (exchange.query["first_day"].flatMap(LocalDate.init) ?? today).description
        return try responses.page(
            OpeningPeriodFormPage.load(
                agent: owner, organisationID: organisationID, periodID: nil,
                choices: try db.openingPeriodChoices(agentID: owner.id, organisationID: organisationID), input: input),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let owner = try periodAgent(exchange.parameters.id("agent_id"), organisationID, agent)
        return try save(&exchange, agent, owner: owner, organisationID: organisationID, periodID: nil)
    }

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (period, owner) = try record(exchange, agent)
        let names = try db.openingPeriodNames(id: period.id ?? 0)
        // The next ten occurrences within six months (the overlap horizon of domain.md §7).
        let today = try db.today(organisationID: period.organisationID, now: clock.now)
        let (occurrences, cancelled) = try db.openingPeriodOccurrences(
            id: period.id ?? 0, from: today, through: today.adding(days: 183) ?? today)
        return try responses.page(
            OpeningPeriodShowPage.load(
                period, agent: owner, placeName: names.place, motifNames: names.motifs,
                occurrences: Array(occurrences.prefix(10)), cancelled: cancelled,
                history: try history(period, agent)),
            layout: agent.layout(exchange))
    }

    private func history(_ period: OpeningPeriod, _ agent: AgentContext) throws -> HistoryList? {
        guard AgentPolicy.seriesHistory(agent.principal, organisationID: period.organisationID) == .allowed else {
            return nil
        }
        let entries = try db.versions(itemType: "OpeningPeriod", itemID: period.id ?? 0)
        return SeriesHistory.load(
            entries, fields: SeriesHistory.openingPeriodFields, firstDay: period.firstDay,
            zone: try db.timeZone(organisationID: period.organisationID),
            names: try db.historyNames(organisationID: period.organisationID, entries: entries))
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
        let (period, _) = try record(exchange, agent)
        let id = period.id ?? 0
        let (db, clock, publicURL) = (db, clock, publicURL)
        return OccurrenceActions.Series(
            title: period.title, pattern: period.pattern, page: .organisation(id: period.organisationID, .openingPeriod(id: id)),
            occurrence: .organisation(id: period.organisationID, .openingPeriodOccurrence(id: id)),
            current: { date in
                try db.openingPeriodOccurrences(id: id, from: date.adding(days: -366) ?? date, through: date.adding(days: 366) ?? date)
                    .occurrences.first { $0.originalDate == date }
            },
            change: { date, edit, confirmWarnings in
                try db.changeOpeningPeriodOccurrence(
                    periodID: id, organisationID: period.organisationID, date: date, change: edit,
                    confirmWarnings: confirmWarnings, authorName: agent.account.displayName, publicURL: publicURL, now: clock.now)
            })
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (period, owner) = try record(exchange, agent)
        return try responses.page(
            OpeningPeriodFormPage.load(
                agent: owner, organisationID: period.organisationID, periodID: period.id,
                choices: try db.openingPeriodChoices(
                    agentID: owner.id, organisationID: period.organisationID, keepingMotifIDs: period.motifIDs,
                    keepingPlaceID: period.placeID),
                input: OpeningPeriodFormPage.Input(period)),
            layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (period, owner) = try record(exchange, agent)
        return try save(&exchange, agent, owner: owner, organisationID: period.organisationID, periodID: period.id)
    }

    /// « Supprimer »: the agent's e-mail (METHOD:CANCEL) is planned with the delete.
    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (period, owner) = try record(exchange, agent)
        guard
            try db.deleteOpeningPeriod(
                id: period.id ?? 0, organisationID: period.organisationID, authorName: agent.account.displayName,
                publicURL: publicURL, now: clock.now)
        else { throw WebError.noAccess }
        sessions.setFlash(.openingPeriodDeleted, &exchange)
        return responses.redirect(.organisation(id: period.organisationID, .openingPeriods(agentID: owner.id)))
    }

    // MARK: -

    /// Errors by their fields (422) with every value kept; benign warnings (overlap, a motif
    /// longer than the period) ask « Enregistrer quand même » (`ignore_benign_errors=1`).
    private func save(
        _ exchange: inout Exchange, _ agent: AgentContext, owner: AgendaAgent, organisationID: Int64, periodID: Int64?
    ) throws -> HTTPResponse {
        let input = OpeningPeriodFormPage.Input(form: exchange.form)
        let (period, formIssues) = input.period(agentID: owner.id, organisationID: organisationID, id: periodID)
        var issues = formIssues
        if let period {
            switch try db.saveOpeningPeriod(
                period, confirmWarnings: exchange.form["ignore_benign_errors"] == "1",
                authorName: agent.account.displayName, publicURL: publicURL, today: try db.today(organisationID: organisationID, now: clock.now),
                now: clock.now)
            {
            case .saved(let id):
                sessions.setFlash(periodID == nil ? .openingPeriodCreated : .openingPeriodUpdated, &exchange)
                return responses.redirect(.organisation(id: organisationID, .openingPeriod(id: id)))
            case .refused(let refused):
                issues = refused
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = !issues.errors.isEmpty
        return try responses.page(
            OpeningPeriodFormPage.load(
                agent: owner, organisationID: organisationID, periodID: periodID,
                choices: try db.openingPeriodChoices(
                    agentID: owner.id, organisationID: organisationID,
                    keepingMotifIDs: input.motifIDs.compactMap { Int64($0) }, keepingPlaceID: Int64(input.placeID)),
                input: input, issues: issues),
            layout: layout, status: HTTPStatus(422))
    }

    /// The agent whose periods these are, if the viewer may manage them here (else 404).
    private func periodAgent(_ agentID: Int64, _ organisationID: Int64, _ agent: AgentContext) throws -> AgendaAgent {
        guard let owner = try db.agendaAgents(ids: [agentID]).first, owner.view.organisationIDs.contains(organisationID)
        else { throw WebError.noAccess }
        try authorize(AgentPolicy.showOpeningPeriods(agent.principal, agent: owner.view, organisationID: organisationID))
        return owner
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (OpeningPeriod, AgendaAgent) {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let period = try db.openingPeriod(id: exchange.parameters.id("id"), organisationID: organisationID)
        else { throw WebError.noAccess }
        return (period, try periodAgent(period.agentID, organisationID, agent))
    }
}
