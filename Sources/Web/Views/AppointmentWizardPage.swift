import Domain
import Foundation
import Persistence

/// `rdvs/new`: the four steps of booking.md §1.3 as the four fieldsets of ONE form. Without
/// JavaScript a single form is what keeps every value: « Rechercher » and « Choisir ce motif »
/// submit the same form as a GET to this page (`formaction`), so typed fields, chosen users and
/// toggles come back on every round trip, and « Créer le rendez-vous » posts it all at once.
public struct AppointmentWizardPage: PageModel {
    public static let template = "rdvs/new"

    public struct UserLine: Sendable, Equatable {
        public let id: String
        public let name: String
        public let details: String
        public let checked: Bool
    }

    /// Step 4, one participant.
    public struct ParticipantNotifications: Sendable, Equatable {
        public let key: String
        public let name: String
        public let lifecycle: Bool
        public let reminder: Bool
        /// « Jean Dupont recevra un SMS et un e-mail de confirmation, et un rappel 2 jours avant. »
        public let sentence: String
    }

    public let formPath: String
    public let refreshPath: String
    public var services: [FormOption] = []
    public var motifGroups: [FormOptionGroup] = []
    public var motifError: String?
    public var chosenUsers: [UserLine] = []
    public var hasChosenUsers = false
    public var userSearch: String
    public var searchResults: [UserLine] = []
    public var hasSearchResults = false
    public var searchIsEmpty = false
    public var usersError: String?
    public var newUserFields: [FormField] = []
    /// The « Créer un usager » and « Lieu ponctuel » parts start open when they hold something.
    public var newUserOpen = false
    public var singleUseOpen = false
    public var responsibleOptions: [FormOption] = []
    public var hasResponsibleOptions = false
    public var agents: [FormOption] = []
    public var agentsError: String?
    public var startDate: FormField
    public var startTime: FormField
    public var startError: String?
    public var duration: FormField
    public var places: [FormOption] = []
    public var placeError: String?
    public var singleUseName: FormField
    public var singleUseAddress: FormField
    public var showsContext = false
    public var context: String
    public var participants: [ParticipantNotifications] = []
    public var hasParticipants = false
    public var baseErrors: [String] = []
    public var hasBaseErrors = false
    public var warnings = BenignWarnings([])

    init(organisationID: Int64, input: AppointmentWizardInput, errors: [String: String]) {
        formPath = SiteURL.organisation(id: organisationID, .rdvs).path
        refreshPath = SiteURL.organisation(id: organisationID, .newRdv).path
        userSearch = input.userSearch
        startDate = FormField(
            name: "start_date", label: "Date", type: "date", value: input.startDate, required: true,
            error: errors["start_date"])
        startTime = FormField(
            name: "start_time", label: "Heure", type: "time", value: input.startTime, required: true,
            error: errors["start_time"])
        duration = FormField(
            name: "duration", label: "Durée (en minutes)", type: "number", value: input.duration, required: true,
            error: errors["duration"])
        singleUseName = FormField(
            name: "lieu_ponctuel_name", label: "Nom du lieu ponctuel", value: input.singleUseName,
            error: errors["lieu_ponctuel_name"])
        singleUseAddress = FormField(
            name: "lieu_ponctuel_address", label: "Adresse du lieu ponctuel", value: input.singleUseAddress,
            autocomplete: "off", error: errors["lieu_ponctuel_address"])
        context = input.context
        newUserOpen = input.hasNewUser
        singleUseOpen = !(input.singleUseName.isEmpty && input.singleUseAddress.isEmpty)
        motifError = errors["motif_id"]
        usersError = errors["users"]
        agentsError = errors["agents"]
        placeError = errors["lieu_id"]
        newUserFields = [
            FormField(
                name: "new_user_first_name", label: "Prénom", value: input.newUserFirstName,
                error: errors["new_user_first_name"]),
            FormField(
                name: "new_user_last_name", label: "Nom", value: input.newUserLastName,
                error: errors["new_user_last_name"]),
            FormField(
                name: "new_user_phone", label: "Téléphone", type: "tel", value: input.newUserPhone,
                error: errors["new_user_phone"]),
            FormField(
                name: "new_user_email", label: "Adresse e-mail", type: "email", value: input.newUserEmail,
                error: errors["new_user_email"]),
        ]
    }

    /// « Jean Dupont » + what step 4's toggles will send (notifications.md §2–§4): e-mail with
    /// an address and `notify_by_email`, SMS with a mobile, `notify_by_sms` and an SMS provider;
    /// nothing at all for a start in the past (§3).
    static func sentence(
        name: String, email: String?, phone: String?, notifyByEmail: Bool, notifyBySMS: Bool, smsEnabled: Bool,
        toggles: WizardNotifications, isPast: Bool
    ) -> String {
        if isPast { return "\(name) ne recevra aucune notification : le rendez-vous est dans le passé." }
        var channels: [String] = []
        if smsEnabled, notifyBySMS, let phone, PhoneNumber(phone)?.isMobile == true { channels.append("un SMS") }
        if notifyByEmail, let email, !email.isEmpty { channels.append("un e-mail") }
        if channels.isEmpty || !(toggles.lifecycle || toggles.reminder) {
            return "\(name) ne recevra aucune notification."
        }
        let reminder = toggles.reminder ? "un rappel 2 jours avant" : nil
        if toggles.lifecycle {
            let confirmation = "\(name) recevra " + NotificationFormat.frenchList(channels) + " de confirmation"
            return confirmation + (reminder.map { ", et \($0)." } ?? ".")
        }
        return "\(name) ne recevra pas de confirmation, seulement \(reminder ?? "")."
    }
}
