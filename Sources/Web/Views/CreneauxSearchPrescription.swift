import Domain
import Foundation
import HTTP
import Persistence

/// `creneaux_search/prescription`: the internal prescription of booking.md §5.2 — the week grid
/// of a motif of another organisation, then the summary with the user and « Confirmer le
/// rendez-vous », then the confirmation. Every step is a GET of this page but the creation.
public struct CreneauxPrescriptionPage: PageModel {
    public static let template = "creneaux_search/prescription"

    public struct UserLink: Sendable, Equatable {
        public let name: String
        /// Birth date, e-mail and phone; masked outside the agent's scope.
        public let details: String
        public let path: String
    }

    public struct Summary: Sendable, Equatable {
        public let formPath: String
        public let motifID: String
        public let placeID: String?
        public let startsAt: String
        public let agentID: String
        public let when: String
        public let place: String?
        public let agentName: String
        public var userIDs: [String] = []
        public var userNames = ""
        public var hasUsers = false
        /// « Choix de l'usager » (skipped when a user was carried).
        public var searchPath = ""
        public var searchHidden: [FormOption] = []
        public var userSearch = ""
        public var results: [UserLink] = []
        public var hasResults = false
        public var searchIsEmpty = false
        public var error: String?
    }

    public struct Confirmation: Sendable, Equatable {
        public let message: String
        public let details: String
        public let phone: String?
    }

    public let title: String
    public let backPath: String
    public var grid: CreneauxSearchPage.Grid?
    public var summary: Summary?
    public var confirmation: Confirmation?
}

extension CreneauxSearchController {
    /// The motif of the query or form, which the agent may prescribe (MotifPolicy.prescribe),
    /// with its organisation's options (agent and place names).
    func prescriptionMotif(_ form: FormData, _ agent: AgentContext, organisationID: Int64) throws -> (
        SlotMotif, BookingOptions
    ) {
        guard let id = form["motif_id"].flatMap({ Int64($0) }), let motif = try db.slotMotif(id: id), !motif.collectif,
            let options = try db.bookingOptions(organisationID: motif.organisationID), let option = options.motif(id)
        else { throw WebError.noAccess }
        try authorize(
            MotifPolicy.prescribe(
                agent.principal, currentOrganisationID: organisationID, motifTerritoryID: motif.territoryID,
                serviceID: option.serviceID, bookableOutsideOfOrganisation: motif.bookableBy != "agents"))
        return (motif, options)
    }

