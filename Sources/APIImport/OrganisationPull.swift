import Foundation

/// What an API v1 tells of one organisation, as its JSON answers (api.md §6–§7): read once, then
/// mapped without the network (``InterchangeMapping``).
public struct OrganisationPull {
    public var signedInAgent: [String: Any]
    public var organisation: [String: Any]
    public var agents: [[String: Any]]
    public var lieux: [[String: Any]]
    public var motifs: [[String: Any]]
    public var plages: [[String: Any]]
    public var absences: [[String: Any]]
    public var users: [[String: Any]]
    public var rdvs: [[String: Any]]

    /// The calls of api.md §6 an agent of the organisation may make: the organisation, its agents,
    /// places, motifs, opening periods, absences, users, and its appointments from `from` on.
    /// `organisationID` nil: the signed-in agent's only organisation (several: an error naming them).
    public static func read(client: APIv1Client, organisationID: Int64?, from: Date) throws(APIv1Client.Failure) -> Self {
        let id: Int64
        if let organisationID { id = organisationID } else { id = try onlyOrganisation(client) }
        guard let organisation = try client.get("/organisations/\(id)")["organisation"] as? [String: Any] else {
            throw APIv1Client.Failure("/organisations/\(id) : pas d'objet « organisation »")
        }
        let agents = try client.collection("/agents", root: "agents", query: [("organisation_id", String(id))])
        let agentIDs = Set(agents.compactMap(Self.id))
        let formatter = ISO8601DateFormatter()
        return OrganisationPull(
            signedInAgent: client.agent, organisation: organisation, agents: agents,
            lieux: try client.collection("/organisations/\(id)/lieux", root: "lieux"),
            motifs: try client.collection("/organisations/\(id)/motifs", root: "motifs"),
            plages: try client.collection("/plage_ouvertures", root: "plage_ouvertures", query: [("organisation_id", String(id))]),
            // In scope are the absences of every agent the caller sees; those of this organisation's agents.
            absences: try client.collection("/absences", root: "absences").filter { absence in
                Self.id(absence["agent"] as? [String: Any] ?? [:]).map(agentIDs.contains) ?? false
            },
            users: try client.collection("/organisations/\(id)/users", root: "users"),
            rdvs: try client.collection(
                "/organisations/\(id)/rdvs", root: "rdvs", query: [("starts_after", formatter.string(from: from))]))
    }

    /// The signed-in agent's only organisation; with several, an error naming them.
    static func onlyOrganisation(_ client: APIv1Client) throws(APIv1Client.Failure) -> Int64 {
        let organisations = try client.collection("/organisations", root: "organisations")
        if organisations.count == 1, let only = id(organisations[0]) { return only }
        let names = organisations.map { "\($0["id"] ?? "?") (\($0["name"] ?? "?"))" }.joined(separator: ", ")
        throw APIv1Client.Failure("choisissez l'organisation avec --organisation parmi : \(names)")
    }

    static func id(_ object: [String: Any]) -> Int64? { (object["id"] as? NSNumber)?.int64Value }
}
