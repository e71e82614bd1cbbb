import Domain
import Foundation
import GRDB

/// « Espace admin » → « Agents » (admin.md §3): every agent with a role in the territory, its
/// organisations and levels, services, « Administrateur du territoire », territorial rights and
/// teams. Who may change which part is `AgentPolicy`'s; the rules on the data are here.
public struct TerritoryAgentRow: Sendable, Equatable {
    public struct Role: Sendable, Equatable {
        public let organisationID: Int64
        public let organisationName: String
        public let level: AgentRole.AccessLevel
    }

    public let agentID: Int64
    public let name: String
    public let email: String?
    public let invitationPending: Bool
    public let isTerritorialAdmin: Bool
    /// Its roles in the territory's organisations, by organisation name.
    public let roles: [Role]
    public let serviceIDs: Set<Int64>
    public let serviceNames: [String]
    public let rights: Principal.TerritorialRights
    public let teamIDs: Set<Int64>
}

/// What the « Modifier » form of one agent changes; nil parts are left as they are (the editor
/// may not change them).
public struct TerritoryAgentChange: Sendable, Equatable {
    public var agentID: Int64
    public var territoryID: Int64
    /// Among the territory's active services; the agent's services of other territories are kept.
    public var serviceIDs: Set<Int64>?
    public var isTerritorialAdmin: Bool?
    public var rights: Principal.TerritorialRights?
    /// Among the territory's teams.
    public var teamIDs: Set<Int64>?

    public init(
        agentID: Int64, territoryID: Int64, serviceIDs: Set<Int64>? = nil, isTerritorialAdmin: Bool? = nil,
        rights: Principal.TerritorialRights? = nil, teamIDs: Set<Int64>? = nil
    ) {
        self.agentID = agentID
        self.territoryID = territoryID
        self.serviceIDs = serviceIDs
        self.isTerritorialAdmin = isTerritorialAdmin
        self.rights = rights
        self.teamIDs = teamIDs
    }
}

extension AppDatabase {
    public static let intervenantTerritorialMessage =
        "Un intervenant n'a pas d'adresse e-mail et ne se connecte pas : il ne peut pas recevoir de rôle ni de droit territorial."
    public static let lastTerritorialAdminMessage = "Le territoire doit garder au moins un administrateur du territoire."

    /// The territory's agents (not soft-deleted) whose name or e-mail contains `search`, by name;
    /// one page of `limit` and the number of matches.
    public func territoryAgents(territoryID: Int64, search: String, limit: Int, offset: Int) throws
        -> (rows: [TerritoryAgentRow], total: Int)
    {
        try writer.read { db in
            let (condition, words) = Self.agentSearchCondition(search)
            let filter = """
                FROM agents g WHERE g.deleted_at IS NULL AND g.id IN (
                    SELECT r.agent_id FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id WHERE o.territory_id = ?)
                AND \(condition)
                """
            let arguments = [territoryID] + StatementArguments(words)
            let total = try Int.fetchOne(db, sql: "SELECT count(*) " + filter, arguments: arguments) ?? 0
            let ids = try Int64.fetchAll(
                db,
                sql: "SELECT g.id " + filter
                    + " ORDER BY g.last_name COLLATE NOCASE, g.first_name COLLATE NOCASE, g.id LIMIT ? OFFSET ?",
                arguments: arguments + [limit, offset])
            return (try Self.territoryAgents(db, territoryID: territoryID, ids: ids), total)
        }
    }

    public func territoryAgent(territoryID: Int64, agentID: Int64) throws -> TerritoryAgentRow? {
        try writer.read { db in try Self.territoryAgents(db, territoryID: territoryID, ids: [agentID]).first }
    }

