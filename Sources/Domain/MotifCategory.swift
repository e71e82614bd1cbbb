import Foundation

/// A national category of motifs, enabled per territory (domain.md §6 "MotifCategory").
public struct MotifCategory: Sendable, Equatable, Codable {
    public var id: Int64?
    public var name: String
    public var shortName: String
    public var requiresAntsNumber: Bool

    public init(id: Int64? = nil, name: String, shortName: String, requiresAntsNumber: Bool = false) {
        self.id = id
        self.name = name
        self.shortName = shortName
        self.requiresAntsNumber = requiresAntsNumber
    }

    /// domain.md §6: `name` and `short_name` required and both unique.
    public func validate(others: [MotifCategory] = []) -> [ValidationIssue] {
        var issues = Check.required(name, "name") + Check.required(shortName, "short_name")
        let rivals = others.filter { $0.id == nil || $0.id != id }
        if !Check.isBlank(name), rivals.contains(where: { $0.name == name }) {
            issues.append(.error("name", Messages.notUnique))
        }
        if !Check.isBlank(shortName), rivals.contains(where: { $0.shortName == shortName }) {
            issues.append(.error("short_name", Messages.notUnique))
        }
        return issues
    }
}
