import Domain
import HTTP
import Persistence

/// What a signed-in agent route receives: the agent is not optional, its roles are typed.
/// Built once per request by `AgentPipeline.signedIn`; an anonymous visitor never reaches the
/// action (it is sent to the sign-in page).
public struct AgentContext: Sendable {
    public let account: AgentAccount
    /// Roles, services and territorial rights, for the policies of Domain/Authorization.
    public let principal: Principal
    /// The organisations where the agent has a role, by name.
    public let memberships: [AgentOrganisation]
    /// The organisation of the page (its id is in the path), or the agent's first one.
    public let currentOrganisation: AgentOrganisation?

    /// The `territory_id` of the path, once `TerritoryPolicy.configure` lets this agent in
    /// (« Espace admin » pages: 403 for the territory's other members, 404 for outsiders).
    func configurableTerritoryID(_ exchange: Exchange) throws -> Int64 {
        let id = exchange.parameters.id("territory_id")
        try authorize(TerritoryPolicy.configure(principal, territoryID: id))
        return id
    }

    /// The layout with the navigation of admin.md §1: the organisation switcher, the main menu of
    /// the current organisation and the name menu.
    func layout(_ exchange: Exchange) -> LayoutModel {
        var layout = exchange.layout
        layout.organisations = memberships.map {
            .init(
                name: $0.name, path: SiteURL.organisation(id: $0.id, .show).path,
                isCurrent: $0.id == currentOrganisation?.id)
        }
        layout.currentOrganisationName = currentOrganisation?.name
        let path = exchange.request.path
        /// Current when the page is the link's or under `section` (or under any of `sections`).
        /// `exactly`: current on the link's own page only.
        func link(
            _ label: String, _ url: SiteURL, under section: String? = nil, sections: [String] = [], except: [SiteURL] = [],
            exactly: Bool = false
        ) -> LayoutModel.MenuLink {
            let target = url.path
            let prefixes = sections.isEmpty ? [section ?? target] : sections
            let excluded = except.contains { path == $0.path }
            return .init(
                label: label, path: target,
                isCurrent: exactly
                    ? path == target
                    : !excluded && prefixes.contains { path == $0 || path.hasPrefix($0 + "/") })
        }
        if let organisation = currentOrganisation?.id {
            let agendas = SiteURL.organisation(id: organisation, .show).path + "/agent_agendas"
            layout.mainMenu = [
                link("Agenda", .organisation(id: organisation, .agenda(agentID: account.id)), under: agendas),
                link("Trouver un RDV", .organisation(id: organisation, .creneauxSearch)),
                // The booking wizard (GET …/rdvs/new, its form re-shown by POST …/rdvs) is reached
                // from the agenda or « Trouver un RDV », not from the list.
                link(
                    "Liste des RDV", .organisation(id: organisation, .rdvs),
                    except: [.organisation(id: organisation, .newRdv)]
                        + (exchange.request.method == "POST" ? [.organisation(id: organisation, .rdvs)] : [])),
                link("RDV collectifs", .organisation(id: organisation, .collectiveRdvs)),
                link("Usagers", .organisation(id: organisation, .users)),
            ]
            // admin.md §1: « Paramètres » → « Configuration », for the organisation's admins.
            if OrganisationPolicy.update(principal, organisationID: organisation) == .allowed {
                layout.settingsMenu = [
                    link("Organisation", .organisation(id: organisation, .edit)),
                    link("Lieux", .organisation(id: organisation, .places)),
                    link("Motifs", .organisation(id: organisation, .motifs)),
                    // Not the agendas' own pages under …/agents/<id>/.
                    link(
                        "Agents", .organisation(id: organisation, .agents),
                        sections: [
                            SiteURL.organisation(id: organisation, .newAgent).path,
                            SiteURL.organisation(id: organisation, .intervenants).path,
                            SiteURL.organisation(id: organisation, .show).path + "/agent_roles",
                        ] + (path == SiteURL.organisation(id: organisation, .agents).path
                            ? [SiteURL.organisation(id: organisation, .agents).path] : [])),
                    link("Réservation en ligne", .organisation(id: organisation, .onlineBooking)),
                    link("Statistiques", .organisation(id: organisation, .statistics)),
                ]
            }
            // « Espace admin » for the territory's admins.
            if let territory = currentOrganisation?.territoryID,
                TerritoryPolicy.configure(principal, territoryID: territory) == .allowed
            {
                layout.settingsMenu += [
                    link(
                        "Espace admin : territoire", .territory(id: territory, .show),
                        exactly: true),
                    link("Espace admin : services", .territory(id: territory, .services)),
                    link("Espace admin : catégories de motifs", .territory(id: territory, .motifCategories)),
                    link("Espace admin : organisations", .territory(id: territory, .organisations)),
                    link(
                        "Espace admin : motifs", .territory(id: territory, .motifs),
                        sections: [
                            SiteURL.territory(id: territory, .motifs).path,
                            SiteURL.territory(id: territory, .motifsBulkEdit).path,
                        ]),
                    link(
                        "Espace admin : sectorisation", .territory(id: territory, .sectors),
                        sections: [
                            SiteURL.territory(id: territory, .sectors).path, SiteURL.territory(id: territory, .zonesImport).path,
                            SiteURL.territory(id: territory, .sectorisationTest).path,
                        ]),
                    link("Espace admin : SMS", .territory(id: territory, .sms)),
                    link("Espace admin : webhooks", .territory(id: territory, .webhooks)),
                ]
            }
            // Agents also for holders of a territorial right (admin.md §1).
            if let territory = currentOrganisation?.territoryID,
                TerritoryPolicy.manageAgents(principal, territoryID: territory) == .allowed
            {
                layout.settingsMenu.append(link("Espace admin : agents", .territory(id: territory, .agents)))
            }
            // Teams also for agents with `allow_to_manage_teams` (permissions.md §2).
            if let territory = currentOrganisation?.territoryID,
                TerritoryPolicy.manageTeams(principal, territoryID: territory) == .allowed
            {
                layout.settingsMenu.append(link("Espace admin : équipes", .territory(id: territory, .teams)))
            }
        }
        layout.accountMenu = [
            link("Mon compte", .agents(.account)),
            link("Préférences de notifications", .agents(.preferences)),
            link("Synchronisation calendrier", .agents(.calendarSync)),
            link("Vos exports", .agents(.exports)),
        ]
        if let organisation = currentOrganisation?.id {
            layout.accountMenu.append(
                link("Mes statistiques", .organisation(id: organisation, .agentStatistics(agentID: account.id))))
        }
        return layout
    }
}
