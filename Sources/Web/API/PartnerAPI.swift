import Domain
import Foundation
import HTTP
import Persistence

/// The API v1 (api.md): its controllers and the table of its operations, from which both the
/// routes and the OpenAPI document are made.
struct PartnerAPI: Sendable {
    let gate: APIGate
    let operations: [APIOperation]

    init(
        db: AppDatabase, clock: any Clock, settings: WebSettings, throttle: SignInThrottle,
        availability: AvailabilityAPIController
    ) {
        let gate = APIGate(
            db: db, clock: clock, sharedSecret: settings.sharedSecretForAgentsAuth, rateLimits: settings.rateLimits,
            clientAddress: ClientAddress(trustedProxies: settings.trustedProxies))
        let auth = APIAuthController(
            db: db, clock: clock, credentials: AgentCredentialCheck(db: db, clock: clock, throttle: throttle),
            clientAddress: ClientAddress(trustedProxies: settings.trustedProxies),
            perAddress: ClientRateLimit(
                burst: APIAuthController.signInsPerMinute, perMinute: APIAuthController.signInsPerMinute,
                enabled: settings.rateLimits))
        let organisations = APIOrganisationsController(db: db, clock: clock)
        let rdvs = APIRdvsController(db: db, clock: clock, links: SiteLinks(publicURL: settings.publicURL))
        let users = APIUsersController(db: db, clock: clock, publicURL: settings.publicURL)
        let webhooks = APIWebhookEndpointsController(db: db, clock: clock, publicURL: settings.publicURL)
        let publicLinks = APIPublicLinksController(db: db, clock: clock, links: SiteLinks(publicURL: settings.publicURL))
        let series = APISeriesController(db: db, clock: clock, links: SiteLinks(publicURL: settings.publicURL))
        self.gate = gate
        self.operations = Self.table(
            auth: auth, organisations: organisations, rdvs: rdvs, users: users, webhooks: webhooks,
            publicLinks: publicLinks, series: series, availability: availability)
    }

    static let base = "/api/v1"

