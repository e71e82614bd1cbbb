import Foundation

/// A named set of zones of a territory (domain.md §12).
public struct Sector: Sendable, Equatable, Codable {
    public var id: Int64?
    public var territoryID: Int64
    public var name: String
    /// Unique per territory; used in CSV files.
    public var humanID: String

    public init(id: Int64? = nil, territoryID: Int64, name: String, humanID: String) {
        self.id = id
        self.territoryID = territoryID
        self.name = name
        self.humanID = humanID
    }

    /// domain.md §12: name and human id required; human id unique per territory.
    public func validate(siblings: [Sector] = []) -> [ValidationIssue] {
        var issues = Check.required(name, "name") + Check.required(humanID, "human_id")
        if !Check.isBlank(humanID),
            siblings.contains(where: {
                ($0.id == nil || $0.id != id) && $0.territoryID == territoryID && $0.humanID == humanID
            })
        {
            issues.append(.error("human_id", Messages.notUnique))
        }
        return issues
    }
}
