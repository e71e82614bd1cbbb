import Domain
import Foundation
import HTTP
import Persistence

/// User files (domain.md §11, booking.md §9 « User file »): list and search, create, show, edit,
/// remove or delete, « Inviter à créer un compte ». Every decision goes through `UserPolicy`
/// (permissions.md §2 "Users and related records").
struct UsersController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    // MARK: List

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try settings(exchange, agent)
        try authorize(UserPolicy.list(agent.principal, currentOrganisationID: settings.organisationID))
        let page = try UserIndexPage.load(
            db: db, organisationID: settings.organisationID, query: exchange.query["q"] ?? "",
            page: Int(exchange.query["page"] ?? "") ?? 1, now: clock.now, zone: settings.timeZone)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    // MARK: Create

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try settings(exchange, agent)
        try authorize(UserPolicy.create(agent.principal, currentOrganisationID: settings.organisationID))
        var input = UserFormInput()
        var responsibles: [UserSummary] = []
        // « Ajouter un proche » from a file: its responsible is chosen already (if visible).
        if let id = exchange.query["responsible_id"].flatMap({ Int64($0) }),
            let responsible = try UserRules(db: db, clock: clock).visibleResponsible(id, settings: settings)
        {
            input.values["responsible_id"] = "\(id)"
            responsibles = [responsible]
        }
        return try responses.page(
            UserNewPage(form: newForm(input, settings: settings, issues: [], responsibles: responsibles)),
            layout: agent.layout(exchange))
    }

    /// POST: « Chercher » (a responsible) re-renders the form with the results; hard errors
    /// re-render with 422 and every value; the duplicates warning (domain.md §11) needs
    /// « Enregistrer quand même ».
    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let settings = try settings(exchange, agent)
        try authorize(UserPolicy.create(agent.principal, currentOrganisationID: settings.organisationID))
        let input = UserFormInput(exchange.form)
        let (user, formatIssues) = input.user(over: nil, settings: settings)
        let check = try check(user, input: input, formatIssues: formatIssues, settings: settings)
        if exchange.form["search_responsible"] != nil {
            let form = newForm(
                input, settings: settings, issues: [], responsibles: check.responsibles,
                searchMessage: check.searchMessage)
            return try responses.page(UserNewPage(form: form), layout: agent.layout(exchange))
        }
        let acceptsWarnings = exchange.form["ignore_benign_errors"] == "1"
        if !check.issues.hasNoErrors || (!check.issues.warnings.isEmpty && !acceptsWarnings) {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let form = newForm(
                input, settings: settings, issues: check.issues, responsibles: check.responsibles,
                duplicates: check.duplicates)
            return try responses.page(UserNewPage(form: form), layout: layout, status: HTTPStatus(422))
        }
        let id = try db.createUser(
            user, organisationID: settings.organisationID, author: agent.account.displayName, publicURL: publicURL, now: clock.now)
        sessions.setFlash(.userCreated, &exchange)
        return responses.redirect(.organisation(id: settings.organisationID, .user(id: id)))
    }

    // MARK: Show, edit

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        let page = UserShowPage.load(
            file, settings: settings, now: clock.now,
            referentCandidates: try db.referentCandidates(organisationID: settings.organisationID),
            history: try history(file, settings, agent))
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        let page = UserEditPage(
            name: UserFormat.name(first: file.user.firstName, last: file.user.lastName),
            form: editForm(
                UserFormInput(file.user), file: file, settings: settings, issues: [],
                responsibles: file.responsible.map { [$0] } ?? []))
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        let input = UserFormInput(exchange.form)
        let (user, formatIssues) = input.user(over: file.user, settings: settings)
        let check = try check(user, input: input, formatIssues: formatIssues, settings: settings)
        let name = UserFormat.name(first: file.user.firstName, last: file.user.lastName)
        if exchange.form["search_responsible"] != nil {
            let form = editForm(
                input, file: file, settings: settings, issues: [], responsibles: check.responsibles,
                searchMessage: check.searchMessage)
            return try responses.page(UserEditPage(name: name, form: form), layout: agent.layout(exchange))
        }
        let acceptsWarnings = exchange.form["ignore_benign_errors"] == "1"
        if !check.issues.hasNoErrors || (!check.issues.warnings.isEmpty && !acceptsWarnings) {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let form = editForm(
                input, file: file, settings: settings, issues: check.issues, responsibles: check.responsibles,
                duplicates: check.duplicates)
            return try responses.page(UserEditPage(name: name, form: form), layout: layout, status: HTTPStatus(422))
        }
        try db.updateUser(
            user, organisationID: settings.organisationID, author: agent.account.displayName, publicURL: publicURL, now: clock.now)
        sessions.setFlash(.userUpdated, &exchange)
        return responses.redirect(.organisation(id: settings.organisationID, .user(id: file.user.id ?? 0)))
    }

    // MARK: Remove, invite

    /// DELETE with `scope=organisation` (remove the profile, domain.md §11) or `scope=all` (every
    /// profile, all in the agent's organisations; the user is then anonymised).
    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        let everywhere = exchange.form["scope"] == "all"
        do {
            let removal = try db.removeUser(
                id: file.user.id ?? 0, organisationID: settings.organisationID, everywhere: everywhere,
                agentOrganisationIDs: Set(agent.memberships.map(\.id)), author: agent.account.displayName,
                publicURL: publicURL, now: clock.now)
            sessions.setFlash(removal == .anonymised ? .userDeleted : .userRemoved, &exchange)
            return responses.redirect(.organisation(id: settings.organisationID, .users))
        } catch let error as UserFileError where error == .futureAppointments || error == .profilesElsewhere {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                UserShowPage.load(
                    file, settings: settings, now: clock.now,
                    referentCandidates: try db.referentCandidates(organisationID: settings.organisationID),
                    removalError: error.description, history: try history(file, settings, agent)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    /// POST « Inviter à créer un compte » (booking.md §3.3): only for a user with an e-mail and
    /// no account; the e-mail is planned with the invitation.
    func invite(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        guard file.user.email != nil, !file.hasAccount, !file.user.isRelative else { throw WebError.unprocessable }
        try db.inviteUser(
            id: file.user.id ?? 0, organisationID: settings.organisationID, publicURL: publicURL, now: clock.now)
        sessions.setFlash(.userInvited, &exchange)
        return responses.redirect(.organisation(id: settings.organisationID, .user(id: file.user.id ?? 0)))
    }

    /// POST `agent_id`: an agent of the current organisation becomes a referent (domain.md §4).
    func assignReferent(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try changeReferent(&exchange, agent, assigned: true)
    }

    /// DELETE `agent_id`.
    func unassignReferent(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try changeReferent(&exchange, agent, assigned: false)
    }

    private func changeReferent(_ exchange: inout Exchange, _ agent: AgentContext, assigned: Bool) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        guard let referentID = exchange.form["agent_id"].flatMap({ Int64($0) }) else { throw WebError.unprocessable }
        // Assigning: an agent of this organisation; unassigning: one of the file's referents.
        let known =
            assigned
            ? try db.referentCandidates(organisationID: settings.organisationID).contains { $0.id == referentID }
            : file.referents.contains { $0.id == referentID }
        guard known else { throw WebError.unprocessable }
        try authorize(
            UserPolicy.assignReferent(
                agent.principal, userAccess: policy(agent, file.view, settings),
                referentTerritoryIDs: try db.agentTerritoryIDs(agentID: referentID)))
        try db.setReferent(userID: file.user.id ?? 0, agentID: referentID, assigned: assigned, now: clock.now)
        sessions.setFlash(assigned ? .referentAdded : .referentRemoved, &exchange)
        return responses.redirect(.organisation(id: settings.organisationID, .user(id: file.user.id ?? 0)))
    }

    // MARK: Merge (domain.md §11 « Fusionner deux usagers »)

    /// GET: the search for the other file, then (`other_id`) the field-by-field choice.
    func mergeForm(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        let other = try otherFile(exchange.query["other_id"], kept: file, agent, settings)
        let query = exchange.query["q"] ?? ""
        let results =
            other == nil && !query.trimmingCharacters(in: .whitespaces).isEmpty
            ? try db.searchUsers(query, organisationID: settings.organisationID, limit: 20) : []
        return try responses.page(
            UserMergePage.load(kept: file, other: other, settings: settings, query: query, results: results),
            layout: agent.layout(exchange))
    }

    /// POST `other_id` and, per column, `kept` or `other`. Both files must be visible (merge
    /// rule of permissions.md); relatives cannot end up with a relative as responsible.
    func merge(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (file, settings) = try record(exchange, agent)
        guard let other = try otherFile(exchange.form["other_id"], kept: file, agent, settings) else {
            throw WebError.unprocessable
        }
        let keptID = file.user.id ?? 0
        let otherID = other.user.id ?? 0
        let keptStaysRelative = file.user.responsibleID != nil && file.user.responsibleID != otherID
        if keptStaysRelative, try db.relativesCount(userID: otherID) > 0 {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let page = UserMergePage.load(
                kept: file, other: other, settings: settings, query: "", results: [],
                error: "Ce dossier est celui d'un proche : il ne peut pas recevoir les proches de l'autre dossier. Fusionnez dans l'autre sens.")
            return try responses.page(page, layout: layout, status: HTTPStatus(422))
        }
        let taken = Set(AppDatabase.mergeableUserColumns.filter { exchange.form[$0] == "other" })
        try db.mergeUsers(
            keptID: keptID, removedID: otherID, takenColumns: taken, organisationID: settings.organisationID,
            author: agent.account.displayName, publicURL: publicURL, now: clock.now)
        sessions.setFlash(.userMerged, &exchange)
        return responses.redirect(.organisation(id: settings.organisationID, .user(id: keptID)))
    }

    /// The other file of a merge, if given, distinct and visible (else 404).
    private func otherFile(_ raw: String?, kept: UserFile, _ agent: AgentContext, _ settings: UserFileSettings)
        throws -> UserFile?
    {
        guard let raw, !raw.isEmpty else { return nil }
        guard let id = Int64(raw), id != kept.user.id,
            let other = try db.userFile(id: id, organisationID: settings.organisationID, now: clock.now)
        else { throw WebError.noAccess }
        try authorize(policy(agent, other.view, settings))
        return other
    }

    // MARK: Helpers

    private func settings(_ exchange: Exchange, _ agent: AgentContext) throws -> UserFileSettings {
        guard let settings = try db.userFileSettings(organisationID: exchange.parameters.id("organisation_id")) else {
            throw WebError.noAccess
        }
        return settings
    }

    /// The file of the path's user, if the agent may see it (else 404).
    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (UserFile, UserFileSettings) {
        let settings = try settings(exchange, agent)
        guard
            let file = try db.userFile(
                id: exchange.parameters.id("id"), organisationID: settings.organisationID, now: clock.now)
        else { throw WebError.noAccess }
        try authorize(policy(agent, file.view, settings))
        return (file, settings)
    }

    /// The file's « Historique » when the agent may read it.
    private func history(_ file: UserFile, _ settings: UserFileSettings, _ agent: AgentContext) throws -> HistoryList? {
        guard UserPolicy.history(agent.principal, currentOrganisationID: settings.organisationID) == .allowed else {
            return nil
        }
        return UserShowPage.history(
            try db.versions(itemType: "User", itemID: file.user.id ?? 0), zone: settings.timeZone)
    }

    private func policy(_ agent: AgentContext, _ view: UserView, _ settings: UserFileSettings) -> Access {
        UserPolicy.show(
            agent.principal, view, currentOrganisationID: settings.organisationID,
            visibleThroughoutTerritory: settings.visibleThroughoutTerritory,
            territoryOrganisationIDs: settings.territoryOrganisationIDs)
    }

    private struct Check {
        var issues: [ValidationIssue]
        var responsibles: [UserSummary]
        var searchMessage: String?
        var duplicates: [UserDuplicateLink]
    }

    /// domain.md §11 rules: the model's validation, the responsible, the duplicates (e-mail →
    /// error, names + birth date or phone → warning), and the responsible search results.
    private func check(_ user: User, input: UserFormInput, formatIssues: [ValidationIssue], settings: UserFileSettings)
        throws -> Check
    {
        let rules = try UserRules(db: db, clock: clock).check(
            user, formatIssues: formatIssues, responsibleGiven: !input["responsible_id"].isEmpty, settings: settings)
        var responsibles = rules.responsible.map { [$0] } ?? []
        var searchMessage: String?
        let search = input["responsible_search"].trimmingCharacters(in: .whitespacesAndNewlines)
        if !search.isEmpty {
            let found = try db.searchUsers(search, organisationID: settings.organisationID, limit: 20)
                .filter { $0.responsibleID == nil && $0.id != user.id }
            responsibles += found.map {
                UserSummary(id: $0.id, firstName: $0.firstName, lastName: $0.lastName, birthDate: $0.birthDate)
            }
            searchMessage =
                found.isEmpty
                ? "Aucun usager ne correspond à « \(search) »."
                : "\(found.count) usager\(found.count > 1 ? "s" : "") trouvé\(found.count > 1 ? "s" : "") : choisissez-le dans la liste « Cet usager est un proche de… »."
        }
        let (issues, candidates, duplicateIssues) = (rules.issues, rules.candidates, rules.duplicateIssues)
        var duplicates: [UserDuplicateLink] = []
        if !duplicateIssues.isEmpty {
            // Only the files that are duplicates by themselves; those out of the agent's scope
            // are counted, never shown (permissions.md users).
            let matching = candidates.filter { !user.duplicateIssues(among: [$0]).isEmpty }
            let visible = try db.visibleUserIDs(matching.compactMap(\.id), organisationID: settings.organisationID)
            duplicates = matching.compactMap { candidate in
                guard let id = candidate.id, visible.contains(id) else { return nil }
                let born = candidate.birthDate.map { ", né(e) le \(UserFormat.date($0))" } ?? ""
                let phone = candidate.phoneNumber.map { ", \($0)" } ?? ""
                return UserDuplicateLink(
                    label: UserFormat.name(first: candidate.firstName, last: candidate.lastName) + born + phone,
                    path: SiteURL.organisation(id: settings.organisationID, .user(id: id)).path)
            }
            let hidden = matching.count - duplicates.count
            if hidden > 0 {
                duplicates.append(
                    UserDuplicateLink(
                        label: hidden == 1
                            ? "Un usager suivi par une autre organisation"
                            : "\(hidden) usagers suivis par d'autres organisations",
                        path: nil))
            }
        }
        return Check(issues: issues, responsibles: responsibles, searchMessage: searchMessage, duplicates: duplicates)
    }

    private func newForm(
        _ input: UserFormInput, settings: UserFileSettings, issues: [ValidationIssue], responsibles: [UserSummary],
        searchMessage: String? = nil, duplicates: [UserDuplicateLink] = []
    ) -> UserForm {
        UserForm.make(
            input: input, settings: settings, formPath: SiteURL.organisation(id: settings.organisationID, .users).path,
            methodOverride: nil, cancelPath: SiteURL.organisation(id: settings.organisationID, .users).path,
            issues: issues, responsibles: responsibles, responsibleSearchMessage: searchMessage, duplicates: duplicates)
    }

    private func editForm(
        _ input: UserFormInput, file: UserFile, settings: UserFileSettings, issues: [ValidationIssue],
        responsibles: [UserSummary], searchMessage: String? = nil, duplicates: [UserDuplicateLink] = []
    ) -> UserForm {
        let path = SiteURL.organisation(id: settings.organisationID, .user(id: file.user.id ?? 0)).path
        return UserForm.make(
            input: input, settings: settings, formPath: path, methodOverride: "PATCH", cancelPath: path, issues: issues,
            responsibles: responsibles, responsibleSearchMessage: searchMessage, duplicates: duplicates)
    }
}
