import Domain
import Foundation
import Persistence

/// `territories/services`: « Espace admin » → « Services » (admin.md §3): the catalogue as
/// checkboxes, each with the territory's agents in it.
public struct TerritoryServicesPage: PageModel, Equatable {
    public static let template = "territories/services"

    public struct Row: Sendable, Equatable {
        public let id: String
        public let name: String
        public let label: String
        public let isChecked: Bool
        public let error: String?
    }

    public let formPath: String
    public let rows: [Row]
    public let baseError: String?

    static func load(
        territoryID: Int64, services: [TerritoryServiceChoice], checked: Set<Int64>? = nil, issues: [ValidationIssue] = []
    ) -> TerritoryServicesPage {
        func message(_ field: String) -> String? { issues.first { $0.field == field }?.message }
        return TerritoryServicesPage(
            formPath: SiteURL.territory(id: territoryID, .services).path,
            rows: services.map { service in
                Row(
                    id: "service_\(service.id)", name: service.name,
                    label: "\(service.name) (\(service.agentsCount) agent\(service.agentsCount > 1 ? "s" : ""))",
                    isChecked: checked?.contains(service.id) ?? service.isActive, error: message("service_\(service.id)"))
            }, baseError: message("base"))
    }
}
