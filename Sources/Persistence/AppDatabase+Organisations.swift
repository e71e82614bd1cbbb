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
            let phone = Self.blankIsNull(changed.phoneNumber)
            try db.execute(
                sql: """
                    UPDATE organisations SET name = ?, phone_number = ?, phone_number_formatted = ?, email = ?,
                        website = ?, horaires = ?, external_id = ?, verticale = ?, updated_at = ?
                    WHERE id = ?
                    """,
                arguments: [
                    changed.name, phone, phone.flatMap { PhoneNumber($0)?.e164 },
                    Self.blankIsNull(changed.email).map(EmailAddress.normalised), Self.blankIsNull(changed.website),
                    Self.blankIsNull(changed.horaires), Self.blankIsNull(changed.externalID), changed.verticale.rawValue,
                    Self.epoch(now), id,
                ])
            try Self.recordVersion(
                db, itemType: "Organisation", itemID: id, before: Self.audited(previous), after: Self.audited(changed),
                author: author, organisationID: id, now: now)
            try Self.planOrganisationRecordWebhooks(db, organisationID: id, now: now)
            return []
        }
    }

    /// Optional text fields: blank is NULL.
    static func blankIsNull(_ text: String?) -> String? {
        text.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 }
    }

    /// domain.md §0: what « Historique » shows of an organisation, as stored.
    static func audited(_ o: Organisation) -> AuditedFields {
        [
            ("name", o.name), ("phone_number", blankIsNull(o.phoneNumber)),
            ("email", blankIsNull(o.email).map(EmailAddress.normalised)), ("website", blankIsNull(o.website)),
            ("horaires", blankIsNull(o.horaires)), ("external_id", blankIsNull(o.externalID)),
        ]
    }

    static func organisation(_ row: Row) -> Organisation {
        Organisation(
            id: row["id"], territoryID: row["territory_id"], name: row["name"], phoneNumber: row["phone_number"],
            email: row["email"], website: row["website"], horaires: row["horaires"], externalID: row["external_id"],
            verticale: Organisation.Verticale(rawValue: row["verticale"]) ?? .rdvSolidarites)
    }
}

/// One organisation of « Espace admin » → « Organisations » (admin.md §3).
public struct TerritoryOrganisationRow: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let phoneNumber: String?
    public let agentsCount: Int
}

extension AppDatabase {
    public func territoryOrganisations(territoryID: Int64) throws -> [TerritoryOrganisationRow] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.name, o.phone_number,
                           (SELECT count(*) FROM agent_roles r WHERE r.organisation_id = o.id) AS agents
                    FROM organisations o WHERE o.territory_id = ? ORDER BY o.name, o.id
                    """, arguments: [territoryID]
            ).map {
                TerritoryOrganisationRow(
                    id: $0["id"], name: $0["name"], phoneNumber: $0["phone_number"], agentsCount: $0["agents"])
            }
        }
    }

    /// admin.md §3 « Organisations » → create: the domain rules, the row, and its creator as its
    /// first admin (an organisation always has one, domain.md §4), in one transaction.
    public func createOrganisation(_ organisation: Organisation, creatorAgentID: Int64, author: String?, now: Date)
        throws -> Result<Int64, ValidationRefusal>
    {
        try writer.write { db in
            let siblings = try Row.fetchAll(
                db, sql: "SELECT * FROM organisations WHERE territory_id = ?", arguments: [organisation.territoryID]
            ).map(Self.organisation)
            let issues = organisation.validate(siblings: siblings)
            guard issues.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            let phone = Self.blankIsNull(organisation.phoneNumber)
            let epoch = Self.epoch(now)
            try db.execute(
                sql: """
                    INSERT INTO organisations (territory_id, name, phone_number, phone_number_formatted, email, website,
                        horaires, verticale, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    organisation.territoryID, organisation.name, phone, phone.flatMap { PhoneNumber($0)?.e164 },
                    Self.blankIsNull(organisation.email).map(EmailAddress.normalised),
                    Self.blankIsNull(organisation.website), Self.blankIsNull(organisation.horaires),
                    organisation.verticale.rawValue, epoch, epoch,
                ])
            let id = db.lastInsertedRowID
            try db.execute(
                sql: """
                    INSERT INTO agent_roles (agent_id, organisation_id, access_level, created_at, updated_at)
                    VALUES (?, ?, 'admin', ?, ?)
                    """, arguments: [creatorAgentID, id, epoch, epoch])
            try Self.auditCreated(db, .agentRole, id: db.lastInsertedRowID, author: author, organisationID: id, now: now)
            try Self.recordVersion(
                db, itemType: "Organisation", itemID: id, before: nil, after: Self.audited(organisation),
                author: author, organisationID: id, now: now)
            return .success(id)
        }
    }
}
