import Domain

/// Every address of the site a page or a redirect links to, by area (style.md §3: no
/// hand-written path in a template or a controller). Each path is printed from the same
/// `RoutePattern` the route table matches (`SiteURL.Pattern`), so a link always has a route.
public enum SiteURL: Hashable, Sendable {
    case home
    case health
    case asset(path: String)
    case agents(Agents)
    /// The areas of one organisation, `/admin/organisations/<id>/…`.
    case organisation(id: Int64, Organisation)
    /// « Espace admin » of one territory, `/admin/territories/<id>/…` (admin.md §3).
    case territory(id: Int64, Territory)
    /// « Boîte d'envoi »: what the development providers kept (notifications.md §7).
    case devOutbox
    case superAdmins(SuperAdmins)
    /// The agent's webcal feed (notifications.md §10).
    case calendarFeed(uid: String)
    case api(API)
    /// Public statistics (admin.md §7): every territory, or one by its département number.
    case statistics
    case territoryStatistics(departementNumber: String)
    /// The public search (booking.md §2): its steps, and the chosen slot's re-check.
    case publicSearch
    case publicSlot
    /// External prescribers (booking.md §5.1): their search, their details, the booking and
    /// its confirmation.
    case prescriberSearch, prescriberDetails, prescriberRdvs, prescriberConfirmation
    /// An organisation's public link (« Réservation en ligne », admin.md §2): its own search.
    case publicLink(organisationID: Int64, slug: String)
    /// The accessibility statement (RGAA).
    case accessibility
    /// The users' own side (booking.md §3.3, « Mes rendez-vous »).
    case users(Users)
    /// « Politique de confidentialité », « Mentions légales », and the « Aide » centre (`?q=`).
    case privacy, legalNotice, help
    /// The API v1 reference (api.md §1): the readable page and the OpenAPI document.
    case apiDocs, apiDocsDocument

    public enum Agents: Hashable, Sendable {
        case signIn, signOut, home
        /// « Mot de passe oublié ? » (booking.md §3.2): ask for a link, then choose a password.
        case passwordNew, passwordEdit
        /// The invitation link of a new agent (`?invitation_token=`).
        case invitationAccept
        /// « Mon compte », « Préférences de notifications », « Synchronisation calendrier ».
        case account, preferences, calendarSync, calendarSyncRegenerate
        /// The link that confirms a new e-mail address (`?confirmation_token=`, admin.md §6).
        case emailConfirmation
        /// « Vos exports » (admin.md §6, §8): the list, and one file by its uuid.
        case exports, export(uuid: String)
    }

    public enum Users: Hashable, Sendable {
        /// E-mail + password, and sign-out.
        case signIn, signOut
        /// « Mot de passe oublié ? »: ask for a link (`password` is also the new password's target),
        /// then choose the password.
        case passwordNew, password, passwordEdit
        /// The 6-digit code (booking.md §3.3): ask for it, type it, then « Créez votre compte »
        /// for an address without account.
        case codeSignIn, codeCheck, codeSignUp
        /// « Mes rendez-vous », one appointment, its cancellation.
        case rdvs, rdv(id: Int64), rdvCancel(id: Int64), rdvMove(id: Int64)
        /// « Être prévenu si un créneau se libère plus tôt » (booking.md §8).
        case rdvWaitingList(id: Int64)
        /// « Vos informations » of the funnel (booking.md §2.2 step 10).
        case informations
        /// « Inviter à créer un compte »'s link (`?invitation_token=`), and its form's target.
        case invitationAccept, invitation
        /// « Mes proches » and « Ajouter un proche ».
        case relatives
        /// Sign-up with a password and its confirmation link (`?confirmation_token=`).
        case signUp, confirmation
        /// « Mon compte » (PATCH saves it, DELETE deletes the account).
        case account
    }

