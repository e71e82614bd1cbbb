import Domain
import Testing

/// One test per rule of permissions.md §2, named after it. The cast: organisation 1 and 3 in
/// territory 62, organisation 2 in territory 59; service 1 PMI, 2 social, 9 Secrétariat.
enum Cast {
    static func member(_ organisation: Int64, _ level: AgentRole.AccessLevel = .basic) -> Principal.Membership {
        .init(organisationID: organisation, territoryID: organisation == 2 ? 59 : 62, level: level)
    }

    static let basic = Principal(agentID: 10, memberships: [member(1)], serviceIDs: [1], isSecretary: false)
    static let secretary = Principal(agentID: 11, memberships: [member(1)], serviceIDs: [9], isSecretary: true)
    static let orgAdmin = Principal(agentID: 12, memberships: [member(1, .admin)], serviceIDs: [2], isSecretary: false)
    static let territorialAdmin = Principal(
        agentID: 13, memberships: [member(3)], serviceIDs: [1], isSecretary: false, adminTerritoryIDs: [62])
    static let intervenant = Principal(
        agentID: 14, memberships: [member(1, .intervenant)], serviceIDs: [1], isSecretary: false)
    static let otherOrganisation = Principal(
        agentID: 15, memberships: [member(2, .admin)], serviceIDs: [1, 9], isSecretary: true)

    /// A PMI appointment of organisation 1 with agent 20, and a social one.
    static let pmi = AppointmentView(organisationID: 1, agentIDs: [20], motifServiceID: 1)
    static let social = AppointmentView(organisationID: 1, agentIDs: [20], motifServiceID: 2)
    /// Agent 20: organisation 1, PMI; agent 21: organisation 1, social.
    static let pmiColleague = AgentView(agentID: 20, organisationIDs: [1], territoryIDs: [62], serviceIDs: [1])
    static let socialColleague = AgentView(agentID: 21, organisationIDs: [1], territoryIDs: [62], serviceIDs: [2])
}

@Suite("Permissions (permissions.md §2)")
struct AuthorizationTests {
    @Test("Appointment list scope: admin or secretary all; basic its own agendas or its services")
    func appointmentListScope() {
        #expect(AppointmentPolicy.inListScope(Cast.basic, Cast.pmi))
        #expect(!AppointmentPolicy.inListScope(Cast.basic, Cast.social))
        #expect(AppointmentPolicy.inListScope(Cast.secretary, Cast.social))
        #expect(AppointmentPolicy.inListScope(Cast.orgAdmin, Cast.pmi))
        #expect(!AppointmentPolicy.inListScope(Cast.territorialAdmin, Cast.pmi))
        #expect(!AppointmentPolicy.inListScope(Cast.otherOrganisation, Cast.pmi))
    }

    @Test("Appointment show: a non-member is always refused, even if admin or secretary elsewhere")
    func appointmentShow() {
        #expect(AppointmentPolicy.show(Cast.basic, Cast.pmi) == .allowed)
        #expect(AppointmentPolicy.show(Cast.basic, Cast.social) == .hidden)
        #expect(AppointmentPolicy.show(Cast.secretary, Cast.social) == .allowed)
        #expect(AppointmentPolicy.show(Cast.orgAdmin, Cast.pmi) == .allowed)
        #expect(AppointmentPolicy.show(Cast.otherOrganisation, Cast.pmi) == .hidden)
        #expect(AppointmentPolicy.show(Cast.territorialAdmin, Cast.pmi) == .hidden)
        // One of its agents sees it whatever its service
        let own = AppointmentView(organisationID: 1, agentIDs: [10], motifServiceID: 2)
        #expect(AppointmentPolicy.show(Cast.basic, own) == .allowed)
    }

    @Test("Intervenant: cannot sign in (permissions.md §1)")
    func intervenantCannotSignIn() {
        #expect(!AgentPolicy.maySignIn(Cast.intervenant))
        #expect(AgentPolicy.maySignIn(Cast.basic))
        #expect(AgentPolicy.maySignIn(Cast.territorialAdmin))
        // An intervenant somewhere who is a basic agent elsewhere signs in for that role.
        let both = Principal(
            agentID: 30, memberships: [Cast.member(1, .intervenant), Cast.member(2)], serviceIDs: [1], isSecretary: false)
        #expect(AgentPolicy.maySignIn(both))
    }

