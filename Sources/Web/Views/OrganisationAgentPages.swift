import Domain
import Foundation
import Persistence

extension AgentRole.AccessLevel {
    /// The words of admin.md §4: « Agent », « Administrateur », « Intervenant ».
    var label: String {
        switch self {
        case .basic: "Agent"
        case .admin: "Administrateur"
        case .intervenant: "Intervenant"
        }
    }
}

/// `organisation_agents/index`: « Agents » of « Configuration » (admin.md §2): name, e-mail,
/// level, services and the badges « Invitation en attente » and « Inactif ».
public struct OrganisationAgentIndexPage: PageModel, Equatable {
    public static let template = "organisation_agents/index"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let email: String
        public let level: String
        public let services: String
        public let invitationPending: Bool
        public let isInactive: Bool
        public let editPath: String
        /// The agent's « Plages d'ouverture » in this organisation.
        public let periodsPath: String
    }

    public let invitePath: String
    public let intervenantPath: String
    public let rows: [Row]
    public let count: Int

    static func load(organisationID: Int64, agents: [OrganisationAgentRow]) -> OrganisationAgentIndexPage {
        OrganisationAgentIndexPage(
            invitePath: SiteURL.organisation(id: organisationID, .newAgent).path,
            intervenantPath: SiteURL.organisation(id: organisationID, .newIntervenant).path,
            rows: agents.map {
                Row(
                    name: $0.displayName, email: $0.email ?? "—", level: $0.level.label,
                    services: $0.serviceNames.joined(separator: ", "), invitationPending: $0.invitationPending,
                    isInactive: $0.isInactive,
                    editPath: SiteURL.organisation(id: organisationID, .editAgentRole(id: $0.roleID)).path,
                    periodsPath: SiteURL.organisation(id: organisationID, .openingPeriods(agentID: $0.agentID)).path)
            }, count: agents.count)
    }
}

/// `organisation_agents/new`: « Inviter un agent » (admin.md §4): e-mail, name, level and
/// services; the benign warning when an existing agent's services differ.
public struct AgentInvitationFormPage: PageModel, Equatable {
    public static let template = "organisation_agents/new"

    struct Input: Equatable {
        var email = ""
        var firstName = ""
        var lastName = ""
        var level = AgentRole.AccessLevel.basic.rawValue
        var serviceIDs: Set<Int64> = []
        /// « Espace admin » only: the organisations of the territory to invite into.
        var organisationIDs: Set<Int64> = []

        init() {}

        init(form: FormData) {
            func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
            email = text("email")
            firstName = text("first_name")
            lastName = text("last_name")
            level = text("access_level")
            serviceIDs = Set(form.values("service_ids").compactMap { Int64($0) })
            organisationIDs = Set(form.values("organisation_ids").compactMap { Int64($0) })
        }
    }

    static let labels = [
        "email": "Adresse e-mail", "first_name": "Prénom", "last_name": "Nom", "access_level": "Niveau d'accès",
        "services": "Services", "organisations": "Organisations",
    ]

    public let formPath: String
    public let cancelPath: String
    public let baseError: String?
    public let emailField: FormField
    public let firstNameField: FormField
    public let lastNameField: FormField
    public let levelField: ChoiceGroup
    public let servicesField: ChoiceGroup
    /// « Espace admin » → « Agents »: the territory's organisations, one or several.
    public let organisationsField: ChoiceGroup?
    public let warnings: BenignWarnings

    static func load(
        organisationID: Int64, input: Input, services: [NamedOption], errors: [String: String] = [:],
        warnings: [String] = []
    ) -> AgentInvitationFormPage {
        load(
            listPath: SiteURL.organisation(id: organisationID, .agents).path, organisations: nil, input: input,
            services: services, errors: errors, warnings: warnings)
    }

