import Domain
import Foundation
import Testing

@Suite("Slot engine: booking window, de-duplication, agent choice, next availability (slots.md §5–§7, §10)")
struct SlotEngineSearchTests {
    // MARK: §5 booking window

    @Test(arguments: [
        // no requested range: the whole window [now + 30 min, now + 3 months]
        (nil as [String]?, 1800, 7_889_238, ["2026-06-01T08:30:00Z", "2026-08-31T15:27:18Z"] as [String]?),
        // a requested week inside the window is kept
        (
            ["2026-06-08T00:00:00Z", "2026-06-15T00:00:00Z"], 1800, 7_889_238,
            ["2026-06-08T00:00:00Z", "2026-06-15T00:00:00Z"]
        ),
        // a week starting today begins at now + min delay
        (
            ["2026-05-31T22:00:00Z", "2026-06-07T22:00:00Z"], 1800, 7_889_238,
            ["2026-06-01T08:30:00Z", "2026-06-07T22:00:00Z"]
        ),
        // S15: a week starting 4 months ahead with a 3-month maximum: nothing
        (["2026-09-30T22:00:00Z", "2026-10-07T22:00:00Z"], 1800, 7_889_238, nil),
        // a week ending before now + min delay: nothing
        (["2026-05-25T00:00:00Z", "2026-06-01T08:30:00Z"], 1800, 7_889_238, nil),
        // a window reduced to an instant holds no slot (range.begin ≤ starts_at < range.end)
        (nil, 3600, 3600, nil),
    ])
    func userRangeIsTheRequestedRangeWithinTheBookingWindow(
        requested: [String]?, minDelay: Int, maxDelay: Int, expected: [String]?
    ) {
        // Given now = Mon 2026-06-01 08:00 UTC
        let now = instant("2026-06-01T08:00:00Z")
        // When
        let range = SlotEngine.userRange(
            requested: requested.map { DateInterval(start: instant($0[0]), end: instant($0[1])) }, now: now,
            minDelay: minDelay, maxDelay: maxDelay)
        // Then
        #expect(range == expected.map { DateInterval(start: instant($0[0]), end: instant($0[1])) })
    }

