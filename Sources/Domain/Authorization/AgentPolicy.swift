/// Agendas, opening periods, absences and agents (permissions.md §2 "Agendas, opening periods,
/// absences, agents").
public struct AgentView: Sendable, Equatable {
    public let agentID: Int64
    public let organisationIDs: Set<Int64>
    public let territoryIDs: Set<Int64>
    public let serviceIDs: Set<Int64>

    public init(agentID: Int64, organisationIDs: Set<Int64>, territoryIDs: Set<Int64>, serviceIDs: Set<Int64>) {
        self.agentID = agentID
        self.organisationIDs = organisationIDs
        self.territoryIDs = territoryIDs
        self.serviceIDs = serviceIDs
    }
}

public enum AgentPolicy {
    /// "Agent scope": self; confrères where basic; everyone where admin; everyone in its
    /// organisations if secretary; everyone in territories where TA.
    public static func inScope(_ p: Principal, _ target: AgentView) -> Bool {
        if target.agentID == p.agentID { return true }
        if !target.territoryIDs.isDisjoint(with: p.adminTerritoryIDs) { return true }
        return target.organisationIDs.contains { organisation in
            guard let membership = p.membership(organisation) else { return false }
            return membership.level == .admin || p.isSecretary || !target.serviceIDs.isDisjoint(with: p.serviceIDs)
        }
    }

    /// "See another agent's agenda" in `organisationID`: both members, and self, confrère, admin
    /// there or secretary.
    public static func seeAgenda(_ p: Principal, of target: AgentView, in organisationID: Int64) -> Access {
        guard p.isMember(of: organisationID), target.organisationIDs.contains(organisationID) else { return .hidden }
        return Access.decide(
            inScope: true,
            target.agentID == p.agentID || p.isAdmin(of: organisationID) || p.isSecretary
                || !target.serviceIDs.isDisjoint(with: p.serviceIDs))
    }

    /// OpeningPeriod: every action, same rule as the agenda of its agent in its organisation.
    public static func manageOpeningPeriod(_ p: Principal, agent: AgentView, organisationID: Int64) -> Access {
        agent.agentID == p.agentID ? .allowed : seeAgenda(p, of: agent, in: organisationID)
    }

    /// Absence: every action when its agent is in the viewer's agent scope.
    public static func manageAbsence(_ p: Principal, agent: AgentView) -> Access {
        inScope(p, agent) ? .allowed : .hidden
    }

    /// Agent show, edit profile, re-send invitation: self; admin of one of the target's
    /// organisations; TA of one of its territories.
    public static func edit(_ p: Principal, _ target: AgentView) -> Access {
        Access.decide(
            inScope: inScope(p, target),
            target.agentID == p.agentID || target.organisationIDs.contains { p.isAdmin(of: $0) }
                || !target.territoryIDs.isDisjoint(with: p.adminTerritoryIDs))
    }

    /// Agent stats (admin.md §7): self, or admin of an organisation they share.
    public static func statistics(_ p: Principal, _ target: AgentView) -> Access {
        Access.decide(
            inScope: inScope(p, target),
            target.agentID == p.agentID || target.organisationIDs.contains { p.isAdmin(of: $0) })
    }

