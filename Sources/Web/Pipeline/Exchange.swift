import Cryptography
import HTTP
import Persistence

/// One request as the pipeline and the controllers see it: its route and parameters, parsed
/// form, session, signed-in agent, CSRF token, flash, and the cookies to set on the response
/// (style.md §8.6 "typed request context").
public struct Exchange: Sendable {
    public let request: HTTPRequest
    public let context: RequestContext
    public let cookies: [String: String]
    /// The method after the `_method` override of HTML forms (HEAD is served as GET).
    public var method: String
    /// The route of the path; nil for an unknown path (404).
    public let route: Route?
    public let parameters: RouteParameters
    public var form = FormData()
    /// The query string, decoded like a form (an undecodable one is a 400).
    public var query = FormData()
    /// Files of a `multipart/form-data` body (routes that accept files only).
    public var files: [MultipartForm.File] = []
    public var session: SessionRecord?
    public var agent: AgentAccount?
    /// A user (usager) signed in on the public side (booking.md §3.3).
    public var user: UserAccount?
    /// A token link's session (permissions.md §4): the one appointment it opens, for its user.
    public var tokenAccess: (userID: Int64, appointmentID: Int64)?
    /// The instance operator signed in on `/super_admins` (admin.md §11).
    public var superAdmin: SuperAdminAccount?
    public var csrfToken = ""
    public var flash: LayoutModel.Flash?
    public var setCookies: [String] = []
    /// The « Horloge simulée » banner text, set when `RDV_NOW` drives the clock.
    public var simulatedClock: String?

    init(request: HTTPRequest, context: RequestContext, routes: RouteTable) {
        self.request = request
        self.context = context
        self.cookies = Cookies.parse(request.headers)
        self.method = request.method == "HEAD" ? "GET" : request.method
        let resolved = routes.resolve(request.path)
        self.route = resolved?.route
        self.parameters = resolved?.parameters ?? RouteParameters()
    }

    /// How errors of this request are rendered; unknown paths under `/api/` answer JSON.
    var group: RouteGroup {
        if let route { return route.group }
        if request.path.hasPrefix(PartnerAPI.base + "/") { return .partner }
        return request.path.hasPrefix("/api/") ? .api : .page
    }

    var isUnsafe: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    /// The layout of a page for this visitor (no organisation switcher: see `AgentContext`).
    var layout: LayoutModel {
        var layout = LayoutModel(
            signedInAgent: agent.map { .init(displayName: $0.displayName) }
                ?? superAdmin.map { .init(displayName: "Super admin : \($0.email)") }, csrfToken: csrfToken,
            flash: flash)
        if superAdmin != nil && agent == nil { layout.signOutPath = SiteURL.superAdmins(.signOut).path }
        if let user, agent == nil {
            layout.signedInAgent = .init(displayName: user.displayName)
            layout.signOutPath = SiteURL.users(.signOut).path
            layout.accountMenu = [
                .init(label: "Mes rendez-vous", path: SiteURL.users(.rdvs).path, isCurrent: false),
                .init(label: "Mes proches", path: SiteURL.users(.relatives).path, isCurrent: false),
                .init(label: "Mon compte", path: SiteURL.users(.account).path, isCurrent: false),
            ]
        }
        layout.simulatedClock = simulatedClock
        if let agent, session?.impersonatedBySuperAdminID != nil {
            layout.impersonationNotice =
                "Vous êtes connecté en tant que \(agent.displayName) depuis l'espace d'exploitation : chaque action est faite en son nom. Déconnectez-vous pour en sortir."
        }
        return layout
    }

    /// The session's token: HMAC of its secret, so the secret itself never reaches a page.
    static func csrfToken(for session: SessionRecord) -> String {
        Digest.hex(Digest.hmacSHA256(key: session.csrfSecret, Array("csrf".utf8)))
    }
}

