import Domain
import Foundation
import Persistence

/// `stats/show`: the statistics of admin.md §7 for one scope: the headline counters, then the
/// charts, each an SVG with its data table (`BarChart`).
public struct StatisticsPage: PageModel, Equatable {
    public static let template = "stats/show"

    public struct Counter: Sendable, Equatable {
        public let label: String
        public let value: String
    }

    /// What the cache keeps for a scope: everything but the page's heading.
    public struct Content: Sendable, Equatable {
        public let counters: [Counter]
        public let charts: [BarChart]
        public let computedAt: String
    }

    public let heading: String
    public let intro: String
    public let content: Content

    public init(heading: String, intro: String, content: Content) {
        self.heading = heading
        self.intro = intro
        self.content = content
    }

    /// Past appointments' statuses in the order a reader compares them: honoured first.
    static let statusOrder: [AppointmentStatus] = [.seen, .noshow, .excused, .revoked, .unknown]

    static func content(_ report: StatisticsReport, zone: TimeZone) -> Content {
        let calendar = report.calendar
        let weeks = calendar.weeks.map { "semaine du \(long($0))" }
        let weekAxis = calendar.weeks.map(short)
        let months = calendar.months.map { "\(NotificationFormat.monthNames[$0.month - 1]) \($0.year)" }
        let monthAxis = calendar.months.map { "\(abbreviations[$0.month - 1]) \($0.year % 100)" }
        let days = calendar.days.map(NotificationFormat.mailDay)
        let dayAxis = calendar.days.map(short)
        let pastDay = LocalDate(year: 2000, month: 1, day: 1) ?? calendar.days[0]

        func weekly(_ id: String, _ title: String, _ series: [(String, [Int])], normalised: Bool = false) -> BarChart {
            BarChart(
                id: id, title: title, periodHeader: "Semaine", periods: weeks, axisLabels: weekAxis, axisEvery: 8,
                series: series.map { (label: $0.0, values: $0.1) }, normalised: normalised)
        }
        func fixed<Key: RawRepresentable>(_ breakdown: StatisticsBreakdown, _ keys: [Key], label: (Key) -> String)
            -> [(String, [Int])] where Key.RawValue == String
        {
            keys.map { (label($0), breakdown[$0.rawValue] ?? Array(repeating: 0, count: StatisticsCalendar.weekCount)) }
        }
        let origins: [CreatorType] = [.agent, .user, .fileAttente, .prescripteur]
        var charts = [
            weekly("rdv-origine", "RDV créés par semaine, selon leur origine", fixed(report.createdByOrigin, origins, label: originLabel)),
            weekly(
                "rdv-type-de-lieu", "RDV par semaine, selon le type de lieu",
                fixed(report.byLocationType, LocationType.allCases, label: \.label)),
        ]
        if let byTerritory = report.byTerritory {
            charts.append(weekly("rdv-territoire", "RDV par semaine, selon le territoire", largest(byTerritory, periods: weeks.count)))
        }
        charts += [
            weekly("rdv-service", "RDV par semaine, selon le service", largest(report.byService, periods: weeks.count)),
            weekly(
                "rdv-statut", "Statut des RDV passés, par semaine (en %)",
                fixed(report.appointmentStatuses, statusOrder) { $0.label(day: pastDay, today: calendar.days[0]) },
                normalised: true),
            weekly(
                "participations-statut", "Statut des participations aux RDV passés, par semaine (en %)",
                fixed(report.participationStatuses, statusOrder) { $0.label(day: pastDay, today: calendar.days[0]) },
                normalised: true),
        ]
        charts.append(
            BarChart(
                id: "agents-actifs", title: "Agents actifs par mois", periodHeader: "Mois", periods: months,
                axisLabels: monthAxis, axisEvery: 1,
                series: [(label: "Agents ayant eu au moins un RDV passé dans le mois", values: report.activeAgents)]))
        func daily(_ id: String, _ title: String, _ series: [(String, [Int])]) -> BarChart {
            BarChart(
                id: id, title: title, periodHeader: "Jour", periods: days, axisLabels: dayAxis, axisEvery: 7,
                series: series.map { (label: $0.0, values: $0.1) })
        }
        let zeros = Array(repeating: 0, count: StatisticsCalendar.dayCount)
        charts += [
            daily(
                "notifications-canal", "Notifications par jour, selon le canal",
                [("SMS", "sms"), ("E-mail", "mail"), ("Webhook", "webhook")].map { ($0.0, report.notificationsByChannel[$0.1] ?? zeros) }),
            daily(
                "notifications-evenement", "Notifications par jour, selon l'événement",
                largest(report.notificationsByEvent, periods: days.count, label: eventLabel)),
            daily(
                "notifications-resultat", "Notifications par jour, selon le résultat",
                [("Délivré", "delivered"), ("Envoyé", "sent"), ("Traité", "processed"), ("Échec", "failure")]
                    .map { ($0.0, report.notificationsByResult[$0.1] ?? zeros) }),
        ]

        var counters = [
            Counter(label: "RDV", value: BarChart.number(report.appointmentsCount)),
            Counter(label: "Usagers", value: BarChart.number(report.usersCount)),
        ]
        if let agentsCount = report.agentsCount { counters.append(Counter(label: "Agents", value: BarChart.number(agentsCount))) }
        if let organisations = report.organisationsCount {
            counters.append(Counter(label: "Organisations", value: BarChart.number(organisations)))
        }
        counters.append(
            Counter(
                label: "Absences non excusées sur les 12 derniers mois",
                value: report.noShowRate.map { percent($0) } ?? "Aucun RDV renseigné"))
        return Content(
            counters: counters, charts: charts,
            computedAt: NotificationFormat.mailDate(report.calendar.now, in: zone))
    }

