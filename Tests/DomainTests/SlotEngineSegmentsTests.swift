import Domain
import Foundation
import Testing

/// "HH:MM" on Tue 2026-06-02 in Paris (UTC+2), as an instant.
private func at(_ hhmm: String) -> Date {
    instant("2026-06-02T\(hhmm):00+02:00")
}

private func span(_ text: String) -> DateInterval {
    let bounds = text.split(separator: "–").map(String.init)
    return DateInterval(start: at(bounds[0]), end: at(bounds[1]))
}

private func hhmm(_ intervals: [DateInterval]) -> [String] {
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = paris
    formatter.formatOptions = [.withTime, .withColonSeparatorInTime]
    return intervals.map {
        String(formatter.string(from: $0.start).prefix(5)) + "–" + String(formatter.string(from: $0.end).prefix(5))
    }
}

@Suite("Slot engine: free segments and cutting (slots.md §4 steps 2–5, §13)")
struct SlotEngineSegmentsTests {
    @Test(arguments: [
        // S6: a 45-min appointment at 09:00
        (["09:00–09:45"], ["09:45–11:00"]),
        // S7: an appointment 08:30–09:15
        (["08:30–09:15"], ["09:15–11:00"]),
        // S8: appointments 08:30–09:15 and 09:45–10:30
        (["08:30–09:15", "09:45–10:30"], ["09:15–09:45", "10:30–11:00"]),
        // S9: absences 08:30–09:30 and 09:45–10:45 (given out of order)
        (["09:45–10:45", "08:30–09:30"], ["09:30–09:45", "10:45–11:00"]),
        // S10: an absence 08:00–12:00
        (["08:00–12:00"], []),
        // half-open intervals: touching on either side removes nothing (slots.md §4 step 3)
        (["08:00–09:00", "11:00–12:00"], ["09:00–11:00"]),
        // overlapping busy intervals are merged
        (["09:30–10:00", "09:45–10:15", "10:15–10:20"], ["09:00–09:30", "10:20–11:00"]),
        // busy exactly the occurrence
        (["09:00–11:00"], []),
    ])
    func freeSegmentsOfAPeriod0900To1100(busy: [String], expected: [String]) {
        // Given a period 09–11 and busy intervals
        // When computing free segments (step 4)
        let segments = SlotEngine.freeSegments(of: span("09:00–11:00"), busy: busy.map(span))
        // Then
        #expect(hhmm(segments) == expected)
    }

    @Test(arguments: [
        // S6 through the engine with a 15-min motif: slots fill exactly the free segments
        (["09:00–09:45"], [] as [String], ["09:45", "10:00", "10:15", "10:30", "10:45"]),
        // S7
        (["08:30–09:15"], [], ["09:15", "09:30", "09:45", "10:00", "10:15", "10:30", "10:45"]),
        // S8
        (["08:30–09:15", "09:45–10:30"], [], ["09:15", "09:30", "10:30", "10:45"]),
        // S9 (absences)
        ([], ["08:30–09:30", "09:45–10:45"], ["09:30", "10:45"]),
        // S10
        ([], ["08:00–12:00"], []),
    ])
    func freeSegmentsThroughTheEngine(appointments: [String], absences: [String], expected: [String]) {
        // Given a period 09–11 on Tue 2026-06-02, appointments and absences of its agent
        let slotAppointments = appointments.map(span).map {
            SlotAppointment(agentIDs: [1], startsAt: $0.start, endsAt: $0.end)
        }
        let slotAbsences = absences.map {
            let bounds = $0.split(separator: "–").map(String.init)
            return SlotAbsence.make(day: "2026-06-02", start: bounds[0], end: bounds[1])
        }
        // When
        let slots = searchSlots(
            duration: 15, periods: [.make(day: "2026-06-02")], absences: slotAbsences, appointments: slotAppointments,
            from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == expected.map { "2026-06-02T\($0):00+02:00" })
    }

