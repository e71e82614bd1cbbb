import Domain
import Foundation
import Persistence

/// `organisations/edit`: « Configuration » → « Organisation » (admin.md §2): what users see of it
/// (phone, e-mail, website, hours) and its external id.
public struct OrganisationFormPage: PageModel, Equatable {
    public static let template = "organisations/edit"

    /// The fields in the form's order, with their labels (errors and « Historique »).
    static let fields: [(name: String, label: String)] = [
        ("name", "Nom"), ("phone_number", "Téléphone"), ("email", "E-mail"), ("website", "Site internet"),
        ("horaires", "Horaires"), ("external_id", "Identifiant externe"),
    ]
    static let labels = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0.label) })

    struct Input: Equatable {
        var name = ""
        var phone = ""
        var email = ""
        var website = ""
        var horaires = ""
        var externalID = ""

        init(_ organisation: Organisation) {
            name = organisation.name
            phone = organisation.phoneNumber ?? ""
            email = organisation.email ?? ""
            website = organisation.website ?? ""
            horaires = organisation.horaires ?? ""
            externalID = organisation.externalID ?? ""
        }

        init(form: FormData) {
            func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
            name = text("name")
            phone = text("phone_number")
            email = text("email")
            website = text("website")
            horaires = text("horaires")
            externalID = text("external_id")
        }

        func organisation(_ stored: Organisation) -> Organisation {
            var changed = stored
            changed.name = name
            changed.phoneNumber = phone
            changed.email = email
            changed.website = website
            changed.horaires = horaires
            changed.externalID = externalID
            return changed
        }
    }

    public let formPath: String
    public let fields: [FormField]
    public let baseError: String?
    public let history: HistoryList?

    static func load(
        organisationID: Int64, input: Input, issues: [ValidationIssue] = [], history: HistoryList? = nil
    ) -> OrganisationFormPage {
        let errors = fieldErrors(issues, labels: labels)
        func field(_ name: String, _ value: String, type: String = "text", hint: String? = nil, required: Bool = false)
            -> FormField
        {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: value, hint: hint, required: required,
                error: errors[name])
        }
        return OrganisationFormPage(
            formPath: SiteURL.organisation(id: organisationID, .show).path,
            fields: [
                field("name", input.name, required: true),
                field("phone_number", input.phone, type: "tel", hint: "Montré aux usagers, par exemple 03 21 00 00 00 ou 3949"),
                field("email", input.email, type: "email", hint: "Montré aux usagers ; l'adresse de réponse des e-mails"),
                field("website", input.website, type: "url", hint: "Montré aux usagers, par exemple https://www.pasdecalais.fr"),
                field("horaires", input.horaires, hint: "Texte libre, par exemple « Du lundi au vendredi, 9h–12h et 14h–17h »"),
                field(
                    "external_id", input.externalID,
                    hint: "Facultatif : l'identifiant de l'organisation dans votre système, pour les liens /org/ext/<département>/<identifiant>"),
            ], baseError: errors["base"], history: history)
    }
}
