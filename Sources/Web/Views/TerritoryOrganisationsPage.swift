import Domain
import Foundation
import Persistence

/// `territories/organisations`: « Espace admin » → « Organisations » (admin.md §3): the
/// territory's organisations and the creation form (its creator becomes its first admin).
public struct TerritoryOrganisationsPage: PageModel, Equatable {
    public static let template = "territories/organisations"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let phone: String
        public let agents: String
    }

    public struct Option: Sendable, Equatable {
        public let value: String
        public let label: String
        public let isSelected: Bool
    }

    static let verticales: [(Organisation.Verticale, String)] = [
        (.rdvSolidarites, "RDV Solidarités"), (.rdvInsertion, "RDV Insertion"),
        (.rdvAideNumerique, "RDV Aide numérique"), (.rdvMairie, "RDV Mairie (plusieurs proches dans un même RDV)"),
    ]

    public let rows: [Row]
    public let formPath: String
    public let fields: [FormField]
    public let verticaleOptions: [Option]
    public let baseError: String?

    static func load(
        territoryID: Int64, organisations: [TerritoryOrganisationRow], input: OrganisationFormPage.Input? = nil,
        verticale: String = Organisation.Verticale.rdvSolidarites.rawValue, issues: [ValidationIssue] = []
    ) -> TerritoryOrganisationsPage {
        let errors = fieldErrors(issues, labels: OrganisationFormPage.labels)
        let values = input
        func field(_ name: String, _ value: String?, type: String = "text", required: Bool = false) -> FormField {
            FormField(
                id: "new-\(name)", name: name, label: OrganisationFormPage.labels[name] ?? name, type: type,
                value: value ?? "", required: required, error: errors[name])
        }
        return TerritoryOrganisationsPage(
            rows: organisations.map {
                Row(name: $0.name, phone: $0.phoneNumber ?? "—", agents: "\($0.agentsCount)")
            },
            formPath: SiteURL.territory(id: territoryID, .organisations).path,
            fields: [
                field("name", values?.name, required: true), field("phone_number", values?.phone, type: "tel"),
                field("email", values?.email, type: "email"), field("website", values?.website, type: "url"),
                field("horaires", values?.horaires),
            ],
            verticaleOptions: verticales.map {
                Option(value: $0.0.rawValue, label: $0.1, isSelected: $0.0.rawValue == verticale)
            }, baseError: errors["base"])
    }
}
