import Domain
import Foundation
import HTTP
import Persistence

/// « Configuration » → « Agents » (admin.md §2, §4, permissions.md §2 "agents"): who may do what
/// is `AgentPolicy`'s; the rules on the data (last admin, future appointments, e-mails) are the
/// database layer's, re-checked in the write transaction.
struct OrganisationAgentsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, _) = try listed(exchange, agent)
        return try responses.page(
            OrganisationAgentIndexPage.load(
                organisationID: organisationID, agents: try db.organisationAgents(organisationID: organisationID, now: clock.now)),
            layout: agent.layout(exchange))
    }

    // MARK: « Inviter un agent »

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, territoryID) = try inviting(exchange, agent)
        return try responses.page(
            AgentInvitationFormPage.load(organisationID: organisationID, input: .init(), services: try services(territoryID)),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, territoryID) = try inviting(exchange, agent)
        let input = AgentInvitationFormPage.Input(form: exchange.form)
        let submission = AgentInvitationSubmission(db: db, publicURL: publicURL, now: clock.now)
        switch try submission.submit(
            input, organisationIDs: [organisationID], territoryID: territoryID, agent: agent,
            confirmsServiceMerge: exchange.form["ignore_benign_errors"] == "1")
        {
        case .done(let flash):
            sessions.setFlash(flash, &exchange)
            return responses.redirect(.organisation(id: organisationID, .agents))
        case .rejected(let errors, let warnings):
            var layout = agent.layout(exchange)
            layout.hasErrors = warnings.isEmpty
            return try responses.page(
                AgentInvitationFormPage.load(
                    organisationID: organisationID, input: input, services: try services(territoryID), errors: errors,
                    warnings: warnings),
                layout: layout, status: HTTPStatus(422))
        }
    }

    // MARK: « Ajouter un intervenant »

    func newIntervenant(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, territoryID) = try inviting(exchange, agent)
        return try responses.page(
            IntervenantFormPage.load(
                organisationID: organisationID, lastName: "", firstName: "", serviceIDs: [], services: try services(territoryID)),
            layout: agent.layout(exchange))
    }

    func createIntervenant(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, territoryID) = try inviting(exchange, agent)
        let form = exchange.form
        let lastName = (form["last_name"] ?? "").trimmingCharacters(in: .whitespaces)
        let firstName = (form["first_name"] ?? "").trimmingCharacters(in: .whitespaces)
        let serviceIDs = Set(form.values("service_ids").compactMap { Int64($0) })
        switch try db.addIntervenant(
            lastName: lastName, firstName: firstName.isEmpty ? nil : firstName, serviceIDs: serviceIDs,
            organisationID: organisationID, author: agent.account.displayName, now: clock.now)
        {
        case .success:
            sessions.setFlash(.intervenantAdded, &exchange)
            return responses.redirect(.organisation(id: organisationID, .agents))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                IntervenantFormPage.load(
                    organisationID: organisationID, lastName: lastName, firstName: firstName, serviceIDs: serviceIDs,
                    services: try services(territoryID),
                    errors: fieldErrors(refusal.issues, labels: AgentInvitationFormPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    // MARK: A role

    func editRole(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let role = try self.role(exchange, agent)
        return try responses.page(
            roleForm(role, agent, level: role.row.level.rawValue, email: ""), layout: agent.layout(exchange))
    }

    func updateRole(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let role = try self.role(exchange, agent)
        guard AgentPolicy.changeLevel(agent.principal, organisationID: role.organisationID, territoryID: role.territoryID)
        else { throw WebError.noAccessForbidden }
        let levelText = exchange.form["access_level"] ?? ""
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        var errors: [String: String] = [:]
        if let level = AgentRole.AccessLevel(rawValue: levelText) {
            switch try db.changeAccessLevel(
                roleID: role.roleID, organisationID: role.organisationID, level: level, email: email,
                invitedByID: agent.account.id, publicURL: publicURL, now: clock.now)
            {
            case .success:
                sessions.setFlash(.agentLevelChanged, &exchange)
                return responses.redirect(.organisation(id: role.organisationID, .agents))
            case .failure(let refusal):
                errors = fieldErrors(refusal.issues, labels: AgentInvitationFormPage.labels)
            }
        } else {
            errors["access_level"] = "Choisissez un niveau d'accès."
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(
            roleForm(role, agent, level: levelText, email: email, errors: errors), layout: layout, status: HTTPStatus(422))
    }

    /// « Retirer de l'organisation ».
    func destroyRole(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let role = try self.role(exchange, agent)
        guard
            AgentPolicy.removeFromOrganisation(
                agent.principal, target: role.row.agentID, organisationID: role.organisationID, territoryID: role.territoryID)
        else { throw WebError.noAccessForbidden }
        switch try db.removeAgentRole(
            roleID: role.roleID, organisationID: role.organisationID, author: agent.account.displayName, now: clock.now) {
        case .success:
            sessions.setFlash(.agentRemoved, &exchange)
            return responses.redirect(.organisation(id: role.organisationID, .agents))
        case .failure(let refusal):
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let errors = fieldErrors(refusal.issues, labels: AgentInvitationFormPage.labels)
            return try responses.page(
                roleForm(
                    role, agent, level: role.row.level.rawValue, email: "",
                    errors: ["base": errors["base"] ?? errors["access_level"] ?? ""]),
                layout: layout, status: HTTPStatus(422))
        }
    }

    /// « Renvoyer l'invitation »: a new link; the previous one stops working.
    func resendInvitation(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, _) = try listed(exchange, agent)
        let agentID = exchange.parameters.id("agent_id")
        guard let row = try db.organisationAgents(organisationID: organisationID, now: clock.now).first(where: { $0.agentID == agentID }),
            row.invitationPending
        else { throw WebError.noAccess }
        try authorize(AgentPolicy.edit(agent.principal, try view(of: agentID)))
        _ = try db.inviteAgent(
            agentID: agentID, organisationID: organisationID, invitedByID: agent.account.id, publicURL: publicURL,
            now: clock.now)
        sessions.setFlash(.agentInvitationResent, &exchange)
        return responses.redirect(.organisation(id: organisationID, .agents))
    }

    // MARK: -

    private struct RoleInContext {
        let roleID: Int64
        let organisationID: Int64
        let territoryID: Int64
        let row: OrganisationAgentRow
    }

    private func roleForm(
        _ role: RoleInContext, _ agent: AgentContext, level: String, email: String, errors: [String: String] = [:]
    ) throws -> AgentRoleFormPage {
        AgentRoleFormPage.load(
            organisationID: role.organisationID, roleID: role.roleID, agent: role.row, level: level, email: email,
            canChangeLevel: AgentPolicy.changeLevel(agent.principal, organisationID: role.organisationID, territoryID: role.territoryID),
            canRemove: AgentPolicy.removeFromOrganisation(
                agent.principal, target: role.row.agentID, organisationID: role.organisationID, territoryID: role.territoryID),
            canResend: AgentPolicy.edit(agent.principal, try view(of: role.row.agentID)) == .allowed, errors: errors)
    }

    private func view(of agentID: Int64) throws -> AgentView {
        guard let agenda = try db.agendaAgents(ids: [agentID]).first else { throw WebError.noAccess }
        return agenda.view
    }

    /// The path's organisation and territory, whose agents the agent may list.
    private func listed(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Int64) {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let territoryID = agent.currentOrganisation?.territoryID else { throw WebError.noAccess }
        try authorize(AgentPolicy.listOrganisationAgents(agent.principal, organisationID: organisationID, territoryID: territoryID))
        return (organisationID, territoryID)
    }

    /// The same, where the agent may invite (and add intervenants).
    private func inviting(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Int64) {
        let (organisationID, territoryID) = try listed(exchange, agent)
        try authorize(AgentPolicy.inviteNewAgent(agent.principal, organisationID: organisationID, territoryID: territoryID))
        return (organisationID, territoryID)
    }

    private func role(_ exchange: Exchange, _ agent: AgentContext) throws -> RoleInContext {
        let (organisationID, territoryID) = try listed(exchange, agent)
        let roleID = exchange.parameters.id("id")
        guard let row = try db.organisationAgents(organisationID: organisationID, now: clock.now).first(where: { $0.roleID == roleID })
        else { throw WebError.noAccess }
        return RoleInContext(roleID: roleID, organisationID: organisationID, territoryID: territoryID, row: row)
    }

    /// The territory's active services, Secrétariat included (an agent may belong to it).
    private func services(_ territoryID: Int64) throws -> [NamedOption] {
        try db.territoryServices(territoryID: territoryID).filter(\.isActive).map { NamedOption(id: $0.id, name: $0.name) }
    }
}

/// « Inviter un agent » submitted, from « Configuration » (one organisation) or « Espace admin »
/// (one or several of the territory): the form's checks, then `inviteAgent` and its outcome.
struct AgentInvitationSubmission {
    enum Outcome {
        case done(FlashMessage)
        /// Field errors, or the benign warning of admin.md §4 (services that differ).
        case rejected(errors: [String: String], warnings: [String])
    }

    let db: AppDatabase
    let publicURL: String
    let now: Date

    func submit(
        _ input: AgentInvitationFormPage.Input, organisationIDs: [Int64], territoryID: Int64, agent: AgentContext,
        confirmsServiceMerge: Bool
    ) throws -> Outcome {
        var errors: [String: String] = [:]
        if !EmailAddress.isValid(EmailAddress.normalised(input.email)) {
            errors["email"] = input.email.isEmpty ? "Adresse e-mail doit être rempli(e)." : "Adresse e-mail n'est pas valide."
        }
        let level = AgentRole.AccessLevel(rawValue: input.level)
        if level == nil || level == .intervenant { errors["access_level"] = "Choisissez un niveau d'accès." }
        if organisationIDs.isEmpty { errors["organisations"] = "Choisissez au moins une organisation." }
        guard errors.isEmpty, let level, let first = organisationIDs.first else {
            return .rejected(errors: errors, warnings: [])
        }
        let request = AgentInvitationRequest(
            email: input.email, firstName: input.firstName, lastName: input.lastName, level: level,
            serviceIDs: input.serviceIDs, organisationID: first, otherOrganisationIDs: Array(organisationIDs.dropFirst()),
            invitedByID: agent.account.id,
            mayAddExistingAgent: AgentPolicy.addRoleToExistingAgent(agent.principal, territoryID: territoryID),
            confirmsServiceMerge: confirmsServiceMerge)
        switch try db.inviteAgent(request, publicURL: publicURL, now: now) {
        case .success(.invited): return .done(.agentInvited)
        case .success(.added): return .done(.agentAdded)
        case .success(.servicesDiffer(let current, let chosen)):
            return .rejected(
                errors: [:],
                warnings: [
                    "Cet agent a déjà un compte, avec les services « \(current.joined(separator: ", ")) ». "
                        + "Les services choisis (« \(chosen.joined(separator: ", ")) ») lui seront ajoutés."
                ])
        case .failure(let refusal):
            return .rejected(errors: fieldErrors(refusal.issues, labels: AgentInvitationFormPage.labels), warnings: [])
        }
    }
}
