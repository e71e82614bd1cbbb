import Foundation

/// "This organisation knows this user" (domain.md §11 "UserProfile"); (user, organisation) unique.
public struct UserProfile: Sendable, Equatable, Codable {
    public var id: Int64?
    public var userID: Int64
    public var organisationID: Int64

    public init(id: Int64? = nil, userID: Int64, organisationID: Int64) {
        self.id = id
        self.userID = userID
        self.organisationID = organisationID
    }

    public func validate(others: [UserProfile] = []) -> [ValidationIssue] {
        let duplicate = others.contains {
            ($0.id == nil || $0.id != id) && $0.userID == userID && $0.organisationID == organisationID
        }
        return duplicate ? [.error("user_id", "est déjà connu de cette organisation")] : []
    }
}
