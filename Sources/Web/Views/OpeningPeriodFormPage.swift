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
    public let every: Group
    public let intervalField: FormField
    public let weekdays: Group
    public let monthlyBy: Group
    public let untilField: FormField
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
        /// `none`, `week` or `month`.
        public var every = "none"
        public var interval = "1"
        public var weekdays: [String] = []
        /// `weekday` (« le 2e mardi ») or `day` (« le 18 »).
        public var monthlyBy = "weekday"
        public var until = ""

        public init() {}

        init(form: FormData) {
            title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            firstDay = form["first_day"] ?? ""
            startTime = form["start_time"] ?? ""
            endTime = form["end_time"] ?? ""
            placeID = form["place_id"] ?? ""
            motifIDs = form.values("motif_ids[]")
            every = form["every"] ?? "none"
            interval = (form["interval"] ?? "1").trimmingCharacters(in: .whitespaces)
            weekdays = form.values("on[]")
            monthlyBy = form["monthly_by"] ?? "weekday"
            until = form["until"] ?? ""
        }

        init(_ period: OpeningPeriod) {
            title = period.title
            firstDay = period.firstDay.description
            startTime = period.startTime.description
            endTime = period.endTime.description
            placeID = period.placeID.map(String.init) ?? ""
            motifIDs = period.motifIDs.map(String.init)
            switch period.recurrence {
            case nil: every = "none"
            case .weekly(let weekly):
                every = "week"
                interval = String(weekly.interval)
                weekdays = (weekly.weekdays.isEmpty ? [period.firstDay.weekday] : weekly.weekdays).map(\.rawValue)
                until = weekly.until?.description ?? ""
            case .monthly(let monthly):
                every = "month"
                interval = String(monthly.interval)
                monthlyBy = monthly.day == nil ? "day" : "weekday"
                until = monthly.until?.description ?? ""
            }
        }

        /// The period the values describe, or the fields that cannot be read. Domain rules
        /// (end after start, motifs, place…) are checked by the domain, not here.
        func period(agentID: Int64, organisationID: Int64, id: Int64?) -> (OpeningPeriod?, [ValidationIssue]) {
            var issues: [ValidationIssue] = []
            let day = LocalDate(firstDay)
            if day == nil { issues.append(.error("first_day", "Saisissez une date, par exemple 07/12/2026.")) }
            let start = TimeOfDay(startTime)
            if start == nil { issues.append(.error("start_time", "Saisissez une heure, par exemple 09:00.")) }
            let end = TimeOfDay(endTime)
            if end == nil { issues.append(.error("end_time", "Saisissez une heure, par exemple 12:00.")) }
            let untilDay = until.isEmpty ? nil : LocalDate(until)
            if !until.isEmpty && untilDay == nil {
                issues.append(.error("until", "Saisissez une date, par exemple 31/12/2026, ou laissez vide."))
            }
            let count = Int(interval)
            if every != "none", count == nil || count! < 1 || count! > 52 {
                issues.append(.error("interval", "Saisissez un nombre entier entre 1 et 52."))
            }
            let days = weekdays.compactMap(Weekday.init(rawValue:))
            if every == "week" && days.isEmpty {
                issues.append(.error("on", "Cochez au moins un jour de la semaine."))
            }
            guard issues.isEmpty, let day, let start, let end else { return (nil, issues) }
            let recurrence: Recurrence? =
                switch every {
                case "week": .weekly(.init(interval: count ?? 1, weekdays: days, until: untilDay))
                case "month":
                    .monthly(
                        .init(
                            interval: count ?? 1, day: monthlyBy == "day" ? nil : Recurrence.NthWeekday(of: day),
                            until: untilDay))
                default: nil
                }
            return (
                OpeningPeriod(
                    id: id, agentID: agentID, organisationID: organisationID, title: title,
                    placeID: Int64(placeID), firstDay: day, startTime: start, endTime: end, recurrence: recurrence,
                    motifIDs: motifIDs.compactMap { Int64($0) }),
                []
            )
        }
    }

    static func load(
        agent: AgendaAgent, organisationID: Int64, periodID: Int64?, choices: OpeningPeriodChoices, input: Input,
        issues: [ValidationIssue] = []
    ) -> OpeningPeriodFormPage {
        var errors: [String: String] = [:]
        for issue in issues.errors where errors[issue.field] == nil {
            let startsLower = issue.message.first.map { $0.isLowercase } ?? false
            errors[issue.field] =
                startsLower && issue.field != "base"
                ? "\(labels[issue.field] ?? issue.field) \(issue.message)." : issue.message
        }
        func field(_ name: String, _ type: String, _ value: String, hint: String? = nil, required: Bool = true)
            -> FormField
        {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: value,
                // "off" on text only: the axe-core we test with refuses it on date and time inputs.
                autocomplete: type == "text" ? "off" : nil, hint: hint, required: required, error: errors[name])
        }
        let weekdayChoices: [(Weekday, String)] = Weekday.allCases.map {
            ($0, (NotificationFormat.weekdayNames[$0] ?? $0.rawValue).capitalized)
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
                    Option(id: "place-\($0.id)", value: String($0.id), label: $0.name, isSelected: input.placeID == String($0.id))
                },
            placeError: errors["place_id"],
            motifs: Group(
                id: "motifs", name: "motif_ids[]", legend: "Motifs",
                hint: "Les motifs que l'agent assure pendant cette plage",
                options: choices.motifs.map {
                    Option(
                        id: "motif-\($0.id)", value: String($0.id), label: $0.name,
                        isSelected: input.motifIDs.contains(String($0.id)))
                }, error: errors["motifs"],
                emptyMessage: choices.motifs.isEmpty ? "Aucun motif que cet agent peut assurer dans cette organisation." : nil),
            every: Group(
                id: "every", name: "every", legend: "Répétition", hint: nil,
                options: [("none", "Une seule fois"), ("week", "Chaque semaine"), ("month", "Chaque mois")].map {
                    Option(id: "every-\($0.0)", value: $0.0, label: $0.1, isSelected: input.every == $0.0)
                }, error: errors["recurrence"]),
            intervalField: FormField(
                name: "interval", label: "Toutes les", type: "number", value: input.interval,
                hint: "1 : chaque semaine ou chaque mois ; 2 : une semaine (un mois) sur deux…", required: false,
                error: errors["interval"]),
            weekdays: Group(
                id: "on", name: "on[]", legend: "Jours (répétition chaque semaine)", hint: nil,
                options: weekdayChoices.map {
                    Option(
                        id: "on-\($0.0.rawValue)", value: $0.0.rawValue, label: $0.1,
                        isSelected: input.weekdays.contains($0.0.rawValue))
                }, error: errors["on"]),
            monthlyBy: Group(
                id: "monthly_by", name: "monthly_by", legend: "Jour (répétition chaque mois)", hint: nil,
                options: [
                    ("weekday", "Le même jour de la semaine que le premier jour (par exemple le 2e mardi)"),
                    ("day", "Le même quantième que le premier jour (par exemple le 18)"),
                ].map {
                    Option(id: "monthly_by-\($0.0)", value: $0.0, label: $0.1, isSelected: input.monthlyBy == $0.0)
                }, error: nil),
            untilField: FormField(
                name: "until", label: "Jusqu'au", type: "date", value: input.until,
                hint: "Vide : sans date de fin", required: false, error: errors["until"]),
            warnings: BenignWarnings(issues.errors.isEmpty ? issues.warnings.map(\.message) : []),
            baseError: errors["base"])
    }
}
