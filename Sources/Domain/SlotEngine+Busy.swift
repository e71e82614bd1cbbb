import Foundation

/// The busy intervals of slots.md §4 step 3, prepared once per search: holidays by local day,
/// absences and appointments by agent.
struct BusyIntervals {
    private let territory: SlotTerritory
    private let holidays: Set<LocalDate>
    private var byAgent: [Int64: [DateInterval]] = [:]

    init(
        absences: [SlotAbsence], appointments: [SlotAppointment], days: ClosedRange<LocalDate>, territory: SlotTerritory
    ) {
        self.territory = territory
        // Step 3.1: the territory's holidays (slots.md §3), unless it opens on holidays.
        if territory.openOnSundaysAndHolidays {
            holidays = []
        } else {
            holidays = Set(
                (days.lowerBound.year...days.upperBound.year).flatMap {
                    PublicHolidays.dates(
                        year: $0, departementNumber: territory.departementNumber,
                        whitMondayIsHoliday: territory.whitMondayIsHoliday)
                })
        }
        // Step 3.2: absences expanded with their exceptions over the same days; a multi-day
        // absence is one interval (slots.md §2) and is kept whenever it touches these days.
        for absence in absences {
            for occurrence in absence.pattern.occurrences(
                from: days.lowerBound, through: days.upperBound, exceptions: absence.exceptions)
            {
                if let interval = occurrence.interval(in: territory.timeZone) {
                    byAgent[absence.agentID, default: []].append(interval)
                }
            }
        }
        // Step 3.3: appointments block every one of their agents.
        for appointment in appointments where appointment.endsAt > appointment.startsAt {
            let interval = DateInterval(start: appointment.startsAt, end: appointment.endsAt)
            for agentID in Set(appointment.agentIDs) { byAgent[agentID, default: []].append(interval) }
        }
    }

    /// Everything blocking `agentID` during `occurrence`: its day(s) when holidays, as whole
    /// local days 00:00–24:00 (slots.md §3), then the agent's absences and appointments.
    func intervals(for agentID: Int64, on occurrence: Occurrence) -> [DateInterval] {
        var result: [DateInterval] = []
        for day in occurrence.day.through(occurrence.endDay) where holidays.contains(day) {
            if let start = day.instant(at: .midnight, in: territory.timeZone),
                let end = day.instant(at: .endOfDay, in: territory.timeZone), start < end
            {
                result.append(DateInterval(start: start, end: end))
            }
        }
        return result + (byAgent[agentID] ?? [])
    }
}
