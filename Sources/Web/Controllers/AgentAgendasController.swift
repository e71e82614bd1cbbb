import Domain
import Foundation
import HTTP
import Persistence

/// The agenda (booking.md §9): `/admin/organisations/<org>/agent_agendas/<agent_id>` with
/// `?date=YYYY-MM-DD&view=day|week|month|list`, several agents side by side in the day view
/// (`agent_ids[]`), and its printable list of the day.
struct AgentAgendasController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    /// The cookie that remembers the last chosen view (week by default, booking.md §9).
    static let viewCookie = "rdv_agenda_view"

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let pathAgentID = exchange.parameters.id("agent_id")
        // At most 20 columns side by side: the page stays readable and its cost bounded.
        let chosen = Array(exchange.query.values("agent_ids[]").compactMap { Int64($0) }.prefix(20))
        var view =
            AgendaViewKind(rawValue: exchange.query["view"] ?? "")
            ?? AgendaViewKind(rawValue: exchange.cookies[Self.viewCookie] ?? "") ?? .week
        if let asked = exchange.query["view"], AgendaViewKind(rawValue: asked) != nil {
            exchange.setCookies.append(
                Cookies.set(Self.viewCookie, asked, secure: sessions.https, maxAge: 365 * 24 * 3600))
        }
        // One agent chosen in the selector: that agent's agenda. Several: side by side, day view.
        if chosen.count == 1, chosen[0] != pathAgentID {
            return responses.redirect(
                path: SiteURL.organisation(id: organisationID, .agenda(agentID: chosen[0])).path(query: [
                    "date": exchange.query["date"], "view": view.rawValue,
                ]))
        }
        if chosen.count > 1 { view = .day }
        let columnIDs = chosen.count > 1 ? chosen : [pathAgentID]
        let (territory, agents, viewer, date) = try context(
            exchange, agent, organisationID: organisationID, ids: [pathAgentID] + columnIDs)
        guard let pathAgent = agents.first(where: { $0.id == pathAgentID }) else { throw WebError.noAccess }
        let shown = columnIDs.compactMap { id in agents.first { $0.id == id } }
        let selectable = try db.agendaAgents(organisationID: organisationID).filter {
            AgentPolicy.showAgenda(agent.principal, of: $0.view, in: organisationID) == .allowed
        }
        let (first, last) = view.range(around: date)
        let input = AgendaInput(
            organisationID: organisationID, principal: agent.principal, agent: pathAgent, agents: shown,
            selectable: selectable, displaySaturdays: viewer?.displaySaturdays ?? false,
            showCancelled: viewer?.displayCancelledAppointments ?? true, territory: territory,
            data: try db.agendaData(agentIDs: shown.map(\.id), first: first, last: last, timeZone: territory.timeZone),
            view: view, date: date, now: clock.now,
            unknownPastCount: try db.unknownPastAppointmentCount(
                agentID: pathAgentID, organisationID: organisationID, now: clock.now),
            highlightID: exchange.query["highlight"].flatMap { Int64($0) },
            isDefaultView: AgendaViewKind(rawValue: exchange.query["view"] ?? "") == nil
                && AgendaViewKind(rawValue: exchange.cookies[Self.viewCookie] ?? "") == nil && chosen.count < 2)
        return try responses.page(AgendaPage.load(input), layout: agent.layout(exchange))
    }

    /// « Liste détaillée des RDV du <date> »: the day's appointments of the agent in this
    /// organisation that the viewer may see, for printing.
    func print(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let agentID = exchange.parameters.id("agent_id")
        let (territory, agents, _, date) = try context(exchange, agent, organisationID: organisationID, ids: [agentID])
        guard let shown = agents.first(where: { $0.id == agentID }) else { throw WebError.noAccess }
        let data = try db.agendaData(agentIDs: [agentID], first: date, last: date, timeZone: territory.timeZone)
        let page = AgendaPrintPage.load(
            agent: shown, data: data, organisationID: organisationID, principal: agent.principal, date: date,
            now: clock.now, zone: territory.timeZone)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    /// The territory, the agents of `ids` (each authorised: one the viewer may not see makes
    /// the page absent, permissions.md §2), the viewer's settings and the date asked (today by
    /// default, in the territory's zone).
    func context(_ exchange: Exchange, _ agent: AgentContext, organisationID: Int64, ids: [Int64]) throws -> (
        AgendaTerritory, [AgendaAgent], AgendaAgent?, LocalDate
    ) {
        guard let territory = try db.agendaTerritory(organisationID: organisationID) else { throw WebError.noAccess }
        let loaded = try db.agendaAgents(ids: ids + [agent.account.id])
        for id in Set(ids) {
            guard let target = loaded.first(where: { $0.id == id }) else { throw WebError.noAccess }
            try authorize(AgentPolicy.showAgenda(agent.principal, of: target.view, in: organisationID))
        }
        let viewer = loaded.first { $0.id == agent.account.id }
        let date = exchange.query["date"].flatMap(LocalDate.init) ?? LocalDate(clock.now, in: territory.timeZone)
        return (territory, loaded.filter { Set(ids).contains($0.id) }, viewer, date)
    }
}

extension AgendaPrintPage {
    static func load(
        agent: AgendaAgent, data: AgendaData, organisationID: Int64, principal: Principal, date: LocalDate, now: Date,
        zone: TimeZone
    ) -> AgendaPrintPage {
        let items = AgendaItems(
            data, organisationID: organisationID, principal: principal, showCancelled: true, first: date, last: date,
            zone: zone)
        let today = LocalDate(now, in: zone)
        let rows = items.items(agentID: agent.id, day: date).compactMap { item -> Row? in
            guard case .appointment(let appointment, true) = item.kind else { return nil }
            let start = AgendaLayout.local(appointment.startsAt, in: zone)
            return Row(
                startsAt: ISO8601.format(appointment.startsAt, in: zone),
                timeLabel: TimeOfDay(minutesSinceMidnight: start.minute)?.frenchDescription ?? "",
                duration: NotificationFormat.duration(
                    minutes: Int(appointment.endsAt.timeIntervalSince(appointment.startsAt) / 60)),
                motif: appointment.collectif ? (appointment.name ?? appointment.motifName) : appointment.motifName,
                users: appointment.userNames.joined(separator: ", "), place: appointment.placeName ?? "",
                status: appointment.status.label(day: start.day, today: today))
        }
        return AgendaPrintPage(
            title: "Liste détaillée des RDV du \(NotificationFormat.mailDay(date))", agentName: agent.displayName,
            backPath: SiteURL.organisation(id: organisationID, .agenda(agentID: agent.id)).path(query: [
                "date": date.description, "view": "day",
            ]), rows: rows, isEmpty: rows.isEmpty)
    }
}

extension PageResponses {
    /// 303 to a path that carries a query (`SiteURL.path(query:)`).
    func redirect(path: String) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": path])
    }
}
