import Domain
import Foundation
import Persistence

/// The edit form as typed: every field but the motif (booking.md §1.5).
struct AppointmentEditForm: Sendable, Equatable {
    var startDate: String
    var startTime: String
    var duration: String
    var placeID: String
    var agentIDs: [String]
    var context: String

    /// The stored appointment's values (the first GET).
    init(record: AppointmentPageRecord) {
        startDate = AppointmentFormat.inputDate(record.startsAt, in: record.timeZone)
        startTime = AppointmentFormat.inputTime(record.startsAt, in: record.timeZone)
        duration = "\(record.durationInMin)"
        placeID = record.placeID.map { "\($0)" } ?? ""
        agentIDs = record.agents.map { "\($0.id)" }
        context = record.context ?? ""
    }

    init(_ form: FormData, record: AppointmentPageRecord) {
        startDate = form["start_date"] ?? ""
        startTime = form["start_time"] ?? ""
        duration = form["duration_in_min"] ?? ""
        placeID = form["lieu_id"] ?? ""
        agentIDs = form.values("agent_ids")
        context = record.contextEnabled ? (form["context"] ?? "") : (record.context ?? "")
    }

    func startsAt(_ zone: TimeZone) -> Date? { AppointmentFormat.instant(date: startDate, time: startTime, in: zone) }
    var durationInMin: Int? { Int(duration.trimmingCharacters(in: .whitespaces)).flatMap { (1...1440).contains($0) ? $0 : nil } }
    var agents: [Int64] { agentIDs.compactMap { Int64($0) } }
    var place: Int64? { Int64(placeID) }

    /// Hard errors by field (the domain's rules, domain.md §9) and the benign warnings.
    /// `choices`: the agents the author may put on the appointment (`AppointmentEditPage.agentChoices`).
    func validate(db: AppDatabase, record: AppointmentPageRecord, choices: [NamedOption], now: Date) throws
        -> [ValidationIssue]
    {
        var issues: [ValidationIssue] = []
        let allowed = Set(choices.map(\.id))
        if agents.contains(where: { !allowed.contains($0) }) {
            issues.append(.error("agents", "ne peut contenir que des agents de votre périmètre"))
        }
        let startsAt = startsAt(record.timeZone)
        if startsAt == nil { issues.append(.error("starts_at", "doit être une date et une heure valides")) }
        if durationInMin == nil { issues.append(.error("ends_at", "doit être un nombre de minutes entre 1 et 1440")) }
        guard let startsAt, let minutes = durationInMin else { return issues }
        let endsAt = startsAt.addingTimeInterval(TimeInterval(minutes * 60))
        let checks = try db.appointmentEditChecks(
            record, placeID: place, agentIDs: agents, startsAt: startsAt, endsAt: endsAt, now: now)
        let motif = Motif(
            id: record.motifID, organisationID: record.organisationID, serviceID: record.motifServiceID,
            name: record.motifName, color: record.motifColor, locationType: record.locationType,
            collectif: record.collectif)
        let appointment = Appointment(
            id: record.id, uuid: UUID(), organisationID: record.organisationID, motifID: record.motifID,
            placeID: place, startsAt: startsAt, endsAt: endsAt, status: record.status, name: record.name,
            agentIDs: agents)
        issues += appointment.validate(
            .init(
                motif: motif, place: checks.place, participationsCount: max(1, record.participants.count),
                agentIDsWithRole: checks.agentIDsWithRole, timeZone: record.timeZone),
            clock: FixedClock(now))
        issues += checks.issues
        return issues
    }

    /// The change; the place only for motifs that have one (phone, visio and home keep none).
    func update(_ record: AppointmentPageRecord) -> AppointmentUpdate {
        AppointmentUpdate(
            startsAt: startsAt(record.timeZone), placeID: record.locationType == .publicOffice || place != nil ? .some(place) : nil,
            agentIDs: agents, durationInMin: durationInMin,
            context: record.contextEnabled ? .some(context.isEmpty ? nil : context) : nil)
    }
}

/// `rdvs/edit`: the form of one appointment (booking.md §1.5, §1.4 warnings and errors).
public struct AppointmentEditPage: PageModel {
    public static let template = "rdvs/edit"

    public struct Option: Sendable, Equatable {
        public let id: String
        public let value: String
        public let label: String
        public let isSelected: Bool
    }

    public let motifName: String
    public let formPath: String
    public let showPath: String
    public let fields: [FormField]
    public let placeLabel = "Lieu"
    public let places: [Option]
    public let hasPlaces: Bool
    public let placeError: String?
    public let agents: [Option]
    public let agentsError: String?
    public let contextEnabled: Bool
    public let context: String
    public let formErrors: [String]
    public let hasFormErrors: Bool
    public let warnings: BenignWarnings
    public struct Participant: Sendable, Equatable {
        public let userID: Int64
        public let name: String
        public let details: String?
    }
    public let participantsPath: String
    public let participants: [Participant]
    public let canRemoveParticipants: Bool
    public let searchPath: String
    public let userSearch: String
    public let searchResults: [Participant]
    public let hasSearched: Bool
    public let hasSearchResults: Bool
    public let participantError: String?

