import Domain
import Foundation
import Persistence

/// `rdvs_collectifs/index`: « RDV collectifs » (booking.md §6) with its filters: motif,
/// « À partir du », « Avec des places disponibles ».
public struct CollectiveAppointmentIndexPage: PageModel, Equatable {
    public static let template = "rdvs_collectifs/index"

    public struct Row: Sendable, Equatable {
        public let startsAt: String
        public let when: String
        public let title: String
        public let path: String
        public let place: String
        public let agents: String
        public let seats: String
        public let isFull: Bool
        public let isCancelled: Bool
    }

    public let formPath: String
    public let newPath: String
    public let motifOptions: [ChoiceGroup.Option]
    public let placeOptions: [ChoiceGroup.Option]
    public let fromValue: String
    public let withSeats: Bool
    public let rows: [Row]
    public let isEmpty: Bool
    public let hasMotifs: Bool

    static func load(
        organisationID: Int64, motifs: [BookingOptions.MotifOption], motifID: Int64?,
        places: [BookingOptions.PlaceOption] = [], placeID: Int64? = nil, from: LocalDate, withSeats: Bool,
        items: [CollectiveAppointmentItem], zone: TimeZone
    ) -> CollectiveAppointmentIndexPage {
        let list = SiteURL.organisation(id: organisationID, .collectiveRdvs)
        return CollectiveAppointmentIndexPage(
            formPath: list.path,
            newPath: SiteURL.organisation(id: organisationID, .newCollectiveRdv).path(
                query: ["motif_id": motifID.map(String.init)]),
            motifOptions: [ChoiceGroup.Option(id: "motif-all", value: "", label: "Tous les motifs", isSelected: motifID == nil)]
                + motifs.map {
                    .init(id: "motif-\($0.id)", value: String($0.id), label: $0.name, isSelected: motifID == $0.id)
                },
            placeOptions: [ChoiceGroup.Option(id: "place-all", value: "", label: "Tous les lieux", isSelected: placeID == nil)]
                + places.map {
                    .init(id: "place-\($0.id)", value: String($0.id), label: $0.name, isSelected: placeID == $0.id)
                },
            fromValue: from.description, withSeats: withSeats,
            rows: items.map { item in
                // booking.md §6: « <motif> : <intitulé> », the motif alone when the title only repeats it.
                let title = item.name.flatMap { $0 == item.motifName ? nil : "\(item.motifName) : \($0)" } ?? item.motifName
                let seats = item.maxParticipantsCount.map { "\(item.usersCount)/\($0)" } ?? "\(item.usersCount)"
                return Row(
                    startsAt: AppointmentFormat.iso(item.startsAt, in: zone),
                    when: NotificationFormat.mailDate(item.startsAt, in: zone).capitalizedFirst
                        + " (\(NotificationFormat.duration(minutes: Int(item.endsAt.timeIntervalSince(item.startsAt) / 60))))",
                    title: title, path: SiteURL.organisation(id: organisationID, .rdv(id: item.id)).path,
                    place: item.placeName ?? "—", agents: item.agentNames.joined(separator: ", "), seats: seats,
                    isFull: item.isFull, isCancelled: item.status.isCancelled)
            },
            isEmpty: items.isEmpty, hasMotifs: !motifs.isEmpty)
    }
}

/// `rdvs_collectifs/new`: a collective appointment (booking.md §6): motif, day and time,
/// duration, place, agents, « Intitulé », « Nombre maximum de participants », context.
public struct CollectiveAppointmentFormPage: PageModel, Equatable {
    public static let template = "rdvs_collectifs/new"
    public let formPath: String
    public let cancelPath: String
    public let motifOptions: [ChoiceGroup.Option]
    public let motifError: String?
    public let placeOptions: [ChoiceGroup.Option]
    public let placeError: String?
    public let fields: [FormField]
    public let agents: ChoiceGroup
    public let details: [FormField]
    public let warnings: BenignWarnings
    /// Domain rules without a field of their own (domain.md §9: the date range, a duplicate).
    public let baseError: String?

    public struct Input: Sendable, Equatable {
        public var motifID = ""
        public var day = ""
        public var time = ""
        public var duration = ""
        public var placeID = ""
        public var agentIDs: [String] = []
        public var name = ""
        public var maxParticipants = ""
        public var context = ""

        public init() {}

        init(form: FormData) {
            motifID = form["motif_id"] ?? ""
            day = form["day"] ?? ""
            time = form["time"] ?? ""
            duration = (form["duration_in_min"] ?? "").trimmingCharacters(in: .whitespaces)
            placeID = form["place_id"] ?? ""
            agentIDs = form.values("agent_ids[]")
            name = (form["name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            maxParticipants = (form["max_participants_count"] ?? "").trimmingCharacters(in: .whitespaces)
            context = (form["context"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    static func load(
        organisationID: Int64, options: BookingOptions, motifs: [BookingOptions.MotifOption],
        agents: [BookingOptions.AgentOption], input: Input, errors: [String: String] = [:], warnings: [String] = []
    ) -> CollectiveAppointmentFormPage {
        let list = SiteURL.organisation(id: organisationID, .collectiveRdvs)
        return CollectiveAppointmentFormPage(
            formPath: list.path, cancelPath: list.path,
            motifOptions: [ChoiceGroup.Option(id: "motif-none", value: "", label: "Choisissez un motif", isSelected: input.motifID.isEmpty)]
                + motifs.map {
                    .init(id: "motif-\($0.id)", value: String($0.id), label: $0.name, isSelected: input.motifID == String($0.id))
                },
            motifError: errors["motif_id"],
            placeOptions: [ChoiceGroup.Option(id: "place-none", value: "", label: "Aucun lieu (à distance)", isSelected: input.placeID.isEmpty)]
                + options.places.map {
                    .init(id: "place-\($0.id)", value: String($0.id), label: $0.name, isSelected: input.placeID == String($0.id))
                },
            placeError: errors["place_id"],
            fields: [
                FormField(name: "day", label: "Jour", type: "date", value: input.day, required: true, error: errors["day"]),
                FormField(name: "time", label: "Heure de début", type: "time", value: input.time, required: true, error: errors["time"]),
                FormField(
                    name: "duration_in_min", label: "Durée en minutes", type: "number", value: input.duration,
                    hint: "Vide : la durée du motif", error: errors["duration_in_min"]),
            ],
            agents: ChoiceGroup(
                id: "agents", name: "agent_ids[]", legend: "Agents", hint: "Au moins un",
                options: agents.map {
                    .init(
                        id: "agent-\($0.id)", value: String($0.id), label: UserFormat.name(first: $0.firstName ?? "", last: $0.lastName),
                        isSelected: input.agentIDs.contains(String($0.id)))
                }, error: errors["agent_ids"], emptyMessage: agents.isEmpty ? "Aucun agent." : nil),
            details: [
                FormField(
                    name: "name", label: "Intitulé", value: input.name, autocomplete: "off",
                    hint: "Par exemple « Atelier massage bébé »", error: errors["name"]),
                FormField(
                    name: "max_participants_count", label: "Nombre maximum de participants", type: "number",
                    value: input.maxParticipants, hint: "Vide : sans limite", error: errors["max_participants_count"]),
            ] + (options.enableContextField
                ? [FormField(name: "context", label: "Contexte", value: input.context, autocomplete: "off", error: errors["context"])]
                : []),
            warnings: BenignWarnings(warnings), baseError: errors["base"])
    }
}
