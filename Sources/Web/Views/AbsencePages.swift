import Domain
import Foundation
import Persistence

/// `absences/index`: an agent's « Indisponibilités » (domain.md §8), « En cours » / « Passées »,
/// a search on the title. An absence blocks the agent in every organisation.
public struct AbsenceIndexPage: PageModel, Equatable {
    public static let template = "absences/index"

    public struct Row: Sendable, Equatable {
        public let title: String
        public let path: String
        public let when: String
        public let repetition: String
    }

    public let head: SeriesListHead
    public let rows: [Row]

    static func load(
        agent: AgendaAgent, organisationID: Int64, items: [AbsenceListItem], expired: Bool, search: String
    ) -> AbsenceIndexPage {
        AbsenceIndexPage(
            head: SeriesListHead(
                agent: agent, organisationID: organisationID, kind: .absences, expired: expired, search: search,
                isEmpty: items.isEmpty),
            rows: items.map {
                Row(
                    title: $0.title, path: SiteURL.organisation(id: organisationID, .absence(id: $0.id)).path,
                    when: AbsenceFormat.when($0.pattern), repetition: AbsenceFormat.repetition($0.pattern))
            })
    }
}

/// `absences/show`: one absence, « Modifier » and « Supprimer ».
public struct AbsenceShowPage: PageModel, Equatable {
    public static let template = "absences/show"
    public let title: String
    public let agentName: String
    public let when: String
    public let repetition: String
    public let notice = Absence.existingAppointmentsNotice
    public let editPath: String
    public let deletePath: String
    public let listPath: String
    /// A recurring absence's next occurrences and cancelled ones (domain.md §7b); nil otherwise.
    public let occurrenceList: OccurrenceList?
    public let history: HistoryList?

    static func load(
        _ absence: Absence, agent: AgendaAgent, organisationID: Int64, occurrences: [Occurrence] = [],
        cancelled: [LocalDate] = [], history: HistoryList? = nil
    ) -> AbsenceShowPage {
        let id = absence.id ?? 0
        return AbsenceShowPage(
            title: absence.title, agentName: agent.displayName, when: AbsenceFormat.when(absence.pattern),
            repetition: AbsenceFormat.repetition(absence.pattern),
            editPath: SiteURL.organisation(id: organisationID, .editAbsence(id: id)).path,
            deletePath: SiteURL.organisation(id: organisationID, .absence(id: id)).path,
            listPath: SiteURL.organisation(id: organisationID, .absences(agentID: absence.agentID)).path,
            occurrenceList: absence.recurrence == nil || absence.isMultiDay
                ? nil
                : OccurrenceList.load(
                    title: absence.title, occurrences: occurrences, cancelled: cancelled,
                    occurrence: .organisation(id: organisationID, .absenceOccurrence(id: id)),
                    restore: .organisation(id: organisationID, .absenceOccurrenceRestore(id: id))),
            history: history)
    }
}

enum AbsenceFormat {
    /// « Du lundi 7 décembre 2026 à 14h00 au mardi 8 décembre 2026 à 18h00 », or « De 14h00 à
    /// 16h00 » for one day.
    static func when(_ pattern: SeriesPattern) -> String {
        guard pattern.endDay > pattern.firstDay else { return OpeningPeriodFormat.schedule(pattern) }
        return "Du \(NotificationFormat.mailDay(pattern.firstDay)) à \(pattern.startTime.frenchDescription) au "
            + "\(NotificationFormat.mailDay(pattern.endDay)) à \(pattern.endTime.frenchDescription)"
    }

    static func repetition(_ pattern: SeriesPattern) -> String {
        pattern.endDay > pattern.firstDay ? "Une seule fois" : OpeningPeriodFormat.repetition(pattern)
    }
}

/// `absences/form`: « Nouvelle indisponibilité » / « Modifier l'indisponibilité » (domain.md §8):
/// title, first day and start, last day and end (several days cannot repeat), the repetition.
public struct AbsenceFormPage: PageModel, Equatable {
    public static let template = "absences/form"
    public let heading: String
    public let agentName: String
    public let formPath: String
    public let isEdit: Bool
    public let cancelPath: String
    public let notice = Absence.existingAppointmentsNotice
    public let fields: [FormField]
    let repetition: RepetitionFields.Controls
    public let baseError: String?

