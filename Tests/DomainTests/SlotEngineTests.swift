import Domain
import Foundation
import Testing

// Fixtures of the slot engine tests (style.md §7): each test states only what matters to it.
// Defaults follow scenarios.md: territory 62, Europe/Paris, agent 1 at place 1.

extension SlotPeriod {
    static func make(
        id: Int64 = 1, agentID: Int64 = 1, placeID: Int64? = 1, day: String, start: String = "09:00",
        end: String = "11:00", recurrence: Recurrence? = nil, exceptions: [OccurrenceException] = []
    ) -> SlotPeriod {
        SlotPeriod(
            id: id, agentID: agentID, placeID: placeID,
            pattern: SeriesPattern(
                firstDay: ymd(day), startTime: time(start), endTime: time(end), recurrence: recurrence),
            exceptions: exceptions)
    }
}

extension SlotAbsence {
    static func make(
        agentID: Int64 = 1, day: String, start: String, endDay: String? = nil, end: String,
        recurrence: Recurrence? = nil, exceptions: [OccurrenceException] = []
    ) -> SlotAbsence {
        SlotAbsence(
            agentID: agentID,
            pattern: SeriesPattern(
                firstDay: ymd(day), startTime: time(start), endDay: endDay.map(ymd), endTime: time(end),
                recurrence: recurrence),
            exceptions: exceptions)
    }
}

extension SlotAppointment {
    /// Instants as ISO-8601 strings with their offset.
    static func make(agentIDs: [Int64] = [1], from start: String, to end: String) -> SlotAppointment {
        SlotAppointment(agentIDs: agentIDs, startsAt: instant(start), endsAt: instant(end))
    }
}

extension SlotTerritory {
    static func make(
        departement: String? = "62", whitMondayIsHoliday: Bool = false, openOnSundaysAndHolidays: Bool = false
    ) -> SlotTerritory {
        SlotTerritory(
            timeZone: paris, departementNumber: departement, whitMondayIsHoliday: whitMondayIsHoliday,
            openOnSundaysAndHolidays: openOnSundaysAndHolidays)
    }
}

/// [first 00:00, last + 1 00:00) in Paris, built with Foundation's calendar (not the engine's
/// `dayRange`, which has its own tests).
func parisDays(_ first: String, _ last: String) -> DateInterval {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = paris
    let start = calendar.startOfDay(for: instant(first + "T12:00:00Z"))
    let lastStart = calendar.startOfDay(for: instant(last + "T12:00:00Z"))
    guard let end = calendar.date(byAdding: .day, value: 1, to: lastStart) else { preconditionFailure("bad day") }
    return DateInterval(start: start, end: end)
}

/// The engine over whole Paris days, with scenarios.md's defaults.
func searchSlots(
    duration: Int, periods: [SlotPeriod], absences: [SlotAbsence] = [], appointments: [SlotAppointment] = [],
    from first: String, through last: String, now: String, territory: SlotTerritory = .make()
) -> [Slot] {
    SlotEngine.availableSlots(
        durationInMinutes: duration, periods: periods, absences: absences, appointments: appointments,
        range: parisDays(first, last), now: instant(now), territory: territory)
}

/// Slot starts as ISO-8601 strings in Paris time ("2021-05-03T09:00:00+02:00").
func parisStarts(_ slots: [Slot]) -> [String] {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = paris
    return slots.map { formatter.string(from: $0.startsAt) }
}

