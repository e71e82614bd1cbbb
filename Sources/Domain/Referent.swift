import Foundation

/// An agent assigned to follow a user (domain.md §4 "Referent"); (user, agent) unique. It
/// decides who may hold `follow_up` motifs.
public struct Referent: Sendable, Equatable, Codable {
    public var id: Int64?
    public var userID: Int64
    public var agentID: Int64

    public init(id: Int64? = nil, userID: Int64, agentID: Int64) {
        self.id = id
        self.userID = userID
        self.agentID = agentID
    }

    public func validate(others: [Referent] = []) -> [ValidationIssue] {
        let duplicate = others.contains {
            ($0.id == nil || $0.id != id) && $0.userID == userID && $0.agentID == agentID
        }
        return duplicate ? [.error("agent_id", "est déjà référent de cet usager")] : []
    }
}