    static let fieldNames = ["starts_at": "start_date", "ends_at": "duration_in_min"]

    /// The agents offered: those of the organisation in the author's agent scope (permissions.md
    /// §2 "Create": every chosen agent in scope), and the appointment's own agents.
    static func agentChoices(db: AppDatabase, record: AppointmentPageRecord, principal: Principal) throws
        -> [NamedOption]
    {
        guard let options = try db.bookingOptions(organisationID: record.organisationID) else { return [] }
        let current = Set(record.agents.map(\.id))
        return options.agents.filter { agent in
            current.contains(agent.id)
                || AgentPolicy.inScope(
                    principal,
                    AgentView(
                        agentID: agent.id, organisationIDs: [record.organisationID],
                        territoryIDs: [options.territoryID], serviceIDs: agent.serviceIDs))
        }.map { NamedOption(id: $0.id, name: $0.displayName) }
    }

    static func load(
        db: AppDatabase, record: AppointmentPageRecord, choices: [NamedOption], form: AppointmentEditForm?,
        issues: [ValidationIssue],
        userSearch: String?, participantError: String? = nil, now: Date
    ) throws -> AppointmentEditPage {
        let form = form ?? AppointmentEditForm(record: record)
        let errors = issues.errors
        func error(_ field: String) -> String? {
            let messages = errors.filter { $0.field == field }.map(\.message)
            return messages.isEmpty ? nil : messages.joined(separator: ", ")
        }
        let known: Set<String> = ["starts_at", "ends_at", "place_id", "agents"]
        let formErrors = errors.filter { !known.contains($0.field) }.map(\.message)
        let places = try db.placeOptions(organisationID: record.organisationID, including: record.placeID)
        let agents = choices
        let org = record.organisationID
        let search = (userSearch ?? "").trimmingCharacters(in: .whitespaces)
        let results = try searchResults(db: db, record: record, search: search)
        return AppointmentEditPage(
            motifName: record.motifName, formPath: SiteURL.organisation(id: org, .rdv(id: record.id)).path,
            showPath: SiteURL.organisation(id: org, .rdv(id: record.id)).path,
            fields: [
                FormField(name: "start_date", label: "Date", type: "date", value: form.startDate, required: true,
                    error: error("starts_at")),
                FormField(name: "start_time", label: "Heure", type: "time", value: form.startTime, required: true),
                FormField(name: "duration_in_min", label: "Durée (en minutes)", type: "number", value: form.duration,
                    required: true, error: error("ends_at")),
            ],
            places: places.map {
                Option(id: "lieu_id-\($0.id)", value: "\($0.id)", label: $0.name, isSelected: form.placeID == "\($0.id)")
            },
            hasPlaces: record.locationType == .publicOffice || record.placeID != nil, placeError: error("place_id"),
            agents: agents.map {
                Option(
                    id: "agent_ids-\($0.id)", value: "\($0.id)", label: $0.name,
                    isSelected: form.agentIDs.contains("\($0.id)"))
            },
            agentsError: error("agents"), contextEnabled: record.contextEnabled, context: form.context,
            formErrors: formErrors, hasFormErrors: !formErrors.isEmpty,
            warnings: BenignWarnings(errors.isEmpty ? issues.warnings.map(\.message) : []),
            participantsPath: SiteURL.organisation(id: org, .rdvParticipants(id: record.id)).path,
            participants: record.participants.map { Participant(userID: $0.user.id, name: $0.user.fullName, details: nil) },
            canRemoveParticipants: record.collectif || record.participants.count > 1,
            searchPath: SiteURL.organisation(id: org, .editRdv(id: record.id)).path, userSearch: search,
            searchResults: results, hasSearched: !search.isEmpty, hasSearchResults: !results.isEmpty,
            participantError: participantError)
    }

    /// The users matching the search who do not take part yet (the users helper's search,
    /// domain.md §11), with what tells homonyms apart.
    static func searchResults(db: AppDatabase, record: AppointmentPageRecord, search: String) throws -> [Participant] {
        guard !search.isEmpty else { return [] }
        let present = Set(record.participants.map(\.user.id))
        return try db.searchUsers(search, organisationID: record.organisationID, limit: 10)
            .filter { !present.contains($0.id) }
            .map { user in
                let details = [user.birthDate.map { "né(e) le \($0.day < 10 ? "0" : "")\($0.day)/\($0.month < 10 ? "0" : "")\($0.month)/\($0.year)" }, user.email, user.phone]
                    .compactMap { $0 }.joined(separator: " · ")
                return Participant(
                    userID: user.id, name: UserFormat.name(first: user.firstName, last: user.lastName),
                    details: details.isEmpty ? nil : details)
            }
    }
}
