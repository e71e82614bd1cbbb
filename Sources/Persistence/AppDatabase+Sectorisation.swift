import Domain
import Foundation
import GRDB

/// « Sectorisation » of « Espace admin » (admin.md §5): sectors, their zones (imported all or
/// nothing, with a dry run), attributions, and the « Test de sectorisation ».
public struct SectorOverviewRow: Sendable, Equatable {
    public let sector: Sector
    public let zonesCount: Int
    public let attributionsCount: Int
}

public struct SectorAttributionRow: Sendable, Equatable {
    public let id: Int64
    public let level: SectorAttribution.Level
    public let organisationName: String
    public let agentName: String?
}

/// An agent of one of the territory's organisations, for « Attribuer à un agent ».
public struct TerritoryAgentOption: Sendable, Equatable {
    public let organisationID: Int64
    public let organisationName: String
    public let agentID: Int64
    public let agentName: String
}

/// What « Simuler l'import » says of one row.
public struct ZoneImportResult: Sendable, Equatable {
    public enum Outcome: Sendable, Equatable {
        case created, existing
        case error(String)
    }

    public let line: ZoneImportLine
    public let outcome: Outcome
}

/// One zone the address falls in, for « Test de sectorisation ».
public struct SectorisationMatch: Sendable, Equatable {
    public let sectorName: String
    public let zoneLabel: String
    public let attributions: [String]
}

