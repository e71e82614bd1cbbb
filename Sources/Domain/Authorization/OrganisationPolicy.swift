/// permissions.md §2 "Motifs, places, organisations, territory".
public enum OrganisationPolicy {
    /// Show: member.
    public static func show(_ p: Principal, organisationID: Int64) -> Access {
        p.isMember(of: organisationID) ? .allowed : .hidden
    }

    /// Update info, online booking page, stats: admin of it.
    public static func update(_ p: Principal, organisationID: Int64) -> Access {
        Access.decide(inScope: p.isMember(of: organisationID), p.isAdmin(of: organisationID))
    }

    /// Create: TA of the territory (the creator becomes its first admin).
    public static func create(_ p: Principal, territoryID: Int64) -> Bool { p.isTerritorialAdmin(of: territoryID) }

    /// Delete: never from the UI.
    public static func delete(_ p: Principal, organisationID: Int64) -> Bool { false }

    /// The « Boîte d'envoi » of development instances (admin.md §11): organisation admins, for
    /// their organisations' messages (the query filters).
    public static func readDevelopmentOutbox(_ p: Principal) -> Bool {
        p.memberships.contains { $0.level == .admin }
    }
}

public enum TerritoryPolicy {
    /// Settings, services, optional fields, motif categories, SMS, holidays, sectorisation,
    /// webhooks: TA of the territory.
    public static func configure(_ p: Principal, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(ofTerritory: territoryID) || p.isTerritorialAdmin(of: territoryID),
            p.isTerritorialAdmin(of: territoryID))
    }

    /// Teams: CRUD and membership: TA, or `allow_to_manage_teams` in that territory.
    public static func manageTeams(_ p: Principal, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(ofTerritory: territoryID) || p.isTerritorialAdmin(of: territoryID),
            AgentPolicy.manageTeams(p, territoryID: territoryID))
    }

    /// « Espace admin » → « Agents » (admin.md §3): TA, or a holder of any territorial right
    /// ("holders of a territorial right see only their sections"); each change on the page has
    /// its own `AgentPolicy` rule.
    public static func manageAgents(_ p: Principal, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(ofTerritory: territoryID) || p.isTerritorialAdmin(of: territoryID),
            p.isTerritorialAdmin(of: territoryID) || p.rights(in: territoryID).any)
    }

    /// « Inviter un agent » from « Espace admin »: TA, or `allow_to_invite_agents` there.
    public static func inviteAgents(_ p: Principal, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(ofTerritory: territoryID) || p.isTerritorialAdmin(of: territoryID),
            p.isTerritorialAdmin(of: territoryID) || p.rights(in: territoryID).inviteAgents)
    }
}

public enum MotifPolicy {
    /// Use (see, book, choose in search): its organisation is one of the agent's, and secretary,
    /// admin there, or its service is the agent's (secretaries thus also use `for_secretariat` ones).
    public static func use(_ p: Principal, organisationID: Int64, serviceID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(of: organisationID),
            p.isSecretary || p.isAdmin(of: organisationID) || p.serviceIDs.contains(serviceID))
    }

    /// Manage (create, edit, delete, duplicate, history): admin of its organisation.
    public static func manage(_ p: Principal, organisationID: Int64) -> Access {
        Access.decide(inScope: p.isMember(of: organisationID), p.isAdmin(of: organisationID))
    }

    /// Duplicate into another organisation of the same territory: admin there, or TA.
    public static func duplicate(_ p: Principal, into organisationID: Int64, territoryID: Int64) -> Bool {
        p.isAdmin(of: organisationID) || p.isTerritorialAdmin(of: territoryID)
    }

    /// « Espace admin » → « Motifs », its list and bulk edit across the territory: TA.
    public static func bulkEdit(_ p: Principal, territoryID: Int64) -> Access {
        Access.decide(
            inScope: p.isMember(ofTerritory: territoryID) || p.isTerritorialAdmin(of: territoryID),
            p.isTerritorialAdmin(of: territoryID))
    }

    /// Internal prescription (booking.md §5.2): a motif of the current organisation's territory
    /// open outside its organisation (`bookable_by` ≠ `agents`); agents neither admin of the
    /// current organisation nor secretaries prescribe only for their own services.
    public static func prescribe(
        _ p: Principal, currentOrganisationID: Int64, motifTerritoryID: Int64, serviceID: Int64,
        bookableOutsideOfOrganisation: Bool
    ) -> Access {
        guard let current = p.membership(currentOrganisationID), current.territoryID == motifTerritoryID,
            bookableOutsideOfOrganisation
        else { return .hidden }
        return Access.decide(inScope: true, p.isSecretary || current.level == .admin || p.serviceIDs.contains(serviceID))
    }
}

public enum PlacePolicy {
    /// List: member of its organisation.
    public static func list(_ p: Principal, organisationID: Int64) -> Access {
        p.isMember(of: organisationID) ? .allowed : .hidden
    }

    /// Create, edit, disable: admin of its organisation.
    public static func manage(_ p: Principal, organisationID: Int64) -> Access {
        Access.decide(inScope: p.isMember(of: organisationID), p.isAdmin(of: organisationID))
    }
}

public enum WebhookPolicy {
    /// Webhook endpoints of any organisation of the territory: TA.
    public static func manage(_ p: Principal, territoryID: Int64) -> Access { TerritoryPolicy.configure(p, territoryID: territoryID) }
}

/// Users (permissions.md §2 "Users and related records").
public struct UserView: Sendable, Equatable {
    public let isDeleted: Bool
    public let organisationIDs: Set<Int64>

    public init(isDeleted: Bool, organisationIDs: Set<Int64>) {
        self.isDeleted = isDeleted
        self.organisationIDs = organisationIDs
    }
}

public enum UserPolicy {
    /// Show, edit, delete from organisation, invite, merge: not deleted, and a profile in the
    /// current organisation, or in any organisation of the territory when users are visible
    /// throughout it (`territoryOrganisationIDs` then lists them).
    public static func show(
        _ p: Principal, _ user: UserView, currentOrganisationID: Int64, visibleThroughoutTerritory: Bool,
        territoryOrganisationIDs: Set<Int64>
    ) -> Access {
        guard !user.isDeleted, p.isMember(of: currentOrganisationID) else { return .hidden }
        let scope = visibleThroughoutTerritory ? territoryOrganisationIDs : [currentOrganisationID]
        return user.organisationIDs.isDisjoint(with: scope) ? .hidden : .allowed
    }

    /// Create: any member (the user gets a profile in the current organisation).
    public static func create(_ p: Principal, currentOrganisationID: Int64) -> Access {
        p.isMember(of: currentOrganisationID) ? .allowed : .hidden
    }

    /// History: admin of the current organisation.
    public static func history(_ p: Principal, currentOrganisationID: Int64) -> Access {
        Access.decide(inScope: p.isMember(of: currentOrganisationID), p.isAdmin(of: currentOrganisationID))
    }

    /// The users list and its search (booking.md §9): any member; the query keeps to the users
    /// `show` allows.
    public static func list(_ p: Principal, currentOrganisationID: Int64) -> Access {
        p.isMember(of: currentOrganisationID) ? .allowed : .hidden
    }

    /// Referent assign or unassign: the agent can see the user (`userAccess`, from `show`) and
    /// the referent agent shares a territory with the caller.
    public static func assignReferent(_ p: Principal, userAccess: Access, referentTerritoryIDs: Set<Int64>) -> Access {
        guard userAccess == .allowed else { return userAccess }
        return referentTerritoryIDs.contains(where: p.isMember(ofTerritory:)) ? .allowed : .refused
    }
}
