import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// `/super_admins/…` (admin.md §11): the operator sets its password through the link of
/// `rdv superadmin`, signs in as agents do (throttle, lockout, one answer for every refusal),
/// sees the territories and creates one with its first organisation and invited admin.
struct SuperAdminsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let throttle: SignInThrottle
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let responses: PageResponses
    let passwordRule: PasswordRule
    let publicURL: String
    let devOutbox: DevOutboxController

    // MARK: Password and sign-in

    func editPassword(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.query["token"] ?? ""
        guard let email = try db.superAdminSetupLink(token: token, now: clock.now) else { return try deadLink(exchange) }
        return try responses.page(SuperAdminPasswordPage.load(token: token, email: email), layout: exchange.layout)
    }

    func updatePassword(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.form["token"] ?? ""
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        guard let email = try db.superAdminSetupLink(token: token, now: now) else { return try deadLink(exchange) }
        let errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule, email: email,
            firstName: nil, lastName: nil)
        if !errors.isEmpty {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                SuperAdminPasswordPage.load(token: token, email: email, errors: errors), layout: layout,
                status: HTTPStatus(422))
        }
        guard let id = try db.useSuperAdminSetupLink(token: token, passwordHash: try PasswordHasher.hash(password), now: now)
        else { return try deadLink(exchange) }
        try open(id, &exchange, now: now)
        sessions.setFlash(.superAdminPasswordSet, &exchange)
        return responses.redirect(.superAdmins(.home))
    }

    func newSession(_ exchange: inout Exchange) throws -> HTTPResponse {
        if exchange.superAdmin != nil { return responses.redirect(.superAdmins(.home)) }
        return try responses.page(SuperAdminSignInPage.load(email: "", error: nil), layout: exchange.layout)
    }

    func createSession(_ exchange: inout Exchange) throws -> HTTPResponse {
        let email = (exchange.form["email"] ?? "").trimmingCharacters(in: .whitespaces)
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        let address = clientAddress.of(exchange)
        let layout = exchange.layout
        func refuse(_ message: String) throws -> HTTPResponse {
            var layout = layout
            layout.hasErrors = true
            return try responses.page(
                SuperAdminSignInPage.load(email: email, error: message), layout: layout, status: HTTPStatus(422))
        }
        if throttle.delay(address: address, email: email, now: now) > 0 || !throttle.allowAttempt(address: address, now: now) {
            return try refuse(AgentSessionsController.slowDown)
        }
        let account = try db.superAdminAccount(email: email)
        let verified = PasswordHasher.verify(password, against: account?.passwordHash ?? AgentSessionsController.decoyHash)
        guard let account, account.passwordHash != nil else {
            throttle.recordFailure(address: address, email: email, now: now)
            return try refuse(AgentSessionsController.wrongCredentials)
        }
        if let lockedUntil = account.lockedUntil, lockedUntil > now { return try refuse(AgentSessionsController.locked) }
        guard verified else {
            try db.recordSuperAdminSignIn(id: account.id, succeeded: false, now: now)
            throttle.recordFailure(address: address, email: email, now: now)
            exchange.context.logger.notice("super admin sign-in refused", metadata: ["super_admin": "\(account.id)"])
            return try refuse(AgentSessionsController.wrongCredentials)
        }
        throttle.recordSuccess(address: address, email: email)
        try open(account.id, &exchange, now: now)
        return responses.redirect(.superAdmins(.home))
    }

    func destroySession(_ exchange: inout Exchange) throws -> HTTPResponse {
        if let session = exchange.session { try db.destroySession(id: session.id) }
        exchange.setCookies.append(Cookies.clear(Cookies.session, secure: sessions.https))
        sessions.setFlash(.signedOut, &exchange)
        return responses.redirect(.superAdmins(.signIn))
    }

    // MARK: Back office

    func home(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        return try responses.page(
            SuperAdminHomePage.load(territories: try db.superAdminTerritories()), layout: layout(exchange))
    }

    func newTerritory(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        return try responses.page(
            SuperAdminTerritoryFormPage.load(values: [:], services: try db.serviceCatalogue()), layout: layout(exchange))
    }

    func createTerritory(_ exchange: inout Exchange, _ operatorAccount: SuperAdminAccount) throws -> HTTPResponse {
        var values: [String: String] = [:]
        for name in SuperAdminTerritoryFormPage.names {
            values[name] = (exchange.form[name] ?? "").trimmingCharacters(in: .whitespaces)
        }
        let request = TerritoryCreation(
            name: values["name"] ?? "", departementNumber: values["departement_number"] ?? "",
            serviceID: Int64(values["service_id"] ?? ""), organisationName: values["organisation_name"] ?? "",
            adminEmail: values["admin_email"] ?? "", adminFirstName: values["admin_first_name"] ?? "",
            adminLastName: values["admin_last_name"] ?? "")
        switch try db.createTerritory(request, author: "Super admin \(operatorAccount.email)", publicURL: publicURL, now: clock.now)
        {
        case .success:
            exchange.context.logger.notice("territory created", metadata: ["super_admin": "\(operatorAccount.id)"])
            sessions.setFlash(.territoryCreated, &exchange)
            return responses.redirect(.superAdmins(.home))
        case .failure(let refusal):
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                SuperAdminTerritoryFormPage.load(
                    values: values, services: try db.serviceCatalogue(),
                    errors: fieldErrors(refusal.issues, labels: SuperAdminTerritoryFormPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    /// « Services »: the national catalogue, and « Ajouter un service ».
    func services(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        try responses.page(
            SuperAdminServicesPage.load(services: try db.serviceCatalogue(), name: "", shortName: ""),
            layout: layout(exchange))
    }

    func createService(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let name = (exchange.form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let shortName = (exchange.form["short_name"] ?? "").trimmingCharacters(in: .whitespaces)
        switch try db.addCatalogueService(name: name, shortName: shortName, now: clock.now) {
        case .success:
            sessions.setFlash(.serviceAdded, &exchange)
            return responses.redirect(.superAdmins(.services))
        case .failure(let refusal):
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                SuperAdminServicesPage.load(
                    services: try db.serviceCatalogue(), name: name, shortName: shortName,
                    errors: fieldErrors(refusal.issues, labels: SuperAdminServicesPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    func motifCategories(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        try responses.page(
            SuperAdminMotifCategoriesPage.load(categories: try db.motifCategoryCatalogue()), layout: layout(exchange))
    }

    func createMotifCategory(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let name = (exchange.form["name"] ?? "").trimmingCharacters(in: .whitespaces)
        let shortName = (exchange.form["short_name"] ?? "").trimmingCharacters(in: .whitespaces)
        let requiresAnts = exchange.form["requires_ants_number"] == "1"
        switch try db.addMotifCategory(
            MotifCategory(name: name, shortName: shortName, requiresAntsNumber: requiresAnts), now: clock.now)
        {
        case .success:
            sessions.setFlash(.motifCategoryAdded, &exchange)
            return responses.redirect(.superAdmins(.motifCategories))
        case .failure(let refusal):
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                SuperAdminMotifCategoriesPage.load(
                    categories: try db.motifCategoryCatalogue(), name: name, shortName: shortName, requiresAnts: requiresAnts,
                    errors: fieldErrors(refusal.issues, labels: SuperAdminMotifCategoriesPage.labels)),
                layout: layout, status: HTTPStatus(422))
        }
    }

    /// « Boîte d'envoi » (admin.md §11), while the development providers keep the messages.
    func devOutbox(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        try devOutbox.superAdminIndex(&exchange, layout: layout(exchange))
    }

    // MARK: Jobs, « Se connecter en tant que », territory import and export

    func jobs(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        var page = SuperAdminJobsPage.load(
            counts: try db.outboxCounts(), failed: try db.failedJobs(), zone: StatisticsController.nationalZone)
        page.scheduled = SuperAdminJobsPage.scheduled(try db.scheduledJobs(), zone: StatisticsController.nationalZone)
        return try responses.page(page, layout: layout(exchange))
    }

    func retryJob(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        switch try db.retryJob(id: id, now: clock.now) {
        case .retried:
            exchange.context.logger.notice("super admin retried a job", metadata: ["super_admin": "\(account.id)", "job": "\(id)"])
            sessions.setFlash(.jobRetried, &exchange)
        case .erased: sessions.setFlash(.jobNotRetryable, &exchange)
        case .notFound: sessions.setFlash(.jobGone, &exchange)
        }
        return responses.redirect(.superAdmins(.jobs))
    }

    func agents(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let query = (exchange.query["q"] ?? "").trimmingCharacters(in: .whitespaces)
        return try responses.page(
            SuperAdminAgentsPage.load(query: query, agents: try db.superAdminAgents(matching: query)),
            layout: layout(exchange))
    }

    /// « Se connecter en tant que » (admin.md §11): the operator's session becomes the agent's,
    /// which names the operator (`impersonated_by_super_admin_id`); the log says who and whom
    /// (ids only).
    func impersonate(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let agentID = exchange.parameters.id("id")
        guard try db.agendaAgents(ids: [agentID]).first != nil else { throw WebError.notFound }
        if let old = exchange.session { try db.destroySession(id: old.id) }
        let token = try db.createImpersonationSession(
            agentID: agentID, superAdminID: account.id, ip: clientAddress.of(exchange),
            userAgent: exchange.request.headers["User-Agent"], now: clock.now)
        exchange.setCookies.append(Cookies.set(Cookies.session, token, secure: sessions.https))
        exchange.context.logger.notice(
            "super admin signed in as an agent", metadata: ["super_admin": "\(account.id)", "agent": "\(agentID)"])
        return responses.redirect(.home)
    }

    /// The territory in the `rdv export` format (admin.md §9), as a file.
    func exportTerritory(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        let id = exchange.parameters.id("id")
        guard let territory = try db.superAdminTerritories().first(where: { $0.id == id }) else { throw WebError.notFound }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(try db.exportDocument(territoryID: id))
        exchange.context.logger.notice("super admin exported a territory", metadata: ["super_admin": "\(account.id)", "territory": "\(id)"])
        return HTTPResponse(
            status: .ok,
            headers: [
                "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store",
                "Content-Disposition": "attachment; filename=\"territoire-\(territory.departementNumber ?? "\(id)").json\"",
            ], body: .bytes(Array(body)))
    }

    func importForm(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        try responses.page(SuperAdminImportPage.load(), layout: layout(exchange))
    }

    /// The same decoding and validation as `rdv import`: every error by its JSON path, nothing
    /// written unless all is valid.
    func importTerritory(_ exchange: inout Exchange, _ account: SuperAdminAccount) throws -> HTTPResponse {
        func refuse(_ page: SuperAdminImportPage) throws -> HTTPResponse {
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(page, layout: layout, status: HTTPStatus(422))
        }
        guard let file = exchange.files.first(where: { $0.field == "file" }), !file.data.isEmpty else {
            return try refuse(.load(fileError: "Choisissez un fichier JSON."))
        }
        do {
            let ids = try db.importDocument(try InterchangeDecoding.decode(Data(file.data)), clock: clock)
            exchange.context.logger.notice(
                "super admin imported a document", metadata: ["super_admin": "\(account.id)", "records": "\(ids.count)"])
            sessions.setFlash(.territoryImported, &exchange)
            return responses.redirect(.superAdmins(.home))
        } catch let errors as InterchangeErrors {
            return try refuse(.load(errors: errors.errors.map(\.description)))
        }
    }

    // MARK: -

    private func layout(_ exchange: Exchange) -> LayoutModel {
        var layout = exchange.layout
        let path = exchange.request.path
        layout.mainMenu = [
            ("Territoires", SiteURL.superAdmins(.home)), ("Créer un territoire", .superAdmins(.newTerritory)),
            ("Services", .superAdmins(.services)), ("Catégories de motifs", .superAdmins(.motifCategories)),
            ("Boîte d'envoi", .superAdmins(.devOutbox)), ("Tâches", .superAdmins(.jobs)),
            ("Agents", .superAdmins(.agents)), ("Importer un territoire", .superAdmins(.territoryImport)),
        ].map { .init(label: $0.0, path: $0.1.path, isCurrent: path == $0.1.path) }
        return layout
    }

    private func open(_ id: Int64, _ exchange: inout Exchange, now: Date) throws {
        try db.recordSuperAdminSignIn(id: id, succeeded: true, now: now)
        if let old = exchange.session { try db.destroySession(id: old.id) }
        let token = try db.createSuperAdminSession(
            superAdminID: id, ip: clientAddress.of(exchange), userAgent: exchange.request.headers["User-Agent"], now: now)
        exchange.setCookies.append(Cookies.set(Cookies.session, token, secure: sessions.https))
        exchange.context.logger.notice("super admin signed in", metadata: ["super_admin": "\(id)"])
    }

    private func deadLink(_ exchange: Exchange) throws -> HTTPResponse {
        try responses.page(
            AgentInvalidLinkPage(
                heading: "Ce lien ne fonctionne plus",
                message: "Le lien est inconnu, a déjà servi ou a expiré (il est valable 24 heures).",
                advice: "Demandez un nouveau lien à l'exploitant de l'instance : commande « rdv superadmin ».",
                actionLabel: "Se connecter", actionPath: SiteURL.superAdmins(.signIn).path),
            layout: exchange.layout, status: HTTPStatus(404))
    }
}