    @Test("Appointment create: member, usable motif, every chosen agent in scope")
    func appointmentCreate() {
        #expect(AppointmentPolicy.create(Cast.basic, organisationID: 1, motifUsable: true, agentsInScope: true) == .allowed)
        #expect(AppointmentPolicy.create(Cast.basic, organisationID: 1, motifUsable: false, agentsInScope: true) == .refused)
        #expect(AppointmentPolicy.create(Cast.basic, organisationID: 1, motifUsable: true, agentsInScope: false) == .refused)
        #expect(
            AppointmentPolicy.create(Cast.otherOrganisation, organisationID: 1, motifUsable: true, agentsInScope: true)
                == .hidden)
    }

    @Test("Appointment delete and history: admin of its organisation")
    func appointmentDeleteAndHistory() {
        #expect(AppointmentPolicy.delete(Cast.orgAdmin, Cast.pmi) == .allowed)
        #expect(AppointmentPolicy.delete(Cast.secretary, Cast.pmi) == .refused)
        #expect(AppointmentPolicy.history(Cast.basic, Cast.pmi) == .refused)
        #expect(AppointmentPolicy.delete(Cast.otherOrganisation, Cast.pmi) == .hidden)
    }

    @Test("See another agent's agenda: both members, and self, confrère, admin there or secretary")
    func agenda() {
        #expect(AgentPolicy.seeAgenda(Cast.basic, of: Cast.pmiColleague, in: 1) == .allowed)
        #expect(AgentPolicy.seeAgenda(Cast.basic, of: Cast.socialColleague, in: 1) == .refused)
        #expect(AgentPolicy.seeAgenda(Cast.secretary, of: Cast.socialColleague, in: 1) == .allowed)
        #expect(AgentPolicy.seeAgenda(Cast.orgAdmin, of: Cast.pmiColleague, in: 1) == .allowed)
        #expect(AgentPolicy.seeAgenda(Cast.otherOrganisation, of: Cast.pmiColleague, in: 1) == .hidden)
        #expect(AgentPolicy.seeAgenda(Cast.territorialAdmin, of: Cast.pmiColleague, in: 1) == .hidden)
    }

    @Test("OpeningPeriod: self, or member and confrère, admin or secretary")
    func openingPeriods() {
        let own = AgentView(agentID: 10, organisationIDs: [1], territoryIDs: [62], serviceIDs: [1])
        #expect(AgentPolicy.manageOpeningPeriod(Cast.basic, agent: own, organisationID: 1) == .allowed)
        #expect(AgentPolicy.manageOpeningPeriod(Cast.basic, agent: Cast.socialColleague, organisationID: 1) == .refused)
        #expect(AgentPolicy.manageOpeningPeriod(Cast.secretary, agent: Cast.socialColleague, organisationID: 1) == .allowed)
        #expect(AgentPolicy.manageOpeningPeriod(Cast.otherOrganisation, agent: own, organisationID: 1) == .hidden)
    }

    @Test("Absence: its agent is in the viewer's agent scope")
    func absences() {
        #expect(AgentPolicy.manageAbsence(Cast.basic, agent: Cast.pmiColleague) == .allowed)
        #expect(AgentPolicy.manageAbsence(Cast.basic, agent: Cast.socialColleague) == .hidden)
        #expect(AgentPolicy.manageAbsence(Cast.territorialAdmin, agent: Cast.socialColleague) == .allowed)
        #expect(AgentPolicy.manageAbsence(Cast.otherOrganisation, agent: Cast.pmiColleague) == .hidden)
    }

    @Test("Agent scope: self, confrères where basic, all where admin or secretary, all in TA territories")
    func agentScope() {
        #expect(AgentPolicy.inScope(Cast.basic, Cast.pmiColleague))
        #expect(!AgentPolicy.inScope(Cast.basic, Cast.socialColleague))
        #expect(AgentPolicy.inScope(Cast.orgAdmin, Cast.pmiColleague))
        #expect(AgentPolicy.inScope(Cast.secretary, Cast.socialColleague))
        #expect(AgentPolicy.inScope(Cast.territorialAdmin, Cast.socialColleague))
        #expect(!AgentPolicy.inScope(Cast.otherOrganisation, Cast.pmiColleague))
    }

    @Test("Agent show, edit profile, re-send invitation: self, admin of one of its organisations, TA")
    func agentEdit() {
        #expect(AgentPolicy.edit(Cast.orgAdmin, Cast.pmiColleague) == .allowed)
        #expect(AgentPolicy.edit(Cast.territorialAdmin, Cast.pmiColleague) == .allowed)
        #expect(AgentPolicy.edit(Cast.basic, Cast.pmiColleague) == .refused)
        #expect(AgentPolicy.edit(Cast.otherOrganisation, Cast.pmiColleague) == .hidden)
    }

    @Test("Invite a new agent into O: admin of O, TA of its territory, or allow_to_invite_agents")
    func inviteNewAgent() {
        #expect(AgentPolicy.inviteNewAgent(Cast.orgAdmin, organisationID: 1, territoryID: 62) == .allowed)
        #expect(AgentPolicy.inviteNewAgent(Cast.territorialAdmin, organisationID: 1, territoryID: 62) == .allowed)
        #expect(AgentPolicy.inviteNewAgent(Cast.basic, organisationID: 1, territoryID: 62) == .refused)
        let inviter = Principal(
            agentID: 16, memberships: [Cast.member(3)], serviceIDs: [1], isSecretary: false,
            rights: [62: .init(inviteAgents: true)])
        #expect(AgentPolicy.inviteNewAgent(inviter, organisationID: 1, territoryID: 62) == .allowed)
        #expect(AgentPolicy.inviteNewAgent(Cast.otherOrganisation, organisationID: 1, territoryID: 62) == .hidden)
    }

    @Test("Add a role to an agent already member elsewhere: TA of the territory only")
    func addRoleToExistingAgent() {
        #expect(AgentPolicy.addRoleToExistingAgent(Cast.territorialAdmin, territoryID: 62))
        #expect(!AgentPolicy.addRoleToExistingAgent(Cast.orgAdmin, territoryID: 62))
    }

    @Test("Change an access level in O: admin of O or TA; remove: admin of O not themselves, or TA")
    func levelsAndRemoval() {
        #expect(AgentPolicy.changeLevel(Cast.orgAdmin, organisationID: 1, territoryID: 62))
        #expect(AgentPolicy.changeLevel(Cast.territorialAdmin, organisationID: 1, territoryID: 62))
        #expect(!AgentPolicy.changeLevel(Cast.secretary, organisationID: 1, territoryID: 62))
        #expect(AgentPolicy.removeFromOrganisation(Cast.orgAdmin, target: 20, organisationID: 1, territoryID: 62))
        #expect(!AgentPolicy.removeFromOrganisation(Cast.orgAdmin, target: 12, organisationID: 1, territoryID: 62))
        #expect(!AgentPolicy.removeFromOrganisation(Cast.otherOrganisation, target: 20, organisationID: 1, territoryID: 62))
    }

    @Test("Change an agent's services: TA or a territorial right, never an organisation admin")
    func services() {
        #expect(AgentPolicy.changeServices(Cast.territorialAdmin, Cast.pmiColleague))
        #expect(!AgentPolicy.changeServices(Cast.orgAdmin, Cast.pmiColleague))
        let teams = Principal(
            agentID: 17, memberships: [Cast.member(1)], serviceIDs: [1], isSecretary: false,
            rights: [62: .init(manageTeams: true)])
        #expect(AgentPolicy.changeServices(teams, Cast.pmiColleague))
    }

    @Test("Territorial admin, access rights and teams: TA, or the matching right")
    func territorialRights() {
        let manager = Principal(
            agentID: 18, memberships: [Cast.member(1)], serviceIDs: [1], isSecretary: false,
            rights: [62: .init(manageTeams: true, manageAccessRights: true)])
        #expect(AgentPolicy.grantTerritorialAdmin(Cast.territorialAdmin, territoryID: 62))
        #expect(!AgentPolicy.grantTerritorialAdmin(manager, territoryID: 62))
        #expect(AgentPolicy.editAccessRights(manager, territoryID: 62))
        #expect(AgentPolicy.manageTeams(manager, territoryID: 62))
        #expect(!AgentPolicy.manageTeams(Cast.orgAdmin, territoryID: 62))
    }

    @Test("Motif use: its organisation, and secretary, admin there or its service; manage: admin")
    func motifs() {
        #expect(MotifPolicy.use(Cast.basic, organisationID: 1, serviceID: 1) == .allowed)
        #expect(MotifPolicy.use(Cast.basic, organisationID: 1, serviceID: 2) == .refused)
        #expect(MotifPolicy.use(Cast.secretary, organisationID: 1, serviceID: 2) == .allowed)
        #expect(MotifPolicy.use(Cast.otherOrganisation, organisationID: 1, serviceID: 1) == .hidden)
        #expect(MotifPolicy.manage(Cast.orgAdmin, organisationID: 1) == .allowed)
        #expect(MotifPolicy.manage(Cast.secretary, organisationID: 1) == .refused)
        #expect(MotifPolicy.bulkEdit(Cast.territorialAdmin, territoryID: 62) == .allowed)
        #expect(MotifPolicy.bulkEdit(Cast.orgAdmin, territoryID: 62) == .refused)
    }

    @Test("Place: list for members, manage for admins")
    func places() {
        #expect(PlacePolicy.list(Cast.intervenant, organisationID: 1) == .allowed)
        #expect(PlacePolicy.list(Cast.otherOrganisation, organisationID: 1) == .hidden)
        #expect(PlacePolicy.manage(Cast.orgAdmin, organisationID: 1) == .allowed)
        #expect(PlacePolicy.manage(Cast.basic, organisationID: 1) == .refused)
    }

    @Test("Organisation: show for members, update for its admin, create for TA, never deleted")
    func organisations() {
        #expect(OrganisationPolicy.show(Cast.basic, organisationID: 1) == .allowed)
        #expect(OrganisationPolicy.show(Cast.otherOrganisation, organisationID: 1) == .hidden)
        #expect(OrganisationPolicy.show(Cast.territorialAdmin, organisationID: 1) == .hidden)
        #expect(OrganisationPolicy.update(Cast.orgAdmin, organisationID: 1) == .allowed)
        #expect(OrganisationPolicy.update(Cast.secretary, organisationID: 1) == .refused)
        #expect(OrganisationPolicy.create(Cast.territorialAdmin, territoryID: 62))
        #expect(!OrganisationPolicy.create(Cast.orgAdmin, territoryID: 62))
        #expect(!OrganisationPolicy.delete(Cast.territorialAdmin, organisationID: 1))
    }

    @Test("Territory settings, sectorisation and webhooks: TA")
    func territory() {
        #expect(TerritoryPolicy.configure(Cast.territorialAdmin, territoryID: 62) == .allowed)
        #expect(TerritoryPolicy.configure(Cast.orgAdmin, territoryID: 62) == .refused)
        #expect(TerritoryPolicy.configure(Cast.otherOrganisation, territoryID: 62) == .hidden)
        #expect(WebhookPolicy.manage(Cast.territorialAdmin, territoryID: 62) == .allowed)
    }

    @Test("User show: not deleted, a profile in the current organisation (or the territory when visible)")
    func users() {
        let user = UserView(isDeleted: false, organisationIDs: [3])
        let scope: Set<Int64> = [1, 3]
        #expect(
            UserPolicy.show(
                Cast.basic, user, currentOrganisationID: 1, visibleThroughoutTerritory: false,
                territoryOrganisationIDs: scope) == .hidden)
        #expect(
            UserPolicy.show(
                Cast.basic, user, currentOrganisationID: 1, visibleThroughoutTerritory: true,
                territoryOrganisationIDs: scope) == .allowed)
        #expect(
            UserPolicy.show(
                Cast.basic, UserView(isDeleted: true, organisationIDs: [1]), currentOrganisationID: 1,
                visibleThroughoutTerritory: false, territoryOrganisationIDs: scope) == .hidden)
        #expect(UserPolicy.create(Cast.intervenant, currentOrganisationID: 1) == .allowed)
        #expect(UserPolicy.history(Cast.orgAdmin, currentOrganisationID: 1) == .allowed)
        #expect(UserPolicy.history(Cast.basic, currentOrganisationID: 1) == .refused)
    }

    @Test("Export: any agent creates over its own organisations; only its owner downloads")
    func exports() {
        #expect(ExportPolicy.create(Cast.basic, organisationIDs: [1]) == .allowed)
        #expect(ExportPolicy.create(Cast.intervenant, organisationIDs: [1]) == .allowed)
        #expect(ExportPolicy.create(Cast.basic, organisationIDs: [1, 3]) == .hidden)
        #expect(ExportPolicy.create(Cast.basic, organisationIDs: []) == .hidden)
        #expect(ExportPolicy.download(Cast.basic, ownerAgentID: 10) == .allowed)
        #expect(ExportPolicy.download(Cast.orgAdmin, ownerAgentID: 10) == .hidden)
    }

    @Test("Boîte d'envoi: organisation admins only")
    func developmentOutbox() {
        #expect(OrganisationPolicy.readDevelopmentOutbox(Cast.orgAdmin))
        #expect(!OrganisationPolicy.readDevelopmentOutbox(Cast.secretary))
        #expect(!OrganisationPolicy.readDevelopmentOutbox(Cast.territorialAdmin))
    }
}
