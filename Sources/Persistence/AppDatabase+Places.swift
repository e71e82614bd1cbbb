import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// « Lieux » (admin.md §2): the organisation's places, open ones then disabled ones, by name;
    /// lieux ponctuels (`single_use`) are not listed.
    public func places(organisationID: Int64) throws -> [Place] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM places WHERE organisation_id = ? AND availability <> 'single_use'
                    ORDER BY availability = 'disabled', name, id
                    """, arguments: [organisationID]
            ).map(Self.place)
        }
    }

    /// One open place of the organisation, the one « Modifier » and « Désactiver » act on (nil for
    /// another organisation's, a disabled one or a lieu ponctuel).
    public func place(id: Int64, organisationID: Int64) throws -> Place? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM places WHERE id = ? AND organisation_id = ? AND availability = 'enabled'",
                arguments: [id, organisationID]
            ).map(Self.place)
        }
    }

    /// Creates (`place.id == nil`) or updates a place after the domain rules; the address
    /// service learns its address in the same transaction. Returns the id, or the issues.
    public func savePlace(_ place: Place, author: String? = nil, now: Date) throws -> Result<Int64, ValidationRefusal> {
        try writer.write { db in
            let previous = try place.id.flatMap { id in
                try Row.fetchOne(
                    db, sql: "SELECT * FROM places WHERE id = ? AND organisation_id = ?",
                    arguments: [id, place.organisationID]
                ).map(Self.place)
            }
            if place.id != nil && previous == nil { return .failure(ValidationRefusal(issues: [.error("base", "Ce lieu n'existe plus.")])) }
            let issues = place.validate(previous: previous)
            guard issues.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            let epoch = Self.epoch(now)
            let phone = place.phoneNumber.flatMap { $0.isEmpty ? nil : $0 }
            let id: Int64
            if let existing = place.id {
                try db.execute(
                    sql: """
                        UPDATE places SET name = ?, address = ?, latitude = ?, longitude = ?, phone_number = ?,
                            phone_number_formatted = ?, updated_at = ? WHERE id = ?
                        """,
                    arguments: [
                        place.name, place.address, place.latitude, place.longitude, phone,
                        phone.flatMap { PhoneNumber($0)?.e164 }, epoch, existing,
                    ])
                id = existing
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO places (organisation_id, name, address, latitude, longitude, phone_number,
                            phone_number_formatted, availability, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, 'enabled', ?, ?)
                        """,
                    arguments: [
                        place.organisationID, place.name, place.address, place.latitude, place.longitude, phone,
                        phone.flatMap { PhoneNumber($0)?.e164 }, epoch, epoch,
                    ])
                id = db.lastInsertedRowID
            }
            try Self.recordVersion(
                db, itemType: "Place", itemID: id, before: previous.map(Self.audited), after: Self.audited(place),
                author: author, organisationID: place.organisationID, now: now)
            try Self.rebuildLocalAddresses(db)
            try Self.planPlaceWebhooks(
                db, placeID: id, organisationID: place.organisationID, event: previous == nil ? .created : .updated, now: now)
            return .success(id)
        }
    }

    /// « Désactiver » (admin.md §2): the soft delete; its appointments and periods keep it.
    /// False when there is no such enabled place.
    public func disablePlace(id: Int64, organisationID: Int64, author: String? = nil, now: Date) throws -> Bool {
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE places SET availability = 'disabled', updated_at = ?
                    WHERE id = ? AND organisation_id = ? AND availability = 'enabled'
                    """, arguments: [Self.epoch(now), id, organisationID])
            guard db.changesCount == 1 else { return false }
            try Self.recordVersion(
                db, itemType: "Place", itemID: id, before: [("availability", "enabled")],
                after: [("availability", "disabled")], author: author, organisationID: organisationID, now: now)
            try Self.rebuildLocalAddresses(db)
            // A soft delete: the lieu is still there, `enabled: false`.
            try Self.planPlaceWebhooks(db, placeID: id, organisationID: organisationID, event: .updated, now: now)
            return true
        }
    }

    /// domain.md §0: what « Historique » shows of a place.
    static func audited(_ place: Place) -> AuditedFields {
        [
            ("name", place.name), ("address", place.address), ("latitude", place.latitude),
            ("longitude", place.longitude), ("phone_number", place.phoneNumber.flatMap { $0.isEmpty ? nil : $0 }),
        ]
    }

    static func place(_ row: Row) -> Place {
        Place(
            id: row["id"], organisationID: row["organisation_id"], name: row["name"], address: row["address"],
            latitude: row["latitude"], longitude: row["longitude"], phoneNumber: row["phone_number"],
            availability: Place.Availability(rawValue: row["availability"]) ?? .enabled)
    }
}

/// Why a record was not saved: the domain's issues, by field.
public struct ValidationRefusal: Error, Sendable, Equatable {
    public let issues: [ValidationIssue]
}
