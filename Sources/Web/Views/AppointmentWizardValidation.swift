import Domain
import Foundation
import Persistence

/// domain.md §9 for the wizard: hard errors by field (the form's field names), benign warnings
/// in one list, and the request to save when nothing blocks.
struct WizardCheck {
    private(set) var errors: [String: String] = [:]
    private(set) var warnings: [String] = []
    private(set) var request: AgentBookingRequest?

    /// Domain fields → the form's, and the label that starts their message.
    static let fields: [String: (field: String, label: String)] = [
        "starts_at": ("starts_at", "Début"), "ends_at": ("duration", "Durée"), "place_id": ("lieu_id", "Lieu"),
        "agents": ("agents", "Agents"), "users": ("users", "Usagers"), "motif_id": ("motif_id", "Motif"),
    ]

    init(
        input: AppointmentWizardInput, scope: AppointmentWizardController.Scope, users: [WizardUser], db: AppDatabase,
        clock: any Clock, agent: AgentContext
    ) throws {
        let options = scope.options
        let zone = options.timeZone
        let motif = options.motif(input.motifID)
        if motif == nil { errors["motif_id"] = "Veuillez choisir un motif." }
        if users.isEmpty && !input.hasNewUser { errors["users"] = "Ajoutez au moins un usager." }
        let newUser = try newUser(input, users: users, db: db)
        let startsAt = input.startsAt(in: zone)
        if LocalDate(input.startDate) == nil { errors["start_date"] = "Indiquez une date valide." }
        if TimeOfDay(input.startTime) == nil { errors["start_time"] = "Indiquez une heure valide (HH:MM)." }
        let duration = input.durationInMinutes
        if duration == nil { errors["duration"] = "Indiquez une durée entre 1 et 1440 minutes." }
        let singleUse = singleUsePlace(input)
        var place: Place?
        if let singleUse {
            place = Place(
                organisationID: options.organisationID, name: singleUse.name, address: singleUse.address, latitude: nil,
                longitude: nil, availability: .singleUse)
        } else if let id = input.placeID {
            if let option = options.place(id) {
                place = Place(
                    id: id, organisationID: options.organisationID, name: option.name, address: option.address,
                    latitude: nil, longitude: nil)
            } else {
                errors["lieu_id"] = "Choisissez un lieu ouvert de l'organisation."
            }
        }
        guard let motif, let startsAt, let duration else { return }
        let endsAt = startsAt.addingTimeInterval(TimeInterval(duration * 60))
        let appointment = Appointment(
            uuid: UUID(), organisationID: options.organisationID, motifID: motif.id,
            placeID: place == nil ? nil : (place?.id ?? -1), startsAt: startsAt, endsAt: endsAt,
            context: input.context.isEmpty ? nil : input.context, createdByType: .agent,
            createdByID: agent.account.id, agentIDs: input.agentIDs)
        let domainMotif = Motif(
            id: motif.id, organisationID: options.organisationID, serviceID: motif.serviceID, name: motif.name,
            color: "#000000", defaultDurationInMin: motif.durationInMinutes,
            locationType: LocationType(rawValue: motif.locationType) ?? .publicOffice, collectif: motif.collectif)
        let issues = appointment.validate(
            .init(
                motif: domainMotif, place: place, participationsCount: users.count + (newUser == nil ? 0 : 1),
                agentIDsWithRole: Set(options.agents.map(\.id)), timeZone: zone), clock: clock)
        for issue in issues.errors { record(issue) }
        warnings += issues.warnings.map(\.message)
        let request = AgentBookingRequest(
            organisationID: options.organisationID, motifID: motif.id, placeID: singleUse == nil ? input.placeID : nil,
            singleUsePlace: singleUse, startsAt: startsAt, endsAt: endsAt, agentIDs: input.agentIDs,
            userIDs: users.map(\.id), newUser: newUser,
            context: options.enableContextField && !input.context.isEmpty ? input.context : nil,
            notifications: Dictionary(
                uniqueKeysWithValues: users.map { ($0.id, input.notifications("\($0.id)", default: motif.notifiesByDefault)) }),
            newUserNotifications: newUser == nil ? nil : input.notifications("new", default: motif.notifiesByDefault),
            authorAgentID: agent.account.id)
        guard errors.isEmpty else { return }
        let names = Dictionary(uniqueKeysWithValues: options.agents.map { ($0.id, $0.displayName) })
        let userNames = Dictionary(uniqueKeysWithValues: users.map { ($0.id, UserFormat.name(first: $0.firstName, last: $0.lastName)) })
        let found = try db.agentBookingIssues(
            request, agentNames: names, userNames: userNames, timeZone: zone, now: clock.now)
        for issue in found.errors { record(issue) }
        warnings += found.warnings.map(\.message)
        if !Self.reachable(motif.locationType, users: users, newUser: newUser) {
            warnings.append("Aucun moyen de contacter l'usager pour ce RDV")
        }
        self.request = request
    }

