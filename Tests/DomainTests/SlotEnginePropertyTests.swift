import Domain
import Foundation
import Testing

/// Properties of the slot engine on random inputs (seeded, so every failure replays): for random
/// weekly periods, absences and appointments of three agents over a random week,
/// - no slot overlaps a busy time of its agent (absence, appointment, holiday),
/// - every slot lies inside one occurrence of a period of its agent,
/// - slots are aligned: inside each free segment they follow each other every `duration`, from
///   a first start on the 5-minute grid counted from the segment start (slots.md §4 step 5).
@Suite("Slot engine properties")
struct SlotEnginePropertyTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!
    static let territory = SlotTerritory(
        timeZone: paris, departementNumber: "62", whitMondayIsHoliday: false, openOnSundaysAndHolidays: false)

    static func time(_ minutes: Int) -> TimeOfDay { TimeOfDay(minutesSinceMidnight: minutes)! }

    @Test(arguments: 0..<200)
    func slotsRespectBusyTimesOccurrencesAndAlignment(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed) &* 7919 &+ 1)
        // Given a random week in 2026 (holidays included) and a random "now" inside it
        let firstDay = LocalDate(year: 2026, month: 1, day: 1)!.adding(days: Int.random(in: 0..<350, using: &g))!
        let range = SlotEngine.dayRange(from: firstDay, through: firstDay.adding(days: 6)!, timeZone: Self.paris)!
        let now = range.start.addingTimeInterval(Double(Int.random(in: -86_400...(3 * 86_400), using: &g)))
        let duration = [15, 20, 30, 45, 60][Int.random(in: 0..<5, using: &g)]
        var periods: [SlotPeriod] = []
        var absences: [SlotAbsence] = []
        var appointments: [SlotAppointment] = []
        for agent in Int64(1)...3 {
            let start = Int.random(in: 7 * 60...11 * 60, using: &g) / 5 * 5
            let days = Weekday.allCases.filter { _ in Bool.random(using: &g) }
            let recurrence = Recurrence.weekly(.init(interval: 1, weekdays: days.isEmpty ? [.monday] : days))
            let pattern = SeriesPattern(
                firstDay: firstDay.adding(days: -7)!, startTime: Self.time(start),
                endTime: Self.time(start + Int.random(in: 60...420, using: &g)), recurrence: recurrence)
            periods.append(SlotPeriod(id: agent, agentID: agent, placeID: 1, pattern: pattern, exceptions: []))
            for _ in 0..<Int.random(in: 0...2, using: &g) {
                let day = firstDay.adding(days: Int.random(in: 0...6, using: &g))!
                let from = Int.random(in: 8 * 60...16 * 60, using: &g)
                absences.append(
                    SlotAbsence(
                        agentID: agent,
                        pattern: SeriesPattern(
                            firstDay: day, startTime: Self.time(from), endTime: Self.time(from + 90)),
                        exceptions: []))
            }
            for _ in 0..<Int.random(in: 0...6, using: &g) {
                let begin = range.start.addingTimeInterval(Double(Int.random(in: 0..<(7 * 96), using: &g) * 900))
                appointments.append(
                    SlotAppointment(
                        agentIDs: [agent], startsAt: begin,
                        endsAt: begin.addingTimeInterval(Double(Int.random(in: 1...8, using: &g) * 900))))
            }
        }
        // When the engine runs
        let slots = SlotEngine.availableSlots(
            durationInMinutes: duration, periods: periods, absences: absences, appointments: appointments, range: range,
            now: now, territory: Self.territory)
        // Then every property holds
        let holidays = PublicHolidays.dates(year: firstDay.year, departementNumber: "62", whitMondayIsHoliday: false)
            .union(PublicHolidays.dates(year: firstDay.year + 1, departementNumber: "62", whitMondayIsHoliday: false))
        for slot in slots {
            let interval = DateInterval(start: slot.startsAt, end: slot.endsAt)
            #expect(slot.endsAt.timeIntervalSince(slot.startsAt) == Double(duration * 60))
            #expect(range.start <= slot.startsAt && slot.startsAt < range.end)
            #expect(slot.startsAt >= now)
            let busy =
                appointments.filter { $0.agentIDs.contains(slot.agentID) }.map {
                    DateInterval(start: $0.startsAt, end: $0.endsAt)
                }
                + absences.filter { $0.agentID == slot.agentID }.compactMap {
                    $0.pattern.occurrences(
                        from: firstDay.adding(days: -1)!, through: firstDay.adding(days: 8)!, exceptions: []
                    )
                    .first?.interval(in: Self.paris)
                }
            for block in busy {
                #expect(
                    !(block.start < interval.end && interval.start < block.end),
                    "seed \(seed): \(slot) overlaps \(block)")
            }
            #expect(!holidays.contains(LocalDate(slot.startsAt, in: Self.paris)), "seed \(seed): slot on a holiday")
            let period = periods.first { $0.agentID == slot.agentID }!
            let occurrences = period.pattern.occurrences(
                from: firstDay.adding(days: -1)!, through: firstDay.adding(days: 8)!, exceptions: []
            ).compactMap { $0.interval(in: Self.paris) }
            let container = occurrences.first { $0.start <= slot.startsAt && slot.endsAt <= $0.end }
            #expect(container != nil, "seed \(seed): \(slot) outside every occurrence")
        }
        // Alignment: inside each free segment (computed here independently: occurrence minus busy
        // times), slots start on the 5-minute grid counted from the segment start and follow each
        // other every `duration`.
        for period in periods {
            let busy =
                appointments.filter { $0.agentIDs.contains(period.agentID) }.map {
                    DateInterval(start: $0.startsAt, end: $0.endsAt)
                }
                + absences.filter { $0.agentID == period.agentID }.compactMap {
                    $0.pattern.occurrences(
                        from: firstDay.adding(days: -1)!, through: firstDay.adding(days: 8)!, exceptions: []
                    )
                    .first?.interval(in: Self.paris)
                }
            for occurrence in period.pattern.occurrences(
                from: firstDay, through: firstDay.adding(days: 6)!, exceptions: [])
            where !holidays.contains(occurrence.day) {
                guard let whole = occurrence.interval(in: Self.paris) else { continue }
                var segments = [whole]
                for block in busy {
                    segments = segments.flatMap { seg -> [DateInterval] in
                        guard block.start < seg.end && seg.start < block.end else { return [seg] }
                        var parts: [DateInterval] = []
                        if seg.start < block.start { parts.append(DateInterval(start: seg.start, end: block.start)) }
                        if block.end < seg.end { parts.append(DateInterval(start: block.end, end: seg.end)) }
                        return parts
                    }
                }
                for segment in segments {
                    let inside = slots.filter {
                        $0.agentID == period.agentID && segment.start <= $0.startsAt && $0.endsAt <= segment.end
                    }.map(\.startsAt).sorted()
                    guard let first = inside.first else { continue }
                    #expect(
                        Int(first.timeIntervalSince(segment.start)) % 300 == 0, "seed \(seed): first start off the grid"
                    )
                    for (index, start) in inside.enumerated() {
                        #expect(
                            start.timeIntervalSince(first) == Double(index * duration * 60),
                            "seed \(seed): misaligned slot")
                    }
                }
            }
        }
    }
}