/// Flash messages travel as a code in a cookie, resolved here: no user text is ever reflected.
enum FlashMessage: String {
    case signedOut = "signed_out"
    case signInRequired = "sign_in_required"
    /// The wizard saved (booking.md §1.3).
    case rdvCreated = "rdv_created"
    // Agent accounts (booking.md §3.2, admin.md §6).
    case invitationAccepted = "invitation_accepted"
    case passwordResetRequested = "password_reset_requested"
    case passwordChanged = "password_changed"
    case accountUpdated = "account_updated"
    case emailChangeRequested = "email_change_requested"
    case emailChanged = "email_changed"
    case openingPeriodCreated = "opening_period_created"
    case openingPeriodUpdated = "opening_period_updated"
    case openingPeriodDeleted = "opening_period_deleted"
    case occurrenceCancelled = "occurrence_cancelled"
    case occurrenceMoved = "occurrence_moved"
    case occurrenceRestored = "occurrence_restored"
    case absenceCreated = "absence_created"
    case absenceUpdated = "absence_updated"
    case absenceDeleted = "absence_deleted"
    case preferencesSaved = "preferences_saved"
    case calendarLinkRegenerated = "calendar_link_regenerated"
    case rdvUpdated = "rdv_updated"
    case rdvStatusChanged = "rdv_status_changed"
    case rdvReminderSent = "rdv_reminder_sent"
    case rdvReminderNobody = "rdv_reminder_nobody"
    case rdvArrivalRecorded = "rdv_arrival_recorded"
    case rdvDeleted = "rdv_deleted"
    case rdvParticipantAdded = "rdv_participant_added"
    case rdvParticipantRemoved = "rdv_participant_removed"
    case userCreated = "user_created"
    case userUpdated = "user_updated"
    case userRemoved = "user_removed"
    case userDeleted = "user_deleted"
    case userInvited = "user_invited"
    case referentAdded = "referent_added"
    case referentRemoved = "referent_removed"
    case userMerged = "user_merged"
    case exportRequested = "export_requested"
    case placeCreated = "place_created"
    case organisationUpdated = "organisation_updated"
    case organisationCreated = "organisation_created"
    case territoryUpdated = "territory_updated"
    case territoryServicesUpdated = "territory_services_updated"
    case smsSettingsUpdated = "sms_settings_updated"
    case testSMSPlanned = "test_sms_planned"
    case webhookUpdated = "webhook_updated"
    case teamSaved = "team_saved"
    case territoryAgentSaved = "territory_agent_saved"
    case motifsBulkUpdated = "motifs_bulk_updated"
    case motifCategoriesUpdated = "motif_categories_updated"
    case motifCategoryAdded = "motif_category_added"
    case teamDeleted = "team_deleted"
    case jobRetried = "job_retried"
    case jobNotRetryable = "job_not_retryable"
    case jobGone = "job_gone"
    case territoryImported = "territory_imported"
    case webhookDeleted = "webhook_deleted"
    case placeUpdated = "place_updated"
    case placeDisabled = "place_disabled"
    case superAdminPasswordSet = "super_admin_password_set"
    case territoryCreated = "territory_created"
    case serviceAdded = "service_added"
    case sectorCreated = "sector_created"
    case sectorDeleted = "sector_deleted"
    case zoneAdded = "zone_added"
    case sectorAttributed = "sector_attributed"
    case sectorAttributionRemoved = "sector_attribution_removed"
    case zoneRemoved = "zone_removed"
    case zonesImported = "zones_imported"
    case motifCreated = "motif_created"
    case motifUpdated = "motif_updated"
    case motifDuplicated = "motif_duplicated"
    case motifDeleted = "motif_deleted"
    case agentInvited = "agent_invited"
    case agentAdded = "agent_added"
    case intervenantAdded = "intervenant_added"
    case agentLevelChanged = "agent_level_changed"
    case agentRemoved = "agent_removed"
    case agentInvitationResent = "agent_invitation_resent"
    // The users' side (booking.md §2.2 step 13, §7).
    case rdvBooked = "rdv_booked"
    case rdvCancelledByUser = "rdv_cancelled_by_user"
    case waitingListJoined = "waiting_list_joined"
    case waitingListLeft = "waiting_list_left"
    case informationSaved = "information_saved"
    case relativeAdded = "relative_added"
    case emailConfirmed = "email_confirmed"
    case rdvMovedByUser = "rdv_moved_by_user"
    case slotGone = "slot_gone"
    case ownAccountDeleted = "own_account_deleted"