extension AppDatabase {
    public func sectors(territoryID: Int64) throws -> [SectorOverviewRow] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.*, (SELECT count(*) FROM zones z WHERE z.sector_id = s.id) AS zones,
                           (SELECT count(*) FROM sector_attributions a WHERE a.sector_id = s.id) AS attributions
                    FROM sectors s WHERE s.territory_id = ? ORDER BY s.name COLLATE NOCASE, s.id
                    """, arguments: [territoryID]
            ).map { SectorOverviewRow(sector: Self.sector($0), zonesCount: $0["zones"], attributionsCount: $0["attributions"]) }
        }
    }

    public func sector(id: Int64, territoryID: Int64) throws -> Sector? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM sectors WHERE id = ? AND territory_id = ?", arguments: [id, territoryID])
                .map(Self.sector)
        }
    }

    public func createSector(_ sector: Sector, now: Date) throws -> Result<Int64, ValidationRefusal> {
        try writer.write { db in
            let siblings = try Row.fetchAll(
                db, sql: "SELECT * FROM sectors WHERE territory_id = ?", arguments: [sector.territoryID]
            ).map(Self.sector)
            let issues = sector.validate(siblings: siblings)
            guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            try db.execute(
                sql: "INSERT INTO sectors (territory_id, name, human_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [sector.territoryID, sector.name, sector.humanID, Self.epoch(now), Self.epoch(now)])
            return .success(db.lastInsertedRowID)
        }
    }

    /// Deleting a sector deletes its zones and attributions (admin.md §5, ON DELETE CASCADE).
    public func deleteSector(id: Int64, territoryID: Int64) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM sectors WHERE id = ? AND territory_id = ?", arguments: [id, territoryID])
            return db.changesCount == 1
        }
    }

    public func zones(sectorID: Int64) throws -> [Zone] {
        try writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM zones WHERE sector_id = ? ORDER BY city_name, level, street_name, id",
                arguments: [sectorID]
            ).map(Self.zone)
        }
    }

    public func deleteZone(id: Int64, sectorID: Int64) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM zones WHERE id = ? AND sector_id = ?", arguments: [id, sectorID])
            return db.changesCount == 1
        }
    }

    /// Every zone of the territory, as the import's columns (the export of admin.md §5).
    public func zoneFileRows(territoryID: Int64) throws -> [[String]] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT s.human_id, z.city_name, z.city_code, z.street_name, z.street_ban_id
                    FROM zones z JOIN sectors s ON s.id = z.sector_id WHERE s.territory_id = ?
                    ORDER BY s.human_id, z.city_code, z.level, z.street_name, z.id
                    """, arguments: [territoryID]
            ).map { [$0["human_id"], $0["city_name"], $0["city_code"], $0["street_name"] ?? "", $0["street_ban_id"] ?? ""] }
        }
    }

    public func sectorAttributions(sectorID: Int64) throws -> [SectorAttributionRow] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.level, o.name AS organisation, g.first_name, g.last_name
                    FROM sector_attributions a JOIN organisations o ON o.id = a.organisation_id
                    LEFT JOIN agents g ON g.id = a.agent_id WHERE a.sector_id = ? ORDER BY o.name, g.last_name, a.id
                    """, arguments: [sectorID]
            ).map { row in
                SectorAttributionRow(
                    id: row["id"], level: SectorAttribution.Level(rawValue: row["level"]) ?? .organisation,
                    organisationName: row["organisation"],
                    agentName: (row["last_name"] as String?) == nil ? nil : Self.agentName(row))
            }
        }
    }

    public func territoryAgentOptions(territoryID: Int64) throws -> [TerritoryAgentOption] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id AS organisation_id, o.name AS organisation, g.id AS agent_id, g.first_name, g.last_name
                    FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id JOIN agents g ON g.id = r.agent_id
                    WHERE o.territory_id = ? AND g.deleted_at IS NULL
                    ORDER BY o.name, g.last_name COLLATE NOCASE, g.first_name, g.id
                    """, arguments: [territoryID]
            ).map {
                TerritoryAgentOption(
                    organisationID: $0["organisation_id"], organisationName: $0["organisation"], agentID: $0["agent_id"],
                    agentName: Self.agentName($0))
            }
        }
    }

    /// « Attribuer à une organisation » / « Attribuer à un agent »: the organisation must be of
    /// the sector's territory and the agent one of its members.
    public func addSectorAttribution(_ attribution: SectorAttribution, territoryID: Int64, now: Date) throws
        -> Result<Int64, ValidationRefusal>
    {
        try writer.write { db in
            guard
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM organisations WHERE id = ? AND territory_id = ?",
                    arguments: [attribution.organisationID, territoryID]) != nil
            else { return .failure(ValidationRefusal(issues: [.error("organisation_id", "doit être une organisation du territoire")])) }
            let hasRole = try attribution.agentID.map {
                try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM agent_roles WHERE agent_id = ? AND organisation_id = ?",
                    arguments: [$0, attribution.organisationID]) != nil
            } ?? true
            let others = try Row.fetchAll(db, sql: "SELECT * FROM sector_attributions WHERE sector_id = ?", arguments: [attribution.sectorID])
                .map {
                    SectorAttribution(
                        id: $0["id"], sectorID: $0["sector_id"], organisationID: $0["organisation_id"],
                        level: SectorAttribution.Level(rawValue: $0["level"]) ?? .organisation, agentID: $0["agent_id"])
                }
            let issues = attribution.validate(agentHasRoleInOrganisation: hasRole, others: others)
            guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            try db.execute(
                sql: """
                    INSERT INTO sector_attributions (sector_id, organisation_id, level, agent_id, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    attribution.sectorID, attribution.organisationID, attribution.level.rawValue, attribution.agentID,
                    Self.epoch(now), Self.epoch(now),
                ])
            return .success(db.lastInsertedRowID)
        }
    }

    public func removeSectorAttribution(id: Int64, sectorID: Int64) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM sector_attributions WHERE id = ? AND sector_id = ?", arguments: [id, sectorID])
            return db.changesCount == 1
        }
    }

    /// « Importer des zones » (admin.md §5): each row « Créée », « Déjà existante » or its error.
    /// With `apply`, everything is written in one transaction when no row is in error, nothing
    /// otherwise; a dry run writes nothing. `replace` first deletes the zones of the sectors the
    /// file names.
    public func importZones(
        _ lines: [ZoneImportLine], territoryID: Int64, replace: Bool, apply: Bool, now: Date
    ) throws -> (results: [ZoneImportResult], applied: Bool) {
        struct Rollback: Error { let results: [ZoneImportResult] }
        do {
            let results = try writer.write { db -> [ZoneImportResult] in
                let departement = try String.fetchOne(
                    db, sql: "SELECT departement_number FROM territories WHERE id = ?", arguments: [territoryID])
                let sectors = Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(
                        db, sql: "SELECT id, human_id FROM sectors WHERE territory_id = ?", arguments: [territoryID]
                    ).map { ($0["human_id"] as String, $0["id"] as Int64) })
                if replace {
                    let named = Set(lines.compactMap { sectors[$0.sectorHumanID] })
                    for id in named { try db.execute(sql: "DELETE FROM zones WHERE sector_id = ?", arguments: [id]) }
                }
                var seen = Set<String>()
                var results: [ZoneImportResult] = []
                let epoch = Self.epoch(now)
                for line in lines {
                    guard let sectorID = sectors[line.sectorHumanID] else {
                        results.append(.init(line: line, outcome: .error("Secteur inconnu : « \(line.sectorHumanID) »")))
                        continue
                    }
                    let zone = line.zone(sectorID: sectorID)
                    var problems = zone.validate(departementNumber: departement)
                    if zone.cityCode.wholeMatch(of: /[0-9][0-9AB][0-9]{3}/) == nil {
                        problems.append(.error("city_code", "Code INSEE invalide : « \(zone.cityCode) »"))
                    }
                    if let ban = zone.streetBanID, ban.wholeMatch(of: /[0-9][0-9AB][0-9]{3}_[0-9A-Za-z]+/) == nil {
                        problems.append(.error("street_ban_id", "Identifiant BAN de la voie invalide : « \(ban) »"))
                    }
                    if let problem = problems.errors.first {
                        results.append(.init(line: line, outcome: .error(Self.zoneMessage(problem))))
                        continue
                    }
                    let key = "\(sectorID)|\(zone.level.rawValue)|\(zone.streetBanID ?? zone.cityCode)"
                    guard seen.insert(key).inserted else {
                        results.append(.init(line: line, outcome: .error("Ligne en double dans le fichier")))
                        continue
                    }
                    let exists =
                        try Bool.fetchOne(
                            db,
                            sql: zone.level == .city
                                ? "SELECT 1 FROM zones WHERE sector_id = ? AND level = 'city' AND city_code = ?"
                                : "SELECT 1 FROM zones WHERE sector_id = ? AND level = 'street' AND street_ban_id = ?",
                            arguments: [sectorID, zone.streetBanID ?? zone.cityCode]) != nil
                    if exists {
                        results.append(.init(line: line, outcome: .existing))
                        continue
                    }
                    try db.execute(
                        sql: """
                            INSERT INTO zones (sector_id, level, city_name, city_code, street_name, street_ban_id, created_at, updated_at)
                            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                            """,
                        arguments: [
                            sectorID, zone.level.rawValue, zone.cityName, zone.cityCode, zone.streetName, zone.streetBanID,
                            epoch, epoch,
                        ])
                    results.append(.init(line: line, outcome: .created))
                }
                let failed = results.contains { if case .error = $0.outcome { true } else { false } }
                if !apply || failed { throw Rollback(results: results) }
                return results
            }
            return (results, true)
        } catch let rollback as Rollback {
            return (rollback.results, false)
        }
    }

    private static func zoneMessage(_ issue: ValidationIssue) -> String {
        guard let first = issue.message.first, first.isLowercase else { return issue.message }
        let labels = [
            "city_name": "Nom de la commune", "city_code": "Code INSEE", "street_name": "Nom de la voie",
            "street_ban_id": "Identifiant BAN de la voie",
        ]
        return "\(labels[issue.field] ?? issue.field) \(issue.message)"
    }

    /// « Test de sectorisation »: the zones of the territory an address falls in (its city code
    /// or its street's BAN id), each with its sector's attributions.
    public func sectorisationMatches(territoryID: Int64, cityCode: String, streetBanID: String?) throws -> [SectorisationMatch] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT z.*, s.name AS sector_name,
                      (SELECT group_concat(o.name || CASE WHEN g.id IS NULL THEN '' ELSE ' — ' || coalesce(g.first_name || ' ', '') || upper(g.last_name) END, ' ; ')
                       FROM sector_attributions a JOIN organisations o ON o.id = a.organisation_id
                       LEFT JOIN agents g ON g.id = a.agent_id WHERE a.sector_id = s.id) AS attributions
                    FROM zones z JOIN sectors s ON s.id = z.sector_id
                    WHERE s.territory_id = ? AND ((z.level = 'city' AND z.city_code = ?) OR (z.level = 'street' AND z.street_ban_id = ?))
                    ORDER BY s.name, z.level
                    """, arguments: [territoryID, cityCode, streetBanID]
            ).map {
                SectorisationMatch(
                    sectorName: $0["sector_name"], zoneLabel: Self.zone($0).label,
                    attributions: (($0["attributions"] as String?) ?? "").components(separatedBy: " ; ").filter { !$0.isEmpty })
            }
        }
    }

    /// The territory's sectorised motifs (level ≠ `departement`), for « Test de sectorisation ».
    public func sectorisedMotifIDs(territoryID: Int64) throws -> [(id: Int64, name: String, organisationName: String)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.name, o.name AS organisation FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                    WHERE o.territory_id = ? AND m.deleted_at IS NULL AND m.sectorisation_level <> 'departement'
                    ORDER BY o.name, m.name, m.id
                    """, arguments: [territoryID]
            ).map { ($0["id"], $0["name"], $0["organisation"]) }
        }
    }

    static func sector(_ row: Row) -> Sector {
        Sector(id: row["id"], territoryID: row["territory_id"], name: row["name"], humanID: row["human_id"])
    }

    static func zone(_ row: Row) -> Zone {
        Zone(
            id: row["id"], sectorID: row["sector_id"], level: Zone.Level(rawValue: row["level"]) ?? .city,
            cityName: row["city_name"], cityCode: row["city_code"], streetName: row["street_name"],
            streetBanID: row["street_ban_id"])
    }
}
