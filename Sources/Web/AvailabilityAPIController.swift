import Domain
import Foundation
import HTTP
import Persistence

/// `GET /api/v1/creneaux` and `GET /api/v1/prochaine_disponibilite` (contracts.md §4): public,
/// JSON, no session. Unknown ids → 404, malformed parameters → 400, never a 500.
struct AvailabilityAPIController: Sendable {
    let db: AppDatabase
    let clock: any Clock

    var search: SlotSearch { SlotSearch(db: db, clock: clock) }

    struct Parameters {
        let query: SlotQuery
        let from: LocalDate
        let to: LocalDate
        var motif: SlotMotif { query.motif }
        var agentMode: Bool { query.agentMode }
    }

    func slots(_ exchange: Exchange) throws -> HTTPResponse {
        try respond { json in
            let p = try parameters(exchange.query, defaultDays: 6, maxDays: 31)
            if p.motif.collectif { return try collective(p, into: &json) }
            let slots = try search.slots(p.query, from: p.from, to: p.to)
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
            if let slot = try search.firstSlot(p.query, from: p.from) {
                json.instant(slot.startsAt, offset: zone.secondsFromGMT(for: slot.startsAt))
            } else {
                json.null()
            }
            json.endObject()
        }
    }

    /// slots.md §8: a collective motif's "slots" are its open collective appointments, with the
    /// seats left: `rdv_id`, `name` and `remaining_seats` (api.md §8 extensions; null =
    /// unlimited), and `places_restantes`, the same number under the name this API first used.
    func collective(_ p: Parameters, into json: inout JSONWriter) throws {
        let slots = try search.collectiveSlots(p.query, from: p.from, to: p.to)
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
        if let text = query["lieu_id"] {
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
            query: SlotQuery(motif: motif, placeID: placeID, agents: agents, agentMode: mode == "agent"), from: from,
            to: to)
    }

    func date(_ text: String?, default value: LocalDate, name: String) throws -> LocalDate {
        // Absent: the default; present, even empty, it must be a date (contracts.md §4: 400).
        guard let text else { return value }
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
