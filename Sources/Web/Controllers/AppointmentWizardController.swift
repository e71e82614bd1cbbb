import Domain
import Foundation
import HTTP
import Persistence

/// The booking wizard (booking.md §1.3–§1.4): `GET rdvs/new` shows it, filled from the entry
/// query of the agenda or the slot grid; `POST rdvs` validates (domain.md §9) and saves.
struct AppointmentWizardController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    /// What the wizard offers to this agent in the organisation of the path.
    struct Scope {
        let options: BookingOptions
        /// Individual motifs the agent may use (collective ones are made from « RDV collectifs »).
        let motifs: [BookingOptions.MotifOption]
        /// Agents of the agent scope (permissions.md §2).
        let agents: [BookingOptions.AgentOption]
        let smsEnabled: Bool
    }

    func scope(_ exchange: Exchange, _ agent: AgentContext) throws -> Scope {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let options = try db.bookingOptions(organisationID: organisationID) else { throw WebError.noAccess }
        let p = agent.principal
        return Scope(
            options: options,
            motifs: options.motifs.filter {
                !$0.collectif && MotifPolicy.use(p, organisationID: organisationID, serviceID: $0.serviceID) == .allowed
            },
            agents: options.agents.filter {
                AgentPolicy.inScope(
                    p,
                    AgentView(
                        agentID: $0.id, organisationIDs: [organisationID], territoryIDs: [options.territoryID],
                        serviceIDs: $0.serviceIDs))
            },
            smsEnabled: try db.smsEnabled(organisationID: organisationID))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let scope = try scope(exchange, agent)
        var input = AppointmentWizardInput(exchange.query, timeZone: scope.options.timeZone)
        try authorizeMotif(input.motifID, scope, agent)
        if input.duration.isEmpty, let motif = scope.options.motif(input.motifID) {
            input.duration = "\(motif.durationInMinutes)"
        }
        // An agent given by the agenda or the grid must be one the agent may book for.
        input.agentIDs = input.agentIDs.filter { id in scope.agents.contains { $0.id == id } }
        // An entry without agents (a user file's « Prendre RDV »…) starts with the agent itself;
        // a refresh of the form (it carries `start_date`) keeps the boxes as they were.
        if input.agentIDs.isEmpty, exchange.query["start_date"] == nil,
            scope.agents.contains(where: { $0.id == agent.account.id })
        {
            input.agentIDs = [agent.account.id]
        }
        let page = try page(input, scope: scope, errors: [:], warnings: [])
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let scope = try scope(exchange, agent)
        let zone = scope.options.timeZone
        let input = AppointmentWizardInput(exchange.form, timeZone: zone)
        try authorizeMotif(input.motifID, scope, agent)
        let organisationID = scope.options.organisationID
        // permissions.md §2 "Create": member, the motif usable, every chosen agent in scope.
        try authorize(
            AppointmentPolicy.create(
                agent.principal, organisationID: organisationID, motifUsable: true,
                agentsInScope: input.agentIDs.allSatisfy { id in scope.agents.contains { $0.id == id } }))
        let users = try db.wizardUsers(ids: input.userIDs, organisationID: organisationID)
        let check = try WizardCheck(input: input, scope: scope, users: users, db: db, clock: clock, agent: agent)
        guard let request = check.request, check.errors.isEmpty, check.warnings.isEmpty || input.confirmed else {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let page = try page(input, scope: scope, errors: check.errors, warnings: check.warnings, users: users)
            return try responses.page(page, layout: layout, status: HTTPStatus(422))
        }
        let id = try db.createAgentAppointment(request, clock: clock, publicURL: publicURL)
        sessions.setFlash(.rdvCreated, &exchange)
        // booking.md §1.3: the agenda of the first agent at that date, the appointment highlighted.
        let location = SiteURL.organisation(id: organisationID, .agenda(agentID: request.agentIDs[0])).path(query: [
            "date": LocalDate(request.startsAt, in: zone).description, "highlight": "\(id)",
        ])
        return HTTPResponse(status: .seeOther, headers: ["Location": location])
    }

    /// A motif in the query or the form must be one the agent may use (MotifPolicy.use).
    func authorizeMotif(_ motifID: Int64?, _ scope: Scope, _ agent: AgentContext) throws {
        guard let motifID else { return }
        guard let motif = scope.options.motif(motifID), !motif.collectif else { throw WebError.noAccess }
        try authorize(
            MotifPolicy.use(agent.principal, organisationID: scope.options.organisationID, serviceID: motif.serviceID))
    }

    /// The form with every value kept, the search results, the errors by field and the warnings.
    func page(
        _ input: AppointmentWizardInput, scope: Scope, errors: [String: String], warnings: [String],
        users known: [WizardUser]? = nil
    ) throws -> AppointmentWizardPage {
        let options = scope.options
        let organisationID = options.organisationID
        var page = AppointmentWizardPage(organisationID: organisationID, input: input, errors: errors)
        let motif = options.motif(input.motifID)
        let service = motif?.serviceID ?? input.serviceID ?? (scope.motifs.count == 1 ? scope.motifs[0].serviceID : nil)
        let services = options.services.filter { s in scope.motifs.contains { $0.serviceID == s.id } }
        page.services = services.map { FormOption(value: "\($0.id)", label: $0.name, selected: $0.id == service) }
        page.motifGroups = services.map { s in
            FormOptionGroup(
                label: s.name,
                options: scope.motifs.filter { $0.serviceID == s.id }.map {
                    FormOption(value: "\($0.id)", label: $0.name, selected: $0.id == input.motifID)
                })
        }
        let users = try known ?? db.wizardUsers(ids: input.userIDs, organisationID: organisationID)
        page.chosenUsers = users.map { Self.line($0.id, $0.firstName, $0.lastName, $0.email, $0.phone, checked: true) }
        page.hasChosenUsers = !users.isEmpty
        if !input.userSearch.isEmpty {
            let found = try db.searchUsers(input.userSearch, organisationID: organisationID, limit: 10)
                .filter { result in !users.contains { $0.id == result.id } }
            page.searchResults = found.map {
                Self.line($0.id, $0.firstName, $0.lastName, $0.email, $0.phone, checked: false, birth: $0.birthDate)
            }
            page.hasSearchResults = !found.isEmpty
            page.searchIsEmpty = found.isEmpty
        }
        page.responsibleOptions = users.filter { $0.responsibleID == nil }.map {
            FormOption(
                value: "\($0.id)", label: UserFormat.name(first: $0.firstName, last: $0.lastName), selected: $0.id == input.newUserResponsibleID)
        }
        page.hasResponsibleOptions = !page.responsibleOptions.isEmpty
        page.agents = scope.agents.map {
            FormOption(
                value: "\($0.id)", label: $0.displayName, selected: input.agentIDs.contains($0.id), idPrefix: "agent-")
        }
        page.places = options.places.map {
            FormOption(value: "\($0.id)", label: "\($0.name) (\($0.address))", selected: $0.id == input.placeID)
        }
        page.startError = errors["starts_at"]
        page.showsContext = options.enableContextField
        page.participants = participants(input, users: users, motif: motif, scope: scope)
        page.hasParticipants = !page.participants.isEmpty
        page.baseErrors = errors["base"].map { [$0] } ?? []
        page.hasBaseErrors = !page.baseErrors.isEmpty
        page.warnings = BenignWarnings(warnings)
        return page
    }

    static func line(
        _ id: Int64, _ first: String, _ last: String, _ email: String?, _ phone: String?, checked: Bool,
        birth: LocalDate? = nil
    ) -> AppointmentWizardPage.UserLine {
        let details = [
            birth.map { String(format: "né(e) le %02d/%02d/%04d", $0.day, $0.month, $0.year) }, email,
            phone.map(NotificationFormat.phone),
        ].compactMap { $0 }.joined(separator: " — ")
        return .init(id: "\(id)", name: "\(first) \(last)", details: details, checked: checked)
    }

    /// Step 4: the toggles of each participant, defaulting to the motif's visibility.
    func participants(
        _ input: AppointmentWizardInput, users: [WizardUser], motif: BookingOptions.MotifOption?, scope: Scope
    ) -> [AppointmentWizardPage.ParticipantNotifications] {
        let defaults = motif?.notifiesByDefault ?? true
        let isPast = input.startsAt(in: scope.options.timeZone).map { $0 < clock.now } ?? false
        var lines = users.map { user in
            let toggles = input.notifications("\(user.id)", default: defaults)
            let name = UserFormat.name(first: user.firstName, last: user.lastName)
            // notifications.md §3: a relative's messages go to their responsible.
            let recipient = user.responsibleName.map { "\($0) (responsable de \(name))" } ?? name
            return AppointmentWizardPage.ParticipantNotifications(
                key: "\(user.id)", name: name, lifecycle: toggles.lifecycle, reminder: toggles.reminder,
                sentence: AppointmentWizardPage.sentence(
                    name: recipient, email: user.contactEmail, phone: user.contactPhone,
                    notifyByEmail: user.contactNotifyByEmail, notifyBySMS: user.contactNotifyBySMS,
                    smsEnabled: scope.smsEnabled, toggles: toggles, isPast: isPast))
        }
        if input.hasNewUser {
            let toggles = input.notifications("new", default: defaults)
            let name = "\(input.newUserFirstName) \(input.newUserLastName)".trimmingCharacters(in: .whitespaces)
            let responsible = input.newUserResponsibleID.flatMap { id in users.first { $0.id == id } }
            let sentence =
                if let responsible {
                    AppointmentWizardPage.sentence(
                        name: UserFormat.name(first: responsible.firstName, last: responsible.lastName) + " (responsable de \(name))",
                        email: responsible.contactEmail, phone: responsible.contactPhone,
                        notifyByEmail: responsible.contactNotifyByEmail, notifyBySMS: responsible.contactNotifyBySMS,
                        smsEnabled: scope.smsEnabled, toggles: toggles, isPast: isPast)
                } else {
                    AppointmentWizardPage.sentence(
                        name: name, email: input.newUserEmail, phone: input.newUserPhone, notifyByEmail: true,
                        notifyBySMS: true, smsEnabled: scope.smsEnabled, toggles: toggles, isPast: isPast)
                }
            lines.append(
                .init(
                    key: "new", name: name, lifecycle: toggles.lifecycle, reminder: toggles.reminder,
                    sentence: sentence))
        }
        return lines
    }
}
