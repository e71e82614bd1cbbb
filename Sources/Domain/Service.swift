import Foundation

/// A national catalogue entry activated per territory (domain.md §3).
public struct Service: Sendable, Equatable, Codable {
    public var id: Int64?
    public var name: String
    /// Appears in SMS, e.g. "PMI".
    public var shortName: String

    public init(id: Int64? = nil, name: String, shortName: String) {
        self.id = id
        self.name = name
        self.shortName = shortName
    }

    /// The "Secrétariat" service gives the secretariat role (permissions.md §1).
    public var isSecretariat: Bool { Check.sameText(name, "Secrétariat") }
    /// "Service social" shows the social user fields.
    public var isSocial: Bool { Check.sameText(name, "Service social") }

    /// domain.md §3: both names required and unique case-insensitively in the catalogue.
    public func validate(others: [Service] = []) -> [ValidationIssue] {
        var issues = Check.required(name, "name") + Check.required(shortName, "short_name")
        let rivals = others.filter { $0.id == nil || $0.id != id }
        if !Check.isBlank(name), rivals.contains(where: { Check.sameText($0.name, name) }) {
            issues.append(.error("name", Messages.notUnique))
        }
        if !Check.isBlank(shortName), rivals.contains(where: { Check.sameText($0.shortName, shortName) }) {
            issues.append(.error("short_name", Messages.notUnique))
        }
        return issues
    }
}