    static let labels: [String: String] = [
        "title": "Titre", "first_day": "Premier jour", "start_time": "Heure de début", "end_day": "Dernier jour",
        "end_time": "Heure de fin", "recurrence": "Répétition",
    ]

    public struct Input: Sendable, Equatable {
        public var title = ""
        public var firstDay = ""
        public var startTime = ""
        public var endDay = ""
        public var endTime = ""
        public var repetition = RepetitionFields()

        public init() {}

        init(form: FormData) {
            title = (form["title"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            firstDay = form["first_day"] ?? ""
            startTime = form["start_time"] ?? ""
            endDay = form["end_day"] ?? ""
            endTime = form["end_time"] ?? ""
            repetition = RepetitionFields(form: form)
        }

        init(_ absence: Absence) {
            title = absence.title
            firstDay = absence.firstDay.description
            startTime = absence.startTime.description
            endDay = absence.endDay.description
            endTime = absence.endTime.description
            repetition = RepetitionFields(absence.recurrence, firstDay: absence.firstDay)
        }

        /// An empty last day is the first day (domain.md §8).
        func absence(agentID: Int64, organisationID: Int64, id: Int64?) -> (Absence?, [ValidationIssue]) {
            var issues: [ValidationIssue] = []
            let day = FormValue.day(firstDay)
            if day == nil { issues.append(.error("first_day", "Saisissez une date, par exemple 07/12/2026.")) }
            let last = endDay.isEmpty ? day : FormValue.day(endDay)
            if last == nil && !endDay.isEmpty {
                issues.append(.error("end_day", "Saisissez une date, par exemple 08/12/2026, ou laissez vide."))
            }
            let start = FormValue.time(startTime)
            if start == nil { issues.append(.error("start_time", "Saisissez une heure, par exemple 14:00.")) }
            let end = FormValue.time(endTime)
            if end == nil { issues.append(.error("end_time", "Saisissez une heure, par exemple 18:00.")) }
            let (recurrence, repetitionIssues) = repetition.recurrence(firstDay: day)
            issues += repetitionIssues
            guard issues.isEmpty, let day, let last, let start, let end else { return (nil, issues) }
            return (
                Absence(
                    id: id, agentID: agentID, organisationID: organisationID, title: title, firstDay: day,
                    startTime: start, endDay: last, endTime: end, recurrence: recurrence), []
            )
        }
    }

    static func load(
        agent: AgendaAgent, organisationID: Int64, absenceID: Int64?, input: Input, issues: [ValidationIssue] = []
    ) -> AbsenceFormPage {
        let errors = fieldErrors(issues, labels: labels)
        func field(_ name: String, _ type: String, _ value: String, hint: String? = nil, required: Bool = true)
            -> FormField
        {
            FormField(
                name: name, label: labels[name] ?? name, type: type, value: value,
                autocomplete: type == "text" ? "off" : nil, hint: hint, required: required, error: errors[name])
        }
        let list = SiteURL.organisation(id: organisationID, .absences(agentID: agent.id))
        let own = absenceID.map { SiteURL.organisation(id: organisationID, .absence(id: $0)).path }
        return AbsenceFormPage(
            heading: absenceID == nil ? "Nouvelle indisponibilité" : "Modifier l'indisponibilité",
            agentName: agent.displayName, formPath: own ?? list.path, isEdit: absenceID != nil,
            cancelPath: own ?? list.path,
            fields: [
                field("title", "text", input.title, hint: "Par exemple « Formation » ou « Congés »"),
                field("first_day", "date", input.firstDay),
                field("start_time", "time", input.startTime),
                field(
                    "end_day", "date", input.endDay, hint: "Vide : le même jour. Sur plusieurs jours, pas de répétition.",
                    required: false),
                field("end_time", "time", input.endTime),
            ],
            repetition: input.repetition.controls(errors: errors), baseError: errors["base"])
    }
}
