import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// One organisation, as « Configuration » → « Organisation » edits it.
    public func organisation(id: Int64) throws -> Organisation? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM organisations WHERE id = ?", arguments: [id]).map(Self.organisation)
        }
    }

    /// admin.md §2 « Organisation »: the domain rules (name and external id unique in the
    /// territory, phone, e-mail) against the territory's other organisations, then the row, in
    /// one transaction. Blank optional fields are stored as NULL; the territory never changes.
    public func updateOrganisation(_ organisation: Organisation, author: String? = nil, now: Date) throws
        -> [ValidationIssue]
    {
        try writer.write { db in
            guard let id = organisation.id,
                let previous = try Row.fetchOne(db, sql: "SELECT * FROM organisations WHERE id = ?", arguments: [id])
                    .map(Self.organisation)
            else { return [.error("base", "Cette organisation n'existe plus.")] }
            let siblings = try Row.fetchAll(
                db, sql: "SELECT * FROM organisations WHERE territory_id = ? AND id <> ?",
                arguments: [previous.territoryID, id]
            ).map(Self.organisation)
            var changed = organisation
            changed.territoryID = previous.territoryID
            let issues = changed.validate(previous: previous, siblings: siblings)
            guard issues.isEmpty else { return issues }
            func blankIsNull(_ text: String?) -> String? {
                text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
            }
            let phone = blankIsNull(changed.phoneNumber)
            try db.execute(
                sql: """
                    UPDATE organisations SET name = ?, phone_number = ?, phone_number_formatted = ?, email = ?,
                        website = ?, horaires = ?, external_id = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    changed.name, phone, phone.flatMap { PhoneNumber($0)?.e164 },
                    blankIsNull(changed.email).map(EmailAddress.normalised), blankIsNull(changed.website),
                    blankIsNull(changed.horaires), blankIsNull(changed.externalID), Self.epoch(now), id,
                ])
            func audited(_ o: Organisation) -> AuditedFields {
                [
                    ("name", o.name), ("phone_number", blankIsNull(o.phoneNumber)),
                    ("email", blankIsNull(o.email).map(EmailAddress.normalised)), ("website", blankIsNull(o.website)),
                    ("horaires", blankIsNull(o.horaires)), ("external_id", blankIsNull(o.externalID)),
                ]
            }
            try Self.recordVersion(
                db, itemType: "Organisation", itemID: id, before: audited(previous), after: audited(changed),
                author: author, organisationID: id, now: now)
            return []
        }
    }

    static func organisation(_ row: Row) -> Organisation {
        Organisation(
            id: row["id"], territoryID: row["territory_id"], name: row["name"], phoneNumber: row["phone_number"],
            email: row["email"], website: row["website"], horaires: row["horaires"], externalID: row["external_id"],
            verticale: Organisation.Verticale(rawValue: row["verticale"]) ?? .rdvSolidarites)
    }
}
