import Domain
import Foundation
import GRDB

/// « Configuration » → « Agents » (admin.md §2, §4): the organisation's agents with their
/// level, services and badges; « Inviter un agent », « Ajouter un intervenant », the level
/// change under the last-admin invariant, « Retirer de l'organisation », « Renvoyer l'invitation ».
public struct OrganisationAgentRow: Sendable, Equatable {
    public let agentID: Int64
    public let roleID: Int64
    public let firstName: String?
    public let lastName: String
    public let email: String?
    public let level: AgentRole.AccessLevel
    public let serviceNames: [String]
    /// « Invitation en attente »: invited, not yet accepted.
    public let invitationPending: Bool
    /// « Inactif » (domain.md §4): never signed in, or not for a month; not said of intervenants.
    public let isInactive: Bool

    public var displayName: String {
        [firstName, lastName.uppercased()].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }
}

/// What « Inviter un agent » asks for.
public struct AgentInvitationRequest: Sendable, Equatable {
    public var email: String
    public var firstName: String
    public var lastName: String
    public var level: AgentRole.AccessLevel
    public var serviceIDs: Set<Int64>
    public var organisationID: Int64
    /// « Espace admin » → « Agents » invites into several organisations of the territory at once:
    /// the roles beyond `organisationID`, in the same transaction.
    public var otherOrganisationIDs: [Int64]
    public var invitedByID: Int64
    /// permissions.md §2: only a territorial admin adds a role to an agent of another organisation.
    public var mayAddExistingAgent: Bool
    /// The territorial admin confirmed (« Enregistrer quand même ») that services are merged.
    public var confirmsServiceMerge: Bool

    public init(
        email: String, firstName: String, lastName: String, level: AgentRole.AccessLevel, serviceIDs: Set<Int64>,
        organisationID: Int64, otherOrganisationIDs: [Int64] = [], invitedByID: Int64, mayAddExistingAgent: Bool,
        confirmsServiceMerge: Bool
    ) {
        self.email = email
        self.firstName = firstName
        self.lastName = lastName
        self.level = level
        self.serviceIDs = serviceIDs
        self.organisationID = organisationID
        self.otherOrganisationIDs = otherOrganisationIDs
        self.invitedByID = invitedByID
        self.mayAddExistingAgent = mayAddExistingAgent
        self.confirmsServiceMerge = confirmsServiceMerge
    }
}

public enum AgentInvitationOutcome: Sendable, Equatable {
    /// A new agent, invited (the link's secret, for tests).
    case invited(agentID: Int64, token: String)
    /// An agent of another organisation, given a role here.
    case added(agentID: Int64)
    /// The chosen services differ from the agent's: the benign warning of admin.md §4.
    case servicesDiffer(current: [String], chosen: [String])
}

extension AppDatabase {
    public static let otherOrganisationAgentMessage =
        "Cet agent appartient déjà à une autre organisation. Seul un administrateur de territoire peut l'associer à plusieurs organisations."
    public static let futureAppointmentsMessage = "Cet agent a encore des RDV à venir dans cette organisation."

