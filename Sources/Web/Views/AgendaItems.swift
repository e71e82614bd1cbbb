import Domain
import Foundation
import Persistence

/// The views of the agenda (booking.md §9), their ranges and their steps.
public enum AgendaViewKind: String, Sendable, CaseIterable {
    case day, week, month, list

    /// The local days shown around `date`: the day, its week (Monday–Sunday), or the whole
    /// weeks that cover its month.
    func range(around date: LocalDate) -> (first: LocalDate, last: LocalDate) {
        switch self {
        case .day: return (date, date)
        case .week, .list: return (date.mondayOfWeek, date.mondayOfWeek.adding(days: 6) ?? date)
        case .month:
            let firstOfMonth = LocalDate(year: date.year, month: date.month, day: 1) ?? date
            let lastOfMonth =
                LocalDate(
                    year: date.year, month: date.month, day: LocalDate.daysInMonth(year: date.year, month: date.month))
                ?? date
            return (firstOfMonth.mondayOfWeek, lastOfMonth.mondayOfWeek.adding(days: 6) ?? lastOfMonth)
        }
    }

    func step(_ date: LocalDate, by count: Int) -> LocalDate {
        switch self {
        case .day: date.adding(days: count) ?? date
        case .week, .list: date.adding(days: 7 * count) ?? date
        case .month: date.adding(months: count) ?? date
        }
    }

    var previousLabel: String {
        switch self {
        case .day: "Jour précédent"
        case .week, .list: "Semaine précédente"
        case .month: "Mois précédent"
        }
    }

    var nextLabel: String {
        switch self {
        case .day: "Jour suivant"
        case .week, .list: "Semaine suivante"
        case .month: "Mois suivant"
        }
    }

    var label: String {
        switch self {
        case .day: "Jour"
        case .week: "Semaine"
        case .month: "Mois"
        case .list: "Liste"
        }
    }
}

/// Something shown on one agent's day, in minutes of that day (an item crossing midnight is cut
/// into one piece per day).
struct AgendaItem: Sendable {
    enum Kind: Sendable {
        /// `detailed`: the viewer may see it (current organisation and AppointmentPolicy.show).
        case appointment(AgendaAppointment, detailed: Bool)
        case absence(AgendaSeries)
        case openingPeriod(AgendaSeries)
    }

    let kind: Kind
    let agentID: Int64
    let day: LocalDate
    let startMinute: Int
    let endMinute: Int
    /// The item's real start and end, for `<time datetime>`.
    let startsAt: Date
    let endsAt: Date
    /// A series' occurrence: its regular date, which names it in « Modifier cette occurrence »
    /// (a moved occurrence is shown on its new day).
    var originalDate: LocalDate? = nil

    /// Appointments that are not cancelled and absences make the agent busy (no free cell).
    var blocksTime: Bool {
        switch kind {
        case .appointment(let appointment, _): !appointment.status.isCancelled
        case .absence: true
        case .openingPeriod: false
        }
    }
}

extension AppointmentStatus {
    var isCancelled: Bool { self == .excused || self == .revoked }
}

/// The data of the range, placed by (agent, day), filtered by what the viewer may see.
struct AgendaItems: Sendable {
    private(set) var byAgentDay: [AgentDay: [AgendaItem]] = [:]

    struct AgentDay: Hashable, Sendable {
        let agentID: Int64
        let day: LocalDate
    }

    func items(agentID: Int64, day: LocalDate) -> [AgendaItem] {
        byAgentDay[AgentDay(agentID: agentID, day: day)] ?? []
    }

    /// Weekdays of the range carrying an appointment, absence or opening period.
    var busyWeekdays: Set<Weekday> { Set(byAgentDay.keys.map(\.day.weekday)) }

    init(
        _ data: AgendaData, organisationID: Int64, principal: Principal, showCancelled: Bool, first: LocalDate,
        last: LocalDate, zone: TimeZone
    ) {
        for appointment in data.appointments {
            let current = appointment.organisationID == organisationID
            // Cancelled ones only with `display_cancelled_rdv`; other organisations' cancelled
            // ones occupy nothing and are not shown (booking.md §9).
            if appointment.status.isCancelled && (!showCancelled || !current) { continue }
            let detailed =
                current
                && AppointmentPolicy.show(
                    principal,
                    AppointmentView(
                        organisationID: appointment.organisationID, agentIDs: appointment.agentIDs,
                        motifServiceID: appointment.motifServiceID)) == .allowed
            add(
                .appointment(appointment, detailed: detailed), agentID: appointment.agentID,
                from: appointment.startsAt, to: appointment.endsAt, zone: zone, first: first, last: last)
        }
        for (series, isAbsence) in data.absences.map({ ($0, true) }) + data.openingPeriods.map({ ($0, false) }) {
            for occurrence in series.pattern.occurrences(from: first, through: last, exceptions: series.exceptions) {
                guard let interval = occurrence.interval(in: zone) else { continue }
                add(
                    isAbsence ? .absence(series) : .openingPeriod(series), agentID: series.agentID,
                    from: interval.start, to: interval.end, zone: zone, first: first, last: last,
                    originalDate: occurrence.originalDate)
            }
        }
    }

    private mutating func add(
        _ kind: AgendaItem.Kind, agentID: Int64, from start: Date, to end: Date, zone: TimeZone, first: LocalDate,
        last: LocalDate, originalDate: LocalDate? = nil
    ) {
        let (startDay, startMinute) = AgendaLayout.local(start, in: zone)
        var (endDay, endMinute) = AgendaLayout.local(end, in: zone)
        if endMinute == 0 && endDay > startDay, let previous = endDay.adding(days: -1) {
            (endDay, endMinute) = (previous, TimeOfDay.minutesPerDay)
        }
        var day = max(startDay, first)
        while day <= min(endDay, last) {
            let item = AgendaItem(
                kind: kind, agentID: agentID, day: day, startMinute: day == startDay ? startMinute : 0,
                endMinute: day == endDay ? endMinute : TimeOfDay.minutesPerDay, startsAt: start, endsAt: end,
                originalDate: originalDate)
            byAgentDay[AgentDay(agentID: agentID, day: day), default: []].append(item)
            guard let next = day.adding(days: 1) else { break }
            day = next
        }
    }
}
