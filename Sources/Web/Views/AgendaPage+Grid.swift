import Domain
import Foundation
import Persistence

extension AgendaBuilder {
    /// Day and week views: a time column, then one column per day (one agent) or per agent
    /// (several agents on one day).
    func grid(first: LocalDate, last: LocalDate) -> AgendaPage.Grid {
        var columns: [AgendaPage.Column] = []
        if input.agents.count > 1 {
            for agent in input.agents {
                columns.append(column(agent: agent, day: first, heading: agent.displayName, headingPath: nil))
            }
        } else {
            let days = input.view == .day ? [first] : shownDays(first: first, last: last)
            for day in days {
                columns.append(
                    column(
                        agent: input.agent, day: day, heading: AgendaLayout.shortDayLabel(day),
                        headingPath: input.view == .day ? nil : agendaPath(date: day, view: .day, agentPairs: [])))
            }
        }
        let hours = stride(from: 0, to: AgendaLayout.rowCount, by: 60 / AgendaLayout.rowMinutes).map {
            AgendaPage.HourLabel(cssClass: "rdv-r-\($0 + 1)", label: time(minute: AgendaLayout.minute(ofRow: $0)))
        }
        return AgendaPage.Grid(
            cssClass: "rdv-agenda__grid rdv-cols-\(min(columns.count, 10))", hours: hours, columns: columns)
    }

    func column(agent: AgendaAgent, day: LocalDate, heading: String, headingPath: String?) -> AgendaPage.Column {
        let dayItems = items.items(agentID: agent.id, day: day)
        let busy = dayItems.filter(\.blocksTime)
        let events = dayItems.filter { if case .openingPeriod = $0.kind { false } else { true } }
        let lanes = AgendaLayout.lanes(events.map { (start: $0.startMinute, end: $0.endMinute) })
        var cells: [AgendaPage.Cell] = []
        cells.reserveCapacity(AgendaLayout.rowCount)
        let dayLabel = NotificationFormat.mailDay(day)
        let forAgent = input.agents.count > 1 ? " avec \(agent.displayName)" : ""
        // The wizard link of every cell, as `SiteURL.path(query:)` writes it (starts_at,
        // duration, agent_ids[]), built from a prefix: 52 rows a column made this the page's
        // hot spot. The zone's offset is the same all over 07:00–20:00 (French changes of
        // offset happen at 02:00–03:00).
        let wizard = SiteURL.organisation(id: organisationID, .newRdv).path + "?starts_at="
        let agentQuery = "&duration=30&" + SiteURL.encode("agent_ids[]") + "=\(agent.id)"
        let noon = day.instant(at: TimeOfDay(hour: 12, minute: 0)!, in: zone) ?? input.now
        let offset = String(iso(noon).suffix(6))
        let holiday = isHoliday(day)
        for row in 0..<AgendaLayout.rowCount {
            let minute = AgendaLayout.minute(ofRow: row)
            let end = minute + AgendaLayout.rowMinutes
            let isFree = !busy.contains { $0.startMinute < end && $0.endMinute > minute }
            let startsAt = "\(day)T\(TimeOfDay(minutesSinceMidnight: minute)?.description ?? "00:00"):00\(offset)"
            let off = AgendaLayout.isBusinessHours(day.weekday, minute: minute) && !holiday ? "" : " rdv-cell--off"
            cells.append(
                AgendaPage.Cell(
                    cssClass: "rdv-cell rdv-r-\(row + 1)\(off)\(isFree ? "" : " rdv-cell--busy")",
                    path: isFree ? wizard + SiteURL.encode(startsAt) + agentQuery : nil,
                    startsAt: startsAt,
                    label: "Créer un RDV le \(dayLabel) à \(time(minute: minute))\(forAgent)"))
        }
        let blocks = dayItems.compactMap { item -> AgendaPage.Block? in
            guard case .openingPeriod(let period) = item.kind else { return nil }
            let rows = AgendaLayout.rows(startMinute: item.startMinute, endMinute: item.endMinute)
            let current = period.organisationID == organisationID
            return AgendaPage.Block(
                cssClass:
                    "rdv-period rdv-r-\(rows.first + 1) rdv-s-\(rows.count)\(current ? "" : " rdv-period--other")",
                title: [period.title, current ? period.placeName : nil].compactMap { $0 }.joined(separator: " — "),
                startsAt: iso(item.startsAt), timeLabel: timeLabel(item),
                path: current ? seriesPath(item, period, agent: agent, isAbsence: false) : nil)
        }
        return AgendaPage.Column(
            heading: heading, headingPath: headingPath, isToday: day == today,
            allDay: isHoliday(day) ? ["Jour férié"] : [], cells: cells, blocks: blocks,
            events: zip(events, lanes).map { event($0, lane: $1) })
    }

