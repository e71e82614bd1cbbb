import Foundation

/// A named group of agents of one territory, used as a search filter (domain.md §4 "Team").
public struct Team: Sendable, Equatable, Codable {
    public var id: Int64?
    public var territoryID: Int64
    public var name: String
    public var agentIDs: [Int64]

    public init(id: Int64? = nil, territoryID: Int64, name: String, agentIDs: [Int64] = []) {
        self.id = id
        self.territoryID = territoryID
        self.name = name
        self.agentIDs = agentIDs
    }

    /// domain.md §4: name required and unique per territory; members have a role in that territory.
    public func validate(siblings: [Team] = [], agentIDsWithRoleInTerritory: Set<Int64>) -> [ValidationIssue] {
        var issues = Check.required(name, "name")
        if !Check.isBlank(name),
            siblings.contains(where: {
                ($0.id == nil || $0.id != id) && $0.territoryID == territoryID && Check.sameText($0.name, name)
            })
        {
            issues.append(.error("name", Messages.notUnique))
        }
        if agentIDs.contains(where: { !agentIDsWithRoleInTerritory.contains($0) }) {
            issues.append(.error("agents", "doivent avoir un rôle dans une organisation du territoire"))
        }
        return issues
    }
}
