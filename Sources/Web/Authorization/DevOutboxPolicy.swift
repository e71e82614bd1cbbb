import Domain
import Persistence

/// admin.md §11: the « Boîte d'envoi » is for organisation admins (their organisations'
/// messages only, filtered by the query).
enum DevOutboxPolicy {
    static func mayRead(_ agent: AgentContext) -> Bool {
        agent.memberships.contains { $0.accessLevel == .admin }
    }
}
