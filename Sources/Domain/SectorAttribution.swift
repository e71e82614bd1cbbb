import Foundation

/// A sector given to an organisation or to an agent of an organisation (domain.md §12).
public struct SectorAttribution: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case organisation, agent
    }

    public var id: Int64?
    public var sectorID: Int64
    public var organisationID: Int64
    public var level: Level
    /// Required for level `agent`.
    public var agentID: Int64?

    public init(id: Int64? = nil, sectorID: Int64, organisationID: Int64, level: Level, agentID: Int64? = nil) {
        self.id = id
        self.sectorID = sectorID
        self.organisationID = organisationID
        self.level = level
        self.agentID = agentID
    }

    /// domain.md §12: level agent needs an agent with a role in the organisation; unique per
    /// (sector, organisation, level, agent).
    public func validate(agentHasRoleInOrganisation: Bool = true, others: [SectorAttribution] = []) -> [ValidationIssue]
    {
        var issues: [ValidationIssue] = []
        if level == .agent {
            if agentID == nil {
                issues.append(.error("agent_id", Messages.required))
            } else if !agentHasRoleInOrganisation {
                issues.append(.error("agent_id", "l'agent n'a pas de rôle dans cette organisation"))
            }
        }
        if others.contains(where: {
            ($0.id == nil || $0.id != id) && $0.sectorID == sectorID && $0.organisationID == organisationID
                && $0.level == level && $0.agentID == agentID
        }) {
            issues.append(.error("sector_id", "est déjà attribué"))
        }
        return issues
    }
}
