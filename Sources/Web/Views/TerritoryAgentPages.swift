import Domain
import Foundation
import Persistence

/// `territory_agents/index`: « Espace admin » → « Agents » (admin.md §3): the territory's agents
/// with their organisations and levels, services and badges, a search by name or e-mail, 50 per
/// page.
public struct TerritoryAgentIndexPage: PageModel, Equatable {
    public static let template = "territory_agents/index"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let email: String
        public let organisations: String
        public let services: String
        public let invitationPending: Bool
        public let isTerritorialAdmin: Bool
        public let path: String
    }

    public let formPath: String
    public let query: String
    public let invitePath: String?
    public let rows: [Row]
    public let hasRows: Bool
    public let summary: String
    public let pagination: Pagination

    static func load(
        territoryID: Int64, rows: [TerritoryAgentRow], total: Int, search: String, page: Int, pageSize: Int, canInvite: Bool
    ) -> TerritoryAgentIndexPage {
        let listPath = SiteURL.territory(id: territoryID, .agents)
        let summary =
            switch (total, search.isEmpty) {
            case (0, true): "Aucun agent dans le territoire."
            case (0, false): "Aucun agent ne correspond à votre recherche."
            case (1, _): "1 agent"
            default: "\(total) agents"
            }
        return TerritoryAgentIndexPage(
            formPath: listPath.path, query: search,
            invitePath: canInvite ? SiteURL.territory(id: territoryID, .newAgent).path : nil,
            rows: rows.map { row in
                Row(
                    name: row.name, email: row.email ?? "—",
                    organisations: row.roles.map { "\($0.organisationName) (\($0.level.label))" }.joined(separator: ", "),
                    services: row.serviceNames.joined(separator: ", "), invitationPending: row.invitationPending,
                    isTerritorialAdmin: row.isTerritorialAdmin,
                    path: SiteURL.territory(id: territoryID, .agent(id: row.agentID)).path)
            }, hasRows: !rows.isEmpty,
            summary: summary,
            pagination: Pagination(current: page, total: (total + pageSize - 1) / pageSize) { number in
                listPath.path(query: ["q": search.isEmpty ? nil : search, "page": number == 1 ? nil : "\(number)"])
            })
    }
}

/// `territory_agents/edit`: one agent's territory settings (admin.md §3, permissions.md §2):
/// services, « Administrateur du territoire », territorial rights and teams, each fieldset shown
/// to whoever may change it, and the agent's « Historique ».
public struct TerritoryAgentEditPage: PageModel, Equatable {
    public static let template = "territory_agents/edit"

    /// What the viewer may change on this agent.
    struct Permissions: Equatable {
        let services: Bool
        let territorialAdmin: Bool
        let rights: Bool
        let teams: Bool

        var any: Bool { services || territorialAdmin || rights || teams }

        init(_ p: Principal, territoryID: Int64, target: AgentView) {
            services = AgentPolicy.changeServices(p, target)
            territorialAdmin = AgentPolicy.grantTerritorialAdmin(p, territoryID: territoryID)
            rights = AgentPolicy.editAccessRights(p, territoryID: territoryID)
            teams = AgentPolicy.manageTeams(p, territoryID: territoryID)
        }
    }

    static let labels = [
        "services": "Services", "territorial_admin": "Administrateur du territoire", "rights": "Droits territoriaux",
        "teams": "Équipes",
    ]

    static let rightLabels: [(name: String, label: String)] = [
        ("allow_to_invite_agents", "Peut inviter des agents"),
        ("allow_to_manage_teams", "Peut gérer les équipes"),
        ("allow_to_manage_access_rights", "Peut gérer les droits d'accès"),
    ]

    static let historyFields: [(name: String, label: String)] =
        [("services", "Services"), ("territorial_admin", "Administrateur du territoire")] + rightLabels
        + [("teams", "Équipes")]

    public let heading: String
    public let backPath: String
    public let path: String
    public let email: String
    public let organisations: [String]
    public let invitationPending: Bool
    public let baseError: String?
    public let servicesField: ChoiceGroup?
    public let territorialAdminField: ChoiceGroup?
    public let rightsField: ChoiceGroup?
    public let teamsField: ChoiceGroup?
    public let canSave: Bool
    public let history: HistoryList

    static func load(
        territoryID: Int64, row: TerritoryAgentRow, permissions: Permissions, services: [NamedOption], teams: [Team],
        submitted: TerritoryAgentChange?, history: [VersionEntry], zone: TimeZone, errors: [String: String]
    ) -> TerritoryAgentEditPage {
        let serviceIDs = submitted?.serviceIDs ?? row.serviceIDs
        let isAdmin = submitted?.isTerritorialAdmin ?? row.isTerritorialAdmin
        let rights = submitted?.rights ?? row.rights
        let teamIDs = submitted?.teamIDs ?? row.teamIDs
        let granted: [String: Bool] = [
            "allow_to_invite_agents": rights.inviteAgents, "allow_to_manage_teams": rights.manageTeams,
            "allow_to_manage_access_rights": rights.manageAccessRights,
        ]
        return TerritoryAgentEditPage(
            heading: row.name, backPath: SiteURL.territory(id: territoryID, .agents).path,
            path: SiteURL.territory(id: territoryID, .agent(id: row.agentID)).path, email: row.email ?? "—",
            organisations: row.roles.map { "\($0.organisationName) : \($0.level.label)" },
            invitationPending: row.invitationPending, baseError: errors["base"],
            servicesField: permissions.services
                ? ChoiceGroup(
                    id: "service_ids", name: "service_ids", legend: "Services", hint: "Au moins un, parmi les services du territoire",
                    options: services.map {
                        .init(id: "service_ids-\($0.id)", value: "\($0.id)", label: $0.name, isSelected: serviceIDs.contains($0.id))
                    }, error: errors["services"]) : nil,
            territorialAdminField: permissions.territorialAdmin
                ? ChoiceGroup(
                    id: "territorial_admin", name: "territorial_admin", legend: "Rôle dans le territoire",
                    hint: "Un administrateur du territoire gère l'« Espace admin » et les agents de toutes ses organisations",
                    options: [
                        .init(id: "territorial_admin-1", value: "1", label: "Administrateur du territoire", isSelected: isAdmin)
                    ], error: errors["territorial_admin"]) : nil,
            rightsField: permissions.rights
                ? ChoiceGroup(
                    id: "rights", name: "rights", legend: "Droits territoriaux",
                    hint: "Sans être administrateur du territoire", options: rightLabels.map {
                        .init(id: "rights-\($0.name)", value: $0.name, label: $0.label, isSelected: granted[$0.name] ?? false)
                    }, error: errors["rights"]) : nil,
            teamsField: permissions.teams
                ? ChoiceGroup(
                    id: "team_ids", name: "team_ids", legend: "Équipes", hint: nil,
                    options: teams.map {
                        .init(
                            id: "team_ids-\($0.id ?? 0)", value: "\($0.id ?? 0)", label: $0.name,
                            isSelected: teamIDs.contains($0.id ?? 0))
                    }, error: errors["teams"], emptyMessage: teams.isEmpty ? "Aucune équipe dans le territoire." : nil) : nil,
            canSave: permissions.any,
            history: HistoryList.load(history, fields: historyFields, zone: zone) { field, value in
                field == "services" || field == "teams" ? value : value == "1" ? "Oui" : "Non"
            })
    }
}
