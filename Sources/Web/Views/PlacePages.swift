import Domain
import Foundation
import Persistence

/// `lieux/index`: « Lieux » of « Configuration » (admin.md §2): open places, then disabled ones.
public struct PlaceIndexPage: PageModel, Equatable {
    public static let template = "lieux/index"

    public struct Row: Sendable, Equatable {
        public let name: String
        public let address: String
        public let phone: String
        public let isDisabled: Bool
        /// « Modifier », for organisation admins.
        public let editPath: String?
    }

    public let newPath: String?
    public let rows: [Row]
    public let isEmpty: Bool

    static func load(organisationID: Int64, places: [Place], canManage: Bool) -> PlaceIndexPage {
        PlaceIndexPage(
            newPath: canManage ? SiteURL.organisation(id: organisationID, .newPlace).path : nil,
            rows: places.map { place in
                Row(
                    name: place.name, address: place.address, phone: place.phoneNumber ?? "—",
                    isDisabled: place.availability == .disabled,
                    editPath: canManage && place.availability == .enabled
                        ? place.id.map { SiteURL.organisation(id: organisationID, .editPlace(id: $0)).path } : nil)
            }, isEmpty: places.isEmpty)
    }
}

/// `lieux/form`: a place's name, its address chosen among the address service's answers
/// (contracts.md §6; « Rechercher l'adresse » works without JavaScript), and its phone.
public struct PlaceFormPage: PageModel, Equatable {
    public static let template = "lieux/form"

    /// What the form sent (or the place), kept through every re-render.
    struct Input: Equatable {
        var name = ""
        var address = ""
        var choice = ""
        var phone = ""

        init() {}

        init(_ place: Place) {
            name = place.name
            address = place.address
            phone = place.phoneNumber ?? ""
        }

        init(form: FormData) {
            name = (form["name"] ?? "").trimmingCharacters(in: .whitespaces)
            address = (form["address"] ?? "").trimmingCharacters(in: .whitespaces)
            choice = form["address_choice"] ?? ""
            phone = (form["phone_number"] ?? "").trimmingCharacters(in: .whitespaces)
        }
    }

    static let labels = ["name": "Nom", "address": "Adresse", "phone_number": "Téléphone"]
    /// « Historique », in the form's order; it also says when the place was disabled.
    static let historyFields: [(name: String, label: String)] = [
        ("name", "Nom"), ("address", "Adresse"), ("phone_number", "Téléphone"), ("availability", "État"),
    ]

    public let heading: String
    public let formPath: String
    public let isEdit: Bool
    public let cancelPath: String
    public let nameField: FormField
    public let addressField: FormField
    public let phoneField: FormField
    /// The answers to « Rechercher l'adresse », one to choose.
    public let suggestions: ChoiceGroup?
    public let noSuggestion: Bool
    /// « Désactiver ce lieu », on the edit form.
    public let disablePath: String?
    /// The place's « Historique », on the edit form.
    public let history: HistoryList?

    static func load(
        organisationID: Int64, placeID: Int64?, input: Input, suggestions: [AddressMatch]? = nil,
        errors: [String: String] = [:], history: HistoryList? = nil
    ) -> PlaceFormPage {
        let list = SiteURL.organisation(id: organisationID, .places)
        let choices = (suggestions ?? []).filter { $0.latitude != nil && $0.longitude != nil }
        return PlaceFormPage(
            heading: placeID == nil ? "Créer un lieu" : "Modifier le lieu « \(input.name) »",
            formPath: placeID.map { SiteURL.organisation(id: organisationID, .place(id: $0)).path } ?? list.path,
            isEdit: placeID != nil, cancelPath: list.path,
            nameField: FormField(name: "name", label: "Nom", value: input.name, hint: "Par exemple « MDS Arras Centre »", required: true, error: errors["name"]),
            addressField: FormField(
                name: "address", label: "Adresse", value: input.address, autocomplete: "off",
                hint: "Le numéro, la rue et la ville, puis « Rechercher l'adresse »", required: true,
                error: errors["address"]),
            phoneField: FormField(
                name: "phone_number", label: "Téléphone", type: "tel", value: input.phone,
                hint: "Facultatif ; montré aux usagers et dans les SMS", error: errors["phone_number"]),
            suggestions: choices.isEmpty
                ? nil
                : ChoiceGroup(
                    id: "address_choice", name: "address_choice", legend: "Choisissez l'adresse", hint: nil,
                    options: choices.enumerated().map { index, match in
                        .init(
                            id: "address_choice-\(index)", value: match.label, label: match.label,
                            isSelected: input.choice == match.label || (choices.count == 1 && input.choice.isEmpty))
                    }, error: errors["address_choice"]),
            noSuggestion: suggestions != nil && choices.isEmpty,
            disablePath: placeID.map { SiteURL.organisation(id: organisationID, .place(id: $0)).path },
            history: history)
    }
}
