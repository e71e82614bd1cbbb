import Domain
import HTTP
import Persistence

/// The agent home (`/agents`, `/admin/organisations/<id>`): the agent's own agenda in the
/// current organisation (issue 11: the original's landing); an agent without any organisation
/// sees why it has nothing to do.
struct AgentHomeController: Sendable {
    let responses: PageResponses

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        if let organisation = agent.currentOrganisation {
            return responses.redirect(.organisation(id: organisation.id, .agenda(agentID: agent.account.id)))
        }
        return try responses.page(AgentHomePage.load(agent), layout: agent.layout(exchange))
    }
}

public struct AgentHomePage: PageModel, Equatable {
    public static let template = "agents/home"

    public struct Area: Sendable, Equatable {
        public let title: String
        public let description: String
    }

    public struct CurrentOrganisation: Sendable, Equatable {
        public let name: String
        public let territoryName: String
        public let roleLabel: String
        public let areas: [Area]
    }

    public var firstName: String
    public var currentOrganisation: CurrentOrganisation?

    static let roleLabels: [AgentRole.AccessLevel: String] = [
        .admin: "administrateur de l'organisation", .basic: "agent", .intervenant: "intervenant",
    ]

    /// The areas later pages fill; listed so agents see where things will be.
    static let areas = [
        Area(title: "Agenda", description: "Vos plages d'ouverture, absences et rendez-vous."),
        Area(title: "Trouver un RDV", description: "Chercher un créneau et réserver pour un usager."),
        Area(title: "Usagers", description: "Les dossiers des usagers de l'organisation."),
    ]

    static func load(_ agent: AgentContext) -> AgentHomePage {
        AgentHomePage(
            firstName: agent.account.firstName ?? agent.account.lastName,
            currentOrganisation: agent.currentOrganisation.map {
                .init(
                    name: $0.name, territoryName: $0.territoryName,
                    roleLabel: roleLabels[$0.accessLevel] ?? $0.accessLevel.rawValue, areas: areas)
            })
    }
}
