import Domain
import Foundation
import Persistence

/// What one slot search asks (slots.md §5, §7): a motif, maybe a place, the agents the
/// sectorisation allows (nil: unrestricted; empty: none), and whose search it is.
struct SlotQuery: Sendable {
    let motif: SlotMotif
    let placeID: Int64?
    let agents: Set<Int64>?
    /// Whose search it is: an agent's (§7, no booking window), a user's or a prescriber's (§5,
    /// the motifs BookingPolicy opens to them).
    let booker: CreatorType

    init(motif: SlotMotif, placeID: Int64?, agents: Set<Int64>?, booker: CreatorType) {
        self.motif = motif
        self.placeID = placeID
        self.agents = agents
        self.booker = booker
    }

    init(motif: SlotMotif, placeID: Int64?, agents: Set<Int64>?, agentMode: Bool) {
        self.init(motif: motif, placeID: placeID, agents: agents, booker: agentMode ? .agent : .user)
    }

    /// §7 (an agent's search, no booking window) rather than §5.
    var agentMode: Bool { booker == .agent }
}

/// The slots a person is offered, shared by the public JSON API and the public search pages so
/// both offer exactly what `book` accepts (slots.md §5–§8, §10).
struct SlotSearch: Sendable {
    let db: AppDatabase
    let clock: any Clock

    /// The slots from `from` through `to` (local days of the motif's territory).
    func slots(_ q: SlotQuery, from: LocalDate, to: LocalDate) throws -> [Slot] {
        guard let range = SlotEngine.dayRange(from: from, through: to, timeZone: q.motif.timeZone) else { return [] }
        return try slots(q, range: range)
    }

    /// One window: the user booking window (or none for agents), then de-duplication (§5, §7).
    func slots(_ q: SlotQuery, range: DateInterval) throws -> [Slot] {
        let now = clock.now
        // §11: the public endpoint offers what a user without invitation may book, in its window.
        guard let window = bookableWindow(q, range) else { return [] }
        if let agents = q.agents, agents.isEmpty { return [] }
        let inputs = try db.slotInputs(motif: q.motif, placeID: q.placeID, agents: q.agents, range: window)
        let slots = SlotEngine.availableSlots(
            durationInMinutes: q.motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: window, now: now, territory: q.motif.territory)
        // §5: one item per start within the chosen place or, without one, the motif's
        // organisation (two places offering 10:00 give one 10:00); §7: one per start and agent.
        return q.agentMode ? SlotEngine.oneSlotPerStartAndAgent(slots) : SlotEngine.oneSlotPerStartTime(slots)
    }

    /// slots.md §10: the earliest slot from `from`, up to the booking window's end (users) or
    /// from + 6 months (agents); nil when none.
    func firstSlot(_ q: SlotQuery, from day: LocalDate) throws -> Slot? {
        let now = clock.now
        let zone = q.motif.timeZone
        guard let requested = SlotEngine.dayRange(from: day, through: day, timeZone: zone) else { return nil }
        // slots.md §10: users from max(start, now + min delay) to now + max delay; agents 6 months.
        let from =
            q.agentMode
            ? requested.start : max(requested.start, now.addingTimeInterval(Double(q.motif.minPublicBookingDelay)))
        let to =
            q.agentMode
            ? Calendar.paris(zone).date(byAdding: .month, value: 6, to: requested.start) ?? requested.end
            : now.addingTimeInterval(Double(q.motif.maxPublicBookingDelay))
        guard from < to else { return nil }
        var failure: (any Error)?
        let slot = SlotEngine.nextAvailability(from: from, to: to) { window in
            do { return try slots(q, range: window) } catch {
                failure = error
                return []
            }
        }
        if let failure { throw failure }
        return slot
    }

    /// slots.md §8: a collective motif's "slots" are its open collective appointments, with the
    /// seats left, from `from` through `to`.
    func collectiveSlots(_ q: SlotQuery, from: LocalDate, to: LocalDate) throws -> [CollectiveSlot] {
        let now = clock.now
        guard let range = SlotEngine.dayRange(from: from, through: to, timeZone: q.motif.timeZone) else { return [] }
        var window: DateInterval? = nil
        if !q.agentMode {
            guard let userWindow = bookableWindow(q, range) else { return [] }
            window = userWindow
        }
        let candidates = try db.collectiveAppointments(motifID: q.motif.id, placeID: q.placeID, after: now)
            .filter { range.start <= $0.startsAt && $0.startsAt < range.end }
        return SlotEngine.collectiveSlots(candidates, now: now, userWindow: window)
    }

    /// BookingPolicy for the mode's booker: the slots offered are those `book` accepts.
    func bookableWindow(_ q: SlotQuery, _ range: DateInterval) -> DateInterval? {
        guard BookingPolicy.mayBook(BookableBy(rawValue: q.motif.bookableBy) ?? .agents, as: q.booker) else { return nil }
        return BookingPolicy.window(
            range, for: q.booker, now: clock.now, minDelay: q.motif.minPublicBookingDelay,
            maxDelay: q.motif.maxPublicBookingDelay)
    }
}
