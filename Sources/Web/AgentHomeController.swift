import Domain
import HTTP
import Persistence

/// The agent home: the organisations of the agent, a switcher, and the areas of the current one.
struct AgentHomeController {
    let app: WebApplication

    static let roleLabels = [
        "admin": "administrateur de l'organisation", "basic": "agent", "intervenant": "intervenant",
    ]

    /// The areas later issues fill; listed so agents see where things will be.
    static let areas = [
        AgentHomePage.Area(title: "Agenda", description: "Vos plages d'ouverture, absences et rendez-vous."),
        AgentHomePage.Area(title: "Trouver un RDV", description: "Chercher un créneau et réserver pour un usager."),
        AgentHomePage.Area(title: "Usagers", description: "Les dossiers des usagers de l'organisation."),
    ]

    func show(_ exchange: inout Exchange, organisationID: Int64?) throws -> HTTPResponse {
        guard let agent = exchange.agent else {
            app.setFlash(.signInRequired, &exchange)
            return app.redirect(.agentSignIn)
        }
        let organisations = try app.db.agentOrganisations(agentID: agent.id)
        let current: AgentOrganisation?
        if let organisationID {
            // Authorisation, in one place for this resource: a role in the organisation.
            guard let match = organisations.first(where: { $0.id == organisationID }) else { throw WebError.forbidden }
            current = match
        } else {
            current = organisations.first
        }
        let model = AgentHomePage(
            firstName: agent.firstName ?? agent.lastName,
            organisations: organisations.map { .init(name: $0.name, path: SiteURL.agentOrganisation(id: $0.id).path) },
            hasSeveralOrganisations: organisations.count > 1,
            currentOrganisation: current.map {
                .init(
                    name: $0.name, territoryName: $0.territoryName,
                    roleLabel: Self.roleLabels[$0.accessLevel] ?? $0.accessLevel,
                    areas: Self.areas)
            },
            signedInAgent: exchange.signedInAgent, csrfToken: exchange.csrfToken, flash: exchange.flash)
        return try app.page(model)
    }
}