    public func organisationAgents(organisationID: Int64, now: Date) throws -> [OrganisationAgentRow] {
        try writer.read { db in
            let services = Dictionary(
                grouping: try Row.fetchAll(
                    db,
                    sql: """
                        SELECT x.agent_id, s.name FROM agent_services x JOIN services s ON s.id = x.service_id
                        JOIN agent_roles r ON r.agent_id = x.agent_id AND r.organisation_id = ? ORDER BY s.name
                        """, arguments: [organisationID]), by: { $0["agent_id"] as Int64 }
            ).mapValues { $0.map { $0["name"] as String } }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT g.*, r.id AS role_id, r.access_level FROM agent_roles r JOIN agents g ON g.id = r.agent_id
                    WHERE r.organisation_id = ? AND g.deleted_at IS NULL
                    ORDER BY g.last_name COLLATE NOCASE, g.first_name COLLATE NOCASE, g.id
                    """, arguments: [organisationID]
            ).map { row in
                let level = AgentRole.AccessLevel(rawValue: row["access_level"]) ?? .basic
                let lastSignIn = (row["last_sign_in_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
                let monthAgo = Calendar(identifier: .gregorian).date(byAdding: .month, value: -1, to: now) ?? now
                return OrganisationAgentRow(
                    agentID: row["id"], roleID: row["role_id"], firstName: row["first_name"], lastName: row["last_name"],
                    email: row["email"], level: level, serviceNames: services[row["id"]] ?? [],
                    invitationPending: row["invitation_sent_at"] != nil && row["invitation_accepted_at"] == nil,
                    isInactive: level != .intervenant && (lastSignIn.map { $0 < monthAgo } ?? true))
            }
        }
    }

    /// « Inviter un agent » (admin.md §4): an unknown e-mail creates the agent, its role, its
    /// services and rights and plans the invitation; a known one gets the role when the inviter
    /// may add existing agents, with its services merged once confirmed. All in one transaction.
    public func inviteAgent(_ request: AgentInvitationRequest, publicURL: String, now: Date) throws
        -> Result<AgentInvitationOutcome, ValidationRefusal>
    {
        let email = EmailAddress.normalised(request.email)
        do {
            return .success(
                try writer.write { db in
                    guard let territoryID = try Self.territoryID(db, organisationID: request.organisationID) else {
                        throw ValidationRefusal(issues: [.error("base", "Cette organisation n'existe plus.")])
                    }
                    try Self.checkServices(db, request.serviceIDs, territoryID: territoryID)
                    let epoch = Self.epoch(now)
                    if let existing = try Row.fetchOne(
                        db, sql: "SELECT id, invitation_accepted_at, invitation_sent_at FROM agents WHERE email = ? AND deleted_at IS NULL",
                        arguments: [email])
                    {
                        let agentID: Int64 = existing["id"]
                        for organisationID in [request.organisationID] + request.otherOrganisationIDs {
                            if let name = try String.fetchOne(
                                db,
                                sql: """
                                    SELECT o.name FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                                    WHERE r.agent_id = ? AND r.organisation_id = ?
                                    """, arguments: [agentID, organisationID])
                            {
                                throw ValidationRefusal(issues: [
                                    .error(
                                        "email",
                                        request.otherOrganisationIDs.isEmpty
                                            ? "Cet agent fait déjà partie de l'organisation."
                                            : "Cet agent fait déjà partie de l'organisation « \(name) ».")
                                ])
                            }
                        }
                        guard request.mayAddExistingAgent else {
                            throw ValidationRefusal(issues: [.error("email", Self.otherOrganisationAgentMessage)])
                        }
                        let current = try Self.serviceNames(
                            db, ids: Set(
                                try Int64.fetchAll(
                                    db, sql: "SELECT service_id FROM agent_services WHERE agent_id = ?", arguments: [agentID])))
                        let chosen = try Self.serviceNames(db, ids: request.serviceIDs)
                        if Set(current) != Set(chosen) && !request.confirmsServiceMerge {
                            return .servicesDiffer(current: current, chosen: chosen)
                        }
                        try Self.addRole(db, agentID: agentID, request: request, territoryID: territoryID, now: now)
                        // Not yet accepted: the invitation is sent again, for this organisation.
                        if existing["invitation_accepted_at"] == nil && existing["invitation_sent_at"] != nil {
                            _ = try Self.inviteAgent(
                                db, agentID: agentID, organisationID: request.organisationID,
                                invitedByID: request.invitedByID, instance: instance, publicURL: publicURL, now: now)
                        }
                        return .added(agentID: agentID)
                    }
                    let agent = Agent(
                        email: email, firstName: request.firstName, lastName: request.lastName,
                        serviceIDs: Array(request.serviceIDs))
                    let issues = agent.validate()
                    guard issues.errors.isEmpty else { throw ValidationRefusal(issues: issues) }
                    try db.execute(
                        sql: "INSERT INTO agents (email, first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [email, request.firstName, request.lastName, epoch, epoch])
                    let agentID = db.lastInsertedRowID
                    try Self.addRole(db, agentID: agentID, request: request, territoryID: territoryID, now: now)
                    guard
                        let token = try Self.inviteAgent(
                            db, agentID: agentID, organisationID: request.organisationID, invitedByID: request.invitedByID,
                            instance: instance, publicURL: publicURL, now: now)
                    else { throw ValidationRefusal(issues: [.error("base", "L'invitation n'a pas pu être préparée.")]) }
                    return .invited(agentID: agentID, token: token)
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    /// « Ajouter un intervenant »: an agenda without e-mail nor sign-in, notified of nothing.
    public func addIntervenant(
        lastName: String, firstName: String?, serviceIDs: Set<Int64>, organisationID: Int64, author: String?, now: Date
    ) throws -> Result<Int64, ValidationRefusal> {
        do {
            return .success(
                try writer.write { db in
                    guard let territoryID = try Self.territoryID(db, organisationID: organisationID) else {
                        throw ValidationRefusal(issues: [.error("base", "Cette organisation n'existe plus.")])
                    }
                    let agent = Agent(
                        email: nil, firstName: firstName, lastName: lastName, rdvNotificationsLevel: .none,
                        plageOuvertureNotificationLevel: .none, absenceNotificationLevel: .none,
                        serviceIDs: Array(serviceIDs))
                    let issues = agent.validate(isIntervenant: true)
                    guard issues.errors.isEmpty else { throw ValidationRefusal(issues: issues) }
                    try Self.checkServices(db, serviceIDs, territoryID: territoryID)
                    let epoch = Self.epoch(now)
                    try db.execute(
                        sql: """
                            INSERT INTO agents (first_name, last_name, rdv_notifications_level,
                                plage_ouverture_notification_level, absence_notification_level, created_at, updated_at)
                            VALUES (?, ?, 'none', 'none', 'none', ?, ?)
                            """, arguments: [firstName.flatMap { $0.isEmpty ? nil : $0 }, lastName, epoch, epoch])
                    let agentID = db.lastInsertedRowID
                    try Self.addRole(
                        db, agentID: agentID, organisationID: organisationID, level: .intervenant, serviceIDs: serviceIDs,
                        territoryID: territoryID, author: author, now: now)
                    return agentID
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    /// The role of the organisation with this id: (agent, level), nil when absent.
    public func organisationRole(id: Int64, organisationID: Int64) throws -> (agentID: Int64, level: AgentRole.AccessLevel)? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT agent_id, access_level FROM agent_roles WHERE id = ? AND organisation_id = ?",
                arguments: [id, organisationID]
            ).map { ($0["agent_id"], AgentRole.AccessLevel(rawValue: $0["access_level"]) ?? .basic) }
        }
    }

    /// Changes an access level (domain.md §4): never leaves the organisation without an admin;
    /// an intervenant becomes basic or admin only with an e-mail, and is then invited.
    public func changeAccessLevel(
        roleID: Int64, organisationID: Int64, level: AgentRole.AccessLevel, email: String?, invitedByID: Int64,
        publicURL: String, now: Date
    ) throws -> Result<Void, ValidationRefusal> {
        do {
            try writer.write { db in
                guard
                    let row = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT r.agent_id, r.access_level, g.email FROM agent_roles r JOIN agents g ON g.id = r.agent_id
                            WHERE r.id = ? AND r.organisation_id = ?
                            """, arguments: [roleID, organisationID])
                else { throw ValidationRefusal(issues: [.error("base", "Cet agent ne fait plus partie de l'organisation.")]) }
                let agentID: Int64 = row["agent_id"]
                let previous = AgentRole.AccessLevel(rawValue: row["access_level"]) ?? .basic
                guard previous != level else { return }
                try Self.checkLastAdmin(db, organisationID: organisationID, changingRoleID: roleID, to: level)
                let epoch = Self.epoch(now)
                if level == .intervenant {
                    throw ValidationRefusal(issues: [
                        .error("access_level", "Un agent qui a un compte ne peut pas devenir intervenant.")
                    ])
                }
                if previous == .intervenant {
                    let address = EmailAddress.normalised(email ?? "")
                    let agent = Agent(id: agentID, email: address, firstName: "-", lastName: "-", serviceIDs: [0])
                    let others = try Row.fetchAll(db, sql: "SELECT id, email FROM agents WHERE email = ?", arguments: [address])
                        .map { Agent(id: $0["id"], email: $0["email"], firstName: "-", lastName: "-", serviceIDs: [0]) }
                    let issues = agent.validate(others: others).filter { $0.field == "email" }
                    if address.isEmpty {
                        throw ValidationRefusal(issues: [
                            .error("email", "Adresse e-mail est obligatoire pour donner un accès à un intervenant.")
                        ])
                    }
                    guard issues.errors.isEmpty else { throw ValidationRefusal(issues: issues) }
                    try db.execute(
                        sql: """
                            UPDATE agents SET email = ?, rdv_notifications_level = 'others',
                                plage_ouverture_notification_level = 'all', absence_notification_level = 'all', updated_at = ?
                            WHERE id = ?
                            """, arguments: [address, epoch, agentID])
                }
                try Self.audited(
                    db, .agentRole, id: roleID, author: try Self.versionAuthor(db, .agent(invitedByID)), now: now
                ) {
                    try db.execute(
                        sql: "UPDATE agent_roles SET access_level = ?, updated_at = ? WHERE id = ?",
                        arguments: [level.rawValue, epoch, roleID])
                }
                if previous == .intervenant { try Self.planAgentWebhooks(db, agentID: agentID, event: .updated, now: now) }
                try Self.planAgentRoleWebhooks(db, roleID: roleID, organisationID: organisationID, event: .updated, now: now)
                if previous == .intervenant {
                    _ = try Self.inviteAgent(
                        db, agentID: agentID, organisationID: organisationID, invitedByID: invitedByID, instance: instance,
                        publicURL: publicURL, now: now)
                }
            }
            return .success(())
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    /// « Retirer de l'organisation » (domain.md §4): refused while the agent has future
    /// non-cancelled appointments there, or when it is the last admin; deletes the role and the
    /// agent's opening periods there; an agent left without any role is soft-deleted.
    public func removeAgentRole(roleID: Int64, organisationID: Int64, author: String?, now: Date) throws
        -> Result<Void, ValidationRefusal>
    {
        do {
            try writer.write { db in
                guard
                    let agentID = try Int64.fetchOne(
                        db, sql: "SELECT agent_id FROM agent_roles WHERE id = ? AND organisation_id = ?",
                        arguments: [roleID, organisationID])
                else { throw ValidationRefusal(issues: [.error("base", "Cet agent ne fait plus partie de l'organisation.")]) }
                try Self.checkLastAdmin(db, organisationID: organisationID, changingRoleID: roleID, to: nil)
                let future = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM appointments a JOIN appointment_agents x ON x.appointment_id = a.id
                        WHERE x.agent_id = ? AND a.organisation_id = ? AND a.starts_at > ?
                          AND a.status NOT IN ('excused', 'revoked') LIMIT 1
                        """, arguments: [agentID, organisationID, Self.epoch(now)]) != nil
                if future { throw ValidationRefusal(issues: [.error("base", Self.futureAppointmentsMessage)]) }
                let periods = try Int64.fetchAll(
                    db, sql: "SELECT id FROM opening_periods WHERE agent_id = ? AND organisation_id = ?",
                    arguments: [agentID, organisationID])
                for period in periods {
                    try Self.audited(db, .openingPeriod, id: period, author: author, now: now) {
                        try db.execute(sql: "DELETE FROM opening_periods WHERE id = ?", arguments: [period])
                    }
                }
                // Bodies before the delete; for this organisation's endpoints the agent is gone.
                try Self.planAgentRoleWebhooks(db, roleID: roleID, organisationID: organisationID, event: .destroyed, now: now)
                try Self.planAgentWebhooks(db, agentID: agentID, event: .destroyed, organisationIDs: [organisationID], now: now)
                try Self.audited(db, .agentRole, id: roleID, author: author, now: now) {
                    try db.execute(sql: "DELETE FROM agent_roles WHERE id = ?", arguments: [roleID])
                }
                let left = try Int.fetchOne(db, sql: "SELECT count(*) FROM agent_roles WHERE agent_id = ?", arguments: [agentID]) ?? 0
                if left == 0 { try Self.softDeleteAgent(db, agentID: agentID, now: now) }
            }
            return .success(())
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    // MARK: -

    /// domain.md §4 invariant, checked on the roles as they would be.
    private static func checkLastAdmin(
        _ db: Database, organisationID: Int64, changingRoleID: Int64, to level: AgentRole.AccessLevel?
    ) throws {
        let roles = try Row.fetchAll(
            db, sql: "SELECT id, agent_id, access_level FROM agent_roles WHERE organisation_id = ?",
            arguments: [organisationID]
        ).compactMap { row -> AgentRole? in
            let id: Int64 = row["id"]
            if id == changingRoleID {
                guard let level else { return nil }
                return AgentRole(id: id, agentID: row["agent_id"], organisationID: organisationID, accessLevel: level)
            }
            return AgentRole(
                id: id, agentID: row["agent_id"], organisationID: organisationID,
                accessLevel: AgentRole.AccessLevel(rawValue: row["access_level"]) ?? .basic)
        }
        if let issue = AgentRole.lastAdminIssue(remainingRoles: roles) { throw ValidationRefusal(issues: [issue]) }
    }

    /// The roles of the request, each in an organisation of the same territory.
    private static func addRole(
        _ db: Database, agentID: Int64, request: AgentInvitationRequest, territoryID: Int64, now: Date
    ) throws {
        for organisationID in [request.organisationID] + request.otherOrganisationIDs {
            guard try Self.territoryID(db, organisationID: organisationID) == territoryID else {
                throw ValidationRefusal(issues: [.error("organisations", "Une des organisations choisies n'est pas dans ce territoire.")])
            }
            try addRole(
                db, agentID: agentID, organisationID: organisationID, level: request.level,
                serviceIDs: request.serviceIDs, territoryID: territoryID,
                author: try versionAuthor(db, .agent(request.invitedByID)), now: now)
        }
    }

    /// The role, the services (merged), and the territory's rights row (all false) of domain.md §4.
    static func addRole(
        _ db: Database, agentID: Int64, organisationID: Int64, level: AgentRole.AccessLevel, serviceIDs: Set<Int64>,
        territoryID: Int64, author: String?, now: Date
    ) throws {
        let epoch = Self.epoch(now)
        try db.execute(
            sql: "INSERT INTO agent_roles (agent_id, organisation_id, access_level, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
            arguments: [agentID, organisationID, level.rawValue, epoch, epoch])
        let roleID = db.lastInsertedRowID
        try auditCreated(db, .agentRole, id: roleID, author: author, now: now)
        // For this organisation's endpoints the agent is new, whatever its other roles.
        try planAgentWebhooks(db, agentID: agentID, event: .created, organisationIDs: [organisationID], now: now)
        try planAgentRoleWebhooks(db, roleID: roleID, organisationID: organisationID, event: .created, now: now)
        for service in serviceIDs.sorted() {
            try db.execute(
                sql: "INSERT OR IGNORE INTO agent_services (agent_id, service_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [agentID, service, epoch, epoch])
        }
        try db.execute(
            sql: "INSERT OR IGNORE INTO territorial_access_rights (agent_id, territory_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            arguments: [agentID, territoryID, epoch, epoch])
    }

    /// admin.md §4: at least one service, each active in the territory.
    static func checkServices(_ db: Database, _ ids: Set<Int64>, territoryID: Int64) throws {
        if ids.isEmpty { throw ValidationRefusal(issues: [.error("services", "Choisissez au moins un service.")]) }
        let active = Set(
            try Int64.fetchAll(db, sql: "SELECT service_id FROM territory_services WHERE territory_id = ?", arguments: [territoryID]))
        if !ids.isSubset(of: active) {
            throw ValidationRefusal(issues: [.error("services", "Un des services choisis n'est pas activé dans ce territoire.")])
        }
    }

    private static func serviceNames(_ db: Database, ids: Set<Int64>) throws -> [String] {
        let (list, arguments) = inList(Array(ids))
        return ids.isEmpty
            ? [] : try String.fetchAll(db, sql: "SELECT name FROM services WHERE id IN (\(list)) ORDER BY name", arguments: arguments)
    }

    /// domain.md §4 "When no role is left, the agent is soft-deleted": its e-mail freed
    /// (`agent_<id>@deleted.invalid`, §0), its sessions and links ended.
    static func softDeleteAgent(_ db: Database, agentID: Int64, now: Date) throws {
        let epoch = Self.epoch(now)
        try db.execute(
            sql: """
                UPDATE agents SET deleted_at = ?, email = 'agent_' || id || '@deleted.invalid', password_hash = NULL,
                    updated_at = ? WHERE id = ?
                """, arguments: [epoch, epoch, agentID])
        try db.execute(sql: "DELETE FROM sessions WHERE agent_id = ?", arguments: [agentID])
        try db.execute(sql: "DELETE FROM account_tokens WHERE agent_id = ?", arguments: [agentID])
    }
}
