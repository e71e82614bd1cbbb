import Domain
import Foundation
import GRDB

/// « Espace admin » → « Territoire » (admin.md §3): what a territorial admin reads and changes.
public struct TerritorySettingsRecord: Sendable, Equatable {
    public let id: Int64
    public var name: String
    public var phoneNumber: String?
    public let departementNumber: String?
    public let timeZone: String
    public var openOnSundaysAndHolidays: Bool
    public var whitMondayIsHoliday: Bool
    /// The on/off settings of « Champs optionnels », « Champs du RDV » and « Usagers », by column.
    public var toggles: [String: Bool]

    /// admin.md §3: their columns (domain.md §1), in the screens' order.
    public static let toggleColumns = [
        "enable_notes_field", "enable_logement_field", "enable_caisse_affiliation_field",
        "enable_affiliation_number_field", "enable_family_situation_field", "enable_number_of_children_field",
        "enable_case_number", "enable_address_details", "enable_context_field", "enable_waiting_room_mail_field",
        "enable_waiting_room_color_field", "visible_users_throughout_the_territory",
    ]
}

extension AppDatabase {
    public func territorySettings(id: Int64) throws -> TerritorySettingsRecord? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT * FROM territories WHERE id = ?
                    """, arguments: [id]
            ).map { row in
                TerritorySettingsRecord(
                    id: row["id"], name: row["name"], phoneNumber: row["phone_number"],
                    departementNumber: row["departement_number"], timeZone: row["time_zone"],
                    openOnSundaysAndHolidays: row["open_on_sundays_and_holidays"],
                    whitMondayIsHoliday: row["whit_monday_is_holiday"],
                    toggles: Dictionary(
                        uniqueKeysWithValues: TerritorySettingsRecord.toggleColumns.map { ($0, row[$0] as Bool) }))
            }
        }
    }

    /// Name (required, unique), phone (a valid number), the two holiday settings; the
    /// département and the time zone never change here.
    public func updateTerritorySettings(_ settings: TerritorySettingsRecord, now: Date) throws -> [ValidationIssue] {
        try writer.write { db in
            var issues: [ValidationIssue] =
                settings.name.trimmingCharacters(in: .whitespaces).isEmpty ? [.error("name", "doit être rempli(e)")] : []
            let phone = settings.phoneNumber.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            if let phone, !PhoneNumber.isValid(phone) && !PhoneNumber.isShortNumber(phone) {
                issues.append(.error("phone_number", "n'est pas un numéro de téléphone valide"))
            }
            if try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM territories WHERE lower(name) = lower(?) AND id <> ?)",
                arguments: [settings.name, settings.id]) == true
            {
                issues.append(.error("name", "est déjà utilisé"))
            }
            guard issues.isEmpty else { return issues }
            // The toggles' column names are ours (toggleColumns), never a person's input.
            let toggles = TerritorySettingsRecord.toggleColumns
            var values: [(any DatabaseValueConvertible)?] = [
                settings.name, phone, settings.openOnSundaysAndHolidays, settings.whitMondayIsHoliday,
            ]
            values += toggles.map { settings.toggles[$0] ?? false }
            values += [Self.epoch(now), settings.id]
            try db.execute(
                sql: """
                    UPDATE territories SET name = ?, phone_number = ?, open_on_sundays_and_holidays = ?,
                        whit_monday_is_holiday = ?, \(toggles.map { "\($0) = ?" }.joined(separator: ", ")),
                        updated_at = ? WHERE id = ?
                    """,
                arguments: StatementArguments(values))
            return db.changesCount == 1 ? [] : [.error("base", "Ce territoire n'existe plus.")]
        }
    }
}

/// One service of the catalogue on « Services » (admin.md §3).
public struct TerritoryServiceChoice: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let isActive: Bool
    /// The territory's agents in this service (in any of its organisations).
    public let agentsCount: Int
}

extension AppDatabase {
    /// The catalogue, each service with whether the territory activated it and its agents there.
    public func territoryServices(territoryID: Int64) throws -> [TerritoryServiceChoice] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.name,
                           EXISTS (SELECT 1 FROM territory_services t WHERE t.territory_id = ? AND t.service_id = s.id)
                               AS active,
                           (SELECT count(DISTINCT x.agent_id) FROM agent_services x
                              JOIN agent_roles r ON r.agent_id = x.agent_id JOIN organisations o ON o.id = r.organisation_id
                              WHERE x.service_id = s.id AND o.territory_id = ?) AS agents
                    FROM services s ORDER BY s.name, s.id
                    """, arguments: [territoryID, territoryID]
            ).map {
                TerritoryServiceChoice(id: $0["id"], name: $0["name"], isActive: $0["active"], agentsCount: $0["agents"])
            }
        }
    }

    /// admin.md §3: checking activates a service; unchecking is refused while the territory has
    /// motifs of that service that are not deleted (the error names the service). All or nothing.
    public func setTerritoryServices(territoryID: Int64, activeServiceIDs: Set<Int64>, now: Date) throws
        -> [ValidationIssue]
    {
        try writer.write { db in
            let catalogue = try Row.fetchAll(db, sql: "SELECT id, name FROM services")
            let known = Set(catalogue.map { $0["id"] as Int64 })
            let current = Set(
                try Int64.fetchAll(
                    db, sql: "SELECT service_id FROM territory_services WHERE territory_id = ?", arguments: [territoryID]))
            let wanted = activeServiceIDs.intersection(known)
            var issues: [ValidationIssue] = []
            for id in current.subtracting(wanted).sorted() {
                let motifs = try Int.fetchOne(
                    db,
                    sql: """
                        SELECT count(*) FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                        WHERE o.territory_id = ? AND m.service_id = ? AND m.deleted_at IS NULL
                        """, arguments: [territoryID, id]) ?? 0
                if motifs > 0 {
                    let name: String = catalogue.first { $0["id"] == id }?["name"] ?? ""
                    issues.append(
                        .error(
                            "service_\(id)",
                            "« \(name) » a encore \(motifs) motif\(motifs > 1 ? "s" : "") dans le territoire : supprimez-les avant de le désactiver."
                        ))
                }
            }
            if wanted.isEmpty { issues.append(.error("base", "Le territoire garde au moins un service actif.")) }
            guard issues.isEmpty else { return issues }
            for id in current.subtracting(wanted) {
                try db.execute(
                    sql: "DELETE FROM territory_services WHERE territory_id = ? AND service_id = ?", arguments: [territoryID, id])
            }
            for id in wanted.subtracting(current) {
                try db.execute(
                    sql: "INSERT INTO territory_services (territory_id, service_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [territoryID, id, Self.epoch(now), Self.epoch(now)])
            }
            return []
        }
    }
}
