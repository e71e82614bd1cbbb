import Domain
import Foundation
import GRDB

/// « Motifs » of « Configuration » (admin.md §2): the list with its filters, the 4-section form
/// (domain.md §6 rules checked again in the write transaction), duplication to other
/// organisations of the territory, « Supprimer » and « Historique ».
public struct MotifListFilter: Sendable, Equatable {
    public var serviceID: Int64?
    public var locationType: LocationType?
    /// « Réservable en ligne »: `bookable_by = everyone`.
    public var onlineOnly = false
    /// nil: both; true: collective only; false: individual only.
    public var collectif: Bool?
    /// « Supprimés »: the soft-deleted ones instead of the others.
    public var deleted = false
    /// « Espace admin » → « Motifs »: one organisation of the territory.
    public var organisationID: Int64?

    public init(
        serviceID: Int64? = nil, locationType: LocationType? = nil, onlineOnly: Bool = false, collectif: Bool? = nil,
        deleted: Bool = false, organisationID: Int64? = nil
    ) {
        self.organisationID = organisationID
        self.serviceID = serviceID
        self.locationType = locationType
        self.onlineOnly = onlineOnly
        self.collectif = collectif
        self.deleted = deleted
    }
}

/// One line of the motif list.
public struct MotifListRow: Sendable, Equatable {
    public let motif: Motif
    public let serviceName: String
    public let organisationName: String
}

/// What the motif form offers to choose from.
public struct MotifFormOptions: Sendable, Equatable {
    /// The territory's active services, Secrétariat excepted (domain.md §6).
    public let services: [NamedOption]
    /// The national categories enabled in the territory.
    public let categories: [NamedOption]
    /// The territory's other organisations the agent may duplicate into (admin there, or TA).
    public let duplicationTargets: [NamedOption]
}

/// How « Supprimer » went (domain.md §6: soft when the motif has appointments).
public enum MotifDeletion: Sendable, Equatable {
    case hard, soft
}

extension AppDatabase {
    public func motifs(organisationID: Int64, filter: MotifListFilter) throws -> [MotifListRow] {
        try writer.read { db in try Self.motifs(db, scope: "m.organisation_id = ?", organisationID, filter: filter) }
    }

    /// « Espace admin » → « Motifs » (admin.md §3): every motif of the territory, filtered.
    public func territoryMotifs(territoryID: Int64, filter: MotifListFilter) throws -> [MotifListRow] {
        try writer.read { db in try Self.motifs(db, scope: "o.territory_id = ?", territoryID, filter: filter) }
    }

    private static func motifs(_ db: Database, scope: String, _ scopeID: Int64, filter: MotifListFilter) throws -> [MotifListRow] {
        var conditions = [scope, filter.deleted ? "m.deleted_at IS NOT NULL" : "m.deleted_at IS NULL"]
        var arguments: StatementArguments = [scopeID]
        if let organisation = filter.organisationID {
            conditions.append("m.organisation_id = ?")
            _ = arguments.append(contentsOf: [organisation])
        }
        if let service = filter.serviceID {
            conditions.append("m.service_id = ?")
            _ = arguments.append(contentsOf: [service])
        }
        if let location = filter.locationType {
            conditions.append("m.location_type = ?")
            _ = arguments.append(contentsOf: [location.rawValue])
        }
        if filter.onlineOnly { conditions.append("m.bookable_by = 'everyone'") }
        if let collectif = filter.collectif { conditions.append(collectif ? "m.collectif = 1" : "m.collectif = 0") }
        return try Row.fetchAll(
            db,
            sql: """
                SELECT m.*, s.name AS service_name, o.name AS organisation_name FROM motifs m
                JOIN services s ON s.id = m.service_id JOIN organisations o ON o.id = m.organisation_id
                WHERE \(conditions.joined(separator: " AND "))
                ORDER BY m.name COLLATE NOCASE, m.location_type, o.name COLLATE NOCASE, m.id
                """, arguments: arguments
        ).map {
            MotifListRow(motif: Self.motif($0), serviceName: $0["service_name"], organisationName: $0["organisation_name"])
        }
    }