    var flash: LayoutModel.Flash {
        switch self {
        case .signedOut: .init(kind: "success", message: "Vous êtes déconnecté(e).")
        case .rdvBooked: .init(kind: "success", message: "Votre rendez-vous est confirmé.")
        case .rdvCancelledByUser: .init(kind: "success", message: "Votre rendez-vous a été annulé.")
        case .waitingListJoined:
            .init(kind: "success", message: "C'est noté : vous serez prévenu par SMS et par e-mail si un créneau se libère plus tôt.")
        case .waitingListLeft: .init(kind: "success", message: "Vous ne serez plus prévenu des créneaux plus tôt.")
        case .informationSaved: .init(kind: "success", message: "Vos informations ont été enregistrées.")
        case .relativeAdded: .init(kind: "success", message: "Votre proche a été ajouté.")
        case .rdvMovedByUser: .init(kind: "success", message: "Votre rendez-vous a été déplacé.")
        case .ownAccountDeleted: .init(kind: "success", message: "Votre compte a été supprimé.")
        case .slotGone: .init(kind: "warning", message: "Ce créneau n'est plus disponible. Choisissez-en un autre.")
        case .emailConfirmed: .init(kind: "success", message: "Votre adresse e-mail est confirmée. Bienvenue !")
        case .signInRequired: .init(kind: "info", message: "Veuillez vous connecter pour continuer.")
        case .rdvCreated: .init(kind: "success", message: "Le rendez-vous a été créé.")
        case .invitationAccepted: .init(kind: "success", message: "Votre mot de passe a été enregistré. Bienvenue !")
        case .passwordResetRequested:
            .init(kind: "info", message: "Si cette adresse correspond à un compte, un lien vient d'y être envoyé.")
        case .passwordChanged: .init(kind: "success", message: "Votre mot de passe a été modifié.")
        case .accountUpdated: .init(kind: "success", message: "Vos informations ont été enregistrées.")
        case .emailChangeRequested:
            .init(
                kind: "info",
                message: "Un lien de confirmation a été envoyé à votre nouvelle adresse e-mail : "
                    + "suivez-le pour terminer le changement.")
        case .emailChanged: .init(kind: "success", message: "Votre adresse e-mail a été modifiée.")
        case .openingPeriodCreated: .init(kind: "success", message: "La plage d'ouverture a été créée.")
        case .openingPeriodUpdated: .init(kind: "success", message: "La plage d'ouverture a été modifiée.")
        case .openingPeriodDeleted: .init(kind: "success", message: "La plage d'ouverture a été supprimée.")
        case .occurrenceCancelled: .init(kind: "success", message: "L'occurrence a été annulée.")
        case .occurrenceMoved: .init(kind: "success", message: "L'occurrence a été modifiée.")
        case .occurrenceRestored: .init(kind: "success", message: "L'occurrence a été rétablie.")
        case .absenceCreated: .init(kind: "success", message: "L'indisponibilité a été créée.")
        case .absenceUpdated: .init(kind: "success", message: "L'indisponibilité a été modifiée.")
        case .absenceDeleted: .init(kind: "success", message: "L'indisponibilité a été supprimée.")
        case .preferencesSaved: .init(kind: "success", message: "Vos préférences ont été enregistrées.")
        case .calendarLinkRegenerated:
            .init(kind: "success", message: "Un nouveau lien a été créé : l'ancien ne fonctionne plus.")
        case .rdvUpdated: .init(kind: "success", message: "Le rendez-vous a été modifié.")
        case .rdvStatusChanged: .init(kind: "success", message: "Le statut du rendez-vous a été modifié.")
        case .rdvReminderSent: .init(kind: "success", message: "Le rappel a été envoyé.")
        case .rdvReminderNobody:
            .init(kind: "warning", message: "Aucun rappel n'a été envoyé : aucun usager ne peut le recevoir, ou il a déjà été envoyé.")
        case .rdvArrivalRecorded: .init(kind: "success", message: "L'arrivée de l'usager est enregistrée.")
        case .rdvDeleted: .init(kind: "success", message: "Le rendez-vous a été supprimé.")
        case .rdvParticipantAdded: .init(kind: "success", message: "Le participant a été ajouté.")
        case .rdvParticipantRemoved: .init(kind: "success", message: "Le participant a été retiré.")
        case .userCreated: .init(kind: "success", message: "L'usager a été créé.")
        case .userUpdated: .init(kind: "success", message: "L'usager a été modifié.")
        case .userRemoved: .init(kind: "success", message: "L'usager a été retiré de l'organisation.")
        case .userDeleted: .init(kind: "success", message: "L'usager a été supprimé.")
        case .userInvited: .init(kind: "success", message: "L'invitation à créer un compte a été envoyée.")
        case .referentAdded: .init(kind: "success", message: "Le référent a été ajouté.")
        case .referentRemoved: .init(kind: "success", message: "Le référent a été retiré.")
        case .userMerged: .init(kind: "success", message: "Les deux dossiers ont été fusionnés.")
        case .placeCreated: .init(kind: "success", message: "Le lieu a été créé.")
        case .territoryServicesUpdated: .init(kind: "success", message: "Les services du territoire ont été enregistrés.")
        case .smsSettingsUpdated: .init(kind: "success", message: "Les réglages SMS ont été enregistrés.")
        case .webhookUpdated: .init(kind: "success", message: "Le webhook a été enregistré.")
        case .teamSaved: .init(kind: "success", message: "L'équipe a été enregistrée.")
        case .territoryAgentSaved: .init(kind: "success", message: "Les droits de l'agent ont été enregistrés.")
        case .motifsBulkUpdated: .init(kind: "success", message: "Les motifs sélectionnés ont été modifiés.")
        case .motifCategoriesUpdated: .init(kind: "success", message: "Les catégories de motifs du territoire ont été enregistrées.")
        case .motifCategoryAdded: .init(kind: "success", message: "La catégorie a été ajoutée au catalogue.")
        case .teamDeleted: .init(kind: "success", message: "L'équipe a été supprimée.")
        case .jobRetried: .init(kind: "success", message: "L'envoi est relancé : il repart dans quelques secondes.")
        case .jobNotRetryable:
            .init(kind: "error", message: "Cet envoi contenait un lien personnel effacé après l'échec : demandez un nouveau lien.")
        case .jobGone: .init(kind: "error", message: "Cet envoi n'est plus abandonné : il a déjà été relancé ou supprimé.")
        case .territoryImported: .init(kind: "success", message: "Le fichier a été importé.")
        case .webhookDeleted: .init(kind: "success", message: "Le webhook a été supprimé.")
        case .testSMSPlanned:
            .init(kind: "success", message: "Le SMS de test part dans quelques secondes : son résultat s'affiche dans « Derniers SMS de test ».")
        case .territoryUpdated: .init(kind: "success", message: "Les réglages du territoire ont été enregistrés.")
        case .organisationCreated:
            .init(kind: "success", message: "L'organisation a été créée : vous en êtes l'administrateur.")
        case .organisationUpdated: .init(kind: "success", message: "Les informations de l'organisation ont été enregistrées.")
        case .placeUpdated: .init(kind: "success", message: "Le lieu a été modifié.")
        case .placeDisabled: .init(kind: "success", message: "Le lieu a été désactivé.")
        case .superAdminPasswordSet: .init(kind: "success", message: "Votre mot de passe a été enregistré.")
        case .sectorCreated: .init(kind: "success", message: "Le secteur a été créé.")
        case .zoneAdded: .init(kind: "success", message: "La zone a été ajoutée.")
        case .sectorDeleted: .init(kind: "success", message: "Le secteur a été supprimé, avec ses zones et ses attributions.")
        case .sectorAttributed: .init(kind: "success", message: "Le secteur a été attribué.")
        case .sectorAttributionRemoved: .init(kind: "success", message: "L'attribution a été retirée.")
        case .zoneRemoved: .init(kind: "success", message: "La zone a été supprimée.")
        case .zonesImported: .init(kind: "success", message: "Les zones ont été importées.")
        case .serviceAdded: .init(kind: "success", message: "Le service a été ajouté au catalogue.")
        case .territoryCreated:
            .init(kind: "success", message: "Le territoire a été créé : son administrateur a reçu son invitation.")
        case .motifCreated: .init(kind: "success", message: "Le motif a été créé.")
        case .motifUpdated: .init(kind: "success", message: "Le motif a été modifié.")
        case .motifDuplicated:
            .init(kind: "success", message: "Le motif a été enregistré et copié dans les organisations choisies.")
        case .motifDeleted: .init(kind: "success", message: "Le motif a été supprimé.")
        case .agentInvited: .init(kind: "success", message: "L'invitation a été envoyée.")
        case .agentAdded: .init(kind: "success", message: "L'agent a été ajouté à l'organisation.")
        case .intervenantAdded: .init(kind: "success", message: "L'intervenant a été ajouté.")
        case .agentLevelChanged: .init(kind: "success", message: "Le niveau de l'agent a été modifié.")
        case .agentRemoved: .init(kind: "success", message: "L'agent a été retiré de l'organisation.")
        case .agentInvitationResent: .init(kind: "success", message: "L'invitation a été renvoyée.")
        case .exportRequested:
            .init(kind: "info", message: "L'export est en préparation : vous recevrez un e-mail dès qu'il sera prêt.")
        }
    }
}