    /// Invite a new agent into O: admin of O; TA of O's territory; `allow_to_invite_agents` there.
    public static func inviteNewAgent(_ p: Principal, organisationID: Int64, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(of: organisationID) || p.isMember(ofTerritory: territoryID)
                || p.isTerritorialAdmin(of: territoryID),
            p.isAdmin(of: organisationID) || p.isTerritorialAdmin(of: territoryID)
                || p.rights(in: territoryID).inviteAgents)
    }

    /// « Configuration » → « Agents » of O: whoever may invite there, change levels or remove
    /// (admin of O, TA of its territory, `allow_to_invite_agents`); other members are refused.
    public static func listOrganisationAgents(_ p: Principal, organisationID: Int64, territoryID: Int64) -> Access {
        inviteNewAgent(p, organisationID: organisationID, territoryID: territoryID)
    }

    /// Add a role in O to an agent already member of another organisation: TA of O's territory.
    public static func addRoleToExistingAgent(_ p: Principal, territoryID: Int64) -> Bool {
        p.isTerritorialAdmin(of: territoryID)
    }

    /// Change an access level in O: admin of O (the last-admin rule applies elsewhere); TA.
    public static func changeLevel(_ p: Principal, organisationID: Int64, territoryID: Int64) -> Bool {
        p.isAdmin(of: organisationID) || p.isTerritorialAdmin(of: territoryID)
    }

    /// Remove an agent from O: admin of O, not themselves; TA of O's territory.
    public static func removeFromOrganisation(
        _ p: Principal, target agentID: Int64, organisationID: Int64, territoryID: Int64
    ) -> Bool {
        p.isTerritorialAdmin(of: territoryID) || (p.isAdmin(of: organisationID) && agentID != p.agentID)
    }

    /// Change an agent's services: TA, or any territorial right, where the target has a role.
    /// Organisation admins cannot.
    public static func changeServices(_ p: Principal, _ target: AgentView) -> Bool {
        target.territoryIDs.contains { p.isTerritorialAdmin(of: $0) || p.rights(in: $0).any }
    }

    /// Grant or revoke territorial admin: TA of that territory.
    public static func grantTerritorialAdmin(_ p: Principal, territoryID: Int64) -> Bool {
        p.isTerritorialAdmin(of: territoryID)
    }

    /// Edit `TerritorialAccessRights`: TA, or `allow_to_manage_access_rights` there.
    public static func editAccessRights(_ p: Principal, territoryID: Int64) -> Bool {
        p.isTerritorialAdmin(of: territoryID) || p.rights(in: territoryID).manageAccessRights
    }

    /// Teams, CRUD and membership: TA, or `allow_to_manage_teams` there.
    public static func manageTeams(_ p: Principal, territoryID: Int64) -> Bool {
        p.isTerritorialAdmin(of: territoryID) || p.rights(in: territoryID).manageTeams
    }

    /// « Mon compte », « Préférences de notifications », « Synchronisation calendrier »
    /// (admin.md §6): one's own account only; another agent's is out of scope.
    public static func manageOwnAccount(_ p: Principal, agentID: Int64) -> Access {
        agentID == p.agentID ? .allowed : .hidden
    }

    /// The agenda page of `target` in `organisationID`: `seeAgenda`, but an agenda the viewer
    /// may not see is outside its agent scope, so absent (404, permissions.md preamble; issue 11
    /// journey 3: a basic agent opening the agenda of another service's colleague).
    public static func showAgenda(_ p: Principal, of target: AgentView, in organisationID: Int64) -> Access {
        seeAgenda(p, of: target, in: organisationID) == .allowed ? .allowed : .hidden
    }

    /// The opening-period pages of `agent` in `organisationID`: `manageOpeningPeriod`, absent
    /// (404) when refused, for the same reason as `showAgenda`.
    public static func showOpeningPeriods(_ p: Principal, agent: AgentView, organisationID: Int64) -> Access {
        manageOpeningPeriod(p, agent: agent, organisationID: organisationID) == .allowed ? .allowed : .hidden
    }

    /// The « Historique » of an opening period or an absence shown in `organisationID` (domain.md
    /// §0): for the admins of that organisation, once the record itself is shown.
    public static func seriesHistory(_ p: Principal, organisationID: Int64) -> Access {
        Access.decide(inScope: p.isMember(of: organisationID), p.isAdmin(of: organisationID))
    }
}

extension AgentPolicy {
    /// permissions.md §1: an intervenant « cannot sign in ». An agent whose every role is
    /// intervenant (and who is no territorial admin) is refused like a wrong password, so the
    /// answer says nothing of the account.
    public static func maySignIn(_ p: Principal) -> Bool {
        p.memberships.isEmpty || !p.adminTerritoryIDs.isEmpty || p.memberships.contains { $0.level != .intervenant }
    }
}
