import Domain
import Foundation
import Persistence

/// `super_admins/password`: the password of the operator, from the `rdv superadmin` link.
public struct SuperAdminPasswordPage: PageModel, Equatable {
    public static let template = "super_admins/password"
    public let formPath = SiteURL.superAdmins(.password).path
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, email: String, errors: [String: String] = [:]) -> SuperAdminPasswordPage {
        SuperAdminPasswordPage(
            token: token, email: email,
            fields: NewPasswordFields.fields(
                label: "Mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors))
    }
}

/// `super_admins/sign_in`: « Connexion super admin », one sentence for every refusal.
public struct SuperAdminSignInPage: PageModel, Equatable {
    public static let template = "super_admins/sign_in"
    public let formPath = SiteURL.superAdmins(.signIn).path
    public let errorMessage: String?
    public let fields: [FormField]

    static func load(email: String, error: String?) -> SuperAdminSignInPage {
        SuperAdminSignInPage(
            errorMessage: error,
            fields: [
                FormField(
                    name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "username",
                    required: true, describedBy: error == nil ? nil : "sign-in-error"),
                FormField(
                    name: "password", label: "Mot de passe", type: "password", autocomplete: "current-password",
                    required: true, describedBy: error == nil ? nil : "sign-in-error"),
            ])
    }
}

/// `super_admins/home`: the instance's territories.
public struct SuperAdminHomePage: PageModel, Equatable {
    public static let template = "super_admins/home"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let departement: String
        public let organisations: Int
        public let agents: Int
        public let exportPath: String
    }

    public let newPath = SiteURL.superAdmins(.newTerritory).path
    public let rows: [Row]
    public let isEmpty: Bool

    static func load(territories: [SuperAdminTerritoryRow]) -> SuperAdminHomePage {
        SuperAdminHomePage(
            rows: territories.map {
                Row(
                    name: $0.name, departement: $0.departementNumber ?? "—", organisations: $0.organisationsCount,
                    agents: $0.agentsCount, exportPath: SiteURL.superAdmins(.territoryExport(id: $0.id)).path)
            }, isEmpty: territories.isEmpty)
    }
}

/// `super_admins/territory_form`: « Créer un territoire » (admin.md §11): the territory, its first
/// active service, its first organisation and its first admin, who is invited.
public struct SuperAdminTerritoryFormPage: PageModel, Equatable {
    public static let template = "super_admins/territory_form"

    static let names = [
        "name", "departement_number", "service_id", "organisation_name", "admin_email", "admin_first_name",
        "admin_last_name",
    ]
    static let labels = [
        "name": "Nom du territoire", "departement_number": "Numéro de département", "service_id": "Premier service",
        "organisation_name": "Nom de la première organisation", "admin_email": "Adresse e-mail de l'administrateur",
        "admin_first_name": "Prénom de l'administrateur", "admin_last_name": "Nom de l'administrateur",
    ]

    public let formPath = SiteURL.superAdmins(.territories).path
    public let cancelPath = SiteURL.superAdmins(.home).path
    public let baseError: String?
    public let territoryFields: [FormField]
    public let serviceField: SelectField
    public let organisationField: FormField
    public let adminFields: [FormField]
    /// An empty catalogue: a territory needs a service first.
    public let servicesPath: String?

    static func load(values: [String: String], services: [NamedOption], errors: [String: String] = [:])
        -> SuperAdminTerritoryFormPage
    {
        func field(_ name: String, type: String = "text", hint: String? = nil, required: Bool = true) -> FormField {
            FormField(
                // axe-core (autocomplete-valid) refuses "off" on an e-mail field: none given there.
                name: name, label: labels[name] ?? name, type: type, value: values[name] ?? "",
                autocomplete: type == "email" ? nil : "off",
                hint: hint, required: required, error: errors[name])
        }
        return SuperAdminTerritoryFormPage(
            baseError: errors["base"],
            territoryFields: [
                field("name", hint: "Par exemple « Pas-de-Calais »"),
                field(
                    "departement_number", hint: "Par exemple 62, 2A ou 974 ; il fixe le fuseau horaire et les jours fériés",
                    required: false),
            ],
            serviceField: SelectField(
                id: "service_id", label: labels["service_id"] ?? "", hint: "D'autres s'activent ensuite dans « Espace admin »",
                options: [.init(value: "", label: "Choisissez un service", isSelected: (values["service_id"] ?? "").isEmpty)]
                    + services.map { .init(value: "\($0.id)", label: $0.name, isSelected: values["service_id"] == "\($0.id)") },
                error: errors["service_id"]),
            organisationField: field("organisation_name", hint: "Par exemple « MDS Arras »"),
            adminFields: [
                field("admin_email", type: "email", hint: "Il devient administrateur de l'organisation et du territoire, et reçoit son invitation"),
                field("admin_first_name"), field("admin_last_name"),
            ], servicesPath: services.isEmpty ? SiteURL.superAdmins(.services).path : nil)
    }
}

/// `super_admins/services`: the service catalogue (domain.md §3) and « Ajouter un service ».
public struct SuperAdminServicesPage: PageModel, Equatable {
    public static let template = "super_admins/services"
    static let labels = ["name": "Nom", "short_name": "Nom court"]

    public let formPath = SiteURL.superAdmins(.services).path
    public let services: [String]
    public let isEmpty: Bool
    public let fields: [FormField]

    static func load(services: [NamedOption], name: String, shortName: String, errors: [String: String] = [:])
        -> SuperAdminServicesPage
    {
        SuperAdminServicesPage(
            services: services.map(\.name), isEmpty: services.isEmpty,
            fields: [
                FormField(
                    name: "name", label: "Nom", value: name, autocomplete: "off",
                    hint: "Par exemple « PMI (Protection Maternelle Infantile) »", required: true, error: errors["name"]),
                FormField(
                    name: "short_name", label: "Nom court", value: shortName, autocomplete: "off",
                    hint: "Dans les SMS, par exemple « PMI »", required: true, error: errors["short_name"]),
            ])
    }
}
