import Domain
import Foundation
import HTTP
import Persistence

/// `GET /api/v1/creneaux` and `GET /api/v1/prochaine_disponibilite` (contracts.md §4): public,
/// JSON, no session. Unknown ids → 404, malformed parameters → 400, never a 500.
struct AvailabilityAPIController {
    let app: WebApplication

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
        respond {
            let p = try parameters(exchange.query, defaultDays: 6, maxDays: 31)
            if p.motif.collectif { return try collective(p) }
            let slots = try search(p, from: p.from, to: p.to)
            let items: [[String: Any]] = slots.map { slot in
                var item: [String: Any] = [
                    "starts_at": ISO8601.format(slot.startsAt, in: p.motif.timeZone),
                    "ends_at": ISO8601.format(slot.endsAt, in: p.motif.timeZone), "lieu_id": slot.placeID ?? NSNull(),
                ]
                if p.agentMode { item["agent_id"] = slot.agentID }
                return item
            }
            return ["creneaux": items]
        }
    }

    func nextAvailability(_ exchange: Exchange) -> HTTPResponse {
        respond {
            let p = try parameters(exchange.query, defaultDays: 0, maxDays: nil)
            let now = app.clock.now
            let zone = p.motif.timeZone
            guard let requested = SlotEngine.dayRange(from: p.from, through: p.from, timeZone: zone) else {
                return ["starts_at": NSNull()]
            }
            // slots.md §10: users from max(start, now + min delay) to now + max delay; agents 6 months.
            let from =
                p.agentMode
                ? requested.start : max(requested.start, now.addingTimeInterval(Double(p.motif.minPublicBookingDelay)))
            let to =
                p.agentMode
                ? Calendar.paris(zone).date(byAdding: .month, value: 6, to: requested.start) ?? requested.end
                : now.addingTimeInterval(Double(p.motif.maxPublicBookingDelay))
            guard from < to else { return ["starts_at": NSNull()] }
            var failure: (any Error)?
            let slot = SlotEngine.nextAvailability(from: from, to: to) { window in
                do { return try slotsIn(p, range: window) } catch {
                    failure = error
                    return []
                }
            }
            if let failure { throw failure }
            return ["starts_at": slot.map { ISO8601.format($0.startsAt, in: zone) } ?? NSNull()]
        }
    }

    /// slots.md §8: a collective motif's "slots" are its open collective appointments, with the
    /// seats left (`places_restantes`, an extension: null = unlimited).
    func collective(_ p: Parameters) throws -> [String: Any] {
        let now = app.clock.now
        guard let range = SlotEngine.dayRange(from: p.from, through: p.to, timeZone: p.motif.timeZone) else {
            return ["creneaux": []]
        }
        var window: DateInterval? = nil
        if !p.agentMode {
            guard p.motif.bookableBy == "everyone",
                let userWindow = SlotEngine.userRange(
                    requested: range, now: now, minDelay: p.motif.minPublicBookingDelay,
                    maxDelay: p.motif.maxPublicBookingDelay)
            else { return ["creneaux": []] }
            window = userWindow
        }
        let candidates = try app.db.collectiveAppointments(motifID: p.motif.id, placeID: p.placeID, after: now)
            .filter { range.start <= $0.startsAt && $0.startsAt < range.end }
        let slots = SlotEngine.collectiveSlots(candidates, now: now, userWindow: window)
        return [
            "creneaux": slots.map { slot -> [String: Any] in
                [
                    "starts_at": ISO8601.format(slot.startsAt, in: p.motif.timeZone),
                    "ends_at": ISO8601.format(slot.endsAt, in: p.motif.timeZone), "lieu_id": slot.placeID ?? NSNull(),
                    "places_restantes": slot.seatsLeft ?? NSNull(),
                ]
            }
        ]
    }

    func search(_ p: Parameters, from: LocalDate, to: LocalDate) throws -> [Slot] {
        guard let range = SlotEngine.dayRange(from: from, through: to, timeZone: p.motif.timeZone) else { return [] }
        return try slotsIn(p, range: range)
    }

    /// One window: the user booking window (or none for agents), then de-duplication (§5, §7).
    func slotsIn(_ p: Parameters, range: DateInterval) throws -> [Slot] {
        let now = app.clock.now
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
        let inputs = try app.db.slotInputs(motif: p.motif, placeID: p.placeID, agents: p.agents, range: window)
        let slots = SlotEngine.availableSlots(
            durationInMinutes: p.motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: window, now: now, territory: p.motif.territory)
        return p.agentMode ? SlotEngine.oneSlotPerStartAndAgent(slots) : SlotEngine.oneSlotPerStart(slots)
    }

    func parameters(_ query: FormData, defaultDays: Int, maxDays: Int?) throws -> Parameters {
        guard let motifText = query["motif_id"], !motifText.isEmpty else {
            throw APIError(status: .badRequest, message: "motif_id est obligatoire")
        }
        guard let motifID = Int64(motifText), motifID > 0 else {
            throw APIError(status: .badRequest, message: "motif_id doit être un entier")
        }
        guard let motif = try app.db.slotMotif(id: motifID) else {
            throw APIError(status: .notFound, message: "motif introuvable")
        }
        var placeID: Int64?
        if let text = query["lieu_id"], !text.isEmpty {
            guard let id = Int64(text), id > 0 else {
                throw APIError(status: .badRequest, message: "lieu_id doit être un entier")
            }
            guard let place = try app.db.placeOrganisation(id: id), place.organisationID == motif.organisationID else {
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
        let today = LocalDate(app.clock.now, in: motif.timeZone)
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
            : try app.db.sectorisedAgents(
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

    func respond(_ body: () throws -> [String: Any]) -> HTTPResponse {
        do {
            return json(try body(), status: .ok)
        } catch let error as APIError {
            return json(["error": error.message], status: error.status)
        } catch {
            return json(["error": "erreur interne"], status: .internalServerError)
        }
    }

    func json(_ object: [String: Any], status: HTTPStatus) -> HTTPResponse {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]))
            ?? Data("{}".utf8)
        return HTTPResponse(
            status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: .bytes(Array(data)))
    }
}

extension Calendar {
    static func paris(_ zone: TimeZone) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar
    }
}
