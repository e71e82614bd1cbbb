import Domain
import Foundation
import Persistence

/// `plage_ouvertures/form`: « Nouvelle plage d'ouverture » / « Modifier la plage d'ouverture »
/// (domain.md §7): title, first day and hours, place, motifs, and the repetition written in the
/// slots.md §2 format (weekly on weekdays every n weeks, monthly on « le 2e mardi » or on the day
/// of the month, until a date). Without JavaScript every control is there; errors sit by their
/// fields and every value is kept; benign warnings ask « Enregistrer quand même ».
public struct OpeningPeriodFormPage: PageModel, Equatable {
    public static let template = "plage_ouvertures/form"

    public typealias Option = ChoiceGroup.Option
    public typealias Group = ChoiceGroup

    public let heading: String
    public let agentName: String
    public let formPath: String
    public let isEdit: Bool
    public let cancelPath: String
    public let fields: [FormField]
    public let placeOptions: [Option]
    public let placeError: String?
    public let motifs: Group
    let repetition: RepetitionFields.Controls
    public let warnings: BenignWarnings
    public let baseError: String?

    static let labels: [String: String] = [
        "title": "Titre", "first_day": "Premier jour", "start_time": "Heure de début", "end_time": "Heure de fin",
        "place_id": "Lieu", "motifs": "Motifs", "recurrence": "Répétition", "interval": "Intervalle",
        "until": "Jusqu'au",
    ]

    /// The form's raw values, as typed (kept on errors).
    public struct Input: Sendable, Equatable {
        public var title = ""
        public var firstDay = ""
        public var startTime = ""
        public var endTime = ""
        public var placeID = ""
        public var motifIDs: [String] = []
        public var repetition = RepetitionFields()

        public init() {}

        init(form: FormData) {
            title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            firstDay = form["first_day"] ?? ""
            startTime = form["start_time"] ?? ""
            endTime = form["end_time"] ?? ""
            placeID = form["place_id"] ?? ""
            motifIDs = form.values("motif_ids[]")
            repetition = RepetitionFields(form: form)
        }

        init(_ period: OpeningPeriod) {
            title = period.title
            firstDay = period.firstDay.description
            startTime = period.startTime.description
            endTime = period.endTime.description
            placeID = period.placeID.map(String.init) ?? ""
            motifIDs = period.motifIDs.map(String.init)
            repetition = RepetitionFields(period.recurrence, firstDay: period.firstDay)
        }

        /// The period the values describe, or the fields that cannot be read. Domain rules
        /// (end after start, motifs, place…) are checked by the domain, not here.
        func period(agentID: Int64, organisationID: Int64, id: Int64?) -> (OpeningPeriod?, [ValidationIssue]) {
            var issues: [ValidationIssue] = []
            let day = FormValue.day(firstDay)
            if day == nil { issues.append(.error("first_day", "Saisissez une date, par exemple 07/12/2026.")) }
            let start = FormValue.time(startTime)
            if start == nil { issues.append(.error("start_time", "Saisissez une heure, par exemple 09:00.")) }
            let end = FormValue.time(endTime)
            if end == nil { issues.append(.error("end_time", "Saisissez une heure, par exemple 12:00.")) }
            let (recurrence, repetitionIssues) = repetition.recurrence(firstDay: day)
            issues += repetitionIssues
            guard issues.isEmpty, let day, let start, let end else { return (nil, issues) }
            return (
                OpeningPeriod(
                    id: id, agentID: agentID, organisationID: organisationID, title: title,
                    placeID: Int64(placeID), firstDay: day, startTime: start, endTime: end, recurrence: recurrence,
                    motifIDs: motifIDs.compactMap { Int64($0) }),
                []
            )
        }
    }

    /// A choice the period holds but that is no longer offered says so: the agent sees it is
    /// kept until changed, and why the save asks for another.
    static func label(_ choice: OpeningPeriodChoices.Choice) -> String {
        choice.isOffered ? choice.name : choice.name + " (n'est plus proposé)"
    }

    static func load(
        agent: AgendaAgent, organisationID: Int64, periodID: Int64?, choices: OpeningPeriodChoices, input: Input,
        issues: [ValidationIssue] = []
    ) -> OpeningPeriodFormPage {
        let errors = fieldErrors(issues, labels: labels)
        func field(_ name: String, _ type: String, _ value: String, hint: String? = nil, required: Bool = true)
            -> FormField
        {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: value,
                // "off" on text only: the axe-core we test with refuses it on date and time inputs.
                autocomplete: type == "text" ? "off" : nil, hint: hint, required: required, error: errors[name])
        }
        let isEdit = periodID != nil
        let list = SiteURL.organisation(id: organisationID, .openingPeriods(agentID: agent.id))
        return OpeningPeriodFormPage(
            heading: isEdit ? "Modifier la plage d'ouverture" : "Nouvelle plage d'ouverture",
            agentName: agent.displayName,
            formPath: periodID.map { SiteURL.organisation(id: organisationID, .openingPeriod(id: $0)).path }
                ?? list.path,
            isEdit: isEdit,
            cancelPath: periodID.map { SiteURL.organisation(id: organisationID, .openingPeriod(id: $0)).path }
                ?? list.path,
            fields: [
                field("title", "text", input.title, hint: "Par exemple « Permanence du matin »"),
                field("first_day", "date", input.firstDay, hint: "Le jour de la première occurrence"),
                field("start_time", "time", input.startTime),
                field("end_time", "time", input.endTime),
            ],
            placeOptions: [Option(id: "place-none", value: "", label: "Aucun lieu (motifs à distance)", isSelected: input.placeID.isEmpty)]
                + choices.places.map {
                    Option(
                        id: "place-\($0.id)", value: String($0.id), label: Self.label($0),
                        isSelected: input.placeID == String($0.id))
                },
            placeError: errors["place_id"],
            motifs: Group(
                id: "motifs", name: "motif_ids[]", legend: "Motifs",
                hint: "Les motifs que l'agent assure pendant cette plage",
                options: choices.motifs.map {
                    Option(
                        id: "motif-\($0.id)", value: String($0.id), label: Self.label($0),
                        isSelected: input.motifIDs.contains(String($0.id)))
                }, error: errors["motifs"],
                emptyMessage: choices.motifs.isEmpty ? "Aucun motif que cet agent peut assurer dans cette organisation." : nil),
            repetition: input.repetition.controls(errors: errors),
            warnings: BenignWarnings(issues.errors.isEmpty ? issues.warnings.map(\.message) : []),
            baseError: errors["base"])
    }
}
