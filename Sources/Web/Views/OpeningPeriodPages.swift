import Domain
import Foundation
import Persistence

/// `plage_ouvertures/index`: an agent's « Plages d'ouverture » (domain.md §7, booking.md §9),
/// tabs « En cours » / « Passées » and a search on the title.
public struct OpeningPeriodIndexPage: PageModel, Equatable {
    public static let template = "plage_ouvertures/index"

    public struct Row: Sendable, Equatable {
        public let title: String
        public let path: String
        public let schedule: String
        public let repetition: String
        public let place: String
        public let motifs: String
    }

    public let head: SeriesListHead
    public let rows: [Row]
    /// The calendar mode, instead of the rows.
    public let calendar: OpeningPeriodCalendar?

    static func load(
        agent: AgendaAgent, organisationID: Int64, items: [OpeningPeriodListItem], expired: Bool, search: String,
        calendarMonth: String? = nil, calendar: OpeningPeriodCalendar? = nil
    ) -> OpeningPeriodIndexPage {
        OpeningPeriodIndexPage(
            head: SeriesListHead(
                agent: agent, organisationID: organisationID, kind: .openingPeriods, expired: expired, search: search,
                isEmpty: calendar == nil && items.isEmpty, calendar: calendar != nil, calendarMonth: calendarMonth),
            rows: items.map { item in
                Row(
                    title: item.title, path: SiteURL.organisation(id: organisationID, .openingPeriod(id: item.id)).path,
                    schedule: OpeningPeriodFormat.schedule(item.pattern),
                    repetition: OpeningPeriodFormat.repetition(item.pattern),
                    place: item.placeName ?? "—", motifs: item.motifNames.joined(separator: ", "))
            }, calendar: calendar)
    }
}

/// `partials/series_list_head`: the title, « Créer … », « Voir l'agenda », the « En cours » /
/// « Passées » tabs, the search on the title and the empty-list sentence of an agent's opening
/// periods or absences.
public struct SeriesListHead: Sendable, Equatable {
    enum Kind {
        case openingPeriods, absences
    }

    public let title: String
    public let noun: String
    public let newLabel: String
    public let searchLabel: String
    public let tabs: [AgendaPage.Link]
    public let formPath: String
    public let expiredValue: String?
    /// The calendar mode and its month keep themselves through a search.
    public let viewValue: String?
    public let monthValue: String?
    public let search: String
    public let newPath: String
    public let agendaPath: String
    public let isEmpty: Bool
    public let emptyMessage: String

    init(
        agent: AgendaAgent, organisationID: Int64, kind: Kind, expired: Bool, search: String, isEmpty: Bool,
        calendar: Bool = false, calendarMonth: String? = nil
    ) {
        let (list, new): (SiteURL.Organisation, SiteURL.Organisation) =
            kind == .openingPeriods
            ? (.openingPeriods(agentID: agent.id), .newOpeningPeriod(agentID: agent.id))
            : (.absences(agentID: agent.id), .newAbsence(agentID: agent.id))
        // « une plage d'ouverture » / « une indisponibilité », and their plural.
        let (one, many) = kind == .openingPeriods ? ("plage d'ouverture", "Plages d'ouverture") : ("indisponibilité", "Indisponibilités")
        let listURL = SiteURL.organisation(id: organisationID, list)
        title = "\(many) de \(agent.displayName)"
        noun = many
        newLabel = "Créer une \(one)"
        searchLabel = "Rechercher une \(one)"
        tabs =
            [
                AgendaPage.Link(label: "En cours", path: listURL.path, isCurrent: !expired && !calendar),
                AgendaPage.Link(
                    label: "Passées", path: listURL.path(query: ["expired": "1"]), isCurrent: expired && !calendar),
            ]
            // booking.md §9: the periods also show as a calendar.
            + (kind == .openingPeriods
                ? [AgendaPage.Link(label: "Calendrier", path: listURL.path(query: ["view": "calendar"]), isCurrent: calendar)]
                : [])
        formPath = listURL.path
        expiredValue = expired && !calendar ? "1" : nil
        viewValue = calendar ? "calendar" : nil
        monthValue = calendar ? calendarMonth : nil
        self.search = search
        newPath = SiteURL.organisation(id: organisationID, new).path
        agendaPath = SiteURL.organisation(id: organisationID, .agenda(agentID: agent.id)).path
        self.isEmpty = isEmpty
        emptyMessage =
            !search.isEmpty
            ? "Aucune \(one) ne correspond à « \(search) »."
            : expired ? "Aucune \(one) passée." : "Aucune \(one) en cours."
    }
}