    /// The 7 largest keys by total, the rest summed as « Autres », so a legend stays readable.
    static func largest(_ breakdown: StatisticsBreakdown, periods: Int, label: (String) -> String = { $0 }) -> [(String, [Int])] {
        let ranked = breakdown.sorted { ($0.value.reduce(0, +), $1.key) > ($1.value.reduce(0, +), $0.key) }
        guard ranked.count > 8 else { return ranked.map { (label($0.key), $0.value) } }
        let others = ranked.dropFirst(7).reduce(into: Array(repeating: 0, count: periods)) { sum, entry in
            for index in sum.indices { sum[index] += entry.value[safe: index] ?? 0 }
        }
        return ranked.prefix(7).map { (label($0.key), $0.value) } + [("Autres", others)]
    }

    static func originLabel(_ origin: CreatorType) -> String {
        switch origin {
        case .agent: "Agent"
        case .user: "RDV pris sur internet"
        case .fileAttente: "File d'attente"
        case .prescripteur: "Prescripteur"
        }
    }

    static func eventLabel(_ event: String) -> String {
        switch NotificationEvent(rawValue: event) {
        case .rdvCreated: "RDV créé"
        case .rdvUpdated: "RDV modifié"
        case .rdvCancelled: "RDV annulé"
        case .rdvUpcomingReminder: "Rappel"
        case .newCreneauAvailable: "Créneau plus tôt disponible"
        case nil: event
        }
    }

    /// « 12,3 % ».
    static func percent(_ share: Double) -> String {
        let tenths = Int((share * 1000).rounded())
        return "\(tenths / 10),\(tenths % 10) %"
    }

    static let abbreviations = [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ]

    /// « 7 déc. »: an axis label.
    static func short(_ day: LocalDate) -> String { "\(day.day) \(abbreviations[day.month - 1])" }

    /// « 7 décembre 2026 ».
    static func long(_ day: LocalDate) -> String { "\(day.day) \(NotificationFormat.monthNames[day.month - 1]) \(day.year)" }
}
