import Domain
import Foundation
import Persistence

/// `super_admins/motif_categories`: the national catalogue of motif categories (admin.md §11).
public struct SuperAdminMotifCategoriesPage: PageModel, Equatable {
    public static let template = "super_admins/motif_categories"
    static let labels = ["name": "Nom", "short_name": "Nom court"]

    public struct Row: Sendable, Equatable {
        public let name: String
        public let shortName: String
        public let requiresAnts: Bool
    }

    public let formPath = SiteURL.superAdmins(.motifCategories).path
    public let rows: [Row]
    public let isEmpty: Bool
    public let fields: [FormField]
    public let requiresAnts: Bool

    static func load(
        categories: [MotifCategory], name: String = "", shortName: String = "", requiresAnts: Bool = false,
        errors: [String: String] = [:]
    ) -> SuperAdminMotifCategoriesPage {
        SuperAdminMotifCategoriesPage(
            rows: categories.map { Row(name: $0.name, shortName: $0.shortName, requiresAnts: $0.requiresAntsNumber) },
            isEmpty: categories.isEmpty,
            fields: [
                FormField(
                    name: "name", label: "Nom", value: name, autocomplete: "off", hint: "Par exemple « Carte d'identité, passeport »",
                    required: true, error: errors["name"]),
                FormField(
                    name: "short_name", label: "Nom court", value: shortName, autocomplete: "off",
                    hint: "Dans les liens de recherche, par exemple « cni-passeport »", required: true, error: errors["short_name"]),
            ], requiresAnts: requiresAnts)
    }
}

/// `territories/motif_categories`: « Espace admin » → « Catégories de motifs » (admin.md §3).
public struct TerritoryMotifCategoriesPage: PageModel, Equatable {
    public static let template = "territories/motif_categories"

    public struct Row: Sendable, Equatable {
        public let id: String
        public let label: String
        public let isChecked: Bool
        public let error: String?
    }

    public let formPath: String
    public let rows: [Row]
    public let isEmpty: Bool

    static func load(
        territoryID: Int64, categories: [TerritoryMotifCategory], checked: Set<Int64>? = nil, errors: [String: String] = [:]
    ) -> TerritoryMotifCategoriesPage {
        TerritoryMotifCategoriesPage(
            formPath: SiteURL.territory(id: territoryID, .motifCategories).path,
            rows: categories.map { row in
                let id = row.category.id ?? 0
                let count = row.motifsCount
                return Row(
                    id: "category_\(id)",
                    label: "\(row.category.name)\(count > 0 ? " (\(count) motif\(count > 1 ? "s" : ""))" : "")",
                    isChecked: checked.map { $0.contains(id) } ?? row.isEnabled, error: errors["category_\(id)"])
            }, isEmpty: categories.isEmpty)
    }
}