    /// A non-deleted motif of the organisation: the one the form edits (nil otherwise).
    public func motif(id: Int64, organisationID: Int64) throws -> Motif? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM motifs WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL",
                arguments: [id, organisationID]
            ).map(Self.motif)
        }
    }

    public func motifFormOptions(organisationID: Int64, duplicationAllowed: (_ organisationID: Int64, _ territoryID: Int64) -> Bool) throws -> MotifFormOptions {
        try writer.read { db in
            guard let territoryID = try Self.territoryID(db, organisationID: organisationID) else {
                return MotifFormOptions(services: [], categories: [], duplicationTargets: [])
            }
            let services = try Row.fetchAll(
                db,
                sql: """
                    SELECT s.id, s.name, s.short_name FROM territory_services t JOIN services s ON s.id = t.service_id
                    WHERE t.territory_id = ? ORDER BY s.name
                    """, arguments: [territoryID]
            ).filter { !Service(name: $0["name"], shortName: $0["short_name"]).isSecretariat }
                .map { NamedOption(id: $0["id"], name: $0["name"]) }
            let categories = try Row.fetchAll(
                db,
                sql: """
                    SELECT c.id, c.name FROM territory_motif_categories t JOIN motif_categories c ON c.id = t.motif_category_id
                    WHERE t.territory_id = ? ORDER BY c.name
                    """, arguments: [territoryID]
            ).map { NamedOption(id: $0["id"], name: $0["name"]) }
            let organisations = try Row.fetchAll(
                db, sql: "SELECT id, name FROM organisations WHERE territory_id = ? AND id <> ? ORDER BY name, id",
                arguments: [territoryID, organisationID]
            ).map { NamedOption(id: $0["id"], name: $0["name"]) }.filter { duplicationAllowed($0.id, territoryID) }
            return MotifFormOptions(services: services, categories: categories, duplicationTargets: organisations)
        }
    }

    /// Creates (`motif.id == nil`) or updates a motif, and creates its copies in `duplicateTo`
    /// (other organisations of the same territory), all or nothing. The issues of a copy are
    /// reported on the field `duplicate_organisation_ids`, naming the organisation.
    public func saveMotif(_ motif: Motif, duplicateTo: [Int64] = [], author: String? = nil, now: Date) throws
        -> Result<Int64, ValidationRefusal>
    {
        do {
            return .success(
                try writer.write { db in
                    let previous = try motif.id.flatMap { id in
                        try Row.fetchOne(
                            db, sql: "SELECT * FROM motifs WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL",
                            arguments: [id, motif.organisationID]
                        ).map(Self.motif)
                    }
                    if motif.id != nil && previous == nil {
                        throw ValidationRefusal(issues: [.error("base", "Ce motif n'existe plus.")])
                    }
                    let issues = motif.validate(try Self.motifValidationContext(db, motif, previous: previous))
                    guard issues.errors.isEmpty else { throw ValidationRefusal(issues: issues) }
                    let id = try Self.writeMotif(db, motif, previous: previous, author: author, now: now)
                    let territoryID = try Self.territoryID(db, organisationID: motif.organisationID)
                    for target in duplicateTo.uniqued() where target != motif.organisationID {
                        guard let name = try String.fetchOne(
                            db, sql: "SELECT name FROM organisations WHERE id = ? AND territory_id = ?",
                            arguments: [target, territoryID])
                        else {
                            throw ValidationRefusal(issues: [
                                .error("duplicate_organisation_ids", "Cette organisation n'est pas dans le territoire.")
                            ])
                        }
                        var copy = motif
                        copy.id = nil
                        copy.organisationID = target
                        let copyIssues = copy.validate(try Self.motifValidationContext(db, copy, previous: nil))
                        if !copyIssues.errors.isEmpty {
                            let clash = copyIssues.errors.contains { $0.field == "name" }
                            throw ValidationRefusal(issues: [
                                .error(
                                    "duplicate_organisation_ids",
                                    clash
                                        ? "« \(name) » a déjà un motif « \(motif.name) » de ce service et de ce type de lieu."
                                        : "Le motif ne peut pas être copié dans « \(name) » : \(copyIssues.errors[0].message).")
                            ])
                        }
                        _ = try Self.writeMotif(db, copy, previous: nil, author: author, now: now)
                    }
                    return id
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    /// « Supprimer » (domain.md §6): a motif with appointments is soft-deleted (its appointments
    /// and the periods keep it, slots no longer offer it); one without is removed, and its
    /// opening periods forget it. nil when there is no such motif.
    public func deleteMotif(id: Int64, organisationID: Int64, author: String? = nil, now: Date) throws -> MotifDeletion? {
        try writer.write { db in
            guard
                let motif = try Row.fetchOne(
                    db, sql: "SELECT * FROM motifs WHERE id = ? AND organisation_id = ? AND deleted_at IS NULL",
                    arguments: [id, organisationID]
                ).map(Self.motif)
            else { return nil }
            let hasAppointments = try Bool.fetchOne(
                db, sql: "SELECT 1 FROM appointments WHERE motif_id = ? LIMIT 1", arguments: [id]) != nil
            // A period left without any motif would offer nothing: keep the motif (soft) so the
            // period stays valid and its agent sees which motif it had.
            let onlyMotifOfAPeriod = try Bool.fetchOne(
                db,
                sql: """
                    SELECT 1 FROM opening_period_motifs x WHERE x.motif_id = ? AND NOT EXISTS (
                        SELECT 1 FROM opening_period_motifs y WHERE y.opening_period_id = x.opening_period_id
                        AND y.motif_id <> x.motif_id) LIMIT 1
                    """, arguments: [id]) != nil
            if hasAppointments || onlyMotifOfAPeriod {
                try db.execute(
                    sql: "UPDATE motifs SET deleted_at = ?, updated_at = ? WHERE id = ?",
                    arguments: [Self.epoch(now), Self.epoch(now), id])
                try Self.recordVersion(
                    db, itemType: "Motif", itemID: id, before: [("deleted_at", nil)],
                    after: [("deleted_at", Self.epoch(now))], author: author, organisationID: organisationID, now: now)
                // Soft: the motif is still there, with its `deleted_at`.
                try Self.planMotifWebhooks(db, motifID: id, organisationID: organisationID, event: .updated, now: now)
                return .soft
            }
            // The body is built before the delete (notifications.md §13 `destroyed`).
            try Self.planMotifWebhooks(db, motifID: id, organisationID: organisationID, event: .destroyed, now: now)
            try db.execute(sql: "DELETE FROM motifs WHERE id = ?", arguments: [id])
            try Self.recordVersion(
                db, itemType: "Motif", itemID: id, before: Self.audited(motif), after: nil, author: author,
                organisationID: organisationID, now: now)
            return .hard
        }
    }

    // MARK: -

    static func motifValidationContext(_ db: Database, _ motif: Motif, previous: Motif?) throws -> Motif.ValidationContext {
        let territoryID = try territoryID(db, organisationID: motif.organisationID)
        let service = try Row.fetchOne(db, sql: "SELECT name, short_name FROM services WHERE id = ?", arguments: [motif.serviceID])
            .map { Service(name: $0["name"], shortName: $0["short_name"]) }
        let siblings = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM motifs WHERE organisation_id = ? AND service_id = ? AND location_type = ?
                AND name = ? AND deleted_at IS NULL
                """, arguments: [motif.organisationID, motif.serviceID, motif.locationType.rawValue, motif.name]
        ).map(Self.motif)
        return Motif.ValidationContext(
            previous: previous,
            hasAppointments: try motif.id.map {
                try Bool.fetchOne(db, sql: "SELECT 1 FROM appointments WHERE motif_id = ? LIMIT 1", arguments: [$0]) != nil
            } ?? false,
            service: service,
            activeServiceIDs: Set(
                try Int64.fetchAll(
                    db, sql: "SELECT service_id FROM territory_services WHERE territory_id = ?", arguments: [territoryID])),
            enabledCategoryIDs: Set(
                try Int64.fetchAll(
                    db, sql: "SELECT motif_category_id FROM territory_motif_categories WHERE territory_id = ?",
                    arguments: [territoryID])),
            siblings: siblings)
    }

    static func writeMotif(_ db: Database, _ motif: Motif, previous: Motif?, author: String?, now: Date) throws
        -> Int64
    {
        let columns = auditedColumns(motif) + [
            ("name_with_location_type", motif.nameWithLocationType), ("updated_at", epoch(now)),
        ]
        let id: Int64
        if let existing = motif.id {
            try db.execute(
                sql: "UPDATE motifs SET \(columns.map { "\($0.0) = ?" }.joined(separator: ", ")) WHERE id = ?",
                arguments: StatementArguments(columns.map(\.1) + [existing]))
            id = existing
        } else {
            let all = columns + [("organisation_id", motif.organisationID), ("created_at", epoch(now))]
            try db.execute(
                sql: """
                    INSERT INTO motifs (\(all.map(\.0).joined(separator: ", ")))
                    VALUES (\(all.map { _ in "?" }.joined(separator: ", ")))
                    """, arguments: StatementArguments(all.map(\.1)))
            id = db.lastInsertedRowID
        }
        try recordVersion(
            db, itemType: "Motif", itemID: id, before: previous.map(audited), after: audited(motif), author: author,
            organisationID: motif.organisationID, now: now)
        try planMotifWebhooks(
            db, motifID: id, organisationID: motif.organisationID, event: previous == nil ? .created : .updated, now: now)
        return id
    }

    /// Every column the form writes, by name (domain.md §6).
    private static func auditedColumns(_ m: Motif) -> [(String, (any DatabaseValueConvertible)?)] {
        func blankIsNull(_ text: String?) -> String? {
            guard let text, !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return nil }
            return text
        }
        return [
            ("name", m.name), ("service_id", m.serviceID), ("motif_category_id", m.motifCategoryID), ("color", m.color),
            ("default_duration_in_min", m.defaultDurationInMin), ("collectif", m.collectif),
            ("location_type", m.locationType.rawValue), ("bookable_by", m.bookableBy.rawValue),
            ("min_public_booking_delay", m.minPublicBookingDelay), ("max_public_booking_delay", m.maxPublicBookingDelay),
            ("rdvs_editable_by_user", m.rdvsEditableByUser), ("rdvs_cancellable_by_user", m.rdvsCancellableByUser),
            ("follow_up", m.followUp), ("for_secretariat", m.forSecretariat),
            ("sectorisation_level", m.sectorisationLevel.rawValue), ("visibility_type", m.visibilityType.rawValue),
            ("restriction_for_rdv", blankIsNull(m.restrictionForRdv)),
            ("instruction_for_rdv", blankIsNull(m.instructionForRdv)),
            ("custom_cancel_warning_message", blankIsNull(m.customCancelWarningMessage)),
        ]
    }

    /// domain.md §0: what « Historique » shows of a motif.
    static func audited(_ motif: Motif) -> AuditedFields { auditedColumns(motif) }

    static func territoryID(_ db: Database, organisationID: Int64) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT territory_id FROM organisations WHERE id = ?", arguments: [organisationID])
    }

    static func motif(_ row: Row) -> Motif {
        Motif(
            id: row["id"], organisationID: row["organisation_id"], serviceID: row["service_id"],
            motifCategoryID: row["motif_category_id"], name: row["name"], color: row["color"],
            defaultDurationInMin: row["default_duration_in_min"],
            locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice,
            bookableBy: BookableBy(rawValue: row["bookable_by"]) ?? .agents,
            minPublicBookingDelay: row["min_public_booking_delay"], maxPublicBookingDelay: row["max_public_booking_delay"],
            visibilityType: VisibilityType(rawValue: row["visibility_type"]) ?? .visibleAndNotified,
            sectorisationLevel: SectorisationLevel(rawValue: row["sectorisation_level"]) ?? .departement,
            collectif: row["collectif"], followUp: row["follow_up"], forSecretariat: row["for_secretariat"],
            restrictionForRdv: row["restriction_for_rdv"], instructionForRdv: row["instruction_for_rdv"],
            customCancelWarningMessage: row["custom_cancel_warning_message"],
            rdvsEditableByUser: row["rdvs_editable_by_user"], rdvsCancellableByUser: row["rdvs_cancellable_by_user"],
            deletedAt: (row["deleted_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}
