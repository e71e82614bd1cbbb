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
}

extension AppDatabase {
    public func territorySettings(id: Int64) throws -> TerritorySettingsRecord? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT id, name, phone_number, departement_number, time_zone, open_on_sundays_and_holidays,
                           whit_monday_is_holiday FROM territories WHERE id = ?
                    """, arguments: [id]
            ).map {
                TerritorySettingsRecord(
                    id: $0["id"], name: $0["name"], phoneNumber: $0["phone_number"],
                    departementNumber: $0["departement_number"], timeZone: $0["time_zone"],
                    openOnSundaysAndHolidays: $0["open_on_sundays_and_holidays"],
                    whitMondayIsHoliday: $0["whit_monday_is_holiday"])
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
            try db.execute(
                sql: """
                    UPDATE territories SET name = ?, phone_number = ?, open_on_sundays_and_holidays = ?,
                        whit_monday_is_holiday = ?, updated_at = ? WHERE id = ?
                    """,
                arguments: [
                    settings.name, phone, settings.openOnSundaysAndHolidays, settings.whitMondayIsHoliday,
                    Self.epoch(now), settings.id,
                ])
            return db.changesCount == 1 ? [] : [.error("base", "Ce territoire n'existe plus.")]
        }
    }
}
