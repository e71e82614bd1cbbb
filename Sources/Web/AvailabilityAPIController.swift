import Domain
import Foundation
import HTTP
import Persistence

/// `GET /api/v1/creneaux` and `GET /api/v1/prochaine_disponibilite` (contracts.md §4): public,
/// JSON, no session. Unknown ids → 404, malformed parameters → 400, never a 500.
struct AvailabilityAPIController: Sendable {
    let db: AppDatabase
    let clock: any Clock

    struct Parameters {
        let motif: SlotMotif
        let placeID: Int64?
        /// Sectorisation of the given address (user mode): nil = unrestricted.
        let agents: Set<Int64>?
        let from: LocalDate
        let to: LocalDate
        let agentMode: Bool
    }

    func slots(_ exchange: Exchange) throws -> HTTPResponse {
        try respond { json in
            let p = try parameters(exchange.query, defaultDays: 6, maxDays: 31)
            if p.motif.collectif { return try collective(p, into: &json) }
            let slots = try search(p, from: p.from, to: p.to)
            // contracts.md §4 / api.md §8: keys in the order of the contract's example.
            let zone = p.motif.timeZone
            json.beginObject()
            json.key("creneaux")
            json.beginArray()
            json.reserve(slots.count * (p.agentMode ? 110 : 95))
            var offsets = OffsetCache(zone: zone)
            for slot in slots {
                json.beginObject()
                json.key("starts_at")
                json.instant(slot.startsAt, offset: offsets.offset(at: slot.startsAt))
                json.key("ends_at")
                json.instant(slot.endsAt, offset: offsets.offset(at: slot.endsAt))
                json.key("lieu_id")
                json.int(slot.placeID)
                if p.agentMode {
                    json.key("agent_id")
                    json.int(slot.agentID)
                }
                json.endObject()
            }
            json.endArray()
            json.endObject()
        }
    }

    func nextAvailability(_ exchange: Exchange) throws -> HTTPResponse {
        try respond { json in
            let p = try parameters(exchange.query, defaultDays: 0, maxDays: nil)
            let zone = p.motif.timeZone
            json.beginObject()
            json.key("starts_at")
            if let slot = try firstSlot(p) {
                json.instant(slot.startsAt, offset: zone.secondsFromGMT(for: slot.startsAt))
            } else {
                json.null()
            }
            json.endObject()
        }
    }

    /// slots.md §10: the earliest slot from `from`, up to the booking window's end (users) or
    /// from + 6 months (agents); nil when none.
    func firstSlot(_ p: Parameters) throws -> Slot? {
        let now = clock.now
        let zone = p.motif.timeZone
        guard let requested = SlotEngine.dayRange(from: p.from, through: p.from, timeZone: zone) else { return nil }
        // slots.md §10: users from max(start, now + min delay) to now + max delay; agents 6 months.
        let from =
            p.agentMode
            ? requested.start : max(requested.start, now.addingTimeInterval(Double(p.motif.minPublicBookingDelay)))
        let to =
            p.agentMode
            ? Calendar.paris(zone).date(byAdding: .month, value: 6, to: requested.start) ?? requested.end
            : now.addingTimeInterval(Double(p.motif.maxPublicBookingDelay))
        guard from < to else { return nil }
        var failure: (any Error)?
        let slot = SlotEngine.nextAvailability(from: from, to: to) { window in
            do { return try slotsIn(p, range: window) } catch {
                failure = error
                return []
            }
        }
        if let failure { throw failure }
        return slot
    }

    /// slots.md §8: a collective motif's "slots" are its open collective appointments, with the
    /// seats left: `rdv_id`, `name` and `remaining_seats` (api.md §8 extensions; null =
    /// unlimited), and `places_restantes`, the same number under the name this API first used.
    func collective(_ p: Parameters, into json: inout JSONWriter) throws {
        let slots = try collectiveSlots(p)
        let zone = p.motif.timeZone
        json.beginObject()
        json.key("creneaux")
        json.beginArray()
        for slot in slots {
            json.beginObject()
            json.key("starts_at")
            json.instant(slot.startsAt, offset: zone.secondsFromGMT(for: slot.startsAt))
            json.key("ends_at")
            json.instant(slot.endsAt, offset: zone.secondsFromGMT(for: slot.endsAt))
            json.key("lieu_id")
            json.int(slot.placeID)
            json.key("rdv_id")
            json.int(slot.appointmentID)
            json.key("name")
            json.string(slot.title)
            json.key("remaining_seats")
            json.int(slot.seatsLeft.map(Int64.init))
            json.key("places_restantes")
            json.int(slot.seatsLeft.map(Int64.init))
            json.endObject()
        }
        json.endArray()
        json.endObject()
    }

    func collectiveSlots(_ p: Parameters) throws -> [CollectiveSlot] {
        let now = clock.now
        guard let range = SlotEngine.dayRange(from: p.from, through: p.to, timeZone: p.motif.timeZone) else {
            return []
        }
        var window: DateInterval? = nil
        if !p.agentMode {
            guard let userWindow = bookableWindow(p, range) else { return [] }
            window = userWindow
        }
        let candidates = try db.collectiveAppointments(motifID: p.motif.id, placeID: p.placeID, after: now)
            .filter { range.start <= $0.startsAt && $0.startsAt < range.end }
        return SlotEngine.collectiveSlots(candidates, now: now, userWindow: window)
    }

