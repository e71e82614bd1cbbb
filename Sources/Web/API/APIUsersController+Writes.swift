import Domain
import Foundation
import HTTP
import Persistence

/// The user writes of api.md §6, through the same rules and operations as the user form
/// (`UserRules`, `createUser`, `updateUser`, `removeUser`), warnings accepted (api.md §4).
extension APIUsersController {
    /// POST fields besides the names, as the form reads them.
    static let writableFields = UserFormInput.textNames.filter { $0 != "responsible_search" }

    func create(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let parameters = try APIParameters(exchange)
        var missing = ["first_name", "last_name"].filter { (parameters[$0] ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
        let organisations = try parameters.integers("organisation_ids")
        if organisations.isEmpty { missing.append("organisation_ids") }
        guard missing.isEmpty else { throw APIFailure.invalid(missing.map { .error($0, "doit être rempli(e)") }) }
        for organisationID in organisations {
            try apiAuthorize(
                UserPolicy.create(agent.principal, currentOrganisationID: organisationID), "Organisation", id: organisationID)
        }
        guard let settings = try db.userFileSettings(organisationID: organisations[0]) else {
            throw APIFailure.notFound("Organisation", id: String(organisations[0]))
        }
        var input = UserFormInput(
            values: [:], notifyBySMS: try parameters.flag("notify_by_sms") ?? true,
            notifyByEmail: try parameters.flag("notify_by_email") ?? true)
        for name in Self.writableFields { input.values[name] = parameters[name] ?? "" }
        let (user, formatIssues) = input.user(over: nil, settings: settings)
        let referents = try referentIDs(parameters, agent)
        let rules = try UserRules(db: db, clock: clock).check(
            user, formatIssues: formatIssues, responsibleGiven: !input["responsible_id"].isEmpty, settings: settings)
        guard rules.issues.hasNoErrors else { throw APIFailure.invalid(rules.issues) }
        // api.md §6: created through the API, and no e-mail is sent (createUser sends none).
        let id = try db.createUser(
            user, organisationID: organisations[0], otherOrganisationIDs: Array(organisations.dropFirst()),
            referentAgentIDs: referents, through: .agentCreationAPI, author: agent.author, publicURL: publicURL,
            now: clock.now)
        return try record(id, agent)
    }

    /// PATCH: the fields sent change, the others keep their values.
    func update(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        let organisationID = try visibleFrom(agent, userID: id)
        guard let settings = try db.userFileSettings(organisationID: organisationID),
            let file = try db.userFile(id: id, organisationID: organisationID, now: clock.now)
        else { throw APIFailure.notFound("User", id: String(id)) }
        let parameters = try APIParameters(exchange)
        var input = UserFormInput(file.user)
        for name in Self.writableFields where parameters.has(name) { input.values[name] = parameters[name] ?? "" }
        if let sms = try parameters.flag("notify_by_sms") { input.notifyBySMS = sms }
        if let email = try parameters.flag("notify_by_email") { input.notifyByEmail = email }
        let (user, formatIssues) = input.user(over: file.user, settings: settings)
        let rules = try UserRules(db: db, clock: clock).check(
            user, formatIssues: formatIssues, responsibleGiven: !input["responsible_id"].isEmpty, settings: settings)
        guard rules.issues.hasNoErrors else { throw APIFailure.invalid(rules.issues) }
        try db.updateUser(user, organisationID: organisationID, author: agent.author, publicURL: publicURL, now: clock.now)
        return try record(id, agent)
    }

    func invitationToken(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        _ = try visibleFrom(agent, userID: id)
        let token = try db.rdvInvitationToken(userID: id, now: clock.now)
        return APIResponse.json(.object([("invitation_token", .string(token))]))
    }

    // MARK: Profiles and referents

    func addProfile(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (userID, organisationID) = try Self.pair(try APIParameters(exchange), "user_id", "organisation_id")
        _ = try visibleFrom(agent, userID: userID)
        try apiAuthorize(
            UserPolicy.create(agent.principal, currentOrganisationID: organisationID), "Organisation", id: organisationID)
        try db.addUserProfile(
            userID: userID, organisationID: organisationID, author: agent.author, publicURL: publicURL, now: clock.now)
        return APIResponse.record("user_profile", try db.apiUserProfile(userID: userID, organisationID: organisationID))
    }

    /// domain.md §11: refused while the user or a relative has future appointments there.
    func removeProfile(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (userID, organisationID) = try Self.pair(try APIParameters(exchange), "user_id", "organisation_id")
        try apiAuthorize(OrganisationPolicy.show(agent.principal, organisationID: organisationID), "Organisation", id: organisationID)
        try apiAuthorize(try access(agent, userID: userID, from: organisationID), "User", id: userID)
        do {
            _ = try db.removeUser(
                id: userID, organisationID: organisationID, everywhere: false,
                agentOrganisationIDs: Set(agent.organisationIDs), author: agent.author, publicURL: publicURL,
                now: clock.now)
        } catch let error as UserFileError {
            throw error == .notFound
                ? APIFailure.notFound("User", id: String(userID)) : APIFailure.invalid([.error("base", error.description)])
        }
        return APIResponse.noContent()
    }

    func assignReferent(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (userID, referentID) = try referentPair(exchange, agent)
        try db.setReferent(userID: userID, agentID: referentID, assigned: true, now: clock.now)
        let user = try userJSON(userID, agent)
        return APIResponse.record(
            "referent_assignation", .object([("user", user), ("agent", try db.apiAgent(id: referentID) ?? .null)]))
    }

    func unassignReferent(_ exchange: inout Exchange, _ agent: APIAgent) throws -> HTTPResponse {
        let (userID, referentID) = try referentPair(exchange, agent)
        try db.setReferent(userID: userID, agentID: referentID, assigned: false, now: clock.now)
        return APIResponse.noContent()
    }

    /// `user_id` and `agent_id`: the user visible, the referent an agent of a territory of the
    /// caller (UserPolicy.assignReferent).
    private func referentPair(_ exchange: Exchange, _ agent: APIAgent) throws -> (Int64, Int64) {
        let (userID, referentID) = try Self.pair(try APIParameters(exchange), "user_id", "agent_id")
        _ = try visibleFrom(agent, userID: userID)
        guard try db.apiAgent(id: referentID) != nil else { throw APIFailure.notFound("Agent", id: String(referentID)) }
        try apiAuthorize(
            UserPolicy.assignReferent(
                agent.principal, userAccess: .allowed, referentTerritoryIDs: try db.agentTerritoryIDs(agentID: referentID)),
            "Agent", id: referentID)
        return (userID, referentID)
    }

    /// `referent_agent_ids[]` of a new user: each an agent the caller may make a referent.
    private func referentIDs(_ parameters: APIParameters, _ agent: APIAgent) throws -> [Int64] {
        let ids = try parameters.integers("referent_agent_ids")
        for id in ids {
            guard try db.apiAgent(id: id) != nil else {
                throw APIFailure.invalid([.error("referent_agent_ids", "contient un agent inconnu (id=\(id))")])
            }
            try apiAuthorize(
                UserPolicy.assignReferent(
                    agent.principal, userAccess: .allowed, referentTerritoryIDs: try db.agentTerritoryIDs(agentID: id)),
                "Agent", id: id)
        }
        return ids
    }

    /// Two required ids of a body: absent → 422 `blank` (api.md §4), not a number → 422 `invalid`.
    static func pair(_ parameters: APIParameters, _ first: String, _ second: String) throws -> (Int64, Int64) {
        var issues: [ValidationIssue] = []
        var values: [Int64] = []
        for name in [first, second] {
            let text = (parameters[name] ?? "").trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                issues.append(.error(name, "doit être rempli(e)"))
            } else if let value = Int64(text), value > 0 {
                values.append(value)
            } else {
                issues.append(.error(name, "doit être un identifiant numérique"))
            }
        }
        guard issues.isEmpty else { throw APIFailure.invalid(issues) }
        return (values[0], values[1])
    }
}
