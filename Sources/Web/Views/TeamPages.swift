import Domain
import Foundation
import Persistence

/// `teams/index`: « Espace admin » → « Équipes » (admin.md §3): the territory's teams and the
/// creation form; `teams/edit`: one team renamed, its members chosen, or deleted.
public struct TeamIndexPage: PageModel, Equatable {
    public static let template = "teams/index"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let members: String
        public let path: String
    }

    public let rows: [Row]
    public let hasRows: Bool
    public let formPath: String
    public let nameField: FormField
    public let membersField: ChoiceGroup

    static let labels = ["name": "Nom", "agents": "Membres"]

    /// The territory's agents once each (an agent of two organisations is one person).
    static func membersField(_ agents: [TerritoryAgentOption], selected: Set<Int64>, error: String?) -> ChoiceGroup {
        var seen = Set<Int64>()
        let people = agents.filter { seen.insert($0.agentID).inserted }.sorted { ($0.agentName, $0.agentID) < ($1.agentName, $1.agentID) }
        return ChoiceGroup(
            id: "agents", name: "agent_ids[]", legend: labels["agents"] ?? "", hint: "Les agents des organisations du territoire",
            options: people.map {
                .init(id: "agent-\($0.agentID)", value: "\($0.agentID)", label: $0.agentName, isSelected: selected.contains($0.agentID))
            }, error: error, emptyMessage: people.isEmpty ? "Aucun agent dans le territoire." : nil)
    }

    static func load(
        territoryID: Int64, teams: [TeamRow], agents: [TerritoryAgentOption], name: String = "", selected: Set<Int64> = [],
        errors: [String: String] = [:]
    ) -> TeamIndexPage {
        TeamIndexPage(
            rows: teams.map {
                Row(
                    name: $0.team.name, members: $0.memberNames.isEmpty ? "Aucun membre" : $0.memberNames.joined(separator: ", "),
                    path: SiteURL.territory(id: territoryID, .team(id: $0.team.id ?? 0)).path)
            }, hasRows: !teams.isEmpty, formPath: SiteURL.territory(id: territoryID, .teams).path,
            nameField: FormField(name: "name", label: labels["name"] ?? "", value: name, required: true, error: errors["name"]),
            membersField: membersField(agents, selected: selected, error: errors["agents"]))
    }
}

public struct TeamEditPage: PageModel, Equatable {
    public static let template = "teams/edit"

    public let heading: String
    public let backPath: String
    public let path: String
    public let nameField: FormField
    public let membersField: ChoiceGroup
    public let baseError: String?

    static func load(
        territoryID: Int64, team: Team, agents: [TerritoryAgentOption], name: String? = nil, selected: Set<Int64>? = nil,
        errors: [String: String] = [:]
    ) -> TeamEditPage {
        TeamEditPage(
            heading: "Équipe « \(team.name) »", backPath: SiteURL.territory(id: territoryID, .teams).path,
            path: SiteURL.territory(id: territoryID, .team(id: team.id ?? 0)).path,
            nameField: FormField(
                name: "name", label: TeamIndexPage.labels["name"] ?? "", value: name ?? team.name, required: true,
                error: errors["name"]),
            membersField: TeamIndexPage.membersField(agents, selected: selected ?? Set(team.agentIDs), error: errors["agents"]),
            baseError: errors["base"])
    }
}
