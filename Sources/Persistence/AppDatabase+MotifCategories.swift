import Domain
import Foundation
import GRDB

/// A national motif category with its state in one territory (admin.md §3 « Catégories de
/// motifs »): enabled or not, and how many of the territory's motifs use it.
public struct TerritoryMotifCategory: Sendable, Equatable {
    public let category: MotifCategory
    public let isEnabled: Bool
    public let motifsCount: Int
}

extension AppDatabase {
    /// The national catalogue (admin.md §11), by name.
    public func motifCategoryCatalogue() throws -> [MotifCategory] {
        try writer.read { db in try Self.motifCategories(db) }
    }

    static func motifCategories(_ db: Database) throws -> [MotifCategory] {
        try Row.fetchAll(db, sql: "SELECT * FROM motif_categories ORDER BY name COLLATE NOCASE, id").map {
            MotifCategory(id: $0["id"], name: $0["name"], shortName: $0["short_name"], requiresAntsNumber: $0["requires_ants_number"])
        }
    }

    public func addMotifCategory(_ category: MotifCategory, now: Date) throws -> Result<Int64, ValidationRefusal> {
        try writer.write { db in
            let issues = category.validate(others: try Self.motifCategories(db))
            guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            try db.execute(
                sql: """
                    INSERT INTO motif_categories (name, short_name, requires_ants_number, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [category.name, category.shortName, category.requiresAntsNumber, Self.epoch(now), Self.epoch(now)])
            return .success(db.lastInsertedRowID)
        }
    }

    public func territoryMotifCategories(territoryID: Int64) throws -> [TerritoryMotifCategory] {
        try writer.read { db in try Self.territoryMotifCategories(db, territoryID: territoryID) }
    }

    static func territoryMotifCategories(_ db: Database, territoryID: Int64) throws -> [TerritoryMotifCategory] {
        let enabled = Set(
            try Int64.fetchAll(
                db, sql: "SELECT motif_category_id FROM territory_motif_categories WHERE territory_id = ?", arguments: [territoryID]))
        let counts = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db,
                sql: """
                    SELECT m.motif_category_id, count(*) AS n FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                    WHERE o.territory_id = ? AND m.deleted_at IS NULL AND m.motif_category_id IS NOT NULL GROUP BY 1
                    """, arguments: [territoryID]
            ).map { ($0["motif_category_id"] as Int64, $0["n"] as Int) })
        return try motifCategories(db).map {
            TerritoryMotifCategory(category: $0, isEnabled: enabled.contains($0.id ?? 0), motifsCount: counts[$0.id ?? 0] ?? 0)
        }
    }

    /// Enables exactly `enabled`; a category still used by a non-deleted motif of the territory
    /// stays (domain.md §6: a motif's category must be enabled in its territory), its refusal
    /// named on its row. All or nothing.
    public func setTerritoryMotifCategories(territoryID: Int64, enabled: Set<Int64>, now: Date) throws -> [ValidationIssue] {
        try writer.write { db in
            let current = try Self.territoryMotifCategories(db, territoryID: territoryID)
            let issues: [ValidationIssue] = current.compactMap { row in
                guard let id = row.category.id, row.isEnabled, !enabled.contains(id), row.motifsCount > 0 else { return nil }
                return .error(
                    "category_\(id)",
                    "« \(row.category.name) » reste activée : \(row.motifsCount) motif\(row.motifsCount > 1 ? "s l'utilisent" : " l'utilise").")
            }
            guard issues.isEmpty else { return issues }
            let known = Set(current.compactMap(\.category.id))
            try db.execute(sql: "DELETE FROM territory_motif_categories WHERE territory_id = ?", arguments: [territoryID])
            for id in enabled.intersection(known).sorted() {
                try db.execute(
                    sql: """
                        INSERT INTO territory_motif_categories (territory_id, motif_category_id, created_at, updated_at)
                        VALUES (?, ?, ?, ?)
                        """, arguments: [territoryID, id, Self.epoch(now), Self.epoch(now)])
            }
            return []
        }
    }
}