    /// An appointment or absence as shown (booking.md §9): detailed appointments in motif colour
    /// with a link; others grey « Occupé·e » with no personal data; absences grey.
    func event(_ item: AgendaItem, lane: (lane: Int, count: Int)? = nil) -> AgendaPage.Event {
        var classes = ["rdv-ev"]
        if let lane {
            let rows = AgendaLayout.rows(startMinute: item.startMinute, endMinute: item.endMinute)
            classes += ["rdv-r-\(rows.first + 1)", "rdv-s-\(rows.count)", "rdv-ln-\(lane.count)-\(lane.lane + 1)"]
        }
        if item.endsAt <= input.now { classes.append("rdv-ev--past") }
        let timeLabel = timeLabel(item)
        let minutes = Int(item.endsAt.timeIntervalSince(item.startsAt) / 60)
        switch item.kind {
        case .appointment(let appointment, let detailed) where detailed:
            let status = appointment.status.label(
                day: AgendaLayout.local(appointment.startsAt, in: zone).day, today: today)
            let title = appointment.collectif ? (appointment.name ?? appointment.motifName) : appointment.motifName
            let users =
                appointment.collectif
                ? "\(appointment.usersCount) participant\(appointment.usersCount > 1 ? "s" : "")"
                : appointment.userNames.joined(separator: ", ")
            let arrived = appointment.arrivedAt.map { AgendaLayout.local($0, in: zone).day == item.day } ?? false
            let highlighted = appointment.id == input.highlightID
            if appointment.status.isCancelled { classes.append("rdv-ev--cancelled") }
            if highlighted { classes.append("rdv-ev--highlight") }
            if arrived && input.territory.recoloursArrivals { classes.append("rdv-ev--arrived") }
            let details = [users, appointment.placeName, NotificationFormat.duration(minutes: minutes)]
                .compactMap { $0 }.filter { !$0.isEmpty }
            return AgendaPage.Event(
                cssClass: classes.joined(separator: " "), startsAt: iso(item.startsAt), endsAt: iso(item.endsAt),
                timeLabel: timeLabel,
                path: SiteURL.organisation(id: organisationID, .rdv(id: appointment.id)).path, title: title,
                details: details, color: appointment.motifColor, statusLabel: status, isArrived: arrived,
                isHighlighted: highlighted,
                summary: ([timeLabel, title] + details + [status] + (arrived ? ["Arrivé·e"] : []))
                    .joined(separator: " · "))
        case .appointment:
            classes.append("rdv-ev--busy")
            return AgendaPage.Event(
                cssClass: classes.joined(separator: " "), startsAt: iso(item.startsAt), endsAt: iso(item.endsAt),
                timeLabel: timeLabel, path: nil, title: "Occupé·e", details: [], color: nil, statusLabel: nil,
                isArrived: false, isHighlighted: false, summary: "\(timeLabel) · Occupé·e")
        case .absence(let absence), .openingPeriod(let absence):
            classes.append("rdv-ev--absence")
            let owner = input.agents.first { $0.id == item.agentID } ?? input.agent
            return AgendaPage.Event(
                cssClass: classes.joined(separator: " "), startsAt: iso(item.startsAt), endsAt: iso(item.endsAt),
                timeLabel: timeLabel, path: seriesPath(item, absence, agent: owner, isAbsence: true), title: absence.title, details: ["Indisponibilité"], color: nil,
                statusLabel: nil, isArrived: false, isHighlighted: false,
                summary: "\(timeLabel) · \(absence.title) · Indisponibilité")
        }
    }

