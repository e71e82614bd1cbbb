import Domain
import Foundation
import HTTP
import Persistence

/// « Trouver un RDV » (booking.md §1.2, §5.2): a GET form, so a search is a bookmarkable address
/// and works without JavaScript. The slot engine runs in agent mode (one slot per start and
/// agent, no booking delays), through the availability API's own search code.
struct CreneauxSearchController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let publicURL: String
    /// slots.md §6: the prescription picks among free agents at random.
    let random = RandomSource.system()

    /// The query of the form, and of every link of the results (which keep it).
    struct Query {
        var serviceID: Int64?
        var motifID: Int64?
        var motifMissing = false
        var agentIDs: [Int64] = []
        var teamIDs: [Int64] = []
        var placeIDs: [Int64] = []
        var userIDs: [Int64] = []
        var from: LocalDate
        /// The place of the grid and the grid's first day.
        var placeID: Int64?
        var date: LocalDate?
        var widen = false

        init(_ form: FormData, today: LocalDate) {
            func id(_ name: String) -> Int64? { form[name].flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil } }
            func ids(_ name: String) -> [Int64] { form.values(name).compactMap { Int64($0) }.filter { $0 > 0 } }
            serviceID = id("service_id")
            motifID = id("motif_id")
            motifMissing = form["motif_id"] != nil && motifID == nil
            agentIDs = ids("agent_ids")
            teamIDs = ids("team_ids")
            placeIDs = ids("lieu_ids")
            userIDs = ids("user_ids")
            from = form["from"].flatMap(LocalDate.init) ?? today
            placeID = id("lieu_id")
            date = form["date"].flatMap(LocalDate.init)
            widen = form["elargir"] == "1"
        }

        /// The search's own parameters, for links that keep it.
        var pairs: [(String, String)] {
            var pairs: [(String, String)] = []
            if let serviceID { pairs.append(("service_id", "\(serviceID)")) }
            if let motifID { pairs.append(("motif_id", "\(motifID)")) }
            pairs += agentIDs.map { ("agent_ids[]", "\($0)") } + teamIDs.map { ("team_ids[]", "\($0)") }
            pairs += placeIDs.map { ("lieu_ids[]", "\($0)") }
            pairs.append(("from", from.description))
            pairs += userIDs.map { ("user_ids[]", "\($0)") }
            return pairs
        }
    }

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let options = try db.bookingOptions(organisationID: organisationID) else { throw WebError.noAccess }
        let today = LocalDate(clock.now, in: options.timeZone)
        let query = Query(exchange.query, today: today)
        let p = agent.principal
        // permissions.md §2: only the motifs the agent may use, only agents of its agent scope.
        let usable = options.motifs.filter {
            MotifPolicy.use(p, organisationID: organisationID, serviceID: $0.serviceID) == .allowed
        }
        let scoped = options.agents.filter {
            AgentPolicy.inScope(
                p,
                AgentView(
                    agentID: $0.id, organisationIDs: [organisationID], territoryIDs: [options.territoryID],
                    serviceIDs: $0.serviceIDs))
        }
        var page = form(query, options: options, usable: usable, scoped: scoped)
        if let motifID = query.motifID {
            guard let motif = options.motif(motifID) else { throw WebError.noAccess }
            try authorize(MotifPolicy.use(p, organisationID: organisationID, serviceID: motif.serviceID))
            guard let slotMotif = try db.slotMotif(id: motifID) else { throw WebError.noAccess }
            page.hasMotif = true
            page.motifName = motif.name
            let search = Search(
                controller: self, query: query, options: options, motif: slotMotif,
                agents: agentFilter(query, options: options, scoped: scoped))
            try search.fill(&page)
            if query.widen { try widen(&page, query: query, motif: motif, agent: agent, options: options) }
        }
        return try responses.page(page, layout: agent.layout(exchange))
    }

    /// The form with every choice kept; the service pre-selected when there is only one.
    func form(
        _ query: Query, options: BookingOptions, usable: [BookingOptions.MotifOption], scoped: [BookingOptions.AgentOption]
    ) -> CreneauxSearchPage {
        var page = CreneauxSearchPage(organisationID: options.organisationID, from: query.from.description)
        page.userIDs = query.userIDs.map(String.init)
        let services = options.services.filter { service in usable.contains { $0.serviceID == service.id } }
        let service = services.count == 1 ? services[0].id : query.serviceID
        page.services = services.map { FormOption(value: "\($0.id)", label: $0.name, selected: $0.id == service) }
        page.motifGroups = services.filter { service == nil || $0.id == service || query.motifID != nil }.map { s in
            FormOptionGroup(
                label: s.name,
                options: usable.filter { $0.serviceID == s.id }.map {
                    FormOption(value: "\($0.id)", label: $0.name, selected: $0.id == query.motifID)
                })
        }
        page.agents = scoped.map {
            FormOption(
                value: "\($0.id)", label: $0.displayName, selected: query.agentIDs.contains($0.id), idPrefix: "agent-")
        }
        page.teams = options.teams.map {
            FormOption(value: "\($0.id)", label: $0.name, selected: query.teamIDs.contains($0.id), idPrefix: "team-")
        }
        page.hasTeams = !page.teams.isEmpty
        page.places = options.places.map {
            FormOption(value: "\($0.id)", label: $0.name, selected: query.placeIDs.contains($0.id), idPrefix: "lieu-")
        }
        if query.motifMissing { page.motifError = "Veuillez choisir un motif." }
        return page
    }

    /// The chosen agents and the members of the chosen teams (slots.md §7), within the agent
    /// scope; every agent of the scope when none is chosen.
    func agentFilter(_ query: Query, options: BookingOptions, scoped: [BookingOptions.AgentOption]) -> Set<Int64> {
        let scope = Set(scoped.map(\.id))
        var chosen = Set(query.agentIDs)
        for team in options.teams where query.teamIDs.contains(team.id) { chosen.formUnion(team.memberIDs) }
        return chosen.isEmpty ? scope : chosen.intersection(scope)
    }

    /// booking.md §5.2: the same search across the territory's other organisations, for motifs
    /// open to prescribers of the chosen motif's service (basic agents: their own services).
    func widen(
        _ page: inout CreneauxSearchPage, query: Query, motif: BookingOptions.MotifOption, agent: AgentContext,
        options: BookingOptions
    ) throws {
        let found = try db.prescriptionMotifs(
            territoryID: options.territoryID, excludingOrganisation: options.organisationID,
            serviceIDs: [motif.serviceID])
        let search = SlotSearch(db: db, clock: clock)
        page.isWidened = true
        for candidate in found {
            guard let slotMotif = try db.slotMotif(id: candidate.motifID),
                MotifPolicy.prescribe(
                    agent.principal, currentOrganisationID: options.organisationID,
                    motifTerritoryID: slotMotif.territoryID, serviceID: candidate.serviceID,
                    bookableOutsideOfOrganisation: slotMotif.bookableBy != "agents") == .allowed
            else { continue }
            let next = try search.firstSlot(
                SlotQuery(motif: slotMotif, placeID: candidate.placeID, agents: nil, agentMode: true), from: query.from)
            let label = [candidate.organisationName, candidate.motifName, candidate.placeName].compactMap { $0 }
                .joined(separator: " — ")
            var pairs: [(String, String)] = [("motif_id", "\(candidate.motifID)")]
            if let place = candidate.placeID { pairs.append(("lieu_id", "\(place)")) }
            pairs += [("from", query.from.description)] + query.userIDs.map { ("user_ids[]", "\($0)") }
            page.prescriptionLines.append(
                .init(
                    label: label,
                    path: SiteURL.organisation(id: options.organisationID, .prescription).path(pairs: pairs),
                    nextAvailability: next.map {
                        "prochaine disponibilité le " + CreneauxSearchPage.day(LocalDate($0.startsAt, in: slotMotif.timeZone))
                    }))
        }
        page.prescriptionIsEmpty = page.prescriptionLines.isEmpty
    }
}