    /// api.md §6, in its order.
    static func table(
        auth: APIAuthController, organisations: APIOrganisationsController, rdvs: APIRdvsController,
        users: APIUsersController, webhooks: APIWebhookEndpointsController, publicLinks: APIPublicLinksController,
        series: APISeriesController, availability: AvailabilityAPIController
    ) -> [APIOperation] {
        typealias P = APIParameterDoc
        func op(
            _ method: String, _ path: String, _ controller: String, _ action: String, _ summary: String,
            _ parameters: [APIParameterDoc] = [], statuses: [Int] = [200], root: String?,
            _ run: @escaping @Sendable (inout Exchange, APIAgent) throws -> HTTPResponse
        ) -> APIOperation {
            APIOperation(
                method: method, pattern: RoutePattern(base + path), group: .partner, controller: controller,
                action: action, summary: summary, access: .agent, parameters: parameters, statuses: statuses, root: root
            ) { exchange, agent in
                guard let agent else { throw APIFailure.unauthenticated }
                return try run(&exchange, agent)
            }
        }
        func anonymous(
            _ method: String, _ path: String, group: RouteGroup, _ controller: String, _ action: String, _ summary: String,
            _ parameters: [APIParameterDoc], statuses: [Int], root: String?,
            _ run: @escaping @Sendable (inout Exchange) throws -> HTTPResponse
        ) -> APIOperation {
            APIOperation(
                method: method, pattern: RoutePattern(base + path), group: group, controller: controller, action: action,
                summary: summary, access: .anonymous, parameters: parameters, statuses: statuses, root: root
            ) { exchange, _ in try run(&exchange) }
        }
        let organisationID = P.path("organisation_id", "Identifiant de l'organisation.")
        let include = P.query(
            "include[]", .oneOfList(APIShapes.rdvAssociations.sorted()),
            "Associations à inclure (organisation, motif, users, participations, agents, lieu) ; toutes sans ce paramètre.")
        let absenceFields: (Bool) -> [APIParameterDoc] = { required in
            [
                P.body("title", .string, required: required, "Motif de l'indisponibilité."),
                P.body("first_day", .date, required: required, "Premier jour."),
                P.body("start_time", .string, required: required, "Heure de début (HH:MM ou HH:MM:SS)."),
                P.body("end_day", .date, "Dernier jour (le premier jour par défaut)."),
                P.body("end_time", .string, required: required, "Heure de fin (HH:MM ou HH:MM:SS)."),
            ]
        }
        return [
            anonymous(
                "POST", "/auth/sign_in", group: .partner, "auth", "sign_in", "Connexion d'un agent",
                [P.body("email", .string, required: true, "E-mail de l'agent."),
                 P.body("password", .string, required: true, "Mot de passe.")],
                statuses: [200], root: "data", auth.signIn),
            op("GET", "/auth/validate_token", "auth", "validate_token", "Vérification du jeton", root: "data",
               auth.validateToken),
            op("DELETE", "/auth/sign_out", "auth", "sign_out", "Déconnexion (révoque le jeton du client)",
               statuses: [200, 404], root: nil, auth.signOut),
            op("GET", "/absences", "absences", "index", "Indisponibilités des agents visibles", [.page],
               statuses: [200, 400], root: "absences", series.absences),
            op("POST", "/absences", "absences", "create", "Créer une indisponibilité (l'agent reçoit son e-mail ICS)",
               [P.body("agent_id", .integer, "Agent (ou agent_email)."), P.body("agent_email", .string, "E-mail de l'agent."),
                P.body("organisation_id", .integer, "Organisation.")] + absenceFields(true),
               statuses: [200, 403, 404, 422], root: "absence", series.createAbsence),
            op("GET", "/absences/:id", "absences", "show", "Une indisponibilité", [P.path("id", "Identifiant.")],
               statuses: [200, 404], root: "absence", series.absence),
            op("PATCH", "/absences/:id", "absences", "update", "Modifier une indisponibilité",
               [P.path("id", "Identifiant.")] + absenceFields(false), statuses: [200, 404, 422], root: "absence",
               series.updateAbsence),
            op("DELETE", "/absences/:id", "absences", "destroy", "Supprimer une indisponibilité",
               [P.path("id", "Identifiant.")], statuses: [204, 404], root: nil, series.deleteAbsence),
            op("GET", "/agents", "agents", "index", "Agents visibles",
               [P.query("organisation_id", .integer, "Limite aux agents de cette organisation."), .page],
               statuses: [200, 400, 404], root: "agents", organisations.agents),
            op("GET", "/organisations", "organisations", "index",
               "Organisations de l'agent ; avec une adresse, celles du secteur le plus précis de cette adresse",
               [P.query("departement_number", .string, "Département de l'adresse (avec city_code)."),
                P.query("city_code", .string, "Code INSEE de la commune (avec departement_number)."),
                P.query("street_ban_id", .string, "Identifiant BAN de la voie."), .page],
               statuses: [200, 400], root: "organisations", organisations.index),
            op("GET", "/organisations/:id", "organisations", "show", "Une organisation",
               [P.path("id", "Identifiant de l'organisation.")], statuses: [200, 404], root: "organisation",
               organisations.show),
            op("PATCH", "/organisations/:id", "organisations", "update", "Modifier une organisation (administrateur)",
               [P.path("id", "Identifiant de l'organisation."), P.body("name", .string, "Nom."),
                P.body("phone_number", .string, "Téléphone."), P.body("email", .string, "E-mail."),
                P.body("website", .string, "Site internet."),
                P.body("verticale", .oneOf(Organisation.Verticale.allCases.map(\.rawValue)), "Type d'organisation.")],
               statuses: [200, 403, 404, 422], root: "organisation", organisations.update),
            op("GET", "/organisations/:organisation_id/motifs", "motifs", "index", "Motifs d'une organisation",
               [organisationID, P.query("active", .boolean, "Motifs actifs (true) ou supprimés (false)."),
                P.query("bookable_publicly", .boolean, "Motifs réservables en ligne ou non."),
                P.query("service_id", .integer, "Service des motifs."),
                P.query("motif_category_short_name", .string, "Nom court de la catégorie de motif."), .page],
               statuses: [200, 400, 404], root: "motifs", organisations.motifs),
            op("GET", "/organisations/:organisation_id/lieux", "lieux", "index", "Lieux actifs d'une organisation",
               [organisationID, .page], statuses: [200, 400, 404], root: "lieux", organisations.lieux),
            op("GET", "/organisations/:organisation_id/rdvs", "rdvs", "index", "RDV d'une organisation",
               [organisationID, P.query("starts_after", .instant, "Début à partir de cet instant (ou de cette date)."),
                P.query("starts_before", .instant, "Début avant cet instant (ou cette date)."), include, .page],
               statuses: [200, 400, 404], root: "rdvs", rdvs.index),
            op("GET", "/rdvs/:id", "rdvs", "show", "Un RDV", [P.path("id", "Identifiant du RDV."), include],
               statuses: [200, 400, 404], root: "rdv", rdvs.show),
            op("PATCH", "/participations/:id", "participations", "update",
               "Changer le statut d'une participation (notifications comme dans l'interface)",
               [P.path("id", "Identifiant de la participation."),
                P.body("status", .oneOf(AppointmentStatus.allCases.map(\.rawValue)), "Nouveau statut."),
                P.body("participation[status]", .oneOf(AppointmentStatus.allCases.map(\.rawValue)), "Nouveau statut (forme imbriquée).")],
               statuses: [200, 404, 422], root: "rdv", rdvs.updateParticipation),
            op("GET", "/organisations/:organisation_id/users", "users", "organisation_index", "Usagers d'une organisation",
               [organisationID, P.query("search", .string, "Recherche par nom, e-mail ou téléphone."), .page],
               statuses: [200, 400, 404], root: "users", users.organisationIndex),
            op("GET", "/organisations/:organisation_id/users/:user_id", "users", "organisation_show", "Un usager d'une organisation",
               [organisationID, P.path("user_id", "Identifiant de l'usager.")], statuses: [200, 404], root: "user",
               users.organisationShow),
            op("GET", "/users", "users", "index", "Usagers visibles",
               [P.query("ids[]", .integers, "Limite à ces usagers."), .page], statuses: [200, 400], root: "users",
               users.index),
            op("GET", "/users/:id", "users", "show", "Un usager", [P.path("id", "Identifiant de l'usager.")],
               statuses: [200, 404], root: "user", users.show),
            op("POST", "/users", "users", "create", "Créer un usager (sans e-mail envoyé)",
               [P.body("first_name", .string, required: true, "Prénom."), P.body("last_name", .string, required: true, "Nom."),
                P.body("organisation_ids[]", .integers, required: true, "Organisations où l'usager a une fiche.")]
                + userFields + [P.body("referent_agent_ids[]", .integers, "Agents référents.")],
               statuses: [200, 403, 404, 422], root: "user", users.create),
            op("PATCH", "/users/:id", "users", "update", "Modifier un usager (les champs absents sont gardés)",
               [P.path("id", "Identifiant de l'usager."), P.body("first_name", .string, "Prénom."),
                P.body("last_name", .string, "Nom.")] + userFields,
               statuses: [200, 404, 422], root: "user", users.update),
            op("POST", "/users/:id/rdv_invitation_token", "users", "rdv_invitation_token",
               "Jeton d'invitation à prendre RDV (réutilisé s'il existe)", [P.path("id", "Identifiant de l'usager.")],
               statuses: [200, 404], root: "invitation_token", users.invitationToken),
            op("POST", "/user_profiles", "user_profiles", "create", "Ajouter l'usager à une organisation",
               [P.body("user_id", .integer, required: true, "Usager."),
                P.body("organisation_id", .integer, required: true, "Organisation.")],
               statuses: [200, 403, 404, 422], root: "user_profile", users.addProfile),
            op("DELETE", "/user_profiles", "user_profiles", "destroy", "Retirer l'usager d'une organisation",
               [P.body("user_id", .integer, required: true, "Usager."),
                P.body("organisation_id", .integer, required: true, "Organisation.")],
               statuses: [204, 404, 422], root: nil, users.removeProfile),
            op("POST", "/referent_assignations", "referent_assignations", "create", "Désigner un agent référent",
               [P.body("user_id", .integer, required: true, "Usager."), P.body("agent_id", .integer, required: true, "Agent.")],
               statuses: [200, 403, 404, 422], root: "referent_assignation", users.assignReferent),
            op("DELETE", "/referent_assignations", "referent_assignations", "destroy", "Retirer un agent référent",
               [P.body("user_id", .integer, required: true, "Usager."), P.body("agent_id", .integer, required: true, "Agent.")],
               statuses: [204, 403, 404, 422], root: nil, users.unassignReferent),
            op("GET", "/plage_ouvertures", "plage_ouvertures", "index", "Plages d'ouverture visibles",
               [P.query("organisation_id", .integer, "Organisation."), P.query("agent_id", .integer, "Agent."), .page],
               statuses: [200, 400, 404], root: "plage_ouvertures", series.openingPeriods),
            op("GET", "/organisations/:organisation_id/webhook_endpoints", "webhook_endpoints", "index",
               "Webhooks d'une organisation (administrateur de territoire)",
               [organisationID, P.query("target_url", .string, "Limite au webhook de cette adresse."), .page],
               statuses: [200, 403, 404], root: "webhook_endpoints", webhooks.index),
            op("POST", "/organisations/:organisation_id/webhook_endpoints", "webhook_endpoints", "create",
               "Créer un webhook (administrateur de territoire)",
               [organisationID, P.body("target_url", .string, required: true, "Adresse https:// qui reçoit les événements."),
                P.body("secret", .string, "Secret de la signature X-Lapin-Signature (un nouveau sinon)."),
                P.body("subscriptions[]", .oneOfList(AppDatabase.webhookModels), required: true, "Types d'enregistrements."),
                P.body("trigger", .boolean, "Rejouer les événements des enregistrements existants (true par défaut).")],
               statuses: [200, 403, 404, 422], root: "webhook_endpoint", webhooks.create),
            op("PATCH", "/organisations/:organisation_id/webhook_endpoints/:id", "webhook_endpoints", "update",
               "Modifier un webhook",
               [organisationID, P.path("id", "Identifiant du webhook."), P.body("target_url", .string, "Adresse."),
                P.body("secret", .string, "Nouveau secret."),
                P.body("subscriptions[]", .oneOfList(AppDatabase.webhookModels), "Types d'enregistrements.")],
               statuses: [200, 403, 404, 422], root: "webhook_endpoint", webhooks.update),
            op("DELETE", "/organisations/:organisation_id/webhook_endpoints/:id", "webhook_endpoints", "destroy",
               "Supprimer un webhook", [organisationID, P.path("id", "Identifiant du webhook.")],
               statuses: [204, 403, 404], root: nil, webhooks.destroy),
            anonymous(
                "GET", "/public_links", group: .api, "public_links", "index", "Liens publics d'un territoire (public)",
                [P.query("territory", .string, required: true, "Numéro du département (62, 2A…).")],
                statuses: [200, 400], root: "public_links"
            ) { try publicLinks.index(&$0) },
            anonymous(
                "GET", "/creneaux", group: .api, "creneaux", "index", "Créneaux disponibles (public)",
                availabilityParameters(withEnd: true), statuses: [200, 400, 404], root: "creneaux"
            ) { try availability.slots($0) },
            anonymous(
                "GET", "/prochaine_disponibilite", group: .api, "prochaine_disponibilite", "show",
                "Prochaine disponibilité (public)", availabilityParameters(withEnd: false), statuses: [200, 400, 404],
                root: "starts_at"
            ) { try availability.nextAvailability($0) },
        ]
    }