@Suite("Slot engine: search scenarios (slots.md §4, scenarios.md S1–S5, S11–S21)")
struct SlotEngineTests {
    @Test func s1OneDayPeriodGivesTheWholeSlotsThatFit() {
        // Given S1: a period Mon 2021-05-03 09:00–11:20, a 60-min motif, now Fri 2021-04-30 08:00
        let period = SlotPeriod.make(day: "2021-05-03", start: "09:00", end: "11:20")
        // When searching 2021-05-03..05-08
        let slots = searchSlots(
            duration: 60, periods: [period], from: "2021-05-03", through: "2021-05-08",
            now: "2021-04-30T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2021-05-03T09:00:00+02:00", "2021-05-03T10:00:00+02:00"])
        #expect(slots.map(\.endsAt) == [instant("2021-05-03T10:00:00+02:00"), instant("2021-05-03T11:00:00+02:00")])
        #expect(slots.allSatisfy { $0.agentID == 1 && $0.placeID == 1 })
    }

    @Test func s2AgentSearchRoundsFromTheSegmentStartAndUserSearchFiltersTheSameCut() throws {
        // Given S2: now Fri 2021-04-30 08:00, Monday–Friday 07:00–11:00 from that day, 60 min
        let now = instant("2021-04-30T08:00:00+02:00")
        let period = SlotPeriod.make(
            day: "2021-04-30", start: "07:00", end: "11:00",
            recurrence: .weekly([.monday, .tuesday, .wednesday, .thursday, .friday]))
        let week = parisDays("2021-04-30", "2021-05-06")
        // When an agent searches from now (no booking delays, slots.md §7)
        let agentSlots = SlotEngine.availableSlots(
            durationInMinutes: 60, periods: [period], absences: [], appointments: [], range: week, now: now,
            territory: .make())
        // Then the first slot is 08:00 = 07:00 + 12 × 5 min, now being exactly on a step
        #expect(
            parisStarts(Array(agentSlots.prefix(4))) == [
                "2021-04-30T08:00:00+02:00", "2021-04-30T09:00:00+02:00", "2021-04-30T10:00:00+02:00",
                "2021-05-03T07:00:00+02:00",
            ])
        // When a user searches with the 30-minute minimum delay (slots.md §5)
        let userRange = try #require(
            SlotEngine.userRange(requested: week, now: now, minDelay: 1800, maxDelay: 7_889_238))
        let userSlots = SlotEngine.availableSlots(
            durationInMinutes: 60, periods: [period], absences: [], appointments: [], range: userRange, now: now,
            territory: .make())
        // Then the same cut is filtered (step 6): 08:00 < 08:30 goes, 09:00 is first
        #expect(
            parisStarts(Array(userSlots.prefix(3))) == [
                "2021-04-30T09:00:00+02:00", "2021-04-30T10:00:00+02:00", "2021-05-03T07:00:00+02:00",
            ])
    }

    @Test func s3PastDaysAndOccurrencesAreDropped() {
        // Given S3: 09:00–11:00 on 2022-07-11, 07-12 and 07-13, a 60-min motif, now 07-13 08:00
        let periods = ["2022-07-11", "2022-07-12", "2022-07-13"].enumerated().map {
            SlotPeriod.make(id: Int64($0.offset + 1), day: $0.element)
        }
        // When searching 07-11..07-20
        let slots = searchSlots(
            duration: 60, periods: periods, from: "2022-07-11", through: "2022-07-20", now: "2022-07-13T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2022-07-13T09:00:00+02:00", "2022-07-13T10:00:00+02:00"])
    }

    @Test(arguments: [
        // a single period in a past week
        ("2021-05-03", nil as Recurrence?, "2021-05-03", "2021-05-08"),
        // a weekly series searched over past weeks
        ("2021-05-03", Recurrence.weekly([.monday, .wednesday]), "2021-05-03", "2021-05-31"),
    ])
    func s4RangeInThePastGivesNothing(day: String, recurrence: Recurrence?, first: String, last: String) {
        // Given S4: now after the whole range
        let period = SlotPeriod.make(day: day, recurrence: recurrence)
        // When
        let slots = searchSlots(
            duration: 30, periods: [period], from: first, through: last, now: "2021-06-01T08:00:00+02:00")
        // Then
        #expect(slots.isEmpty)
    }

    @Test func s5AppointmentAndAbsenceBothBlock() {
        // Given S5: 09–11, an appointment 09–10, an absence 09:15–09:45, a 60-min motif
        let period = SlotPeriod.make(day: "2026-06-02")
        let appointment = SlotAppointment.make(from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T10:00:00+02:00")
        let absence = SlotAbsence.make(day: "2026-06-02", start: "09:15", end: "09:45")
        // When
        let slots = searchSlots(
            duration: 60, periods: [period], absences: [absence], appointments: [appointment], from: "2026-06-01",
            through: "2026-06-07", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-02T10:00:00+02:00"])
    }

    @Test func s11WeeklySeriesStartsOnItsFirstDay() {
        // Given S11: Mon/Tue/Thu/Fri 09–11 whose first day is Tue 2021-10-26, a 120-min motif
        let period = SlotPeriod.make(
            day: "2021-10-26", recurrence: .weekly([.monday, .tuesday, .thursday, .friday]))
        // When searching 2021-10-25..10-30
        let slots = searchSlots(
            duration: 120, periods: [period], from: "2021-10-25", through: "2021-10-30",
            now: "2021-10-20T08:00:00+02:00")
        // Then one slot per occurrence: 26, 28 and 29 October
        #expect(
            parisStarts(slots) == [
                "2021-10-26T09:00:00+02:00", "2021-10-28T09:00:00+02:00", "2021-10-29T09:00:00+02:00",
            ])
    }

    @Test(arguments: [
        // S12: a cancelled appointment frees its time
        (AppointmentStatus.excused, ["2026-06-02T09:00:00+02:00", "2026-06-02T10:00:00+02:00"]),
        (.revoked, ["2026-06-02T09:00:00+02:00", "2026-06-02T10:00:00+02:00"]),
        // S13: unknown, seen and noshow block it
        (.noshow, ["2026-06-02T10:00:00+02:00"]),
        (.unknown, ["2026-06-02T10:00:00+02:00"]),
        (.seen, ["2026-06-02T10:00:00+02:00"]),
    ])
    func s12s13OnlyNonCancelledAppointmentsBlock(status: AppointmentStatus, expected: [String]) {
        // Given a period 09–11 and an appointment 09–10 with `status`, passed to the engine as
        // the caller's query does (slots.md §4 step 3.3: `blocksTime`)
        let period = SlotPeriod.make(day: "2026-06-02")
        let appointments = [
            (status, SlotAppointment.make(from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T10:00:00+02:00"))
        ].filter { $0.0.blocksTime }.map(\.1)
        // When
        let slots = searchSlots(
            duration: 60, periods: [period], appointments: appointments, from: "2026-06-01", through: "2026-06-07",
            now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == expected)
    }

    @Test func s17AnAppointmentInAnotherOrganisationBlocksEveryPeriodOfTheAgent() {
        // Given S17: agent 1 has a period in O1 (place 1) and one in O2 (place 2); an O2
        // appointment of agent 1 at 09:00–10:00 (the engine ignores organisations: step 3.3)
        let inO1 = SlotPeriod.make(id: 1, placeID: 1, day: "2026-06-02")
        let inO2 = SlotPeriod.make(id: 2, placeID: 2, day: "2026-06-02")
        let appointment = SlotAppointment.make(from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T10:00:00+02:00")
        // When searching in O1, then in O2
        let inFirst = searchSlots(
            duration: 60, periods: [inO1], appointments: [appointment], from: "2026-06-02", through: "2026-06-02",
            now: "2026-06-01T08:00:00+02:00")
        let inSecond = searchSlots(
            duration: 60, periods: [inO2], appointments: [appointment], from: "2026-06-02", through: "2026-06-02",
            now: "2026-06-01T08:00:00+02:00")
        // Then 09:00 is unavailable in both
        #expect(parisStarts(inFirst) == ["2026-06-02T10:00:00+02:00"])
        #expect(parisStarts(inSecond) == ["2026-06-02T10:00:00+02:00"])
    }

    @Test func s19UntilIsInclusive() {
        // Given S19: a weekly Monday series from 2019-07-01 whose `until` is Mon 2019-07-22
        let period = SlotPeriod.make(day: "2019-07-01", recurrence: .weekly([.monday], until: "2019-07-22"))
        let now = "2019-07-01T08:00:00+02:00"
        // When expanding 07-22..07-23, then 07-23..08-15
        let first = searchSlots(duration: 120, periods: [period], from: "2019-07-22", through: "2019-07-23", now: now)
        let second = searchSlots(duration: 120, periods: [period], from: "2019-07-23", through: "2019-08-15", now: now)
        // Then the 07-22 occurrence is included; then nothing
        #expect(parisStarts(first) == ["2019-07-22T09:00:00+02:00"])
        #expect(second.isEmpty)
    }

    @Test(arguments: [
        // S20: a follow_up motif: the user's referent R (agent 7) only
        [Int64(7)],
        // S21: agent sectorisation: the agent X (agent 7) attributed the address's sector only
        [7],
    ])
    func s20s21OnlyTheAllowedAgentsPeriodsProduceSlots(allowed: [Int64]) {
        // Given periods of agents 5 and 7 at the same place, the caller keeping only the
        // allowed agents' periods (slots.md §5 agent filter, step 1)
        let periods = [
            SlotPeriod.make(id: 1, agentID: 5, day: "2026-06-02", start: "09:00", end: "10:00"),
            SlotPeriod.make(id: 2, agentID: 7, day: "2026-06-02", start: "14:00", end: "15:00"),
        ].filter { allowed.contains($0.agentID) }
        // When
        let slots = searchSlots(
            duration: 60, periods: periods, from: "2026-06-01", through: "2026-06-07", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-02T14:00:00+02:00"])
        #expect(slots.map(\.agentID) == [7])
    }

    @Test func outputIsOrderedByStartThenPlaceNilFirstThenAgent() {
        // Given three agents free at the same times, two at place 1, one without a place
        let periods = [
            SlotPeriod.make(id: 1, agentID: 2, placeID: 1, day: "2026-06-02", end: "10:00"),
            SlotPeriod.make(id: 2, agentID: 1, placeID: 1, day: "2026-06-02", end: "10:00"),
            SlotPeriod.make(id: 3, agentID: 3, placeID: nil, day: "2026-06-02", end: "10:00"),
        ]
        // When
        let slots = searchSlots(
            duration: 30, periods: periods, from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then (slots.md §4 "Output order")
        #expect(
            slots.map { "\($0.placeID.map(String.init) ?? "nil")/\($0.agentID)" } == [
                "nil/3", "1/1", "1/2", "nil/3", "1/1", "1/2",
            ])
        #expect(
            parisStarts(slots) == [
                "2026-06-02T09:00:00+02:00", "2026-06-02T09:00:00+02:00", "2026-06-02T09:00:00+02:00",
                "2026-06-02T09:30:00+02:00", "2026-06-02T09:30:00+02:00", "2026-06-02T09:30:00+02:00",
            ])
    }

    @Test func overlappingPeriodsOfOneAgentNeverBlockEachOther() {
        // Given agent 1 has 09:00–10:00 at place 1 twice and 09:30–10:30 at place 2 (slots.md
        // step 3: "other opening periods of the same agent never block each other")
        let periods = [
            SlotPeriod.make(id: 1, placeID: 1, day: "2026-06-02", end: "10:00"),
            SlotPeriod.make(id: 2, placeID: 1, day: "2026-06-02", end: "10:00"),
            SlotPeriod.make(id: 3, placeID: 2, day: "2026-06-02", start: "09:30", end: "10:30"),
        ]
        // When
        let slots = searchSlots(
            duration: 30, periods: periods, from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then both places offer slots; the identical slots of the twin periods appear once
        #expect(
            parisStarts(slots) == [
                "2026-06-02T09:00:00+02:00", "2026-06-02T09:30:00+02:00", "2026-06-02T09:30:00+02:00",
                "2026-06-02T10:00:00+02:00",
            ])
        #expect(slots.map(\.placeID) == [1, 1, 2, 2])
    }

    @Test(arguments: [0, -30])
    func aNonPositiveDurationGivesNothing(duration: Int) {
        let slots = searchSlots(
            duration: duration, periods: [.make(day: "2026-06-02")], from: "2026-06-02", through: "2026-06-02",
            now: "2026-06-01T08:00:00+02:00")
        #expect(slots.isEmpty)
    }
}
