import Foundation

/// Makes an agent an administrator of a territory (domain.md §4 "TerritorialRole").
public struct TerritorialRole: Sendable, Equatable, Codable {
    public var id: Int64?
    public var agentID: Int64
    public var territoryID: Int64

    public init(id: Int64? = nil, agentID: Int64, territoryID: Int64) {
        self.id = id
        self.agentID = agentID
        self.territoryID = territoryID
    }

    /// domain.md §4: (agent, territory) is unique.
    public func validate(others: [TerritorialRole] = []) -> [ValidationIssue] {
        let duplicate = others.contains {
            ($0.id == nil || $0.id != id) && $0.agentID == agentID && $0.territoryID == territoryID
        }
        return duplicate ? [.error("agent_id", "est déjà administrateur de ce territoire")] : []
    }

    /// domain.md §4: a territory keeps at least one territorial admin.
    public static func lastAdminIssue(remainingRoles: [TerritorialRole]) -> ValidationIssue? {
        remainingRoles.isEmpty
            ? .error("agent_id", "Il doit toujours y avoir au moins un administrateur par territoire") : nil
    }
}

/// Fine rights of an agent in a territory (domain.md §4 "TerritorialAccessRights"). Created with
/// all three false when the agent gets a role in an organisation of that territory.
public struct TerritorialAccessRights: Sendable, Equatable, Codable {
    public var id: Int64?
    public var agentID: Int64
    public var territoryID: Int64
    public var allowToManageTeams: Bool
    public var allowToManageAccessRights: Bool
    public var allowToInviteAgents: Bool

    public init(
        id: Int64? = nil, agentID: Int64, territoryID: Int64, allowToManageTeams: Bool = false,
        allowToManageAccessRights: Bool = false, allowToInviteAgents: Bool = false
    ) {
        self.id = id
        self.agentID = agentID
        self.territoryID = territoryID
        self.allowToManageTeams = allowToManageTeams
        self.allowToManageAccessRights = allowToManageAccessRights
        self.allowToInviteAgents = allowToInviteAgents
    }
}