    /// The user fields of POST and PATCH `/users` besides the names (api.md §6).
    static var userFields: [APIParameterDoc] {
        typealias P = APIParameterDoc
        return [
            P.body("birth_name", .string, "Nom de naissance."), P.body("email", .string, "E-mail."),
            P.body("phone_number", .string, "Téléphone."), P.body("birth_date", .date, "Date de naissance."),
            P.body("address", .string, "Adresse."), P.body("address_details", .string, "Complément d'adresse."),
            P.body("responsible_id", .integer, "Responsable (l'usager est alors un proche)."),
            P.body("caisse_affiliation", .oneOf(User.CaisseAffiliation.allCases.map(\.rawValue)), "Caisse d'affiliation."),
            P.body("affiliation_number", .string, "Numéro d'allocataire."),
            P.body("family_situation", .string, "Situation familiale."),
            P.body("number_of_children", .natural, "Nombre d'enfants."),
            P.body("logement", .oneOf(User.Logement.allCases.map(\.rawValue)), "Logement."), P.body("case_number", .string, "Numéro de dossier."),
            P.body("notes", .string, "Remarques."), P.body("notify_by_sms", .boolean, "Notifications par SMS."),
            P.body("notify_by_email", .boolean, "Notifications par e-mail."),
        ]
    }

