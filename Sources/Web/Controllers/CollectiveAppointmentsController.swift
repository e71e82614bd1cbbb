import Domain
import Foundation
import HTTP
import Persistence

/// « RDV collectifs » (booking.md §6): `GET /admin/organisations/<org>/rdvs_collectifs` with its
/// filters, `GET …/new` and `POST …` to create one. Participants are then added on the
/// appointment's page (« Modifier les participants »), as for any appointment.
struct CollectiveAppointmentsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    /// The organisation's booking options, the collective motifs the viewer may use, and the
    /// agents in its scope (permissions.md §2 "Create").
    private func scope(_ exchange: Exchange, _ agent: AgentContext) throws
        -> (BookingOptions, [BookingOptions.MotifOption], [BookingOptions.AgentOption])
    {
        let organisationID = exchange.parameters.id("organisation_id")
        guard agent.principal.isMember(of: organisationID), let options = try db.bookingOptions(organisationID: organisationID)
        else { throw WebError.noAccess }
        let motifs = options.motifs.filter {
            $0.collectif && MotifPolicy.use(agent.principal, organisationID: organisationID, serviceID: $0.serviceID) == .allowed
        }
        let agents = options.agents.filter {
            AgentPolicy.inScope(
                agent.principal,
                AgentView(agentID: $0.id, organisationIDs: [organisationID], territoryIDs: [options.territoryID], serviceIDs: $0.serviceIDs))
        }
        return (options, motifs, agents)
    }

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (options, motifs, _) = try scope(exchange, agent)
        let zone = options.timeZone
        let today = LocalDate(clock.now, in: zone)
        let from = exchange.query["from"].flatMap(LocalDate.init) ?? today
        let motifID = exchange.query["motif_id"].flatMap { Int64($0) }.flatMap { id in motifs.contains { $0.id == id } ? id : nil }
        let withSeats = exchange.query["with_seats"] == "1"
        let placeID = exchange.query["lieu_id"].flatMap { Int64($0) }.flatMap { id in
            options.places.contains { $0.id == id } ? id : nil
        }
        let items = try db.collectiveAppointments(
            organisationID: options.organisationID, motifIDs: motifID.map { [$0] } ?? motifs.map(\.id), placeID: placeID,
            from: from.instant(at: .midnight, in: zone) ?? clock.now, withSeatsOnly: withSeats)
        return try responses.page(
            CollectiveAppointmentIndexPage.load(
                organisationID: options.organisationID, motifs: motifs, motifID: motifID, places: options.places,
                placeID: placeID, from: from, withSeats: withSeats, items: items, zone: zone),
            layout: agent.layout(exchange))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (options, motifs, agents) = try scope(exchange, agent)
        var input = CollectiveAppointmentFormPage.Input()
        // « Dupliquer » fills the form from the query (motif, place, agents, duration, title).
        input.motifID = exchange.query["motif_id"] ?? ""
        input.day = LocalDate(clock.now, in: options.timeZone).description
        input.placeID = exchange.query["place_id"] ?? ""
        let agentIDs = exchange.query.values("agent_ids[]")
        input.agentIDs = agentIDs.isEmpty ? [String(agent.account.id)] : agentIDs
        input.duration = exchange.query["duration_in_min"] ?? ""
        input.name = exchange.query["name"] ?? ""
        return try responses.page(
            CollectiveAppointmentFormPage.load(
                organisationID: options.organisationID, options: options, motifs: motifs, agents: agents, input: input),
            layout: agent.layout(exchange))
    }

    /// Errors by their fields (422, values kept), then the domain rules of any appointment and
    /// the agents' agendas: an « Intitulé » over 50 characters (booking.md §6), a past start, a
    /// busy or absent agent are benign warnings; the creation plans what any agent booking plans.
    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (options, motifs, agents) = try scope(exchange, agent)
        let input = CollectiveAppointmentFormPage.Input(form: exchange.form)
        let zone = options.timeZone
        var errors: [String: String] = [:]
        let motif = Int64(input.motifID).flatMap { id in motifs.first { $0.id == id } }
        if motif == nil { errors["motif_id"] = "Choisissez un motif collectif." }
        let day = FormValue.day(input.day)
        if day == nil { errors["day"] = "Saisissez une date, par exemple 07/12/2026." }
        let time = FormValue.time(input.time)
        if time == nil { errors["time"] = "Saisissez une heure, par exemple 14:00." }
        let duration = input.duration.isEmpty ? motif?.durationInMinutes : Int(input.duration)
        if duration == nil || duration! < 5 || duration! > 24 * 60 {
            errors["duration_in_min"] = "Saisissez une durée entre 5 et 1440 minutes."
        }
        let placeID = Int64(input.placeID)
        if !input.placeID.isEmpty, options.place(placeID) == nil { errors["place_id"] = "Choisissez un lieu de l'organisation." }
        if motif?.locationType == LocationType.publicOffice.rawValue, placeID == nil { errors["place_id"] = "Choisissez le lieu de ce motif sur place." }
        var seen = Set<Int64>()
        let agentIDs = input.agentIDs.compactMap { Int64($0) }.filter { seen.insert($0).inserted }
        if agentIDs.isEmpty { errors["agent_ids"] = "Cochez au moins un agent." }
        guard agentIDs.allSatisfy({ id in agents.contains { $0.id == id } }) else { throw WebError.noAccess }
        let seats = input.maxParticipants.isEmpty ? nil : Int(input.maxParticipants)
        if !input.maxParticipants.isEmpty, seats == nil || seats! < 1 {
            errors["max_participants_count"] = "Saisissez un nombre entier supérieur ou égal à 1, ou laissez vide."
        }
        let startsAt = day.flatMap { d in time.flatMap { d.instant(at: $0, in: zone) } }
        guard errors.isEmpty, let motif, let startsAt, let duration else {
            return try refuse(exchange, agent, options, motifs, agents, input, errors: errors)
        }
        var request = AgentBookingRequest(
            organisationID: options.organisationID, motifID: motif.id, placeID: placeID, singleUsePlace: nil,
            startsAt: startsAt, endsAt: startsAt.addingTimeInterval(TimeInterval(duration * 60)), agentIDs: agentIDs,
            userIDs: [], newUser: nil, context: options.enableContextField && !input.context.isEmpty ? input.context : nil,
            notifications: [:], newUserNotifications: nil, authorAgentID: agent.account.id)
        request.name = input.name.isEmpty ? nil : input.name
        request.maxParticipantsCount = seats
        // The domain rules of any appointment (domain.md §9) and the agents' agendas: busy, absent
        // or off their opening periods are benign warnings; hard errors stop the save.
        let appointment = Appointment(
            uuid: UUID(), organisationID: options.organisationID, motifID: motif.id, placeID: placeID,
            startsAt: startsAt, endsAt: request.endsAt, context: request.context, name: request.name,
            maxParticipantsCount: seats, createdByType: .agent, createdByID: agent.account.id, agentIDs: agentIDs)
        let domainMotif = Motif(
            id: motif.id, organisationID: options.organisationID, serviceID: motif.serviceID, name: motif.name,
            color: "#000000", defaultDurationInMin: motif.durationInMinutes,
            locationType: LocationType(rawValue: motif.locationType) ?? .publicOffice, collectif: true)
        let place = placeID.flatMap { id in options.place(id) }.map {
            Place(id: $0.id, organisationID: options.organisationID, name: $0.name, address: $0.address, latitude: nil, longitude: nil)
        }
        let ruleIssues = appointment.validate(
            .init(
                motif: domainMotif, place: place, participationsCount: 0,
                agentIDsWithRole: Set(options.agents.map(\.id)), timeZone: zone), clock: clock)
        let agendaIssues = try db.agentBookingIssues(
            request, agentNames: Dictionary(uniqueKeysWithValues: options.agents.map { ($0.id, $0.displayName) }),
            userNames: [:], timeZone: zone, now: clock.now)
        let hard = (ruleIssues.errors + agendaIssues.errors).map(\.message)
        guard hard.isEmpty else {
            return try refuse(
                exchange, agent, options, motifs, agents, input, errors: ["base": hard.joined(separator: " ")])
        }
        // The domain's warnings include a start in the past and a title the SMS would truncate.
        let warnings = ruleIssues.warnings.map(\.message) + agendaIssues.warnings.map(\.message)
        if !warnings.isEmpty && exchange.form["ignore_benign_errors"] != "1" {
            return try refuse(exchange, agent, options, motifs, agents, input, errors: [:], warnings: warnings)
        }
        let id = try db.createAgentAppointment(request, clock: clock, publicURL: publicURL)
        sessions.setFlash(.rdvCreated, &exchange)
        return responses.redirect(.organisation(id: options.organisationID, .rdv(id: id)))
    }

    private func refuse(
        _ exchange: Exchange, _ agent: AgentContext, _ options: BookingOptions, _ motifs: [BookingOptions.MotifOption],
        _ agents: [BookingOptions.AgentOption], _ input: CollectiveAppointmentFormPage.Input, errors: [String: String],
        warnings: [String] = []
    ) throws -> HTTPResponse {
        var layout = agent.layout(exchange)
        layout.hasErrors = !errors.isEmpty
        return try responses.page(
            CollectiveAppointmentFormPage.load(
                organisationID: options.organisationID, options: options, motifs: motifs, agents: agents, input: input,
                errors: errors, warnings: warnings),
            layout: layout, status: HTTPStatus(422))
    }
}