    /// BookingPolicy for the mode's booker: the slots offered are those `book` accepts.
    func bookableWindow(_ p: Parameters, _ range: DateInterval) -> DateInterval? {
        let booker: CreatorType = p.agentMode ? .agent : .user
        guard BookingPolicy.mayBook(BookableBy(rawValue: p.motif.bookableBy) ?? .agents, as: booker) else { return nil }
        return BookingPolicy.window(
            range, for: booker, now: clock.now, minDelay: p.motif.minPublicBookingDelay,
            maxDelay: p.motif.maxPublicBookingDelay)
    }

    func search(_ p: Parameters, from: LocalDate, to: LocalDate) throws -> [Slot] {
        guard let range = SlotEngine.dayRange(from: from, through: to, timeZone: p.motif.timeZone) else { return [] }
        return try slotsIn(p, range: range)
    }

    /// One window: the user booking window (or none for agents), then de-duplication (§5, §7).
    func slotsIn(_ p: Parameters, range: DateInterval) throws -> [Slot] {
        let now = clock.now
        // §11: the public endpoint offers what a user without invitation may book, in its window.
        guard let window = bookableWindow(p, range) else { return [] }
        if let agents = p.agents, agents.isEmpty { return [] }
        let inputs = try db.slotInputs(motif: p.motif, placeID: p.placeID, agents: p.agents, range: window)
        let slots = SlotEngine.availableSlots(
            durationInMinutes: p.motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: window, now: now, territory: p.motif.territory)
        // §5: one item per start within the chosen place or, without one, the motif's
        // organisation (two places offering 10:00 give one 10:00); §7: one per start and agent.
        return p.agentMode ? SlotEngine.oneSlotPerStartAndAgent(slots) : SlotEngine.oneSlotPerStartTime(slots)
    }

    func parameters(_ query: FormData, defaultDays: Int, maxDays: Int?) throws -> Parameters {
        guard let motifText = query["motif_id"], !motifText.isEmpty else {
            throw WebError.api(.badRequest, "motif_id est obligatoire")
        }
        guard let motifID = Int64(motifText), motifID > 0 else {
            throw WebError.api(.badRequest, "motif_id doit être un entier")
        }
        guard let motif = try db.slotMotif(id: motifID) else {
            throw WebError.api(.notFound, "motif introuvable")
        }
        var placeID: Int64?
        if let text = query["lieu_id"], !text.isEmpty {
            guard let id = Int64(text), id > 0 else {
                throw WebError.api(.badRequest, "lieu_id doit être un entier")
            }
            guard let place = try db.placeOrganisation(id: id), place.organisationID == motif.organisationID else {
                throw WebError.api(.notFound, "lieu introuvable")
            }
            placeID = id
        } else if motif.locationType == LocationType.publicOffice.rawValue {
            throw WebError.api(.badRequest, "lieu_id est obligatoire pour un motif sur place")
        }
        let mode = query["mode"] ?? "user"
        guard mode == "user" || mode == "agent" else {
            throw WebError.api(.badRequest, "mode doit être user ou agent")
        }
        let today = LocalDate(clock.now, in: motif.timeZone)
        let from = try date(query["from"], default: today, name: "from")
        let to = try date(query["to"], default: from.adding(days: defaultDays) ?? from, name: "to")
        guard to >= from else { throw WebError.api(.badRequest, "to doit être postérieur ou égal à from") }
        if let maxDays, let limit = from.adding(days: maxDays), to > limit {
            throw WebError.api(.badRequest, "from et to doivent être espacés d'au plus \(maxDays) jours")
        }
        // slots.md §11: sectorisation from city_code / street_ban_id, for the user mode.
        let agents =
            mode == "agent"
            ? nil
            : try db.sectorisedAgents(
                motif: motif, cityCode: query["city_code"].flatMap { $0.isEmpty ? nil : $0 },
                streetBanID: query["street_ban_id"].flatMap { $0.isEmpty ? nil : $0 })
        return Parameters(
            motif: motif, placeID: placeID, agents: agents, from: from, to: to, agentMode: mode == "agent")
    }

    func date(_ text: String?, default value: LocalDate, name: String) throws -> LocalDate {
        guard let text, !text.isEmpty else { return value }
        guard let date = LocalDate(text) else {
            throw WebError.api(.badRequest, "\(name) doit être une date AAAA-MM-JJ")
        }
        return date
    }

    /// The body written by `body`; a `WebError` becomes the API group's JSON error, anything
    /// else a logged 500 (ErrorRenderingMiddleware).
    func respond(_ body: (inout JSONWriter) throws -> Void) throws -> HTTPResponse {
        var json = JSONWriter()
        try body(&json)
        return JSONResponse.ok(json)
    }
}

/// The UTC offset of one zone, kept from the instant it was computed for until the zone's next
/// transition: `TimeZone.secondsFromGMT(for:)` is the costly part of formatting an instant, and
/// a week of sorted slots crosses at most one transition.
struct OffsetCache {
    let zone: TimeZone
    private var validFrom = Date.distantFuture
    private var validUntil = Date.distantPast
    private var cached = 0

    init(zone: TimeZone) { self.zone = zone }

    mutating func offset(at date: Date) -> Int {
        if !(validFrom <= date && date < validUntil) {
            cached = zone.secondsFromGMT(for: date)
            validFrom = date
            validUntil = zone.nextDaylightSavingTimeTransition(after: date) ?? .distantFuture
        }
        return cached
    }
}
