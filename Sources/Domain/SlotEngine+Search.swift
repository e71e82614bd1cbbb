import Foundation

extension SlotEngine {
    /// slots.md §5: requested range ∩ [now + minDelay, now + maxDelay] (seconds); the whole window
    /// when requested is nil; nil when empty (S15: a week beyond the maximum delay).
    public static func userRange(requested: DateInterval?, now: Date, minDelay: Int, maxDelay: Int) -> DateInterval? {
        var start = now.addingTimeInterval(Double(minDelay))
        var end = now.addingTimeInterval(Double(maxDelay))
        if let requested {
            start = max(start, requested.start)
            end = min(end, requested.end)
        }
        // Slots need range.begin ≤ starts_at < range.end (§4 step 6): an instant is empty too.
        return start < end ? DateInterval(start: start, end: end) : nil
    }

    /// slots.md §5 "one button per start time", deduplicated on `starts_at` within the chosen
    /// place or organisation: one slot per start, whatever its place and agent. The kept slot is
    /// the first in the engine's order (§4: place id, nil first, then agent id), so its place is
    /// the lowest place offering that start; the agent is chosen again at booking time (§6).
    /// `slots` must be in the engine's order (as `availableSlots` returns them).
    public static func oneSlotPerStartTime(_ slots: [Slot]) -> [Slot] {
        var seen: Set<Date> = []
        return slots.filter { seen.insert($0.startsAt).inserted }
    }

    /// One slot per (starts_at, place), keeping the first in the engine's order: for lists
    /// grouped by place (the per-place « Prochaine disponibilité » list of slots.md §10).
    public static func oneSlotPerStart(_ slots: [Slot]) -> [Slot] {
        var seen: Set<StartAndPlace> = []
        return slots.filter { seen.insert(StartAndPlace(startsAt: $0.startsAt, placeID: $0.placeID)).inserted }
    }

    /// slots.md §7: one slot per (starts_at, agent), keeping the first in the engine's order.
    public static func oneSlotPerStartAndAgent(_ slots: [Slot]) -> [Slot] {
        var seen: Set<StartAndAgent> = []
        return slots.filter { seen.insert(StartAndAgent(startsAt: $0.startsAt, agentID: $0.agentID)).inserted }
    }

    /// slots.md §10: walk 7-day windows over [from, to), calling `search` for each, and stop at the
    /// first that has a slot; the earliest slot, or nil. Slots `search` returns outside the
    /// current window are ignored, so the answer always lies in [from, to).
    public static func nextAvailability(from: Date, to: Date, search: (DateInterval) -> [Slot]) -> Slot? {
        let week: TimeInterval = 7 * 24 * 60 * 60
        var windowStart = from
        while windowStart < to {
            let windowEnd = min(windowStart.addingTimeInterval(week), to)
            let found = search(DateInterval(start: windowStart, end: windowEnd)).filter {
                windowStart <= $0.startsAt && $0.startsAt < windowEnd
            }
            if let earliest = found.min(by: Slot.inEngineOrder) { return earliest }
            windowStart = windowEnd
        }
        return nil
    }

    /// slots.md §6 step 2: the candidate with the fewest appointments that day (missing = 0);
    /// ties uniformly at random from `generator`, among the tied ids in ascending order so the
    /// choice depends only on the seed. nil for no candidates.
    public static func pickAgent(
        _ candidates: [Int64], appointmentsThatDay: [Int64: Int], using generator: inout some RandomNumberGenerator
    ) -> Int64? {
        let unique = Set(candidates)
        guard let fewest = unique.map({ appointmentsThatDay[$0] ?? 0 }).min() else { return nil }
        let tied = unique.filter { (appointmentsThatDay[$0] ?? 0) == fewest }.sorted()
        guard tied.count > 1 else { return tied.first }
        return tied[Int.random(in: 0..<tied.count, using: &generator)]
    }

    /// The local-day range [d1 00:00, d2+1 00:00) in the territory's zone (slots.md §4 step 0 for
    /// date bounds); nil when `through` is before `from`.
    public static func dayRange(from: LocalDate, through: LocalDate, timeZone: TimeZone) -> DateInterval? {
        guard from <= through, let start = from.instant(at: .midnight, in: timeZone),
            let end = through.instant(at: .endOfDay, in: timeZone), start < end
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    private struct StartAndPlace: Hashable {
        var startsAt: Date
        var placeID: Int64?
    }

    private struct StartAndAgent: Hashable {
        var startsAt: Date
        var agentID: Int64
    }
}
