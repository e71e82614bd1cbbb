import Domain
import Foundation
import GRDB

/// A team of « Espace admin » → « Équipes » (admin.md §3) with its members' names.
public struct TeamRow: Sendable, Equatable {
    public let team: Team
    public let memberNames: [String]
}

extension AppDatabase {
    public func teams(territoryID: Int64) throws -> [TeamRow] {
        try writer.read { db in try Self.teams(db, territoryID: territoryID) }
    }

    static func teams(_ db: Database, territoryID: Int64) throws -> [TeamRow] {
        let members = try Row.fetchAll(
            db,
            sql: """
                SELECT x.team_id, g.id, g.first_name, g.last_name FROM agent_teams x JOIN teams t ON t.id = x.team_id
                JOIN agents g ON g.id = x.agent_id
                WHERE t.territory_id = ? AND g.deleted_at IS NULL ORDER BY g.last_name COLLATE NOCASE, g.first_name, g.id
                """, arguments: [territoryID])
        var byTeam: [Int64: [(Int64, String)]] = [:]
        for row in members {
            byTeam[row["team_id"], default: []].append((row["id"], agentName(row)))
        }
        return try Row.fetchAll(
            db, sql: "SELECT id, name FROM teams WHERE territory_id = ? ORDER BY name COLLATE NOCASE, id", arguments: [territoryID]
        ).map { row in
            let id: Int64 = row["id"]
            let people = byTeam[id] ?? []
            return TeamRow(
                team: Team(id: id, territoryID: territoryID, name: row["name"], agentIDs: people.map(\.0)),
                memberNames: people.map(\.1))
        }
    }

    /// Creates or updates the team and its members in one transaction, after domain.md §4's rules
    /// (name unique in the territory, members with a role there).
    public func saveTeam(_ team: Team, now: Date) throws -> Result<Int64, ValidationRefusal> {
        try writer.write { db in
            let siblings = try Self.teams(db, territoryID: team.territoryID).map(\.team)
            if let id = team.id, !siblings.contains(where: { $0.id == id }) {
                return .failure(ValidationRefusal(issues: [.error("base", "Cette équipe n'existe plus.")]))
            }
            let withRole = Set(
                try Int64.fetchAll(
                    db,
                    sql: "SELECT DISTINCT r.agent_id FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.territory_id = ?",
                    arguments: [team.territoryID]))
            let issues = team.validate(siblings: siblings, agentIDsWithRoleInTerritory: withRole)
            guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            let epoch = Self.epoch(now)
            let id: Int64
            if let existing = team.id {
                try db.execute(
                    sql: "UPDATE teams SET name = ?, updated_at = ? WHERE id = ?",
                    arguments: [team.name.trimmingCharacters(in: .whitespaces), epoch, existing])
                try db.execute(sql: "DELETE FROM agent_teams WHERE team_id = ?", arguments: [existing])
                id = existing
            } else {
                try db.execute(
                    sql: "INSERT INTO teams (territory_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [team.territoryID, team.name.trimmingCharacters(in: .whitespaces), epoch, epoch])
                id = db.lastInsertedRowID
            }
            for agentID in Set(team.agentIDs).sorted() {
                try db.execute(
                    sql: "INSERT INTO agent_teams (team_id, agent_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    arguments: [id, agentID, epoch, epoch])
            }
            return .success(id)
        }
    }

    public func deleteTeam(id: Int64, territoryID: Int64) throws -> Bool {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM teams WHERE id = ? AND territory_id = ?", arguments: [id, territoryID])
            return db.changesCount == 1
        }
    }
}
