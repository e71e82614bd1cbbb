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

    public let heading: String
    public let formPath: String
    public let fields: [FormField]
    public let departement: String
    public let timeZone: String
    public let openOnSundays: Bool
    public let whitMonday: Bool
    public let years: [Year]
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
            }, baseError: errors["base"])
    }
}
