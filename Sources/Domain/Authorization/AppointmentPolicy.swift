/// What the appointment rules need to know of one appointment.
public struct AppointmentView: Sendable, Equatable {
    public let organisationID: Int64
    public let agentIDs: Set<Int64>
    public let motifServiceID: Int64

    public init(organisationID: Int64, agentIDs: Set<Int64>, motifServiceID: Int64) {
        self.organisationID = organisationID
        self.agentIDs = agentIDs
        self.motifServiceID = motifServiceID
    }
}

/// permissions.md §2 "Appointment".
public enum AppointmentPolicy {
    /// List scope: in each organisation where the agent is a member, admin or secretary → all;
    /// basic → appointments where it is one of the agents or whose motif's service is its own.
    public static func inListScope(_ p: Principal, _ a: AppointmentView) -> Bool {
        guard let membership = p.membership(a.organisationID) else { return false }
        return membership.level == .admin || p.isSecretary || a.agentIDs.contains(p.agentID)
            || p.serviceIDs.contains(a.motifServiceID)
    }

    /// Show, edit, change status, participants, « Envoyer un rappel », « Salle d'attente »: one
    /// of its agents; or admin of its organisation; or member and (own service or secretary).
    /// A non-member is always refused, even if admin or secretary elsewhere. These are exactly
    /// the appointments of the list scope, so any other is out of scope: absent, 404 (the
    /// preamble of permissions.md), never a 403 that would tell it exists.
    public static func show(_ p: Principal, _ a: AppointmentView) -> Access {
        inListScope(p, a) ? .allowed : .hidden
    }

    /// Create: member of the organisation, the motif usable, every chosen agent in scope.
    public static func create(
        _ p: Principal, organisationID: Int64, motifUsable: Bool, agentsInScope: Bool
    ) -> Access {
        Access.decide(inScope: p.isMember(of: organisationID), motifUsable && agentsInScope)
    }

    /// Delete (hard) and the History tab: admin of its organisation.
    public static func delete(_ p: Principal, _ a: AppointmentView) -> Access {
        Access.decide(inScope: show(p, a) != .hidden, p.isAdmin(of: a.organisationID))
    }

    public static func history(_ p: Principal, _ a: AppointmentView) -> Access { delete(p, a) }

    /// The list scope of `inListScope` for a whole organisation, so « Liste des RDV » can filter
    /// in SQL: true when the agent sees every appointment there (admin or secretary member);
    /// otherwise only those where it is an agent or whose motif's service is its own.
    public static func listSeesAll(_ p: Principal, organisationID: Int64) -> Bool {
        guard let membership = p.membership(organisationID) else { return false }
        return membership.level == .admin || p.isSecretary
    }
}