/// `plage_ouvertures/show`: one opening period, « Modifier » and « Supprimer ».
public struct OpeningPeriodShowPage: PageModel, Equatable {
    public static let template = "plage_ouvertures/show"
    public let title: String
    public let agentName: String
    public let schedule: String
    public let repetition: String
    public let place: String
    public let motifs: String
    public let editPath: String
    public let deletePath: String
    public let listPath: String
    /// A recurring period's next occurrences and cancelled ones (domain.md §7b); nil otherwise.
    public let occurrenceList: OccurrenceList?
    public let history: HistoryList?

    static func load(
        _ period: OpeningPeriod, agent: AgendaAgent, placeName: String?,
        motifNames: [String], occurrences: [Occurrence] = [], cancelled: [LocalDate] = [], history: HistoryList? = nil
    ) -> OpeningPeriodShowPage {
        let organisationID = period.organisationID
        let id = period.id ?? 0
        return OpeningPeriodShowPage(
            title: period.title, agentName: agent.displayName, schedule: OpeningPeriodFormat.schedule(period.pattern),
            repetition: OpeningPeriodFormat.repetition(period.pattern), place: placeName ?? "—",
            motifs: motifNames.joined(separator: ", "),
            editPath: SiteURL.organisation(id: organisationID, .editOpeningPeriod(id: id)).path,
            deletePath: SiteURL.organisation(id: organisationID, .openingPeriod(id: id)).path,
            listPath: SiteURL.organisation(id: organisationID, .openingPeriods(agentID: period.agentID)).path,
            occurrenceList: period.recurrence == nil
                ? nil
                : OccurrenceList.load(
                    title: period.title, occurrences: occurrences, cancelled: cancelled,
                    occurrence: .organisation(id: organisationID, .openingPeriodOccurrence(id: id)),
                    restore: .organisation(id: organisationID, .openingPeriodOccurrenceRestore(id: id))),
            history: history)
    }
}

/// `partials/occurrences`: the next occurrences of a series, each with « Modifier cette
/// occurrence » and « Annuler cette occurrence », and the cancelled ones with « Rétablir »
/// (domain.md §7b).
public struct OccurrenceList: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let date: String
        public let label: String
        public let hours: String
        public let isMoved: Bool
        public let editPath: String
    }

    public struct Cancelled: Sendable, Equatable {
        public let date: String
        public let label: String
    }

    public let title: String
    public let rows: [Row]
    public let cancelled: [Cancelled]
    public let hasCancelled: Bool
    public let occurrencePath: String
    public let restorePath: String

    static func load(
        title: String, occurrences: [Occurrence], cancelled: [LocalDate], occurrence: SiteURL, restore: SiteURL
    ) -> OccurrenceList {
        OccurrenceList(
            title: title,
            rows: occurrences.map {
                Row(
                    date: $0.originalDate.description, label: NotificationFormat.mailDay($0.day).capitalizedFirst,
                    hours: "\($0.startTime.frenchDescription) – \($0.endTime.frenchDescription)", isMoved: $0.isMoved,
                    editPath: occurrence.path(query: ["date": $0.originalDate.description]))
            },
            cancelled: cancelled.map { Cancelled(date: $0.description, label: NotificationFormat.mailDay($0).capitalizedFirst) },
            hasCancelled: !cancelled.isEmpty, occurrencePath: occurrence.path, restorePath: restore.path)
    }
}