    public enum Organisation: Hashable, Sendable {
        /// The organisation's home (the agent's home there); PATCH saves « Organisation ».
        case show
        /// « Configuration » → « Organisation » (admin.md §2).
        case edit
        /// booking.md §9 (`?date=YYYY-MM-DD&view=day|week|month|list`).
        case agenda(agentID: Int64)
        /// « Liste détaillée des RDV du <date> » (`?date=YYYY-MM-DD`), the agenda's print view.
        case agendaPrint(agentID: Int64)
        /// The agenda's events as JSON for scripts (same query as the page).
        case agendaEvents(agentID: Int64)
        /// « Trouver un RDV » (booking.md §1.2).
        case creneauxSearch
        /// « Élargir la recherche »: the internal prescription's grid, summary and confirmation (booking.md §5.2).
        case prescription
        /// « Liste des RDV », the wizard, one appointment and its actions (booking.md §1.3–§1.5).
        case rdvs, newRdv, rdv(id: Int64), editRdv(id: Int64)
        case rdvStatus(id: Int64), rdvReminder(id: Int64), rdvArrival(id: Int64), rdvParticipants(id: Int64)
        /// User files (domain.md §11).
        case users, newUser, user(id: Int64), editUser(id: Int64)
        /// « Inviter à créer un compte » (booking.md §3.3) and the referents of a user (domain.md §4).
        case userInvitation(id: Int64), userReferents(id: Int64)
        /// « Fusionner deux usagers » (domain.md §11): the form (`?other_id=`) and the merge.
        case userMerge(id: Int64)
        /// An agent's « Plages d'ouverture » (`?expired=1` for « Passées », `?search=`), the new
        /// period form, then one period (the address agents' e-mails link to) and its form.
        case openingPeriods(agentID: Int64), newOpeningPeriod(agentID: Int64)
        case openingPeriod(id: Int64), editOpeningPeriod(id: Int64)
        /// One occurrence of a period (`?date=` the regular date): its form, and its restoration.
        case openingPeriodOccurrence(id: Int64), openingPeriodOccurrenceRestore(id: Int64)
        /// An agent's « Indisponibilités » (domain.md §8), likewise.
        case absences(agentID: Int64), newAbsence(agentID: Int64), absence(id: Int64), editAbsence(id: Int64)
        case absenceOccurrence(id: Int64), absenceOccurrenceRestore(id: Int64)
        /// « RDV collectifs » (booking.md §6) and its creation form.
        case collectiveRdvs, newCollectiveRdv
        /// « Configuration » → « Lieux » (admin.md §2).
        case places, newPlace, place(id: Int64), editPlace(id: Int64)
        /// « Configuration » → « Motifs » (admin.md §2).
        case motifs, newMotif, motif(id: Int64), editMotif(id: Int64)
        /// « Configuration » → « Agents » (admin.md §2, §4): the list and « Inviter un agent »,
        /// « Ajouter un intervenant », a role's level and removal, « Renvoyer l'invitation ».
        case agents, newAgent, intervenants, newIntervenant, agentRole(id: Int64), editAgentRole(id: Int64)
        case agentInvitation(agentID: Int64)
        /// « Réservation en ligne » (admin.md §2).
        case onlineBooking
        /// « Statistiques » of the organisation, and of one of its agents (admin.md §7).
        case statistics, agentStatistics(agentID: Int64)
    }

    public enum Territory: Hashable, Sendable {
        /// « Territoire »: its settings and holidays; PATCH saves them.
        case show
        /// « Services »: the catalogue's activation.
        case services
        /// « Organisations »: the list and the creation form.
        case organisations
        /// « Sectorisation » (admin.md §5).
        case sectors, sector(id: Int64), zonesImport, zonesExport, sectorisationTest
        /// « SMS »: the provider and its credentials; « Envoyer un SMS de test ».
        case sms, smsTest
        /// « Équipes »: the list and creation, one team.
        case teams, team(id: Int64)
        /// « Agents »: the search and « Inviter un agent », one agent's territory settings.
        case agents, newAgent, agent(id: Int64)
        /// « Motifs »: every motif of the territory (PATCH applies a bulk edit), the bulk edit form.
        case motifs, motifsBulkEdit
        /// « Catégories de motifs »: the national categories enabled here.
        case motifCategories
        /// « Webhooks »: the list and creation, one endpoint, its new secret, its replay.
        case webhooks, webhook(id: Int64), webhookSecret(id: Int64), webhookReplay(id: Int64)
    }

    /// The instance operator's back office (admin.md §11).
    public enum SuperAdmins: Hashable, Sendable {
        case home, signIn, signOut, passwordEdit, password, territories, newTerritory, devOutbox, services
        /// The job dashboard and « Relancer »; « Se connecter en tant que »; territory import/export.
        case jobs, jobRetry(id: Int64), agents, impersonation(agentID: Int64), territoryExport(id: Int64), territoryImport
        /// The national catalogue of motif categories.
        case motifCategories
    }

    public enum API: Hashable, Sendable {
        case slots, nextAvailability
        /// contracts.md §6: `GET /adresses?q=`, the address service for the autocomplete script.
        case addresses
    }

