import Domain
import Foundation
import HTTP
import Persistence

/// `GET /plage_ouvertures` and the `/absences` of api.md §6, through the agenda's policies
/// (`AgentPolicy.showOpeningPeriods`, `AgentPolicy.manageAbsence`) and the absence form's
/// operation (`saveAbsence`: its validation and the agent's ICS e-mail).
struct APISeriesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let links: SiteLinks

    func openingPeriods(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        var organisations = agent.organisationIDs
        if let id = try parameters.integer("organisation_id") {
            try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: id), "Organisation", id: id)
            organisations = [id]
        }
        let candidates = try db.apiOpeningPeriods(organisationIDs: organisations, agentID: try parameters.integer("agent_id"))
        let views = Dictionary(
            uniqueKeysWithValues: try db.agendaAgents(ids: Array(Set(candidates.map(\.agentID)))).map { ($0.id, $0.view) })
        let visible = candidates.filter { period in
            guard let view = views[period.agentID] else { return false }
            return AgentPolicy.showOpeningPeriods(agent.principal, agent: view, organisationID: period.organisationID) == .allowed
        }
        let ids = APIPage.slice(visible, page: page).map(\.id)
        let items = try db.apiOpeningPeriods(ids: ids, links: links, now: clock.now)
        return APIResponse.collection("plage_ouvertures", APIPage(number: page, totalCount: visible.count), items: items)
    }

    /// The absences of the agents in the caller's agent scope.
    func absences(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let page = try APIPage.number(try APIParameters(exchange)["page"])
        let agents = try db.apiAgents(
            organisationIDs: agent.organisationIDs, territoryIDs: agent.principal.adminTerritoryIDs.sorted()
        ).filter { AgentPolicy.manageAbsence(agent.principal, agent: $0.view) == .allowed }
        let ids = try db.apiAbsenceIDs(agentIDs: agents.map(\.view.agentID))
        let items = try db.apiAbsences(
            ids: APIPage.slice(ids, page: page), links: links, now: clock.now)
        return APIResponse.collection("absences", APIPage(number: page, totalCount: ids.count), items: items)
    }

    func absence(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let absence = try found(exchange, agent)
        return try record(absence.id ?? 0)
    }

    func createAbsence(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        let owner = try ownerID(parameters, agent)
        var absence = try Self.absence(parameters, over: nil, agentID: owner)
        if let organisationID = try parameters.integer("organisation_id") {
            try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: organisationID), "Organisation", id: organisationID)
            absence.organisationID = organisationID
        }
        return try save(absence, agent)
    }

    /// PATCH: the fields sent change, the others are kept.
    func updateAbsence(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let existing = try found(exchange, agent)
        let absence = try Self.absence(try APIParameters(exchange), over: existing, agentID: existing.agentID)
        return try save(absence, agent)
    }

    func deleteAbsence(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let absence = try found(exchange, agent)
        _ = try db.deleteAbsence(id: absence.id ?? 0, authorName: agent.author, publicURL: links.baseURL, now: clock.now)
        return APIResponse.noContent()
    }

    private func save(_ absence: Absence, _ agent: APIAgent) throws -> HTTPResponse {
        switch try db.saveAbsence(absence, authorName: agent.author, publicURL: links.baseURL, now: clock.now) {
        case .refused(let issues): throw APIFailure.invalid(issues)
        case .saved(let id): return try record(id)
        }
    }

    private func record(_ id: Int64) throws -> HTTPResponse {
        guard let json = try db.apiAbsences(ids: [id], links: links, now: clock.now).first else {
            throw APIFailure.notFound("Absence", id: String(id))
        }
        return APIResponse.record("absence", json)
    }

    /// The absence of the path, its agent in the caller's agent scope.
    private func found(_ exchange: Exchange, _ agent: APIAgent) throws -> Absence {
        let id = exchange.parameters.id("id")
        guard let absence = try db.absence(id: id), let owner = try db.agendaAgents(ids: [absence.agentID]).first else {
            throw APIFailure.notFound("Absence", id: String(id))
        }
        try apiAuthorize(AgentPolicy.manageAbsence(agent.principal, agent: owner.view), "Absence", id: id)
        return absence
    }

    /// `agent_id` or `agent_email` (api.md §6), an agent in the caller's scope.
    private func ownerID(_ parameters: APIParameters, _ agent: APIAgent) throws -> Int64 {
        var id = try parameters.integer("agent_id")
        if id == nil, let email = parameters["agent_email"], !email.isEmpty { id = try db.apiAgentID(uid: email) }
        guard let id else {
            throw APIFailure.invalid([.error(parameters.has("agent_email") ? "agent_email" : "agent_id", "doit être rempli(e)")])
        }
        guard let owner = try db.agendaAgents(ids: [id]).first else { throw APIFailure.notFound("Agent", id: String(id)) }
        try apiAuthorize(AgentPolicy.manageAbsence(agent.principal, agent: owner.view), "Agent", id: id)
        return id
    }

    /// The absence the parameters describe over `base`: absent fields keep its values (all but
    /// `end_day` are required without a base); a date or time that does not parse is a 422.
    static func absence(_ parameters: APIParameters, over base: Absence?, agentID: Int64) throws -> Absence {
        var issues: [ValidationIssue] = []
        func value<T>(_ name: String, _ parse: (String) -> T?, current: T?) -> T? {
            guard let text = parameters[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
                if current == nil { issues.append(.error(name, "doit être rempli(e)")) }
                return current
            }
            guard let parsed = parse(text) else {
                issues.append(.error(name, "n'est pas valide"))
                return current
            }
            return parsed
        }
        let title = value("title", { $0 }, current: base?.title)
        let firstDay = value("first_day", LocalDate.init, current: base?.firstDay)
        let startTime = value("start_time", { TimeOfDay(String($0.prefix(5))) }, current: base?.startTime)
        let endTime = value("end_time", { TimeOfDay(String($0.prefix(5))) }, current: base?.endTime)
        var endDay = base?.endDay
        if let text = parameters["end_day"], !text.isEmpty {
            endDay = LocalDate(text)
            if endDay == nil { issues.append(.error("end_day", "n'est pas valide")) }
        }
        guard issues.isEmpty, let title, let firstDay, let startTime, let endTime else { throw APIFailure.invalid(issues) }
        var absence = base ?? Absence(agentID: agentID, title: title, firstDay: firstDay, startTime: startTime, endTime: endTime)
        absence.title = title
        absence.firstDay = firstDay
        absence.startTime = startTime
        absence.endTime = endTime
        absence.endDay = endDay ?? firstDay
        return absence
    }
}