/// `plage_ouvertures/occurrence`: « Modifier cette occurrence » — another day or other hours for
/// one occurrence; the series stays as it is.
public struct OccurrenceFormPage: PageModel, Equatable {
    public static let template = "plage_ouvertures/occurrence"
    public let heading: String
    public let formPath: String
    public let date: String
    public let cancelPath: String
    public let fields: [FormField]
    /// The move leaves appointments outside every period: « Enregistrer quand même ».
    public let warnings: BenignWarnings
    /// The cancellation does: « Annuler l'occurrence quand même ».
    public let cancelWarnings: BenignWarnings

    static func load(
        title: String, date: LocalDate, formPath: String, cancelPath: String, day: String, start: String,
        end: String, errors: [String: String] = [:], moveWarnings: [String] = [], cancelWarnings: [String] = []
    ) -> OccurrenceFormPage {
        OccurrenceFormPage(
            heading: "Modifier l'occurrence du \(NotificationFormat.mailDay(date)) de « \(title) »",
            formPath: formPath, date: date.description, cancelPath: cancelPath,
            fields: [
                FormField(name: "day", label: "Jour", type: "date", value: day, required: true, error: errors["day"]),
                FormField(
                    name: "start_time", label: "Heure de début", type: "time", value: start, required: true,
                    error: errors["start_time"]),
                FormField(
                    name: "end_time", label: "Heure de fin", type: "time", value: end, required: true,
                    error: errors["end_time"]),
            ], warnings: BenignWarnings(moveWarnings), cancelWarnings: BenignWarnings(cancelWarnings))
    }
}


/// The French wording of a period's days and hours, shared by the list and the page.
enum OpeningPeriodFormat {
    /// « De 09h00 à 12h00 ».
    static func schedule(_ pattern: SeriesPattern) -> String {
        "De \(pattern.startTime.frenchDescription) à \(pattern.endTime.frenchDescription)"
    }

    /// « Le lundi 7 décembre 2026 » for a single day, else the recurrence's summary from its
    /// first day: « À partir du lundi 7 décembre 2026 : toutes les semaines, le lundi ».
    static func repetition(_ pattern: SeriesPattern) -> String {
        let first = NotificationFormat.mailDay(pattern.firstDay)
        guard let recurrence = pattern.recurrence else { return "Le " + first }
        let summary = recurrence.frenchSummary(firstDay: pattern.firstDay)
        return "À partir du \(first) : " + summary.prefix(1).lowercased() + summary.dropFirst()
    }
}

/// The « Historique » of an opening period or an absence (domain.md §0) in its form's words.
enum SeriesHistory {
    static let openingPeriodFields: [(name: String, label: String)] =
        ["title", "first_day", "start_time", "end_time", "recurrence", "place_id"].map {
            ($0, OpeningPeriodFormPage.labels[$0] ?? $0)
        } + [("motif_ids", "Motifs"), ("exceptions", "Occurrences modifiées")]
    static let absenceFields: [(name: String, label: String)] =
        ["title", "first_day", "start_time", "end_day", "end_time", "recurrence"].map {
            ($0, AbsenceFormPage.labels[$0] ?? $0)
        } + [("exceptions", "Occurrences modifiées")]

    /// A recurrence is summed up from the series' current first day (`firstDay`).
    static func load(
        _ entries: [VersionEntry], fields: [(name: String, label: String)], firstDay: LocalDate, zone: TimeZone,
        names: HistoryNames
    ) -> HistoryList {
        HistoryList.load(entries, fields: fields, zone: zone) { field, value in
            switch field {
            case "first_day", "end_day":
                return LocalDate(value).map(NotificationFormat.mailDay) ?? value
            case "start_time", "end_time":
                return TimeOfDay(value)?.frenchDescription ?? value
            case "recurrence":
                return (try? JSONDecoder().decode(Recurrence.self, from: Data(value.utf8)))
                    .map { $0.frenchSummary(firstDay: firstDay) } ?? value
            case "place_id":
                return Int64(value).flatMap { names.places[$0] } ?? value
            case "motif_ids":
                return value.split(separator: ",").map { Int64($0).flatMap { names.motifs[$0] } ?? String($0) }
                    .joined(separator: ", ")
            default:
                return value
            }
        }
    }
}
