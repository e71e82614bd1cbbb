import Domain
import HTTP
import Persistence

/// What a signed-in agent route receives: the agent is not optional, its roles are typed.
/// Built once per request by `AgentPipeline.signedIn`; an anonymous visitor never reaches the
/// action (it is sent to the sign-in page).
public struct AgentContext: Sendable {
    public let account: AgentAccount
    /// Roles, services and territorial rights, for the policies of Domain/Authorization.
    public let principal: Principal
    /// The organisations where the agent has a role, by name.
    public let memberships: [AgentOrganisation]
    /// The organisation of the page (its id is in the path), or the agent's first one.
    public let currentOrganisation: AgentOrganisation?

    /// The layout with the organisation switcher of admin.md §1.
    func layout(_ exchange: Exchange) -> LayoutModel {
        var layout = exchange.layout
        layout.organisations = memberships.map {
            .init(
                name: $0.name, path: SiteURL.organisation(id: $0.id, .show).path,
                isCurrent: $0.id == currentOrganisation?.id)
        }
        return layout
    }
}
