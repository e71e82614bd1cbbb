import Foundation

/// An agent's access level in one organisation (domain.md §4 "AgentRole").
public struct AgentRole: Sendable, Equatable, Codable {
    public enum AccessLevel: String, Sendable, Codable, CaseIterable {
        case basic, admin
        /// An agenda without a login, managed by colleagues.
        case intervenant
    }

    public var id: Int64?
    public var agentID: Int64
    public var organisationID: Int64
    public var accessLevel: AccessLevel

    public init(id: Int64? = nil, agentID: Int64, organisationID: Int64, accessLevel: AccessLevel = .basic) {
        self.id = id
        self.agentID = agentID
        self.organisationID = organisationID
        self.accessLevel = accessLevel
    }

    public static let lastAdminMessage = "Il doit toujours y avoir au moins un agent Admin par organisation"

    /// domain.md §4: the organisation of a role never changes; turning an intervenant into basic
    /// or admin requires an e-mail; (agent, organisation) is unique.
    public func validate(previous: AgentRole? = nil, agent: Agent? = nil, others: [AgentRole] = []) -> [ValidationIssue]
    {
        var issues: [ValidationIssue] = []
        if let previous {
            if previous.organisationID != organisationID {
                issues.append(.error("organisation_id", "ne peut pas être modifiée"))
            }
            if previous.accessLevel == .intervenant, accessLevel != .intervenant, Check.isBlank(agent?.email) {
                issues.append(.error("email", "est obligatoire pour donner un accès à un intervenant"))
            }
        }
        if others.contains(where: {
            ($0.id == nil || $0.id != id) && $0.agentID == agentID && $0.organisationID == organisationID
        }) {
            issues.append(.error("agent_id", "a déjà un rôle dans cette organisation"))
        }
        return issues
    }

    /// domain.md §4 invariant: an organisation always keeps at least one admin. `remainingRoles`
    /// are the organisation's roles as they would be after the demotion or removal.
    public static func lastAdminIssue(remainingRoles: [AgentRole]) -> ValidationIssue? {
        remainingRoles.contains { $0.accessLevel == .admin } ? nil : .error("access_level", lastAdminMessage)
    }
}