    /// contracts.md §4.
    static func availabilityParameters(withEnd: Bool) -> [APIParameterDoc] {
        typealias P = APIParameterDoc
        return [
            P.query("motif_id", .integer, required: true, "Motif recherché."),
            P.query("lieu_id", .integer, "Lieu (obligatoire pour un motif sur place)."),
            P.query("from", .date, "Premier jour (AAAA-MM-JJ) ; aujourd'hui par défaut."),
        ] + (withEnd ? [P.query("to", .date, "Dernier jour, au plus 31 jours après from ; from + 6 jours par défaut.")] : []) + [
            P.query("mode", .oneOf(["user", "agent"]), "user (par défaut) ou agent."),
            P.query("city_code", .string, "Code INSEE de la commune de l'usager (sectorisation)."),
            P.query("street_ban_id", .string, "Identifiant BAN de la voie de l'usager (sectorisation)."),
        ]
    }

    /// The routes of the table: one per path, its methods together.
    var routes: [Route] {
        var order: [String] = []
        var byPath: [String: (pattern: RoutePattern, group: RouteGroup, actions: [String: RouteAction])] = [:]
        for operation in operations {
            let key = operation.pattern.description
            if byPath[key] == nil {
                order.append(key)
                byPath[key] = (operation.pattern, operation.group, [:])
            }
            byPath[key]?.actions[operation.method] = gate.action(operation)
        }
        return order.compactMap { byPath[$0] }.map { Route($0.pattern, $0.group, actions: $0.actions) }
    }
}
