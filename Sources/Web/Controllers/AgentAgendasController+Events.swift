import Domain
import Foundation
import HTTP
import Persistence

extension AgentAgendasController {
    /// The agenda's events as JSON, for scripts (issue 11): the same range, agents, filters and
    /// authorisation as the page (`?date=&view=&agent_ids[]=`), read with one query per kind.
    /// Other organisations' appointments are `busy`, with no title, link or personal data.
    func events(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let pathAgentID = exchange.parameters.id("agent_id")
        let chosen = Array(exchange.query.values("agent_ids[]").compactMap { Int64($0) }.prefix(20))
        let view = AgendaViewKind(rawValue: exchange.query["view"] ?? "") ?? .week
        let ids = chosen.count > 1 ? chosen : [pathAgentID]
        let (territory, agents, viewer, date) = try context(
            exchange, agent, organisationID: organisationID, ids: [pathAgentID] + ids)
        let zone = territory.timeZone
        let (first, last) = view.range(around: date)
        let data = try db.agendaData(agentIDs: ids, first: first, last: last, timeZone: zone)
        let items = AgendaItems(
            data, organisationID: organisationID, principal: agent.principal,
            showCancelled: viewer?.displayCancelledAppointments ?? true, first: first, last: last, zone: zone)
        var json = JSONWriter()
        json.reserve(256 * (data.appointments.count + data.absences.count + data.openingPeriods.count) + 64)
        json.beginObject()
        json.key("from")
        json.string(first.description)
        json.key("to")
        json.string(last.description)
        json.key("events")
        json.beginArray()
        for shown in agents where ids.contains(shown.id) {
            for day in first.through(last) {
                // By start; an item cut at midnight is written once, from its first piece in the range.
                let dayItems = items.items(agentID: shown.id, day: day).enumerated().sorted {
                    ($0.element.startsAt, $0.offset) < ($1.element.startsAt, $1.offset)
                }
                for (_, item) in dayItems where day == max(AgendaLayout.local(item.startsAt, in: zone).day, first) {
                    write(item, into: &json, organisationID: organisationID, zone: zone)
                }
            }
        }
        json.endArray()
        json.endObject()
        return JSONResponse.ok(json)
    }

    private func write(_ item: AgendaItem, into json: inout JSONWriter, organisationID: Int64, zone: TimeZone) {
        json.beginObject()
        json.key("agent_id")
        json.int(item.agentID)
        json.key("kind")
        switch item.kind {
        case .appointment(let appointment, true):
            json.string("appointment")
            json.key("id")
            json.int(appointment.id)
            json.key("title")
            json.string(appointment.collectif ? (appointment.name ?? appointment.motifName) : appointment.motifName)
            json.key("status")
            json.string(appointment.status.rawValue)
            json.key("color")
            json.string(appointment.motifColor)
            json.key("url")
            json.string(SiteURL.organisation(id: organisationID, .rdv(id: appointment.id)).path)
        case .appointment:
            json.string("busy")
        case .absence(let absence):
            json.string("absence")
            json.key("title")
            json.string(absence.title)
        case .openingPeriod(let period):
            json.string("opening_period")
            json.key("title")
            json.string(period.title)
            json.key("organisation_id")
            json.int(period.organisationID)
        }
        json.key("starts_at")
        json.instant(item.startsAt, offset: zone.secondsFromGMT(for: item.startsAt))
        json.key("ends_at")
        json.instant(item.endsAt, offset: zone.secondsFromGMT(for: item.endsAt))
        json.endObject()
    }
}