    /// `organisations`: the choice of organisations of « Espace admin », nil in « Configuration ».
    static func load(
        listPath: String, organisations: [NamedOption]?, input: Input, services: [NamedOption], errors: [String: String],
        warnings: [String]
    ) -> AgentInvitationFormPage {
        AgentInvitationFormPage(
            formPath: listPath, cancelPath: listPath, baseError: errors["base"],
            emailField: FormField(
                name: "email", label: "Adresse e-mail", type: "email", value: input.email,
                hint: "L'invitation y est envoyée ; le lien est valable 14 jours", required: true, error: errors["email"]),
            firstNameField: FormField(
                name: "first_name", label: "Prénom", value: input.firstName, autocomplete: "off",
                hint: "Inutile pour un agent déjà inscrit dans une autre organisation", error: errors["first_name"]),
            lastNameField: FormField(
                name: "last_name", label: "Nom", value: input.lastName, autocomplete: "off",
                hint: "Inutile pour un agent déjà inscrit dans une autre organisation", error: errors["last_name"]),
            levelField: ChoiceGroup(
                id: "access_level", name: "access_level", legend: "Niveau d'accès", hint: nil,
                options: [AgentRole.AccessLevel.basic, .admin].map {
                    .init(id: "access_level-\($0.rawValue)", value: $0.rawValue, label: $0.label, isSelected: input.level == $0.rawValue)
                }, error: errors["access_level"]),
            servicesField: ChoiceGroup(
                id: "service_ids", name: "service_ids", legend: "Services", hint: "Au moins un, parmi les services du territoire",
                options: services.map {
                    .init(id: "service_ids-\($0.id)", value: "\($0.id)", label: $0.name, isSelected: input.serviceIDs.contains($0.id))
                }, error: errors["services"]),
            organisationsField: organisations.map { organisations in
                ChoiceGroup(
                    id: "organisation_ids", name: "organisation_ids", legend: "Organisations",
                    hint: "Au moins une ; l'agent y aura le même niveau d'accès",
                    options: organisations.map {
                        .init(
                            id: "organisation_ids-\($0.id)", value: "\($0.id)", label: $0.name,
                            isSelected: input.organisationIDs.contains($0.id))
                    }, error: errors["organisations"])
            }, warnings: BenignWarnings(warnings))
    }
}

/// `organisation_agents/intervenant`: « Ajouter un intervenant »: an agenda without sign-in.
public struct IntervenantFormPage: PageModel, Equatable {
    public static let template = "organisation_agents/intervenant"

    public let formPath: String
    public let cancelPath: String
    public let lastNameField: FormField
    public let firstNameField: FormField
    public let servicesField: ChoiceGroup

    static func load(
        organisationID: Int64, lastName: String, firstName: String, serviceIDs: Set<Int64>, services: [NamedOption],
        errors: [String: String] = [:]
    ) -> IntervenantFormPage {
        IntervenantFormPage(
            formPath: SiteURL.organisation(id: organisationID, .intervenants).path,
            cancelPath: SiteURL.organisation(id: organisationID, .agents).path,
            lastNameField: FormField(
                name: "last_name", label: "Nom", value: lastName, autocomplete: "off", required: true,
                error: errors["last_name"]),
            firstNameField: FormField(
                name: "first_name", label: "Prénom", value: firstName, autocomplete: "off", hint: "Facultatif",
                error: errors["first_name"]),
            servicesField: ChoiceGroup(
                id: "service_ids", name: "service_ids", legend: "Services", hint: "Au moins un",
                options: services.map {
                    .init(id: "service_ids-\($0.id)", value: "\($0.id)", label: $0.name, isSelected: serviceIDs.contains($0.id))
                }, error: errors["services"]))
    }
}

/// `organisation_agents/edit`: one agent's role in the organisation: its level (an e-mail for
/// an intervenant given access), « Renvoyer l'invitation », « Retirer de l'organisation ».
public struct AgentRoleFormPage: PageModel, Equatable {
    public static let template = "organisation_agents/edit"

    public let heading: String
    public let formPath: String
    public let cancelPath: String
    public let baseError: String?
    public let levelField: ChoiceGroup?
    public let emailField: FormField?
    public let resendPath: String?
    public let removePath: String?

    static func load(
        organisationID: Int64, roleID: Int64, agent: OrganisationAgentRow, level: String, email: String,
        canChangeLevel: Bool, canRemove: Bool, canResend: Bool, errors: [String: String] = [:]
    ) -> AgentRoleFormPage {
        let levels: [AgentRole.AccessLevel] = agent.level == .intervenant ? [.intervenant, .basic, .admin] : [.basic, .admin]
        return AgentRoleFormPage(
            heading: agent.displayName, formPath: SiteURL.organisation(id: organisationID, .agentRole(id: roleID)).path,
            cancelPath: SiteURL.organisation(id: organisationID, .agents).path, baseError: errors["base"],
            levelField: canChangeLevel
                ? ChoiceGroup(
                    id: "access_level", name: "access_level", legend: "Niveau d'accès",
                    hint: agent.level == .intervenant ? "Un intervenant qui reçoit un accès est invité à l'adresse e-mail ci-dessous" : nil,
                    options: levels.map {
                        .init(id: "access_level-\($0.rawValue)", value: $0.rawValue, label: $0.label, isSelected: level == $0.rawValue)
                    }, error: errors["access_level"]) : nil,
            emailField: canChangeLevel && agent.level == .intervenant
                ? FormField(
                    name: "email", label: "Adresse e-mail", type: "email", value: email,
                    hint: "Obligatoire pour passer en Agent ou Administrateur", error: errors["email"]) : nil,
            resendPath: canResend && agent.invitationPending
                ? SiteURL.organisation(id: organisationID, .agentInvitation(agentID: agent.agentID)).path : nil,
            removePath: canRemove ? SiteURL.organisation(id: organisationID, .agentRole(id: roleID)).path : nil)
    }
}