    @Test func busyIntervalsOfAnotherAgentDoNotBlock() {
        // Given agent 2's appointment and absence over agent 1's period
        let slots = searchSlots(
            duration: 60, periods: [.make(day: "2026-06-02")],
            absences: [.make(agentID: 2, day: "2026-06-02", start: "08:00", end: "12:00")],
            appointments: [
                .make(agentIDs: [2, 3], from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T11:00:00+02:00")
            ],
            from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-02T09:00:00+02:00", "2026-06-02T10:00:00+02:00"])
    }

    @Test func anAppointmentWithSeveralAgentsBlocksEachOfThem() {
        // Given agents 1 and 2 free 09–11, one appointment of both at 09:00–10:00
        let slots = searchSlots(
            duration: 60,
            periods: [.make(id: 1, agentID: 1, day: "2026-06-02"), .make(id: 2, agentID: 2, day: "2026-06-02")],
            appointments: [
                .make(agentIDs: [1, 2], from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T10:00:00+02:00")
            ],
            from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then
        #expect(parisStarts(slots) == ["2026-06-02T10:00:00+02:00", "2026-06-02T10:00:00+02:00"])
        #expect(slots.map(\.agentID) == [1, 2])
    }

    @Test(arguments: [
        // S14: a segment 09:00–09:15 and a 30-min motif: none
        ("09:00–09:15", 30, "2026-06-01T08:00:00+02:00", [] as [String]),
        // S14: 09:00–09:45: exactly 09:00
        ("09:00–09:45", 30, "2026-06-01T08:00:00+02:00", ["09:00"]),
        // the last slot may end exactly at the segment end
        ("09:00–10:00", 30, "2026-06-01T08:00:00+02:00", ["09:00", "09:30"]),
        // now inside the segment: next 5-minute step counted from fb (15:00 + ceil(7/5) × 5 min)
        ("15:00–16:00", 30, "2026-06-02T15:07:00+02:00", ["15:10"]),
        // now exactly on a step: s = now
        ("15:00–16:00", 20, "2026-06-02T15:10:00+02:00", ["15:10", "15:30"]),
        // the step is counted from fb, not from the hour: fb 10:22, now 10:30 → 10:32
        ("10:22–11:40", 30, "2026-06-02T10:30:00+02:00", ["10:32", "11:02"]),
        // a fraction of a second past a step rounds up to the next one
        ("09:00–10:00", 30, "2026-06-02T09:05:00.001+02:00", ["09:10"]),
    ])
    func cuttingASegment(segment: String, duration: Int, now: String, expected: [String]) {
        // Given a free segment and now
        // When cutting slots (step 5)
        let starts = SlotEngine.slotStarts(
            in: span(segment), durationInMinutes: duration, now: instantWithFraction(now))
        // Then
        #expect(starts == expected.map(at))
    }

    @Test func workedExampleAppointmentInsideAPeriod() {
        // Given §13: a 30-min motif; a period 14:00–16:00; an appointment 14:30–15:00
        let period = SlotPeriod.make(day: "2026-06-02", start: "14:00", end: "16:00")
        let appointment = SlotAppointment.make(from: "2026-06-02T14:30:00+02:00", to: "2026-06-02T15:00:00+02:00")
        // When now is the day before
        let before = searchSlots(
            duration: 30, periods: [period], appointments: [appointment], from: "2026-06-02", through: "2026-06-02",
            now: "2026-06-01T08:00:00+02:00")
        // Then free segments 14:00–14:30 and 15:00–16:00 give 14:00, 15:00, 15:30
        #expect(
            parisStarts(before) == [
                "2026-06-02T14:00:00+02:00", "2026-06-02T15:00:00+02:00", "2026-06-02T15:30:00+02:00",
            ])
        // When now is 15:07 that day
        let during = searchSlots(
            duration: 30, periods: [period], appointments: [appointment], from: "2026-06-02", through: "2026-06-02",
            now: "2026-06-02T15:07:00+02:00")
        // Then only 15:10 (15:40 would end at 16:10)
        #expect(parisStarts(during) == ["2026-06-02T15:10:00+02:00"])
    }

    @Test(arguments: [
        // the occurrence ends exactly now: dropped (end ≤ now, step 2)
        ("2026-06-02T11:00:00+02:00", [] as [String]),
        // it ends one minute later: the segment is kept, but nothing fits a 30-min slot
        ("2026-06-02T10:59:00+02:00", []),
        // 10:30 is on a step: one last slot
        ("2026-06-02T10:30:00+02:00", ["2026-06-02T10:30:00+02:00"]),
    ])
    func occurrencesEndingByNowAreDropped(now: String, expected: [String]) {
        let slots = searchSlots(
            duration: 30, periods: [.make(day: "2026-06-02")], from: "2026-06-02", through: "2026-06-02", now: now)
        #expect(parisStarts(slots) == expected)
    }

    @Test func slotsRestartAtTheEndOfAnAppointment() {
        // Given (slots.md §4 step 5) a 30-min motif, 09:00–11:00, an appointment 09:00–10:20
        let slots = searchSlots(
            duration: 30, periods: [.make(day: "2026-06-02")],
            appointments: [.make(from: "2026-06-02T09:00:00+02:00", to: "2026-06-02T10:20:00+02:00")],
            from: "2026-06-02", through: "2026-06-02", now: "2026-06-01T08:00:00+02:00")
        // Then slots restart at 10:20, not on a global grid
        #expect(parisStarts(slots) == ["2026-06-02T10:20:00+02:00"])
    }
}

/// ISO-8601 with optional fractional seconds.
private func instantWithFraction(_ text: String) -> Date {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.date(from: text) ?? instant(text)
}
