import Domain
import Foundation
import Persistence

/// The calendar mode of « Plages d'ouverture » (booking.md §9, `?view=calendar&month=YYYY-MM`):
/// a month of the agent's periods in this organisation, each occurrence where it falls (moved
/// ones on their new day, cancelled ones absent), linked to its own form.
public struct OpeningPeriodCalendar: Sendable, Equatable {
    public let heading: String
    public let month: AgendaPage.Month
    public let previous: AgendaPage.Link
    public let next: AgendaPage.Link
    public let isEmpty: Bool

    /// A period and its occurrences over the shown weeks.
    struct Series {
        let item: OpeningPeriodListItem
        let occurrences: [Occurrence]
    }

    /// The Monday before the month's first day through the Sunday after its last.
    static func weeks(of month: LocalDate) -> (first: LocalDate, last: LocalDate) {
        let firstOfMonth = LocalDate(year: month.year, month: month.month, day: 1) ?? month
        let lastOfMonth =
            LocalDate(
                year: month.year, month: month.month, day: LocalDate.daysInMonth(year: month.year, month: month.month))
            ?? month
        return (firstOfMonth.mondayOfWeek, lastOfMonth.mondayOfWeek.adding(days: 6) ?? lastOfMonth)
    }

    /// `month=YYYY-MM`, else the month of `today`.
    static func month(_ text: String?, today: LocalDate) -> LocalDate {
        text.flatMap { LocalDate($0 + "-01") } ?? LocalDate(year: today.year, month: today.month, day: 1) ?? today
    }

    /// `month=YYYY-MM` of a month.
    static func monthValue(_ day: LocalDate) -> String { "\(day.year)-\(day.month < 10 ? "0" : "")\(day.month)" }

    static func load(
        agentID: Int64, organisationID: Int64, month: LocalDate, today: LocalDate, series: [Series], zone: TimeZone,
        search: String = ""
    ) -> OpeningPeriodCalendar {
        let (first, last) = weeks(of: month)
        var byDay: [LocalDate: [(TimeOfDay, AgendaPage.MonthItem)]] = [:]
        for entry in series {
            let pattern = entry.item.pattern
            let repeats = pattern.recurrence != nil && pattern.endDay == pattern.firstDay
            for occurrence in entry.occurrences where occurrence.day >= first && occurrence.day <= last {
                let path =
                    repeats
                    ? SiteURL.organisation(id: organisationID, .openingPeriodOccurrence(id: entry.item.id)).path(
                        query: ["date": occurrence.originalDate.description])
                    : SiteURL.organisation(id: organisationID, .openingPeriod(id: entry.item.id)).path
                let startsAt = occurrence.day.instant(at: occurrence.startTime, in: zone).map { ISO8601.format($0, in: zone) }
                byDay[occurrence.day, default: []].append(
                    (
                        occurrence.startTime,
                        AgendaPage.MonthItem(
                            cssClass: "rdv-month__item rdv-month__item--period", startsAt: startsAt ?? "",
                            timeLabel: "\(occurrence.startTime.frenchDescription)–\(occurrence.endTime.frenchDescription)",
                            title: entry.item.title, path: path, color: nil)
                    ))
            }
        }
        let days = first.through(last)
        let weeks = stride(from: 0, to: days.count, by: 7).map { start in
            AgendaPage.MonthWeek(
                days: days[start..<min(start + 7, days.count)].map { day in
                    var classes = ["rdv-month__day"]
                    if day.month != month.month { classes.append("rdv-month__day--other") }
                    if day == today { classes.append("rdv-month__day--today") }
                    let items = (byDay[day] ?? []).sorted { $0.0 < $1.0 }.map(\.1)
                    return AgendaPage.MonthDay(
                        cssClass: classes.joined(separator: " "), label: "\(day.day)",
                        dayPath: SiteURL.organisation(id: organisationID, .agenda(agentID: agentID)).path(
                            query: ["date": day.description, "view": "day"]),
                        isHoliday: false, items: items, hasItems: !items.isEmpty)
                })
        }
        let list = SiteURL.organisation(id: organisationID, .openingPeriods(agentID: agentID))
        func link(_ label: String, _ target: LocalDate?) -> AgendaPage.Link {
            AgendaPage.Link(
                label: label,
                path: list.path(query: [
                    "view": "calendar", "month": target.map(monthValue), "search": search.isEmpty ? nil : search,
                ]))
        }
        let heading = AgendaLayout.monthLabel(month)
        return OpeningPeriodCalendar(
            heading: heading.prefix(1).uppercased() + heading.dropFirst(),
            month: AgendaPage.Month(
                cssClass: "rdv-month rdv-month--7", caption: "Plages d'ouverture, \(heading)",
                weekdays: days.prefix(7).map { AgendaLayout.shortWeekdayNames[$0.weekday] ?? "" }, weeks: weeks),
            previous: link("Mois précédent", month.adding(months: -1)),
            next: link("Mois suivant", month.adding(months: 1)),
            isEmpty: byDay.isEmpty)
    }
}