    /// The patterns, written once: the route table and the links both use them.
    public enum Pattern {
        public static let home = RoutePattern("/")
        public static let health = RoutePattern("/health")
        public static let agentSignIn = RoutePattern(SitePath.agentSignIn)
        public static let agentSignOut = RoutePattern("/agents/sign_out")
        public static let agentHome = RoutePattern("/agents")
        public static let agentPasswordNew = RoutePattern("/agents/password/new")
        public static let agentPassword = RoutePattern("/agents/password")
        public static let agentPasswordEdit = RoutePattern(SitePath.agentPasswordEdit)
        public static let agentInvitationAccept = RoutePattern(SitePath.agentInvitationAccept)
        public static let agentInvitation = RoutePattern("/agents/invitation")
        public static let agentAccount = RoutePattern("/agents/account")
        public static let agentEmailConfirmation = RoutePattern(SitePath.agentEmailConfirmation)
        public static let agentPreferences = RoutePattern("/agents/preferences")
        public static let agentCalendarSync = RoutePattern("/agents/calendar_sync")
        public static let agentCalendarSyncRegenerate = RoutePattern("/agents/calendar_sync/regenerate")
        public static let agentExports = RoutePattern("/agents/exports")
        public static let agentExport = RoutePattern(SitePath.agentExport)
        public static let organisation = RoutePattern("/admin/organisations/:organisation_id")
        public static let agenda = RoutePattern("/admin/organisations/:organisation_id/agent_agendas/:agent_id")
        public static let agendaPrint = RoutePattern(
            "/admin/organisations/:organisation_id/agent_agendas/:agent_id/print")
        public static let agendaEvents = RoutePattern(
            "/admin/organisations/:organisation_id/agent_agendas/:agent_id/events")
        public static let creneauxSearch = RoutePattern("/admin/organisations/:organisation_id/creneaux_search")
        public static let prescription = RoutePattern(
            "/admin/organisations/:organisation_id/creneaux_search/prescription")
        public static let rdvs = RoutePattern("/admin/organisations/:organisation_id/rdvs")
        public static let newRdv = RoutePattern("/admin/organisations/:organisation_id/rdvs/new")
        public static let rdv = RoutePattern(SitePath.agentAppointment)
        public static let editRdv = RoutePattern("/admin/organisations/:organisation_id/rdvs/:id/edit")
        public static let rdvStatus = RoutePattern("/admin/organisations/:organisation_id/rdvs/:id/status")
        public static let rdvReminder = RoutePattern("/admin/organisations/:organisation_id/rdvs/:id/reminder")
        public static let rdvArrival = RoutePattern("/admin/organisations/:organisation_id/rdvs/:id/arrival")
        public static let rdvParticipants = RoutePattern(
            "/admin/organisations/:organisation_id/rdvs/:id/participants")
        public static let users = RoutePattern("/admin/organisations/:organisation_id/users")
        public static let newUser = RoutePattern("/admin/organisations/:organisation_id/users/new")
        public static let user = RoutePattern("/admin/organisations/:organisation_id/users/:id")
        public static let editUser = RoutePattern("/admin/organisations/:organisation_id/users/:id/edit")
        public static let userInvitation = RoutePattern("/admin/organisations/:organisation_id/users/:id/invitation")
        public static let userReferents = RoutePattern(
            "/admin/organisations/:organisation_id/users/:id/referent_assignations")
        public static let userMerge = RoutePattern("/admin/organisations/:organisation_id/users/:id/merge")
        public static let openingPeriods = RoutePattern(
            "/admin/organisations/:organisation_id/agents/:agent_id/plage_ouvertures")
        public static let newOpeningPeriod = RoutePattern(
            "/admin/organisations/:organisation_id/agents/:agent_id/plage_ouvertures/new")
        public static let openingPeriod = RoutePattern(SitePath.openingPeriod)
        public static let editOpeningPeriod = RoutePattern(
            "/admin/organisations/:organisation_id/plage_ouvertures/:id/edit")
        public static let openingPeriodOccurrence = RoutePattern(
            "/admin/organisations/:organisation_id/plage_ouvertures/:id/occurrence")
        public static let openingPeriodOccurrenceRestore = RoutePattern(
            "/admin/organisations/:organisation_id/plage_ouvertures/:id/occurrence/restore")
        public static let collectiveRdvs = RoutePattern("/admin/organisations/:organisation_id/rdvs_collectifs")
        public static let newCollectiveRdv = RoutePattern("/admin/organisations/:organisation_id/rdvs_collectifs/new")
        public static let absences = RoutePattern("/admin/organisations/:organisation_id/agents/:agent_id/absences")
        public static let newAbsence = RoutePattern(
            "/admin/organisations/:organisation_id/agents/:agent_id/absences/new")
        public static let absence = RoutePattern(SitePath.absence)
        public static let editAbsence = RoutePattern("/admin/organisations/:organisation_id/absences/:id/edit")
        public static let absenceOccurrence = RoutePattern(
            "/admin/organisations/:organisation_id/absences/:id/occurrence")
        public static let absenceOccurrenceRestore = RoutePattern(
            "/admin/organisations/:organisation_id/absences/:id/occurrence/restore")
        public static let places = RoutePattern("/admin/organisations/:organisation_id/lieux")
        public static let newPlace = RoutePattern("/admin/organisations/:organisation_id/lieux/new")
        public static let place = RoutePattern("/admin/organisations/:organisation_id/lieux/:id")
        public static let editPlace = RoutePattern("/admin/organisations/:organisation_id/lieux/:id/edit")
        public static let motifs = RoutePattern("/admin/organisations/:organisation_id/motifs")
        public static let newMotif = RoutePattern("/admin/organisations/:organisation_id/motifs/new")
        public static let motif = RoutePattern("/admin/organisations/:organisation_id/motifs/:id")
        public static let editMotif = RoutePattern("/admin/organisations/:organisation_id/motifs/:id/edit")
        public static let organisationAgents = RoutePattern("/admin/organisations/:organisation_id/agents")
        public static let newOrganisationAgent = RoutePattern("/admin/organisations/:organisation_id/agents/new")
        public static let intervenants = RoutePattern("/admin/organisations/:organisation_id/intervenants")
        public static let newIntervenant = RoutePattern("/admin/organisations/:organisation_id/intervenants/new")
        public static let agentRole = RoutePattern("/admin/organisations/:organisation_id/agent_roles/:id")
        public static let editAgentRole = RoutePattern("/admin/organisations/:organisation_id/agent_roles/:id/edit")
        public static let resendAgentInvitation = RoutePattern(
            "/admin/organisations/:organisation_id/agents/:agent_id/invitation")
        public static let editOrganisation = RoutePattern("/admin/organisations/:organisation_id/edit")
        public static let onlineBooking = RoutePattern("/admin/organisations/:organisation_id/online_booking")
        public static let organisationStatistics = RoutePattern("/admin/organisations/:organisation_id/stats")
        public static let agentStatistics = RoutePattern("/admin/organisations/:organisation_id/agents/:agent_id/stats")
        public static let statistics = RoutePattern("/stats")
        public static let publicSearch = RoutePattern("/prendre_rdv")
        public static let publicSlot = RoutePattern("/prendre_rdv/creneau")
        public static let prescriberSearch = RoutePattern("/prendre_rdv_prescripteur")
        public static let prescriberDetails = RoutePattern("/prendre_rdv_prescripteur/coordonnees")
        public static let prescriberRdvs = RoutePattern("/prendre_rdv_prescripteur/rdvs")
        public static let prescriberConfirmation = RoutePattern("/prendre_rdv_prescripteur/confirmation")
        public static let publicLink = RoutePattern("/org/:organisation_id/$slug")
        public static let publicLinkWithoutSlug = RoutePattern("/org/:organisation_id")
        public static let accessibility = RoutePattern("/accessibilite")
        public static let privacy = RoutePattern("/politique-de-confidentialite")
        public static let legalNotice = RoutePattern("/mentions-legales")
        public static let help = RoutePattern("/aide")
        public static let apiDocs = RoutePattern("/api-docs")
        public static let apiDocsDocument = RoutePattern("/api-docs/v1/openapi.json")
        public static let tokenLink = RoutePattern(SitePath.userAppointment)
        public static let rebook = RoutePattern(SitePath.rebook)
        public static let userInvitationAccept = RoutePattern(SitePath.userInvitationAccept)
        public static let userInvitationUpdate = RoutePattern("/users/invitation")
        public static let userRelatives = RoutePattern("/users/relatives")
        public static let userSignUp = RoutePattern("/users/sign_up")
        public static let userPasswordNew = RoutePattern("/users/password/new")
        public static let userPassword = RoutePattern("/users/password")
        public static let userPasswordEdit = RoutePattern(SitePath.userPasswordEdit)
        public static let userAccount = RoutePattern("/users/account")
        public static let userConfirmation = RoutePattern(SitePath.userConfirmation)
        public static let userSignIn = RoutePattern("/users/sign_in")
        public static let userSignOut = RoutePattern("/users/sign_out")
        public static let userCodeSignIn = RoutePattern("/users/sign_in/code")
        public static let userCodeCheck = RoutePattern("/users/sign_in/code/check")
        public static let userCodeSignUp = RoutePattern("/users/sign_up/code")
        public static let userRdvs = RoutePattern("/users/rdvs")
        public static let userRdv = RoutePattern("/users/rdvs/:id")
        public static let userRdvCancel = RoutePattern("/users/rdvs/:id/cancel")
        public static let userRdvMove = RoutePattern("/users/rdvs/:id/creneaux")
        public static let userRdvWaitingList = RoutePattern("/users/rdvs/:id/file_attente")
        public static let userInformations = RoutePattern("/users/informations")
        public static let externalPublicLink = RoutePattern("/org/ext/$departement_number/$external_id")
        public static let territoryStatistics = RoutePattern("/stats/:departement_number")
        public static let territory = RoutePattern("/admin/territories/:territory_id")
        public static let territoryServices = RoutePattern("/admin/territories/:territory_id/services")
        public static let territoryOrganisations = RoutePattern("/admin/territories/:territory_id/organisations")
        public static let sectors = RoutePattern("/admin/territories/:territory_id/sectors")
        public static let sector = RoutePattern("/admin/territories/:territory_id/sectors/:id")
        public static let sectorAttributions = RoutePattern("/admin/territories/:territory_id/sectors/:id/attributions")
        public static let sectorAttribution = RoutePattern(
            "/admin/territories/:territory_id/sectors/:id/attributions/:attribution_id")
        public static let sectorZones = RoutePattern("/admin/territories/:territory_id/sectors/:id/zones")
        public static let sectorZone = RoutePattern("/admin/territories/:territory_id/sectors/:id/zones/:zone_id")
        public static let zonesImport = RoutePattern("/admin/territories/:territory_id/zones_import")
        public static let zonesExport = RoutePattern("/admin/territories/:territory_id/zones.csv")
        public static let sectorisationTest = RoutePattern("/admin/territories/:territory_id/sectorisation_test")
        public static let territorySMS = RoutePattern("/admin/territories/:territory_id/sms")
        public static let territorySMSTest = RoutePattern("/admin/territories/:territory_id/sms/test")
        public static let territoryMotifCategories = RoutePattern("/admin/territories/:territory_id/motif_categories")
        public static let superAdminMotifCategories = RoutePattern("/super_admins/motif_categories")
        public static let teams = RoutePattern("/admin/territories/:territory_id/teams")
        public static let territoryAgents = RoutePattern("/admin/territories/:territory_id/agents")
        public static let territoryNewAgent = RoutePattern("/admin/territories/:territory_id/agents/new")
        public static let territoryAgent = RoutePattern("/admin/territories/:territory_id/agents/:id")
        public static let territoryMotifs = RoutePattern("/admin/territories/:territory_id/motifs")
        public static let territoryMotifsBulkEdit = RoutePattern("/admin/territories/:territory_id/motifs/bulk_edit")
        public static let team = RoutePattern("/admin/territories/:territory_id/teams/:id")
        public static let webhooks = RoutePattern("/admin/territories/:territory_id/webhooks")
        public static let webhook = RoutePattern("/admin/territories/:territory_id/webhooks/:id")
        public static let webhookSecret = RoutePattern("/admin/territories/:territory_id/webhooks/:id/secret")
        public static let webhookReplay = RoutePattern("/admin/territories/:territory_id/webhooks/:id/replay")
        public static let devOutbox = RoutePattern("/admin/boite_d_envoi")
        public static let superAdminHome = RoutePattern("/super_admins")
        public static let superAdminSignIn = RoutePattern("/super_admins/sign_in")
        public static let superAdminSignOut = RoutePattern("/super_admins/sign_out")
        public static let superAdminPasswordEdit = RoutePattern("/super_admins/password/edit")
        public static let superAdminPassword = RoutePattern("/super_admins/password")
        public static let superAdminTerritories = RoutePattern("/super_admins/territories")
        public static let superAdminNewTerritory = RoutePattern("/super_admins/territories/new")
        public static let superAdminDevOutbox = RoutePattern("/super_admins/boite_d_envoi")
        public static let superAdminServices = RoutePattern("/super_admins/services")
        public static let superAdminJobs = RoutePattern("/super_admins/jobs")
        public static let superAdminJobRetry = RoutePattern("/super_admins/jobs/:id/retry")
        public static let superAdminAgents = RoutePattern("/super_admins/agents")
        public static let superAdminImpersonation = RoutePattern("/super_admins/agents/:id/impersonation")
        public static let superAdminTerritoryExport = RoutePattern("/super_admins/territories/:id/export")
        public static let superAdminTerritoryImport = RoutePattern("/super_admins/import")
        public static let calendarFeed = RoutePattern(SitePath.calendarFeed)
        public static let apiSlots = RoutePattern("/api/v1/creneaux")
        public static let apiNextAvailability = RoutePattern("/api/v1/prochaine_disponibilite")
        public static let addresses = RoutePattern("/adresses")
        /// The top folders of `Public/`.
        public static let assets = ["css", "js", "images", "vendor"].map { RoutePattern("/\($0)/*path") }
        public static let favicon = RoutePattern("/favicon.ico")
    }

