import Foundation

/// The slot engine (slots.md §4–§7, §10): a pure function of its inputs, without a database or a
/// clock of its own (slots.md §1, style.md §2).
public enum SlotEngine {
    /// The 5-minute step of the first slot of a segment already begun (slots.md §4 step 5).
    static let roundingStep: TimeInterval = 5 * 60

    /// slots.md §4 steps 2–6 (range already normalised to instants by the caller), sorted by
    /// starts_at, then place id (nil first), then agent id.
    public static func availableSlots(
        durationInMinutes: Int, periods: [SlotPeriod], absences: [SlotAbsence], appointments: [SlotAppointment],
        range: DateInterval, now: Date, territory: SlotTerritory
    ) -> [Slot] {
        guard durationInMinutes > 0, let days = expansionDays(range: range, now: now, timeZone: territory.timeZone)
        else { return [] }
        let busy = BusyIntervals(
            absences: absences, appointments: appointments, days: days, territory: territory)
        var slots: [Slot] = []
        for period in periods {
            let occurrences = period.pattern.occurrences(
                from: days.lowerBound, through: days.upperBound, exceptions: period.exceptions)
            for occurrence in occurrences {
                // Step 2: an occurrence ending at or before now offers nothing.
                guard let interval = occurrence.interval(in: territory.timeZone), interval.end > now else { continue }
                // Steps 3–4: the occurrence minus the union of its agent's busy intervals.
                let segments = freeSegments(of: interval, busy: busy.intervals(for: period.agentID, on: occurrence))
                for segment in segments {
                    // Step 5 cuts; step 6 filters on the range without re-aligning.
                    for start in slotStarts(in: segment, durationInMinutes: durationInMinutes, now: now)
                    where range.start <= start && start < range.end {
                        slots.append(
                            Slot(
                                startsAt: start, endsAt: start.addingTimeInterval(Double(durationInMinutes) * 60),
                                placeID: period.placeID, agentID: period.agentID))
                    }
                }
            }
        }
        // Identical slots (two overlapping periods of one agent at one place) are one slot.
        slots.sort(by: Slot.inEngineOrder)
        return slots.enumerated().filter { $0.offset == 0 || slots[$0.offset - 1] != $0.element }.map(\.element)
    }

    /// slots.md §4 step 2 "over the range's days": the local days of [range.start, range.end),
    /// starting no earlier than today, since an occurrence of an earlier day ends by today 00:00
    /// ≤ now and is dropped anyway. nil when no day remains (S4: a range in the past).
    static func expansionDays(range: DateInterval, now: Date, timeZone: TimeZone) -> ClosedRange<LocalDate>? {
        guard range.end > range.start, range.end > now else { return nil }
        let first = max(LocalDate(range.start, in: timeZone), LocalDate(now, in: timeZone))
        // The end is exclusive: a range ending at midnight does not reach into the next day.
        let last = LocalDate(range.end.addingTimeInterval(-0.001), in: timeZone)
        return first <= last ? first...last : nil
    }

    /// slots.md §4 step 4: `interval` minus the union of `busy`, as sorted disjoint non-empty
    /// segments. Intervals are half-open: a busy interval merely touching the occurrence removes
    /// nothing.
    public static func freeSegments(of interval: DateInterval, busy: [DateInterval]) -> [DateInterval] {
        var segments: [DateInterval] = []
        var cursor = interval.start
        for block in busy.sorted(by: { $0.start < $1.start })
        where block.start < interval.end && block.end > cursor {
            if block.start > cursor { segments.append(DateInterval(start: cursor, end: block.start)) }
            cursor = block.end
            if cursor >= interval.end { return segments }
        }
        if cursor < interval.end { segments.append(DateInterval(start: cursor, end: interval.end)) }
        return segments
    }

    /// slots.md §4 step 5: the slot starts cut from one free segment [fb, fe]. s = fb, or, when
    /// fb < now, fb + ceil((now − fb) / 5 min) × 5 min (s = now exactly on a step); then s, s + d,
    /// s + 2d… while s + d ≤ fe. Slots are aligned on the segment start, not on a global grid.
    public static func slotStarts(in segment: DateInterval, durationInMinutes: Int, now: Date) -> [Date] {
        guard durationInMinutes > 0 else { return [] }
        let duration = Double(durationInMinutes) * 60
        var start = segment.start
        if start < now {
            let steps = (now.timeIntervalSince(start) / roundingStep).rounded(.up)
            start = segment.start.addingTimeInterval(steps * roundingStep)
        }
        var starts: [Date] = []
        while start.addingTimeInterval(duration) <= segment.end {
            starts.append(start)
            start = start.addingTimeInterval(duration)
        }
        return starts
    }
}
