import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Mon compte » and its sections (admin.md §6, booking.md §10): `GET/PATCH /agents/account`,
/// `GET/PATCH /agents/preferences`, `GET /agents/calendar_sync`, `POST
/// /agents/calendar_sync/regenerate`. Every page is the signed-in agent's own account.
struct AgentAccountsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let passwordRule: PasswordRule
    let publicURL: String
    let responses: PageResponses

    // MARK: « Mon compte »

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        return try responses.page(
            AgentAccountPage.load(settings, pendingEmail: try pendingEmail(settings)), layout: agent.layout(exchange))
    }

    /// Three forms on the page: `section=profile` (names), `section=email` or `section=password`.
    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        switch exchange.form["section"] {
        case "password": return try updatePassword(&exchange, agent, settings)
        case "email": return try requestEmailChange(&exchange, agent, settings)
        default: return try updateProfile(&exchange, agent, settings)
        }
    }

    /// admin.md §6: the new address gets a confirmation link; the account keeps its address until
    /// the link is followed (`AgentEmailConfirmationsController`).
    private func requestEmailChange(_ exchange: inout Exchange, _ agent: AgentContext, _ settings: AgentAccountSettings)
        throws -> HTTPResponse
    {
        let typed = exchange.form["new_email"] ?? ""
        let newEmail = EmailAddress.normalised(typed)
        var errors: [String: String] = [:]
        if !EmailAddress.isValid(typed) {
            errors["new_email"] = AgentAccountPage.invalidEmail
        } else if newEmail == settings.email {
            errors["new_email"] = AgentAccountPage.sameEmail
        }
        if let error = try checkCurrentPassword(exchange.form["current_password"] ?? "", agent, settings) {
            errors["current_password"] = error
        }
        if errors.isEmpty,
            case .emailTaken = try db.requestAgentEmailChange(
                agentID: settings.agentID, newEmail: newEmail, publicURL: publicURL, now: clock.now)
        {
            errors["new_email"] = AgentAccountPage.emailTaken
        }
        guard errors.isEmpty else {
            return try refuse(
                AgentAccountPage.load(
                    settings, pendingEmail: try pendingEmail(settings), newEmail: typed, emailErrors: errors),
                exchange, agent)
        }
        exchange.context.logger.notice("agent e-mail change requested", metadata: ["agent": "\(settings.agentID)"])
        sessions.setFlash(.emailChangeRequested, &exchange)
        return responses.redirect(.agents(.account))
    }

    private func pendingEmail(_ settings: AgentAccountSettings) throws -> String? {
        try db.pendingAgentEmail(agentID: settings.agentID, now: clock.now)
    }

    private func updateProfile(_ exchange: inout Exchange, _ agent: AgentContext, _ settings: AgentAccountSettings)
        throws -> HTTPResponse
    {
        let firstName = (exchange.form["first_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let lastName = (exchange.form["last_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["first_name"] = AgentAccountPage.firstNameRequired }
        if lastName.isEmpty { errors["last_name"] = AgentAccountPage.lastNameRequired }
        guard errors.isEmpty else {
            return try refuse(
                AgentAccountPage.load(settings, firstName: firstName, lastName: lastName, profileErrors: errors),
                exchange, agent)
        }
        try db.updateAgentName(agentID: settings.agentID, firstName: firstName, lastName: lastName, now: clock.now)
        sessions.setFlash(.accountUpdated, &exchange)
        return responses.redirect(.agents(.account))
    }

    /// booking.md §3.4: the current password, then the rule; the agent's other sessions end.
    private func updatePassword(_ exchange: inout Exchange, _ agent: AgentContext, _ settings: AgentAccountSettings)
        throws -> HTTPResponse
    {
        let password = exchange.form["password"] ?? ""
        var errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
            email: settings.email, firstName: settings.firstName, lastName: settings.lastName)
        if let error = try checkCurrentPassword(exchange.form["current_password"] ?? "", agent, settings) {
            errors["current_password"] = error
        }
        guard errors.isEmpty else {
            return try refuse(AgentAccountPage.load(settings, passwordErrors: errors), exchange, agent)
        }
        try db.changeAgentPassword(
            agentID: settings.agentID, passwordHash: try PasswordHasher.hash(password),
            keepingSessionID: exchange.session?.id, now: clock.now)
        sessions.setFlash(.passwordChanged, &exchange)
        return responses.redirect(.agents(.account))
    }

    /// The error of a wrong current password, nil when it is right. booking.md §3.2's lockout
    /// counts these failures too: a stolen session cannot be used to guess the password that
    /// would outlive it.
    private func checkCurrentPassword(_ current: String, _ agent: AgentContext, _ settings: AgentAccountSettings)
        throws -> String?
    {
        let now = clock.now
        if let lockedUntil = agent.account.lockedUntil, lockedUntil > now { return AgentSessionsController.locked }
        guard PasswordHasher.verify(current, against: settings.passwordHash ?? AgentSessionsController.decoyHash) else {
            try db.recordFailedSignIn(agentID: settings.agentID, now: now)
            return AgentAccountPage.wrongCurrentPassword
        }
        return nil
    }

    // MARK: « Préférences de notifications »

    func editPreferences(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        return try responses.page(AgentPreferencesPage.load(settings.preferences), layout: agent.layout(exchange))
    }

    /// Every choice is a radio with a value: a missing or unknown one is a forged form (422).
    func updatePreferences(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        guard let preferences = AgentPreferencesPage.preferences(from: exchange.form) else {
            throw WebError.unprocessable
        }
        try db.updateAgentPreferences(agentID: settings.agentID, preferences, now: clock.now)
        sessions.setFlash(.preferencesSaved, &exchange)
        return responses.redirect(.agents(.preferences))
    }

    // MARK: « Synchronisation calendrier »

    /// The slug is created the first time the page is shown (imported agents have none).
    func calendarSync(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        guard let uid = try db.agentCalendarUID(agentID: settings.agentID, now: clock.now) else {
            throw WebError.noAccess
        }
        return try responses.page(
            AgentCalendarSyncPage.load(calendarUID: uid, publicURL: publicURL), layout: agent.layout(exchange))
    }

    /// « Régénérer le lien »: the old feed URL answers 404 from now on (booking.md §10).
    func regenerateCalendarLink(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try accountSettings(agent)
        guard try db.regenerateAgentCalendarUID(agentID: settings.agentID, now: clock.now) != nil else {
            throw WebError.noAccess
        }
        exchange.context.logger.notice("agent calendar link regenerated", metadata: ["agent": "\(settings.agentID)"])
        sessions.setFlash(.calendarLinkRegenerated, &exchange)
        return responses.redirect(.agents(.calendarSync))
    }

    // MARK: -

    /// The signed-in agent's own account (AgentPolicy.manageOwnAccount).
    private func accountSettings(_ agent: AgentContext) throws -> AgentAccountSettings {
        try authorize(AgentPolicy.manageOwnAccount(agent.principal, agentID: agent.account.id))
        guard let settings = try db.agentAccountSettings(agentID: agent.account.id) else { throw WebError.noAccess }
        return settings
    }

    private func refuse(_ page: AgentAccountPage, _ exchange: Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        return try responses.page(page, layout: layout, status: HTTPStatus(422))
    }
}
