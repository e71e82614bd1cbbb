import Domain
import Foundation
import Persistence

/// What `AgendaPage.load` builds the page from, read by the controller.
struct AgendaInput: Sendable {
    let organisationID: Int64
    let principal: Principal
    /// The agent of the path, first of `agents` when it is shown.
    let agent: AgendaAgent
    /// The columns of the day view (several agents), or the one agent.
    let agents: [AgendaAgent]
    /// The agents of the selector, already filtered by AgentPolicy.
    let selectable: [AgendaAgent]
    /// The viewer's display settings (`display_saturdays`, `display_cancelled_rdv`).
    let displaySaturdays: Bool
    let showCancelled: Bool
    let territory: AgendaTerritory
    let data: AgendaData
    let view: AgendaViewKind
    let date: LocalDate
    let now: Date
    let unknownPastCount: Int
    let highlightID: Int64?
    /// Neither asked nor remembered: the script opens the day view on small screens instead.
    var isDefaultView = false
}

extension AgendaPage {
    static func load(_ input: AgendaInput) -> AgendaPage {
        let zone = input.territory.timeZone
        let (first, last) = input.view.range(around: input.date)
        let items = AgendaItems(
            input.data, organisationID: input.organisationID, principal: input.principal,
            showCancelled: input.showCancelled, first: first, last: last, zone: zone)
        let builder = AgendaBuilder(input: input, items: items, zone: zone, today: LocalDate(input.now, in: zone))
        let isSeveral = input.agents.count > 1
        let agentPairs = isSeveral ? input.agents.map { ("agent_ids[]", "\($0.id)") } : []
        func link(_ label: String, date: LocalDate, view: AgendaViewKind) -> Link {
            Link(label: label, path: builder.agendaPath(date: date, view: view, agentPairs: agentPairs))
        }
        let shownIDs = Set(input.agents.map(\.id))
        return AgendaPage(
            title: isSeveral
                ? "Agenda du \(NotificationFormat.mailDay(input.date))" : "Agenda de \(input.agent.displayName)",
            periodLabel: builder.periodLabel(first: first, last: last),
            views: AgendaViewKind.allCases.map {
                var view = link($0.label, date: input.date, view: $0)
                view.isCurrent = $0 == input.view
                return view
            },
            previous: link(input.view.previousLabel, date: input.view.step(input.date, by: -1), view: input.view),
            next: link(input.view.nextLabel, date: input.view.step(input.date, by: 1), view: input.view),
            today: link("Aujourd'hui", date: builder.today, view: input.view),
            formPath: SiteURL.organisation(id: input.organisationID, .agenda(agentID: input.agent.id)).path,
            dateValue: input.date.description,
            hiddenFields: [HiddenField(name: "view", value: input.view.rawValue)],
            agentFields: agentPairs.map { HiddenField(name: $0.0, value: $0.1) },
            agentChoices: input.selectable.map {
                AgentChoice(
                    inputID: "agent-\($0.id)", id: $0.id, name: $0.displayName, isChecked: shownIDs.contains($0.id))
            },
            hasAgentChoices: input.selectable.count > 1, isSeveral: isSeveral,
            smallScreenPath: input.isDefaultView
                ? builder.agendaPath(date: input.date, view: .day, agentPairs: agentPairs) : nil,
            todo: input.unknownPastCount == 0
                ? nil
                : Link(
                    label: "RDV à renseigner (\(input.unknownPastCount))",
                    path: SiteURL.organisation(id: input.organisationID, .rdvs).path(query: [
                        "agent_id": "\(input.agent.id)", "status": "unknown_past",
                    ])),
            printLink: Link(
                label: "Liste détaillée des RDV du \(NotificationFormat.mailDay(input.date))",
                path: SiteURL.organisation(id: input.organisationID, .agendaPrint(agentID: input.agent.id)).path(
                    query: ["date": input.date.description])),
            openingPeriodsLink: Link(
                label: "Plages d'ouverture",
                path: SiteURL.organisation(id: input.organisationID, .openingPeriods(agentID: input.agent.id)).path),
            absencesLink: Link(
                label: "Indisponibilités",
                path: SiteURL.organisation(id: input.organisationID, .absences(agentID: input.agent.id)).path),
            grid: input.view == .day || input.view == .week ? builder.grid(first: first, last: last) : nil,
            month: input.view == .month ? builder.month(first: first, last: last) : nil,
            list: input.view == .list ? builder.list(first: first, last: last) : nil)
    }
}

/// Builds the parts of the page from the placed items.
struct AgendaBuilder {
    let input: AgendaInput
    let items: AgendaItems
    let zone: TimeZone
    let today: LocalDate

    var organisationID: Int64 { input.organisationID }

    func agendaPath(date: LocalDate, view: AgendaViewKind, agentPairs: [(String, String)], agentID: Int64? = nil)
        -> String
    {
        SiteURL.organisation(id: organisationID, .agenda(agentID: agentID ?? input.agent.id)).path(
            pairs: [("date", date.description), ("view", view.rawValue)] + agentPairs)
    }

    func periodLabel(first: LocalDate, last: LocalDate) -> String {
        switch input.view {
        case .day: NotificationFormat.mailDay(first)
        case .week, .list: "Semaine du \(NotificationFormat.mailDay(first)) au \(NotificationFormat.mailDay(last))"
        case .month: AgendaLayout.monthLabel(input.date).capitalizedFirst
        }
    }

    func isHoliday(_ day: LocalDate) -> Bool {
        PublicHolidays.isHoliday(
            day, departementNumber: input.territory.departementNumber,
            whitMondayIsHoliday: input.territory.whitMondayIsHoliday)
    }

    /// The days of a week or month view, by the Saturday and Sunday rules of booking.md §9.
    func shownDays(first: LocalDate, last: LocalDate) -> [LocalDate] {
        let weekdays = Set(
            AgendaLayout.shownWeekdays(
                displaySaturdays: input.displaySaturdays, openOnSundays: input.territory.openOnSundaysAndHolidays,
                busyWeekdays: items.busyWeekdays))
        return first.through(last).filter { weekdays.contains($0.weekday) }
    }

    func iso(_ date: Date) -> String { ISO8601.format(date, in: zone) }

    func time(minute: Int) -> String {
        TimeOfDay(minutesSinceMidnight: min(minute, TimeOfDay.minutesPerDay - 1))?.frenchDescription ?? ""
    }

    func timeLabel(_ item: AgendaItem) -> String {
        let (startDay, startMinute) = AgendaLayout.local(item.startsAt, in: zone)
        let (endDay, endMinute) = AgendaLayout.local(item.endsAt, in: zone)
        let start = startDay == item.day ? time(minute: startMinute) : AgendaLayout.shortDayLabel(startDay)
        let end =
            endDay == item.day || (endMinute == 0 && endDay.adding(days: -1) == item.day)
            ? (endMinute == 0 && endDay != item.day ? "24h00" : time(minute: endMinute))
            : AgendaLayout.shortDayLabel(endDay)
        return "\(start)–\(end)"
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