    @Test func fortyEightHourDelayFiltersWithoutRealigning() throws {
        // Given §4 step 6: now Mon 2026-06-01 11:10, a 48-hour minimum delay, a 40-min motif,
        // a period on Wed 06-03 from 09:00 (to 13:00)
        let now = instant("2026-06-01T11:10:00+02:00")
        let range = try #require(
            SlotEngine.userRange(
                requested: parisDays("2026-06-01", "2026-06-07"), now: now, minDelay: 48 * 3600, maxDelay: 7_889_238))
        // When
        let slots = SlotEngine.availableSlots(
            durationInMinutes: 40, periods: [.make(day: "2026-06-03", start: "09:00", end: "13:00")], absences: [],
            appointments: [], range: range, now: now, territory: .make())
        // Then the cut 09:00, 09:40, 10:20, 11:00, 11:40, 12:20 is filtered from Wed 11:10
        #expect(parisStarts(slots) == ["2026-06-03T11:40:00+02:00", "2026-06-03T12:20:00+02:00"])
    }

    // MARK: §5, §7 de-duplication and §6 agent choice (S18, S37)

    @Test func s18OneButtonPerStartTwoSlotsForAgentsOneAgentBooked() {
        // Given S18: agents 4 and 9 both free at 10:00 for the same motif and place
        let periods = [
            SlotPeriod.make(id: 1, agentID: 9, day: "2026-06-02", start: "10:00", end: "10:30"),
            SlotPeriod.make(id: 2, agentID: 4, day: "2026-06-02", start: "10:00", end: "10:30"),
        ]
        let slots = searchSlots(
            duration: 30, periods: periods, from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // When a user searches (§5)
        let buttons = SlotEngine.oneSlotPerStart(slots)
        // Then one 10:00 button, the first in the engine's order (agent 4)
        #expect(parisStarts(buttons) == ["2026-06-02T10:00:00+02:00"])
        #expect(buttons.map(\.agentID) == [4])
        // When an agent uses « Trouver un RDV » (§7)
        let agentSlots = SlotEngine.oneSlotPerStartAndAgent(slots)
        // Then two slots, one per agent
        #expect(agentSlots.map(\.agentID) == [4, 9])
        // When a user books 10:00 (§6): both free, no appointment that day, seed 42
        var generator = SeededGenerator(seed: 42)
        let chosen = SlotEngine.pickAgent(
            slots.filter { $0.startsAt == instant("2026-06-02T10:00:00+02:00") }.map(\.agentID),
            appointmentsThatDay: [:], using: &generator)
        // Then one of the two: SeededGenerator(seed: 42)'s first output has its top bit set → index 1
        #expect(chosen == 9)
    }

    @Test func oneSlotPerStartKeepsPlacesApart() {
        // Given 10:00 at place 1 (agents 1, 2), at place 2 (agent 3), at no place (agent 4); 10:30 at place 1
        let slots = [
            Slot(
                startsAt: instant("2026-06-02T08:00:00Z"), endsAt: instant("2026-06-02T08:30:00Z"), placeID: nil,
                agentID: 4),
            Slot(
                startsAt: instant("2026-06-02T08:00:00Z"), endsAt: instant("2026-06-02T08:30:00Z"), placeID: 1,
                agentID: 1),
            Slot(
                startsAt: instant("2026-06-02T08:00:00Z"), endsAt: instant("2026-06-02T08:30:00Z"), placeID: 1,
                agentID: 2),
            Slot(
                startsAt: instant("2026-06-02T08:00:00Z"), endsAt: instant("2026-06-02T08:30:00Z"), placeID: 2,
                agentID: 3),
            Slot(
                startsAt: instant("2026-06-02T08:30:00Z"), endsAt: instant("2026-06-02T09:00:00Z"), placeID: 1,
                agentID: 2),
        ]
        // When / Then
        #expect(SlotEngine.oneSlotPerStart(slots).map(\.agentID) == [4, 1, 3, 2])
        #expect(SlotEngine.oneSlotPerStartAndAgent(slots).map(\.agentID) == [4, 1, 2, 3, 2])
        #expect(SlotEngine.oneSlotPerStartAndAgent(slots + slots).count == 5)
    }

    @Test func oneSlotPerStartTimeKeepsTheFirstPlaceInEngineOrder() {
        // Given 10:00 at no place (agent 4), at place 1 (agents 1, 2), at place 2 (agent 3); 10:30 at places 2 and 1
        let ten = (instant("2026-06-02T08:00:00Z"), instant("2026-06-02T08:30:00Z"))
        let halfPast = (instant("2026-06-02T08:30:00Z"), instant("2026-06-02T09:00:00Z"))
        let slots = [
            Slot(startsAt: ten.0, endsAt: ten.1, placeID: nil, agentID: 4),
            Slot(startsAt: ten.0, endsAt: ten.1, placeID: 1, agentID: 1),
            Slot(startsAt: ten.0, endsAt: ten.1, placeID: 1, agentID: 2),
            Slot(startsAt: ten.0, endsAt: ten.1, placeID: 2, agentID: 3),
            Slot(startsAt: halfPast.0, endsAt: halfPast.1, placeID: 1, agentID: 5),
            Slot(startsAt: halfPast.0, endsAt: halfPast.1, placeID: 2, agentID: 2),
        ]
        // When a user searches without a chosen place (§5: one button per start)
        let buttons = SlotEngine.oneSlotPerStartTime(slots)
        // Then one slot per start, the first of each in the engine's order
        #expect(buttons.map(\.startsAt) == [ten.0, halfPast.0])
        #expect(buttons.map(\.placeID) == [nil, 1])
        #expect(buttons.map(\.agentID) == [4, 5])
    }

    struct PickCase: Sendable {
        var candidates: [Int64]
        var counts: [Int64: Int]
        var expected: Int64?
    }

    @Test(arguments: [
        // S37: A (3 appointments that day) and B (1): B
        PickCase(candidates: [1, 2], counts: [1: 3, 2: 1], expected: 2),
        // a candidate missing from the counts has none
        PickCase(candidates: [1, 2, 3], counts: [1: 2, 2: 1], expected: 3),
        // a single candidate, whatever its count
        PickCase(candidates: [5], counts: [5: 8], expected: 5),
        // duplicates are one candidate
        PickCase(candidates: [6, 6, 7], counts: [6: 0, 7: 1], expected: 6),
        // counts of non-candidates are irrelevant
        PickCase(candidates: [1, 2], counts: [1: 1, 2: 2, 3: 0], expected: 1),
        // no candidate
        PickCase(candidates: [], counts: [:], expected: nil),
    ])
    func pickAgentTakesTheFewestAppointmentsThatDay(_ row: PickCase) {
        var generator = SeededGenerator(seed: 1)
        #expect(
            SlotEngine.pickAgent(row.candidates, appointmentsThatDay: row.counts, using: &generator) == row.expected)
    }

    struct SeedCase: Sendable {
        var seed: UInt64
        var expected: [Int64]
    }

    @Test(arguments: [
        // SeededGenerator (SplitMix64) top bits for seed 42: 1, 0, 0, 0, 0, 1 → ties [10, 20] give 20, 10, 10, 10, 10, 20
        SeedCase(seed: 42, expected: [20, 10, 10, 10, 10, 20]),
        // seed 3: 0, 1, 1, 0, 0, 1
        SeedCase(seed: 3, expected: [10, 20, 20, 10, 10, 20]),
    ])
    func s37TiesAreBrokenByTheSeededGenerator(_ row: SeedCase) {
        // Given two agents with equal counts, given in either order
        var generator = SeededGenerator(seed: row.seed)
        // When picking six times from one generator
        var picks: [Int64] = []
        for round in 0..<6 {
            let candidates: [Int64] = round.isMultiple(of: 2) ? [10, 20] : [20, 10]
            if let agent = SlotEngine.pickAgent(candidates, appointmentsThatDay: [10: 2, 20: 2], using: &generator) {
                picks.append(agent)
            }
        }
        // Then the choice depends only on the seed
        #expect(picks == row.expected)
    }

    @Test func tiesAreSpreadOverEveryTiedAgent() {
        // Given three tied agents and a fourth with more appointments
        var generator = SeededGenerator(seed: 2026)
        var picked: [Int64: Int] = [:]
        // When picking 300 times
        for _ in 0..<300 {
            if let agent = SlotEngine.pickAgent(
                [1, 2, 3, 4], appointmentsThatDay: [1: 1, 2: 1, 3: 1, 4: 2], using: &generator)
            {
                picked[agent, default: 0] += 1
            }
        }
        // Then each tied agent is chosen, roughly a third of the time, the busier one never
        #expect(picked[4] == nil)
        #expect([1, 2, 3].allSatisfy { (60...140).contains(picked[$0] ?? 0) })
    }

    // MARK: §10 next availability

    @Test func nextAvailabilityWalksPastAnEmptyWeek() {
        // Given a single period Wed 2026-06-10 09:00–10:00, now Sun 05-31, from Mon 06-01 00:00
        let period = SlotPeriod.make(day: "2026-06-10", end: "10:00")
        var windows: [DateInterval] = []
        // When
        let next = SlotEngine.nextAvailability(
            from: instant("2026-06-01T00:00:00+02:00"), to: instant("2026-12-01T00:00:00+01:00")
        ) { window in
            windows.append(window)
            return SlotEngine.availableSlots(
                durationInMinutes: 30, periods: [period], absences: [], appointments: [], range: window,
                now: instant("2026-05-31T08:00:00+02:00"), territory: .make())
        }
        // Then the first week is empty, the second holds the earliest slot, and the walk stops
        #expect(next.map { parisStarts([$0]) } == ["2026-06-10T09:00:00+02:00"])
        #expect(
            windows == [
                DateInterval(start: instant("2026-05-31T22:00:00Z"), end: instant("2026-06-07T22:00:00Z")),
                DateInterval(start: instant("2026-06-07T22:00:00Z"), end: instant("2026-06-14T22:00:00Z")),
            ])
    }

    @Test func nextAvailabilityIsNilWhenEveryWindowIsEmptyAndStopsAtTo() {
        // Given 20 days from Mon 2026-06-01 00:00 UTC and a slot just after `to`
        let late = Slot(
            startsAt: instant("2026-06-21T00:00:00Z"), endsAt: instant("2026-06-21T00:30:00Z"), placeID: 1, agentID: 1)
        var windows: [DateInterval] = []
        // When the search answers every window with that slot
        let next = SlotEngine.nextAvailability(
            from: instant("2026-06-01T00:00:00Z"), to: instant("2026-06-21T00:00:00Z")
        ) { window in
            windows.append(window)
            return [late]
        }
        // Then no slot (it is outside each window), after windows of 7, 7 and 6 days
        #expect(next == nil)
        #expect(
            windows == [
                DateInterval(start: instant("2026-06-01T00:00:00Z"), end: instant("2026-06-08T00:00:00Z")),
                DateInterval(start: instant("2026-06-08T00:00:00Z"), end: instant("2026-06-15T00:00:00Z")),
                DateInterval(start: instant("2026-06-15T00:00:00Z"), end: instant("2026-06-21T00:00:00Z")),
            ])
    }

    @Test func nextAvailabilityReturnsTheEarliestOfTheWindow() {
        // Given a search answering out of order
        let slots = ["2026-06-03T08:00:00Z", "2026-06-02T10:00:00Z", "2026-06-02T09:00:00Z"].map {
            Slot(startsAt: instant($0), endsAt: instant($0).addingTimeInterval(1800), placeID: 1, agentID: 1)
        }
        // When
        let next = SlotEngine.nextAvailability(
            from: instant("2026-06-01T00:00:00Z"), to: instant("2026-07-01T00:00:00Z")
        ) { _ in slots }
        // Then
        #expect(next?.startsAt == instant("2026-06-02T09:00:00Z"))
    }

    @Test func nextAvailabilityWithAnEmptySpanNeverSearches() {
        var calls = 0
        let next = SlotEngine.nextAvailability(
            from: instant("2026-06-01T00:00:00Z"), to: instant("2026-06-01T00:00:00Z")
        ) { _ in
            calls += 1
            return []
        }
        #expect(next == nil)
        #expect(calls == 0)
    }

    // MARK: §4 step 0 day ranges

    @Test(arguments: [
        // a summer week: 7 × 24 h
        ("2026-06-01", "2026-06-07", ["2026-05-31T22:00:00Z", "2026-06-07T22:00:00Z"] as [String]?),
        // the spring-forward Sunday lasts 23 h
        ("2026-03-29", "2026-03-29", ["2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z"]),
        // the fall-back Sunday lasts 25 h
        ("2026-10-25", "2026-10-25", ["2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z"]),
        // across the year end, winter time
        ("2026-12-28", "2027-01-03", ["2026-12-27T23:00:00Z", "2027-01-03T23:00:00Z"]),
        // reversed bounds
        ("2026-06-07", "2026-06-01", nil),
    ])
    func dayRangeCoversWholeLocalDays(first: String, last: String, expected: [String]?) {
        let range = SlotEngine.dayRange(from: ymd(first), through: ymd(last), timeZone: paris)
        #expect(range == expected.map { DateInterval(start: instant($0[0]), end: instant($0[1])) })
    }
}
