/// Who asks: an agent with its roles, services and territorial rights (permissions.md §1).
/// Built once per request from the database; every policy answers from it alone.
public struct Principal: Sendable, Equatable {
    public struct Membership: Sendable, Equatable {
        public let organisationID: Int64
        public let territoryID: Int64
        public let level: AgentRole.AccessLevel

        public init(organisationID: Int64, territoryID: Int64, level: AgentRole.AccessLevel) {
            self.organisationID = organisationID
            self.territoryID = territoryID
            self.level = level
        }
    }

    /// `TerritorialAccessRights` (permissions.md §1 "Fine territorial rights").
    public struct TerritorialRights: Sendable, Equatable {
        public var inviteAgents = false
        public var manageTeams = false
        public var manageAccessRights = false

        public init(inviteAgents: Bool = false, manageTeams: Bool = false, manageAccessRights: Bool = false) {
            self.inviteAgents = inviteAgents
            self.manageTeams = manageTeams
            self.manageAccessRights = manageAccessRights
        }

        public var any: Bool { inviteAgents || manageTeams || manageAccessRights }
    }

    public let agentID: Int64
    public let memberships: [Membership]
    public let serviceIDs: Set<Int64>
    /// Has the « Secrétariat » service (domain.md §3).
    public let isSecretary: Bool
    public let adminTerritoryIDs: Set<Int64>
    public let rights: [Int64: TerritorialRights]

    public init(
        agentID: Int64, memberships: [Membership], serviceIDs: Set<Int64>, isSecretary: Bool,
        adminTerritoryIDs: Set<Int64> = [], rights: [Int64: TerritorialRights] = [:]
    ) {
        self.agentID = agentID
        self.memberships = memberships
        self.serviceIDs = serviceIDs
        self.isSecretary = isSecretary
        self.adminTerritoryIDs = adminTerritoryIDs
        self.rights = rights
    }

    func membership(_ organisationID: Int64) -> Membership? {
        memberships.first { $0.organisationID == organisationID }
    }

    public func isMember(of organisationID: Int64) -> Bool { membership(organisationID) != nil }

    public func isAdmin(of organisationID: Int64) -> Bool { membership(organisationID)?.level == .admin }

    public func isTerritorialAdmin(of territoryID: Int64) -> Bool { adminTerritoryIDs.contains(territoryID) }

    /// Member of the territory through any organisation.
    public func isMember(ofTerritory territoryID: Int64) -> Bool { memberships.contains { $0.territoryID == territoryID } }

    func rights(in territoryID: Int64) -> TerritorialRights { rights[territoryID] ?? TerritorialRights() }
}

/// A policy's answer (permissions.md preamble): a record out of scope is absent (404); a refused
/// action on a record in scope is a 403, both with « Vous n'avez pas accès à cette page. ».
public enum Access: Sendable, Equatable {
    case allowed
    case refused
    case hidden

    public static let message = "Vous n'avez pas accès à cette page."

    /// In scope: allowed when `condition`, else refused; out of scope: hidden.
    static func decide(inScope: Bool, _ condition: Bool) -> Access {
        inScope ? (condition ? .allowed : .refused) : .hidden
    }
}