    /// Month view: whole weeks, each day listing its appointments and absences; the day links to
    /// its day view.
    func month(first: LocalDate, last: LocalDate) -> AgendaPage.Month {
        let days = shownDays(first: first, last: last)
        let perWeek = Set(days.map(\.weekday)).count
        var weeks: [AgendaPage.MonthWeek] = []
        for weekDays in stride(from: 0, to: days.count, by: max(perWeek, 1)).map({
            Array(days[$0..<min($0 + perWeek, days.count)])
        }) {
            weeks.append(
                AgendaPage.MonthWeek(
                    days: weekDays.map { day in
                        let dayItems = items.items(agentID: input.agent.id, day: day).filter {
                            if case .openingPeriod = $0.kind { false } else { true }
                        }
                        var classes = ["rdv-month__day"]
                        if day.month != input.date.month { classes.append("rdv-month__day--other") }
                        if day == today { classes.append("rdv-month__day--today") }
                        return AgendaPage.MonthDay(
                            cssClass: classes.joined(separator: " "), label: "\(day.day)",
                            dayPath: agendaPath(date: day, view: .day, agentPairs: []), isHoliday: isHoliday(day),
                            items: dayItems.map {
                                let shown = event($0)
                                return AgendaPage.MonthItem(
                                    // The event's flags without its box (a line of text here).
                                    cssClass: (["rdv-month__item"]
                                        + shown.cssClass.split(separator: " ").map(String.init).filter {
                                            $0 != "rdv-ev"
                                        }).joined(separator: " "),
                                    startsAt: shown.startsAt, timeLabel: time(minute: $0.startMinute),
                                    title: shown.title,
                                    path: shown.path, color: shown.color)
                            }, hasItems: !dayItems.isEmpty)
                    }))
        }
        return AgendaPage.Month(
            cssClass: "rdv-month rdv-month--\(perWeek)", caption: periodLabel(first: first, last: last),
            weekdays: days.prefix(perWeek).map { AgendaLayout.shortWeekdayNames[$0.weekday] ?? "" }, weeks: weeks)
    }

    /// List-week view: each day of the week that has appointments or absences, in order.
    func list(first: LocalDate, last: LocalDate) -> AgendaPage.ListWeek {
        let days = first.through(last).compactMap { day -> AgendaPage.ListDay? in
            let dayItems = items.items(agentID: input.agent.id, day: day).filter {
                if case .openingPeriod = $0.kind { false } else { true }
            }
            guard !dayItems.isEmpty else { return nil }
            return AgendaPage.ListDay(
                heading: NotificationFormat.mailDay(day).capitalizedFirst, isHoliday: isHoliday(day),
                events: dayItems.sorted { $0.startsAt < $1.startsAt }.map { event($0) })
        }
        return AgendaPage.ListWeek(days: days, isEmpty: days.isEmpty)
    }

    /// Where a click on a period or an absence leads, for a viewer who may change it here: the
    /// occurrence's own form for a repeating series (domain.md §7b, « Modifier cette
    /// occurrence »), else the series' page.
    func seriesPath(_ item: AgendaItem, _ series: AgendaSeries, agent: AgendaAgent, isAbsence: Bool) -> String? {
        let access =
            isAbsence
            ? AgentPolicy.manageAbsence(input.principal, agent: agent.view)
            : AgentPolicy.manageOpeningPeriod(input.principal, agent: agent.view, organisationID: organisationID)
        guard access == .allowed, agent.view.organisationIDs.contains(organisationID) else { return nil }
        let repeats = series.pattern.recurrence != nil && series.pattern.endDay == series.pattern.firstDay
        if repeats, let date = item.originalDate {
            let form: SiteURL.Organisation =
                isAbsence ? .absenceOccurrence(id: series.id) : .openingPeriodOccurrence(id: series.id)
            return SiteURL.organisation(id: organisationID, form).path(query: ["date": date.description])
        }
        return SiteURL.organisation(id: organisationID, isAbsence ? .absence(id: series.id) : .openingPeriod(id: series.id))
            .path
    }
}
