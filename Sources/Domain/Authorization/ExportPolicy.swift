/// permissions.md §2 "Export".
public enum ExportPolicy {
    /// Create: any agent, over organisations it is a member of (the rows then follow its
    /// appointment scope, `AppointmentPolicy.listSeesAll`).
    public static func create(_ p: Principal, organisationIDs: [Int64]) -> Access {
        !organisationIDs.isEmpty && organisationIDs.allSatisfy(p.isMember(of:)) ? .allowed : .hidden
    }

    /// Download (and see in « Vos exports »): its owner only; anyone else is told it does not exist.
    public static func download(_ p: Principal, ownerAgentID: Int64) -> Access {
        ownerAgentID == p.agentID ? .allowed : .hidden
    }
}