    mutating func record(_ issue: ValidationIssue) {
        // « Ajoutez au moins un usager. » already says what Domain's users rule says.
        if issue.field == "users", errors["users"] != nil { return }
        let target = Self.fields[issue.field] ?? ("base", "")
        let message = target.label.isEmpty ? issue.message : "\(target.label) : \(issue.message)"
        errors[target.field] = errors[target.field].map { $0 + " " + message } ?? message
    }

    /// The inline user of step 2, its fields checked (booking.md §1.3); nil when none was typed.
    mutating func newUser(_ input: AppointmentWizardInput, users: [WizardUser], db: AppDatabase) throws
        -> WizardNewUser?
    {
        guard input.hasNewUser else { return nil }
        if input.newUserFirstName.isEmpty { errors["new_user_first_name"] = "Indiquez le prénom." }
        if input.newUserLastName.isEmpty { errors["new_user_last_name"] = "Indiquez le nom." }
        if !input.newUserPhone.isEmpty && PhoneNumber(input.newUserPhone) == nil {
            errors["new_user_phone"] = "Ce numéro de téléphone n'est pas valide."
        }
        if !input.newUserEmail.isEmpty {
            if !EmailAddress.isValid(input.newUserEmail) {
                errors["new_user_email"] = "Cette adresse e-mail n'est pas valide."
            } else if try db.userEmailExists(input.newUserEmail) {
                errors["new_user_email"] = "Cette adresse e-mail est déjà celle d'un autre usager : recherchez-le."
            }
        }
        let responsible = input.newUserResponsibleID.flatMap { id in users.first { $0.id == id && $0.responsibleID == nil } }
        return WizardNewUser(
            firstName: input.newUserFirstName, lastName: input.newUserLastName,
            phone: input.newUserPhone.isEmpty ? nil : input.newUserPhone,
            email: input.newUserEmail.isEmpty ? nil : input.newUserEmail, responsibleID: responsible?.id)
    }

    /// « Lieu ponctuel »: both its name and its address, or neither.
    mutating func singleUsePlace(_ input: AppointmentWizardInput) -> (name: String, address: String)? {
        if input.singleUseName.isEmpty && input.singleUseAddress.isEmpty { return nil }
        if input.singleUseName.isEmpty { errors["lieu_ponctuel_name"] = "Indiquez le nom du lieu ponctuel." }
        if input.singleUseAddress.isEmpty { errors["lieu_ponctuel_address"] = "Indiquez l'adresse du lieu ponctuel." }
        return (input.singleUseName, input.singleUseAddress)
    }

    /// domain.md §9: a phone motif needs a phone of each participant, a visio one an e-mail or a mobile.
    static func reachable(_ locationType: String, users: [WizardUser], newUser: WizardNewUser?) -> Bool {
        let contacts = users.map { ($0.phone, $0.email) } + (newUser.map { [($0.phone, $0.email)] } ?? [])
        switch locationType {
        case "phone": return contacts.allSatisfy { $0.0.flatMap(PhoneNumber.init) != nil }
        case "visio":
            return contacts.allSatisfy { $0.0.flatMap(PhoneNumber.init)?.isMobile == true || !($0.1 ?? "").isEmpty }
        default: return true
        }
    }
}
