import Domain
import Foundation
import Persistence

/// `territories/edit`: « Espace admin » → « Territoire » (admin.md §3): name and phone, the
/// département and time zone shown read-only, the two holiday settings, and the holidays of
/// this year and the next as they apply here.
public struct TerritoryFormPage: PageModel, Equatable {
    public static let template = "territories/edit"

    public struct Year: Sendable, Equatable {
        public struct Holiday: Sendable, Equatable {
            public let date: String
            public let iso: String
            public let name: String
        }

        public let year: Int
        public let holidays: [Holiday]
    }

    static let labels = ["name": "Nom", "phone_number": "Téléphone"]

    public struct ToggleSection: Sendable, Equatable {
        public struct Toggle: Sendable, Equatable {
            public let name: String
            public let label: String
            public let isChecked: Bool
        }

        public let id: String
        public let legend: String
        public let hint: String
        public let toggles: [Toggle]
    }

    /// admin.md §3 « Champs optionnels », « Champs du RDV », « Usagers »: their columns and labels.
    static let toggleSections: [(id: String, legend: String, hint: String, columns: [(String, String)])] = [
        (
            "user-fields", "Champs optionnels de la fiche usager", "Les champs que les agents remplissent en plus.",
            [
                ("enable_notes_field", "Remarques"), ("enable_logement_field", "Logement"),
                ("enable_caisse_affiliation_field", "Caisse d'affiliation"),
                ("enable_affiliation_number_field", "Numéro d'allocataire"),
                ("enable_family_situation_field", "Situation familiale"),
                ("enable_number_of_children_field", "Nombre d'enfants"), ("enable_case_number", "Numéro de dossier"),
                ("enable_address_details", "Complément d'adresse"),
            ]
        ),
        (
            "rdv-fields", "Champs du RDV", "Ce que les agents voient et font sur un rendez-vous.",
            [
                ("enable_context_field", "Contexte (un texte libre sur le rendez-vous)"),
                ("enable_waiting_room_mail_field", "Salle d'attente : prévenir les agents par e-mail de l'arrivée de l'usager"),
                ("enable_waiting_room_color_field", "Salle d'attente : changer la couleur du rendez-vous dans l'agenda"),
            ]
        ),
        (
            "users", "Usagers", "Qui retrouve un usager.",
            [("visible_users_throughout_the_territory", "Les usagers sont visibles dans toutes les organisations du territoire")]
        ),
    ]

    public let heading: String
    public let formPath: String
    public let fields: [FormField]
    public let departement: String
    public let timeZone: String
    public let openOnSundays: Bool
    public let whitMonday: Bool
    public let years: [Year]
    public let sections: [ToggleSection]
    public let baseError: String?

    static func load(_ territory: TerritorySettingsRecord, today: LocalDate, issues: [ValidationIssue] = [])
        -> TerritoryFormPage
    {
        let errors = fieldErrors(issues, labels: labels)
        return TerritoryFormPage(
            heading: "Territoire « \(territory.name) »",
            formPath: SiteURL.territory(id: territory.id, .show).path,
            fields: [
                FormField(name: "name", label: "Nom", value: territory.name, required: true, error: errors["name"]),
                FormField(
                    name: "phone_number", label: "Téléphone", type: "tel", value: territory.phoneNumber ?? "",
                    hint: "Facultatif", error: errors["phone_number"]),
            ],
            departement: territory.departementNumber ?? "—", timeZone: territory.timeZone,
            openOnSundays: territory.openOnSundaysAndHolidays, whitMonday: territory.whitMondayIsHoliday,
            years: [today.year, today.year + 1].map { year in
                Year(
                    year: year,
                    holidays: PublicHolidays.named(
                        year: year, departementNumber: territory.departementNumber,
                        whitMondayIsHoliday: territory.whitMondayIsHoliday
                    ).map {
                        .init(date: NotificationFormat.mailDay($0.date).capitalizedFirst, iso: $0.date.description, name: $0.name)
                    })
            },
            sections: toggleSections.map { section in
                ToggleSection(
                    id: section.id, legend: section.legend, hint: section.hint,
                    toggles: section.columns.map { .init(name: $0.0, label: $0.1, isChecked: territory.toggles[$0.0] ?? false) })
            }, baseError: errors["base"])
    }
}