    func prescription(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let form = exchange.query
        let back = SiteURL.organisation(id: organisationID, .creneauxSearch).path
        if let confirmed = form["confirmed"].flatMap({ Int64($0) }) {
            guard let made = try db.prescribedAppointment(id: confirmed, agentID: agent.account.id) else {
                throw WebError.noAccess
            }
            var page = CreneauxPrescriptionPage(title: "\(made.motifName) — \(made.organisationName)", backPath: back)
            page.confirmation = .init(
                message: "Le rendez-vous de \(made.userNames) est confirmé.",
                details: NotificationFormat.mailDate(made.startsAt, in: made.timeZone)
                    + (made.placeName.map { ", \($0)" } ?? ""),
                phone: made.organisationPhone.map(NotificationFormat.phone))
            return try responses.page(page, layout: agent.layout(exchange))
        }
        let (motif, options) = try prescriptionMotif(form, agent, organisationID: organisationID)
        let title = "\(options.motif(motif.id)?.name ?? "") — \(options.organisationName)"
        var page = CreneauxPrescriptionPage(title: title, backPath: back)
        if form["starts_at"] != nil {
            page.summary = try summary(form, organisationID: organisationID, motif: motif, options: options, error: nil)
        } else {
            let query = Query(form, today: LocalDate(clock.now, in: motif.timeZone))
            let search = Search(
                controller: self, query: query, options: options, motif: motif, agents: Set(options.agents.map(\.id)),
                prescriptionPage: .organisation(id: organisationID, .prescription))
            page.grid = try search.grid(place: options.place(query.placeID))
        }
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func createPrescription(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        let form = exchange.form
        let (motif, options) = try prescriptionMotif(form, agent, organisationID: organisationID)
        let users = try db.territoryUsers(
            ids: form.values("user_ids").compactMap { Int64($0) }, territoryID: motif.territoryID)
        var error = users.isEmpty ? "Choisissez l'usager du rendez-vous." : nil
        if error == nil, let startsAt = form["starts_at"].flatMap(ISO8601.parse),
            let agentID = form["agent_id"].flatMap({ Int64($0) })
        {
            let request = BookingRequest(
                motifID: motif.id, placeID: form["lieu_id"].flatMap { Int64($0) }, startsAt: startsAt,
                userIDs: users.map(\.id), agents: [agentID], createdByType: .agent)
            do {
                let id = try db.prescribe(
                    request, agentID: agent.account.id, clock: clock, random: random, publicURL: publicURL)
                return HTTPResponse(
                    status: .seeOther,
                    headers: [
                        "Location": SiteURL.organisation(id: organisationID, .prescription).path(pairs: [
                            ("confirmed", "\(id)")
                        ])
                    ])
            } catch let failure as BookingError {
                error = failure.description
            }
        } else if error == nil {
            throw WebError.noAccess
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        var page = CreneauxPrescriptionPage(
            title: "\(options.motif(motif.id)?.name ?? "") — \(options.organisationName)",
            backPath: SiteURL.organisation(id: organisationID, .creneauxSearch).path)
        page.summary = try summary(form, organisationID: organisationID, motif: motif, options: options, error: error)
        return try responses.page(page, layout: layout, status: HTTPStatus(422))
    }

    /// « Récapitulatif »: the slot, the users carried (in the territory), the user search.
    func summary(
        _ form: FormData, organisationID: Int64, motif: SlotMotif, options: BookingOptions, error: String?
    ) throws -> CreneauxPrescriptionPage.Summary {
        guard let startsAt = form["starts_at"].flatMap(ISO8601.parse),
            let agentID = (form.values("agent_ids") + [form["agent_id"] ?? ""]).compactMap({ Int64($0) }).first
        else { throw WebError.noAccess }
        let placeID = form["lieu_id"].flatMap { Int64($0) }
        let users = try db.territoryUsers(ids: form.values("user_ids").compactMap { Int64($0) }, territoryID: motif.territoryID)
        let page = SiteURL.organisation(id: organisationID, .prescription)
        var summary = CreneauxPrescriptionPage.Summary(
            formPath: page.path, motifID: "\(motif.id)", placeID: placeID.map(String.init),
            startsAt: ISO8601.format(startsAt, in: motif.timeZone), agentID: "\(agentID)",
            when: NotificationFormat.mailDate(startsAt, in: motif.timeZone),
            place: options.place(placeID).map { "\($0.name) (\($0.address))" },
            agentName: options.agent(agentID)?.displayName ?? "")
        summary.userIDs = users.map { "\($0.id)" }
        summary.userNames = users.map(\.name).joined(separator: ", ")
        summary.hasUsers = !users.isEmpty
        summary.error = error
        // The slot's own parameters, kept by the user search and its results.
        var pairs: [(String, String)] = [("motif_id", "\(motif.id)")]
        if let placeID { pairs.append(("lieu_id", "\(placeID)")) }
        pairs += [("starts_at", summary.startsAt), ("agent_ids[]", "\(agentID)")]
        summary.searchPath = page.path
        summary.searchHidden = pairs.map { FormOption(value: $0.1, label: $0.0, selected: false) }
        summary.userSearch = (form["user_search"] ?? "").trimmingCharacters(in: .whitespaces)
        if !summary.userSearch.isEmpty {
            // permissions.md: the whole territory, masked outside the agent's scope.
            let found = try db.searchUsersInTerritory(summary.userSearch, organisationID: organisationID, limit: 10)
            summary.results = found.map { result in
                let user = result.user
                let details = [
                    user.birthDate.map { String(format: "né(e) le %02d/%02d/%04d", $0.day, $0.month, $0.year) }, user.email,
                    user.phone,
                ].compactMap { $0 }.joined(separator: " — ")
                return .init(
                    name: UserFormat.name(first: user.firstName, last: user.lastName), details: details,
                    path: page.path(pairs: pairs + [("user_ids[]", "\(user.id)")]))
            }
            summary.hasResults = !found.isEmpty
            summary.searchIsEmpty = found.isEmpty
        }
        return summary
    }
}
