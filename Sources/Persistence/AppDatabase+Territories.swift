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
