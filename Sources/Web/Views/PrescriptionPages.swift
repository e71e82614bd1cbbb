import Domain
import Foundation
import Persistence

/// « Vos coordonnées de prescripteur » as typed (booking.md §5.1 step 3), with its French
/// messages by field.
struct PrescriberInput: Equatable {
    var firstName = ""
    var lastName = ""
    var email = ""
    var phone = ""

    init() {}

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        firstName = String(text("prescripteur_first_name").prefix(100))
        lastName = String(text("prescripteur_last_name").prefix(100))
        email = String(text("prescripteur_email").prefix(200))
        phone = String(text("prescripteur_phone_number").prefix(30))
    }

    init(_ prescriber: Prescriber) {
        firstName = prescriber.firstName
        lastName = prescriber.lastName
        email = prescriber.email
        phone = prescriber.phoneNumber ?? ""
    }

    var errors: [String: String] {
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["prescripteur_first_name"] = "Saisissez votre prénom." }
        if lastName.isEmpty { errors["prescripteur_last_name"] = "Saisissez votre nom." }
        if email.isEmpty {
            errors["prescripteur_email"] = "Saisissez votre adresse e-mail : la confirmation du rendez-vous y sera envoyée."
        } else if !EmailAddress.isValid(email) {
            errors["prescripteur_email"] = UserCodeRequestPage.invalidEmail
        }
        if phone.isEmpty {
            errors["prescripteur_phone_number"] = "Saisissez votre numéro de téléphone, pour que le service puisse vous joindre."
        } else if PhoneNumber(phone) == nil {
            errors["prescripteur_phone_number"] = UserCodeSignUpPage.invalidPhone
        }
        return errors
    }

    var prescriber: Prescriber {
        Prescriber(firstName: firstName, lastName: lastName, email: EmailAddress.normalised(email), phoneNumber: phone)
    }

    func fields(errors: [String: String]) -> [FormField] {
        [
            FormField(
                name: "prescripteur_first_name", label: "Prénom", value: firstName, autocomplete: "given-name",
                required: true, error: errors["prescripteur_first_name"]),
            FormField(
                name: "prescripteur_last_name", label: "Nom", value: lastName, autocomplete: "family-name",
                required: true, error: errors["prescripteur_last_name"]),
            FormField(
                name: "prescripteur_email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "email",
                hint: "La confirmation du rendez-vous vous sera envoyée à cette adresse. Format attendu : nom@exemple.fr",
                required: true, error: errors["prescripteur_email"]),
            FormField(
                name: "prescripteur_phone_number", label: "Numéro de téléphone", type: "tel", value: phone,
                autocomplete: "tel", hint: "Format attendu : 01 23 45 67 89", required: true,
                error: errors["prescripteur_phone_number"]),
        ]
    }

    static let fieldNames: Set<String> = [
        "prescripteur_first_name", "prescripteur_last_name", "prescripteur_email", "prescripteur_phone_number",
    ]
}

/// « Le bénéficiaire » as typed (booking.md §5.1 step 4).
struct BeneficiaryInput: Equatable {
    var firstName = ""
    var lastName = ""
    var phone = ""

    init() {}

    init(_ form: FormData) {
        func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        firstName = String(text("first_name").prefix(100))
        lastName = String(text("last_name").prefix(100))
        phone = String(text("phone_number").prefix(30))
    }

    static let notMobile =
        "Saisissez un numéro de mobile (par exemple 06 12 34 56 78), ou laissez le champ vide : les SMS ne partent que vers un mobile."
    /// The benign warning of booking.md §5.1 step 4, shown with the field.
    static let noMobileWarning = "Sans numéro de mobile, le bénéficiaire ne recevra aucune notification"

    /// `byPhone`: the agent calls the beneficiary (domain.md §9: a phone motif needs a phone).
    func errors(byPhone: Bool) -> [String: String] {
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["first_name"] = "Saisissez le prénom du bénéficiaire." }
        if lastName.isEmpty { errors["last_name"] = "Saisissez le nom du bénéficiaire." }
        if phone.isEmpty && byPhone {
            errors["phone_number"] = "Ce rendez-vous a lieu par téléphone : saisissez le numéro de mobile du bénéficiaire."
        } else if !phone.isEmpty, !(PhoneNumber(phone)?.isMobile ?? false) {
            errors["phone_number"] = Self.notMobile
        }
        return errors
    }

    var beneficiary: Beneficiary {
        Beneficiary(firstName: firstName, lastName: lastName, phoneNumber: phone.isEmpty ? nil : phone)
    }

    func fields(errors: [String: String]) -> [FormField] {
        [
            FormField(
                name: "first_name", label: "Prénom du bénéficiaire", value: firstName,
                required: true, error: errors["first_name"]),
            FormField(
                name: "last_name", label: "Nom du bénéficiaire", value: lastName, required: true,
                error: errors["last_name"]),
            FormField(
                name: "phone_number", label: "Téléphone mobile du bénéficiaire (facultatif)", type: "tel", value: phone,
                hint: "\(Self.noMobileWarning). Format attendu : 06 12 34 56 78", error: errors["phone_number"]),
        ]
    }

    static let fieldNames: Set<String> = ["first_name", "last_name", "phone_number"]
}

/// `prendre_rdv_prescripteur/confirmation`: « Le rendez-vous de <bénéficiaire> est confirmé. »
/// (booking.md §5.1 step 7). The prescriber cannot change it: the page gives the service's phone.
public struct PrescriptionConfirmationPage: PageModel {
    public static let template = "prendre_rdv_prescripteur/confirmation"

    public let heading: String
    public let motifName: String
    public let when: String
    public let whenISO: String
    public let placeName: String?
    public let placeAddress: String?
    public let locationLabel: String
    public let organisationName: String
    public let phone: String?
    public let phoneHref: String?
    public let instruction: String?
    public let prescriberEmail: String
    public let newBookingPath: String

    init(_ summary: PrescriptionSummary, prescriberEmail: String) {
        heading = "Le rendez-vous de \(summary.beneficiaryName) est confirmé."
        motifName = summary.motifName
        when = AppointmentFormat.long(summary.startsAt, in: summary.timeZone)
        whenISO = AppointmentFormat.iso(summary.startsAt, in: summary.timeZone)
        // A phone, home or video appointment may keep the place of its opening period: not where it happens.
        placeName = summary.locationType == .publicOffice ? summary.placeName : nil
        placeAddress = summary.placeAddress
        locationLabel = PublicSearch.locationLabels[summary.locationType] ?? ""
        organisationName = summary.organisationName
        let raw = summary.organisationPhone.flatMap { $0.isEmpty ? nil : $0 }
        phone = raw.map(NotificationFormat.phone)
        phoneHref = raw.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } }
        instruction = summary.instruction.flatMap { $0.isEmpty ? nil : $0 }
        self.prescriberEmail = prescriberEmail
        newBookingPath = SiteURL.prescriberSearch.path
    }
}