    /// The rows of `ids` in that order, each with its roles in the territory (an agent without
    /// one there is left out).
    static func territoryAgents(_ db: Database, territoryID: Int64, ids: [Int64]) throws -> [TerritoryAgentRow] {
        guard !ids.isEmpty else { return [] }
        let (list, arguments) = inList(ids)
        let roles = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT r.agent_id, r.access_level, o.id, o.name FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                    WHERE o.territory_id = ? AND r.agent_id IN (\(list)) ORDER BY o.name COLLATE NOCASE, o.id
                    """, arguments: [territoryID] + arguments), by: { $0["agent_id"] as Int64 })
        let services = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT x.agent_id, s.id, s.name FROM agent_services x JOIN services s ON s.id = x.service_id
                    WHERE x.agent_id IN (\(list)) ORDER BY s.name
                    """, arguments: arguments), by: { $0["agent_id"] as Int64 })
        let admins = Set(
            try Int64.fetchAll(
                db, sql: "SELECT agent_id FROM territorial_roles WHERE territory_id = ? AND agent_id IN (\(list))",
                arguments: [territoryID] + arguments))
        let rights = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT * FROM territorial_access_rights WHERE territory_id = ? AND agent_id IN (\(list))",
                arguments: [territoryID] + arguments
            ).map {
                (
                    $0["agent_id"] as Int64,
                    Principal.TerritorialRights(
                        inviteAgents: $0["allow_to_invite_agents"], manageTeams: $0["allow_to_manage_teams"],
                        manageAccessRights: $0["allow_to_manage_access_rights"])
                )
            })
        let teams = Dictionary(
            grouping: try Row.fetchAll(
                db,
                sql: """
                    SELECT x.agent_id, x.team_id FROM agent_teams x JOIN teams t ON t.id = x.team_id
                    WHERE t.territory_id = ? AND x.agent_id IN (\(list))
                    """, arguments: [territoryID] + arguments), by: { $0["agent_id"] as Int64 })
        let agents = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT * FROM agents WHERE id IN (\(list)) AND deleted_at IS NULL", arguments: arguments
            ).map { ($0["id"] as Int64, $0) })
        return ids.compactMap { id in
            guard let row = agents[id], let agentRoles = roles[id], !agentRoles.isEmpty else { return nil }
            return TerritoryAgentRow(
                agentID: id, name: agentName(row), email: row["email"],
                invitationPending: row["invitation_sent_at"] != nil && row["invitation_accepted_at"] == nil,
                isTerritorialAdmin: admins.contains(id),
                roles: agentRoles.map {
                    .init(
                        organisationID: $0["id"], organisationName: $0["name"],
                        level: AgentRole.AccessLevel(rawValue: $0["access_level"]) ?? .basic)
                }, serviceIDs: Set((services[id] ?? []).map { $0["id"] as Int64 }),
                serviceNames: (services[id] ?? []).map { $0["name"] as String }, rights: rights[id] ?? .init(),
                teamIDs: Set((teams[id] ?? []).map { $0["team_id"] as Int64 }))
        }
    }

    /// Saves the parts of `change` that are set, in one transaction with the agent's version
    /// (domain.md §0): services stay ≥ 1 and active in the territory, the territory keeps a
    /// territorial admin (domain.md §4), teams are the territory's.
    public func updateTerritoryAgent(_ change: TerritoryAgentChange, author: String, now: Date) throws
        -> Result<Void, ValidationRefusal>
    {
        do {
            return .success(
                try writer.write { db in
                    guard let before = try Self.territoryAgents(db, territoryID: change.territoryID, ids: [change.agentID]).first
                    else { throw ValidationRefusal(issues: [.error("base", "Cet agent ne fait plus partie du territoire.")]) }
                    let epoch = Self.epoch(now)
                    let (agentID, territoryID) = (change.agentID, change.territoryID)
                    // An intervenant (no e-mail) cannot sign in: territorial roles would be empty words.
                    if before.email == nil {
                        if change.isTerritorialAdmin == true && !before.isTerritorialAdmin {
                            throw ValidationRefusal(issues: [.error("territorial_admin", Self.intervenantTerritorialMessage)])
                        }
                        if let rights = change.rights, rights.any, rights != before.rights {
                            throw ValidationRefusal(issues: [.error("rights", Self.intervenantTerritorialMessage)])
                        }
                    }
                    if let chosen = change.serviceIDs {
                        try Self.checkServices(db, chosen, territoryID: territoryID)
                        let active = Set(
                            try Int64.fetchAll(
                                db, sql: "SELECT service_id FROM territory_services WHERE territory_id = ?", arguments: [territoryID]))
                        for removed in before.serviceIDs.intersection(active).subtracting(chosen) {
                            try db.execute(
                                sql: "DELETE FROM agent_services WHERE agent_id = ? AND service_id = ?", arguments: [agentID, removed])
                        }
                        for added in chosen.subtracting(before.serviceIDs).sorted() {
                            try db.execute(
                                sql: "INSERT INTO agent_services (agent_id, service_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                                arguments: [agentID, added, epoch, epoch])
                        }
                    }
                    if let isAdmin = change.isTerritorialAdmin, isAdmin != before.isTerritorialAdmin {
                        if isAdmin {
                            try db.execute(
                                sql: "INSERT INTO territorial_roles (agent_id, territory_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                                arguments: [agentID, territoryID, epoch, epoch])
                        } else {
                            try db.execute(
                                sql: "DELETE FROM territorial_roles WHERE agent_id = ? AND territory_id = ?",
                                arguments: [agentID, territoryID])
                            let left = try Int.fetchOne(
                                db, sql: "SELECT count(*) FROM territorial_roles WHERE territory_id = ?", arguments: [territoryID])
                            if left == 0 {
                                throw ValidationRefusal(issues: [.error("territorial_admin", Self.lastTerritorialAdminMessage)])
                            }
                        }
                    }
                    if let rights = change.rights {
                        try db.execute(
                            sql: """
                                INSERT INTO territorial_access_rights (agent_id, territory_id, allow_to_invite_agents,
                                    allow_to_manage_teams, allow_to_manage_access_rights, created_at, updated_at)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                ON CONFLICT (agent_id, territory_id) DO UPDATE SET allow_to_invite_agents = excluded.allow_to_invite_agents,
                                    allow_to_manage_teams = excluded.allow_to_manage_teams,
                                    allow_to_manage_access_rights = excluded.allow_to_manage_access_rights, updated_at = excluded.updated_at
                                """,
                            arguments: [
                                agentID, territoryID, rights.inviteAgents, rights.manageTeams, rights.manageAccessRights, epoch, epoch,
                            ])
                    }
                    if let teamIDs = change.teamIDs {
                        let territoryTeams = Set(
                            try Int64.fetchAll(db, sql: "SELECT id FROM teams WHERE territory_id = ?", arguments: [territoryID]))
                        guard teamIDs.isSubset(of: territoryTeams) else {
                            throw ValidationRefusal(issues: [.error("teams", "Une des équipes choisies n'existe plus.")])
                        }
                        for removed in before.teamIDs.subtracting(teamIDs) {
                            try db.execute(
                                sql: "DELETE FROM agent_teams WHERE agent_id = ? AND team_id = ?", arguments: [agentID, removed])
                        }
                        for added in teamIDs.subtracting(before.teamIDs).sorted() {
                            try db.execute(
                                sql: "INSERT INTO agent_teams (team_id, agent_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                                arguments: [added, agentID, epoch, epoch])
                        }
                    }
                    guard let after = try Self.territoryAgents(db, territoryID: territoryID, ids: [agentID]).first else { return }
                    try db.execute(sql: "UPDATE agents SET updated_at = ? WHERE id = ?", arguments: [epoch, agentID])
                    try Self.recordVersion(
                        db, itemType: "Agent", itemID: agentID, before: try Self.auditedFields(db, before, territoryID: territoryID),
                        after: try Self.auditedFields(db, after, territoryID: territoryID), author: author, organisationID: nil, now: now)
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    /// The territory-level fields of an agent's history, as the page names them.
    static func auditedFields(_ db: Database, _ row: TerritoryAgentRow, territoryID: Int64) throws -> AuditedFields {
        let teamNames = try teams(db, territoryID: territoryID).filter { row.teamIDs.contains($0.team.id ?? 0) }.map(\.team.name)
        return [
            ("services", row.serviceNames.joined(separator: ", ")),
            ("territorial_admin", row.isTerritorialAdmin),
            ("allow_to_invite_agents", row.rights.inviteAgents),
            ("allow_to_manage_teams", row.rights.manageTeams),
            ("allow_to_manage_access_rights", row.rights.manageAccessRights),
            ("teams", teamNames.joined(separator: ", ")),
        ]
    }
}