    public var path: String {
        switch self {
        case .home: Pattern.home.path()
        case .health: Pattern.health.path()
        case .asset(let path): "/" + path
        case .agents(.signIn): Pattern.agentSignIn.path()
        case .agents(.signOut): Pattern.agentSignOut.path()
        case .agents(.home): Pattern.agentHome.path()
        case .agents(.passwordNew): Pattern.agentPasswordNew.path()
        case .agents(.passwordEdit): Pattern.agentPasswordEdit.path()
        case .agents(.invitationAccept): Pattern.agentInvitationAccept.path()
        case .agents(.account): Pattern.agentAccount.path()
        case .agents(.emailConfirmation): Pattern.agentEmailConfirmation.path()
        case .agents(.preferences): Pattern.agentPreferences.path()
        case .agents(.calendarSync): Pattern.agentCalendarSync.path()
        case .agents(.calendarSyncRegenerate): Pattern.agentCalendarSyncRegenerate.path()
        case .agents(.exports): Pattern.agentExports.path()
        case .agents(.export(let uuid)): Pattern.agentExport.path(["uuid": uuid])
        case .organisation(let id, let area): Self.path(organisation: id, area)
        case .territory(let id, .show): Pattern.territory.path(["territory_id": "\(id)"])
        case .territory(let id, .services): Pattern.territoryServices.path(["territory_id": "\(id)"])
        case .territory(let id, .organisations): Pattern.territoryOrganisations.path(["territory_id": "\(id)"])
        case .territory(let id, .sectors): Pattern.sectors.path(["territory_id": "\(id)"])
        case .territory(let id, .sector(let sector)): Pattern.sector.path(["territory_id": "\(id)", "id": "\(sector)"])
        case .territory(let id, .zonesImport): Pattern.zonesImport.path(["territory_id": "\(id)"])
        case .territory(let id, .zonesExport): Pattern.zonesExport.path(["territory_id": "\(id)"])
        case .territory(let id, .sectorisationTest): Pattern.sectorisationTest.path(["territory_id": "\(id)"])
        case .territory(let id, .sms): Pattern.territorySMS.path(["territory_id": "\(id)"])
        case .territory(let id, .smsTest): Pattern.territorySMSTest.path(["territory_id": "\(id)"])
        case .territory(let id, .teams): Pattern.teams.path(["territory_id": "\(id)"])
        case .territory(let id, .agents): Pattern.territoryAgents.path(["territory_id": "\(id)"])
        case .territory(let id, .newAgent): Pattern.territoryNewAgent.path(["territory_id": "\(id)"])
        case .territory(let id, .agent(let agent)): Pattern.territoryAgent.path(["territory_id": "\(id)", "id": "\(agent)"])
        case .territory(let id, .motifs): Pattern.territoryMotifs.path(["territory_id": "\(id)"])
        case .territory(let id, .motifsBulkEdit): Pattern.territoryMotifsBulkEdit.path(["territory_id": "\(id)"])
        case .territory(let id, .motifCategories): Pattern.territoryMotifCategories.path(["territory_id": "\(id)"])
        case .territory(let id, .team(let team)): Pattern.team.path(["territory_id": "\(id)", "id": "\(team)"])
        case .territory(let id, .webhooks): Pattern.webhooks.path(["territory_id": "\(id)"])
        case .territory(let id, .webhook(let endpoint)): Pattern.webhook.path(["territory_id": "\(id)", "id": "\(endpoint)"])
        case .territory(let id, .webhookSecret(let endpoint)):
            Pattern.webhookSecret.path(["territory_id": "\(id)", "id": "\(endpoint)"])
        case .territory(let id, .webhookReplay(let endpoint)):
            Pattern.webhookReplay.path(["territory_id": "\(id)", "id": "\(endpoint)"])
        case .devOutbox: Pattern.devOutbox.path()
        case .superAdmins(.home): Pattern.superAdminHome.path()
        case .superAdmins(.signIn): Pattern.superAdminSignIn.path()
        case .superAdmins(.signOut): Pattern.superAdminSignOut.path()
        case .superAdmins(.passwordEdit): Pattern.superAdminPasswordEdit.path()
        case .superAdmins(.password): Pattern.superAdminPassword.path()
        case .superAdmins(.territories): Pattern.superAdminTerritories.path()
        case .superAdmins(.newTerritory): Pattern.superAdminNewTerritory.path()
        case .superAdmins(.devOutbox): Pattern.superAdminDevOutbox.path()
        case .superAdmins(.services): Pattern.superAdminServices.path()
        case .superAdmins(.jobs): Pattern.superAdminJobs.path()
        case .superAdmins(.jobRetry(let id)): Pattern.superAdminJobRetry.path(["id": "\(id)"])
        case .superAdmins(.agents): Pattern.superAdminAgents.path()
        case .superAdmins(.impersonation(let id)): Pattern.superAdminImpersonation.path(["id": "\(id)"])
        case .superAdmins(.territoryExport(let id)): Pattern.superAdminTerritoryExport.path(["id": "\(id)"])
        case .superAdmins(.territoryImport): Pattern.superAdminTerritoryImport.path()
        case .superAdmins(.motifCategories): Pattern.superAdminMotifCategories.path()
        case .calendarFeed(let uid): Pattern.calendarFeed.path(["uid": uid])
        case .api(.slots): Pattern.apiSlots.path()
        case .api(.nextAvailability): Pattern.apiNextAvailability.path()
        case .api(.addresses): Pattern.addresses.path()
        case .statistics: Pattern.statistics.path()
        case .territoryStatistics(let number): Pattern.territoryStatistics.path(["departement_number": number])
        case .publicSearch: Pattern.publicSearch.path()
        case .publicSlot: Pattern.publicSlot.path()
        case .prescriberSearch: Pattern.prescriberSearch.path()
        case .prescriberDetails: Pattern.prescriberDetails.path()
        case .prescriberRdvs: Pattern.prescriberRdvs.path()
        case .prescriberConfirmation: Pattern.prescriberConfirmation.path()
        case .accessibility: Pattern.accessibility.path()
        case .privacy: Pattern.privacy.path()
        case .legalNotice: Pattern.legalNotice.path()
        case .help: Pattern.help.path()
        case .apiDocs: Pattern.apiDocs.path()
        case .apiDocsDocument: Pattern.apiDocsDocument.path()
        case .users(.signIn): Pattern.userSignIn.path()
        case .users(.signOut): Pattern.userSignOut.path()
        case .users(.codeSignIn): Pattern.userCodeSignIn.path()
        case .users(.codeCheck): Pattern.userCodeCheck.path()
        case .users(.codeSignUp): Pattern.userCodeSignUp.path()
        case .users(.rdvs): Pattern.userRdvs.path()
        case .users(.rdv(let id)): Pattern.userRdv.path(["id": "\(id)"])
        case .users(.rdvCancel(let id)): Pattern.userRdvCancel.path(["id": "\(id)"])
        case .users(.rdvMove(let id)): Pattern.userRdvMove.path(["id": "\(id)"])
        case .users(.rdvWaitingList(let id)): Pattern.userRdvWaitingList.path(["id": "\(id)"])
        case .users(.informations): Pattern.userInformations.path()
        case .users(.invitationAccept): Pattern.userInvitationAccept.path()
        case .users(.invitation): Pattern.userInvitationUpdate.path()
        case .users(.relatives): Pattern.userRelatives.path()
        case .users(.signUp): Pattern.userSignUp.path()
        case .users(.passwordNew): Pattern.userPasswordNew.path()
        case .users(.password): Pattern.userPassword.path()
        case .users(.passwordEdit): Pattern.userPasswordEdit.path()
        case .users(.account): Pattern.userAccount.path()
        case .users(.confirmation): Pattern.userConfirmation.path()
        case .publicLink(let id, let slug): Pattern.publicLink.path(["organisation_id": "\(id)", "slug": slug])
        }
    }

