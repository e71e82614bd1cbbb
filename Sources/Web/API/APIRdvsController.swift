import Domain
import Foundation
import HTTP
import Persistence

/// `GET /organisations/:id/rdvs` and `GET /rdvs/:id` (api.md §6): the appointments the pages'
/// « Liste des RDV » shows the agent, in the `rdv` shape of §7.
struct APIRdvsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let links: SiteLinks

    func index(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("organisation_id")
        try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: id), "Organisation", id: id)
        let parameters = try APIParameters(exchange)
        let page = try APIPage.number(parameters["page"])
        let include = try Self.include(parameters)
        let zone = try db.timeZone(organisationID: id)
        let principal = agent.principal
        var query = AppointmentListQuery(
            organisationIDs: [id], seesAllIn: AppointmentPolicy.listSeesAll(principal, organisationID: id) ? [id] : [],
            viewerAgentID: agent.agentID, viewerServiceIDs: principal.serviceIDs, now: clock.now)
        query.from = try Self.instant(parameters, "starts_after", zone: zone)
        query.until = try Self.instant(parameters, "starts_before", zone: zone)
        query.page = page
        query.perPage = APIPage.size
        let (rows, total) = try db.appointmentList(query)
        let items = try db.apiRdvs(ids: rows.map(\.id), links: links, scope: agent.organisationIDs, include: include)
        return APIResponse.collection("rdvs", APIPage(number: page, totalCount: total), items: items)
    }

    func show(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        let include = try Self.include(try APIParameters(exchange))
        guard let view = try db.apiAppointmentView(id: id) else { throw APIFailure.notFound("Rdv", id: String(id)) }
        try apiAuthorize(AppointmentPolicy.show(agent.principal, view), "Rdv", id: id)
        let rdv = try db.apiRdvs(ids: [id], links: links, scope: agent.organisationIDs, include: include)
        return APIResponse.record("rdv", rdv.first ?? .null)
    }

    /// `include[]` (api.md §7): nil = every association; an unknown name is a 400.
    static func include(_ parameters: APIParameters) throws -> Set<String>? {
        guard parameters.has("include[]") || parameters.has("include") else { return nil }
        let names = Set(parameters.pairs.filter { $0.name == "include[]" || $0.name == "include" }.map(\.value))
        if let unknown = names.subtracting(APIShapes.rdvAssociations).sorted().first {
            throw APIFailure.errors(["include : association inconnue « \(unknown) »"], status: .badRequest)
        }
        return names
    }

    /// An instant (`2026-06-01T09:00:00.000+02:00` or without milliseconds) or a date, taken
    /// at midnight in the organisation's zone (api.md §6).
    static func instant(_ parameters: APIParameters, _ name: String, zone: TimeZone) throws -> Date? {
        guard let text = parameters[name] else { return nil }
        if let instant = ISO8601.parse(text) { return instant }
        if let date = LocalDate(text), let midnight = TimeOfDay(hour: 0, minute: 0),
            let instant = date.instant(at: midnight, in: zone)
        {
            return instant
        }
        throw APIFailure.errors(["\(name) doit être une date (AAAA-MM-JJ) ou un instant ISO 8601"], status: .badRequest)
    }
}

extension APIRdvsController {
    /// `PATCH /participations/:id` (api.md §6): `participation[status]` or `status`. On an
    /// individual appointment the change and its notifications go through
    /// `changeAppointmentStatus`, as the appointment page's dropdown; on a collective one only that
    /// participant's status changes. Answers the parent `rdv`.
    func updateParticipation(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        let parameters = try APIParameters(exchange)
        guard let found = try db.apiParticipationAppointment(id: id),
            let view = try db.apiAppointmentView(id: found.appointmentID)
        else { throw APIFailure.notFound("Participation", id: String(id)) }
        try apiAuthorize(AppointmentPolicy.show(agent.principal, view), "Participation", id: id)
        let text = parameters["participation[status]"] ?? parameters["status"] ?? ""
        guard let status = AppointmentStatus(rawValue: text) else {
            throw APIFailure.invalid([
                .error("status", text.isEmpty ? "doit être rempli(e)" : "doit valoir unknown, seen, noshow, excused ou revoked")
            ])
        }
        do {
            if found.collectif {
                // Each participant's own status; the appointment's follows (domain.md §9).
                try db.changeCollectiveParticipationStatus(
                    participationID: id, to: status, agentID: agent.agentID, historyAuthor: agent.author, now: clock.now,
                    publicURL: links.baseURL)
            } else {
                try db.changeAppointmentStatus(
                    appointmentID: found.appointmentID, to: status, author: .agent(agent.agentID),
                    historyAuthor: agent.author, now: clock.now, publicURL: links.baseURL)
            }
        } catch AppointmentChangeError.statusNotAllowed {
            throw APIFailure.invalid([.error("status", "ne peut pas passer à « \(status.rawValue) » pour ce RDV")])
        }
        let rdv = try db.apiRdvs(ids: [found.appointmentID], links: links, scope: agent.organisationIDs, include: nil)
        return APIResponse.record("rdv", rdv.first ?? .null)
    }
}
