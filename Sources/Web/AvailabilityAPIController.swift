import Domain
import Foundation
import HTTP
import Persistence

/// `GET /api/v1/creneaux` and `GET /api/v1/prochaine_disponibilite` (contracts.md §4): public,
/// JSON, no session. Unknown ids → 404, malformed parameters → 400, never a 500.
struct AvailabilityAPIController: Sendable {
    let db: AppDatabase
    let clock: any Clock

    struct APIError: Error {
        let status: HTTPStatus
        let message: String
    }

    struct Parameters {
        let motif: SlotMotif
        let placeID: Int64?
        /// Sectorisation of the given address (user mode): nil = unrestricted.
        let agents: Set<Int64>?
        let from: LocalDate
        let to: LocalDate
        let agentMode: Bool
    }

    func slots(_ exchange: Exchange) -> HTTPResponse {
        respond { json in
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

    func nextAvailability(_ exchange: Exchange) -> HTTPResponse {
        respond { json in
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
            guard p.motif.bookableBy == "everyone",
                let userWindow = SlotEngine.userRange(
                    requested: range, now: now, minDelay: p.motif.minPublicBookingDelay,
                    maxDelay: p.motif.maxPublicBookingDelay)
            else { return [] }
            window = userWindow
        }
        let candidates = try db.collectiveAppointments(motifID: p.motif.id, placeID: p.placeID, after: now)
            .filter { range.start <= $0.startsAt && $0.startsAt < range.end }
        return SlotEngine.collectiveSlots(candidates, now: now, userWindow: window)
    }

    func search(_ p: Parameters, from: LocalDate, to: LocalDate) throws -> [Slot] {
        guard let range = SlotEngine.dayRange(from: from, through: to, timeZone: p.motif.timeZone) else { return [] }
        return try slotsIn(p, range: range)
    }

    /// One window: the user booking window (or none for agents), then de-duplication (§5, §7).
    func slotsIn(_ p: Parameters, range: DateInterval) throws -> [Slot] {
        let now = clock.now
        var window = range
        if !p.agentMode {
            // §11: the public endpoint offers `everyone` motifs only, with the booking window.
            guard p.motif.bookableBy == "everyone",
                let userWindow = SlotEngine.userRange(
                    requested: range, now: now, minDelay: p.motif.minPublicBookingDelay,
                    maxDelay: p.motif.maxPublicBookingDelay)
            else { return [] }
            window = userWindow
        }
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
            throw APIError(status: .badRequest, message: "motif_id est obligatoire")
        }
        guard let motifID = Int64(motifText), motifID > 0 else {
            throw APIError(status: .badRequest, message: "motif_id doit être un entier")
        }
        guard let motif = try db.slotMotif(id: motifID) else {
            throw APIError(status: .notFound, message: "motif introuvable")
        }
        var placeID: Int64?
        if let text = query["lieu_id"], !text.isEmpty {
            guard let id = Int64(text), id > 0 else {
                throw APIError(status: .badRequest, message: "lieu_id doit être un entier")
            }
            guard let place = try db.placeOrganisation(id: id), place.organisationID == motif.organisationID else {
                throw APIError(status: .notFound, message: "lieu introuvable")
            }
            placeID = id
        } else if motif.locationType == "public_office" {
            throw APIError(status: .badRequest, message: "lieu_id est obligatoire pour un motif sur place")
        }
        let mode = query["mode"] ?? "user"
        guard mode == "user" || mode == "agent" else {
            throw APIError(status: .badRequest, message: "mode doit être user ou agent")
        }
        let today = LocalDate(clock.now, in: motif.timeZone)
        let from = try date(query["from"], default: today, name: "from")
        let to = try date(query["to"], default: from.adding(days: defaultDays) ?? from, name: "to")
        guard to >= from else { throw APIError(status: .badRequest, message: "to doit être postérieur ou égal à from") }
        if let maxDays, let limit = from.adding(days: maxDays), to > limit {
            throw APIError(status: .badRequest, message: "from et to doivent être espacés d'au plus \(maxDays) jours")
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
            throw APIError(status: .badRequest, message: "\(name) doit être une date AAAA-MM-JJ")
        }
        return date
    }

    /// Runs `body`, which writes the 200 answer; an `APIError` becomes its status with
    /// `{"error": "…"}`, anything else a 500 (never a stack trace).
    func respond(_ body: (inout JSONWriter) throws -> Void) -> HTTPResponse {
        var json = JSONWriter()
        do {
            try body(&json)
            return Self.response(json, status: .ok)
        } catch let error as APIError {
            return Self.error(error.message, status: error.status)
        } catch {
            return Self.error("erreur interne", status: .internalServerError)
        }
    }

    static func error(_ message: String, status: HTTPStatus) -> HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("error")
        json.string(message)
        json.endObject()
        return response(json, status: status)
    }

    static func response(_ json: JSONWriter, status: HTTPStatus) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: .bytes(json.bytes))
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

/// A JSON text (RFC 8259) written straight to UTF-8 bytes, keys in the order they are written
/// (api.md's field orders), no whitespace. Strings escape `"`, `\` and the control characters
/// U+0000–U+001F (\b \f \n \r \t, otherwise \u00XX); everything else, `/` included, is
/// written as is, as valid UTF-8.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Whether the next value or key needs a comma before it.
    private var needsComma = false

    init() { bytes.reserveCapacity(256) }

    mutating func reserve(_ count: Int) { bytes.reserveCapacity(bytes.count + count) }

    mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// An object key; the value written next belongs to it.
    mutating func key(_ name: String) {
        separate()
        appendString(name)
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    mutating func string(_ value: String?) {
        separate()
        if let value { appendString(value) } else { appendNull() }
        needsComma = true
    }

    mutating func int(_ value: Int64?) {
        separate()
        if let value { appendInteger(value) } else { appendNull() }
        needsComma = true
    }

    mutating func null() {
        separate()
        appendNull()
        needsComma = true
    }

    /// An instant as a JSON string, `2021-05-03T09:00:00+02:00` (contracts.md §4).
    mutating func instant(_ date: Date, offset: Int) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        ISO8601.write(date, offset: offset, into: &bytes)
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendNull() { bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C]) }

    private mutating func appendInteger(_ value: Int64) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        digits.reserveCapacity(20)
        repeat {
            digits.append(UInt8(0x30 + magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        bytes.append(contentsOf: digits.reversed())
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func appendString(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
            case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
            case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x00..<0x20:
                bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, Self.hex[Int(byte >> 4)], Self.hex[Int(byte & 0xF)]])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }
}

extension Calendar {
    static func paris(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