    private static func path(organisation id: Int64, _ area: Organisation) -> String {
        let org = ["organisation_id": "\(id)"]
        func record(_ pattern: RoutePattern, _ recordID: Int64) -> String {
            pattern.path(org.merging(["id": "\(recordID)"]) { $1 })
        }
        switch area {
        case .show: return Pattern.organisation.path(org)
        case .edit: return Pattern.editOrganisation.path(org)
        case .agenda(let agentID): return Pattern.agenda.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .agendaPrint(let agentID): return Pattern.agendaPrint.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .agendaEvents(let agentID): return Pattern.agendaEvents.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .creneauxSearch: return Pattern.creneauxSearch.path(org)
        case .prescription: return Pattern.prescription.path(org)
        case .rdvs: return Pattern.rdvs.path(org)
        case .newRdv: return Pattern.newRdv.path(org)
        case .rdv(let rdv): return record(Pattern.rdv, rdv)
        case .editRdv(let rdv): return record(Pattern.editRdv, rdv)
        case .rdvStatus(let rdv): return record(Pattern.rdvStatus, rdv)
        case .rdvReminder(let rdv): return record(Pattern.rdvReminder, rdv)
        case .rdvArrival(let rdv): return record(Pattern.rdvArrival, rdv)
        case .rdvParticipants(let rdv): return record(Pattern.rdvParticipants, rdv)
        case .users: return Pattern.users.path(org)
        case .newUser: return Pattern.newUser.path(org)
        case .user(let user): return record(Pattern.user, user)
        case .editUser(let user): return record(Pattern.editUser, user)
        case .userInvitation(let user): return record(Pattern.userInvitation, user)
        case .userReferents(let user): return record(Pattern.userReferents, user)
        case .userMerge(let user): return record(Pattern.userMerge, user)
        case .openingPeriods(let agentID):
            return Pattern.openingPeriods.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .newOpeningPeriod(let agentID):
            return Pattern.newOpeningPeriod.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .openingPeriod(let period): return record(Pattern.openingPeriod, period)
        case .editOpeningPeriod(let period): return record(Pattern.editOpeningPeriod, period)
        case .openingPeriodOccurrence(let period): return record(Pattern.openingPeriodOccurrence, period)
        case .openingPeriodOccurrenceRestore(let period): return record(Pattern.openingPeriodOccurrenceRestore, period)
        case .collectiveRdvs: return Pattern.collectiveRdvs.path(org)
        case .newCollectiveRdv: return Pattern.newCollectiveRdv.path(org)
        case .absences(let agentID): return Pattern.absences.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .newAbsence(let agentID): return Pattern.newAbsence.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .absence(let absence): return record(Pattern.absence, absence)
        case .editAbsence(let absence): return record(Pattern.editAbsence, absence)
        case .absenceOccurrence(let absence): return record(Pattern.absenceOccurrence, absence)
        case .absenceOccurrenceRestore(let absence): return record(Pattern.absenceOccurrenceRestore, absence)
        case .places: return Pattern.places.path(org)
        case .newPlace: return Pattern.newPlace.path(org)
        case .place(let place): return record(Pattern.place, place)
        case .editPlace(let place): return record(Pattern.editPlace, place)
        case .onlineBooking: return Pattern.onlineBooking.path(org)
        case .statistics: return Pattern.organisationStatistics.path(org)
        case .agentStatistics(let agentID):
            return Pattern.agentStatistics.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .motifs: return Pattern.motifs.path(org)
        case .agents: return Pattern.organisationAgents.path(org)
        case .newAgent: return Pattern.newOrganisationAgent.path(org)
        case .intervenants: return Pattern.intervenants.path(org)
        case .newIntervenant: return Pattern.newIntervenant.path(org)
        case .agentRole(let role): return record(Pattern.agentRole, role)
        case .editAgentRole(let role): return record(Pattern.editAgentRole, role)
        case .agentInvitation(let agentID):
            return Pattern.resendAgentInvitation.path(org.merging(["agent_id": "\(agentID)"]) { $1 })
        case .newMotif: return Pattern.newMotif.path(org)
        case .motif(let motif): return record(Pattern.motif, motif)
        case .editMotif(let motif): return record(Pattern.editMotif, motif)
        }
    }

    /// The path with a query string; `nil` values are left out, names and values are
    /// percent-encoded (RFC 3986 §3.4: only unreserved characters stay as they are).
    public func path(query: KeyValuePairs<String, String?>) -> String {
        let pairs = query.compactMap { name, value in value.map { Self.encode(name) + "=" + Self.encode($0) } }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// The path with a query of repeated names (`agent_ids[]`), which `path(query:)` cannot take.
    func path(pairs: [(String, String)]) -> String {
        pairs.isEmpty
            ? path : path + "?" + pairs.map { Self.encode($0.0) + "=" + Self.encode($0.1) }.joined(separator: "&")
    }

    static func encode(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }
}
