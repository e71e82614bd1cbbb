import Domain
import Foundation
import Geocoding
import HTTP

/// `GET /adresses?q=` (contracts.md §6): the address service's matches as JSON, for the optional
/// autocomplete script; public (the public booking's address step uses it), so rate-limited per
/// client address.
struct AddressesController: Sendable {
    let service: AddressService
    let limit: ClientRateLimit
    let clientAddress: ClientAddress
    let clock: any Clock

    func index(_ exchange: Exchange) throws -> HTTPResponse {
        guard limit.allow(clientAddress.of(exchange), now: clock.now) else {
            return JSONResponse.error("Trop de recherches : réessayez dans une minute.", status: HTTPStatus(429))
        }
        let query = exchange.query["q"] ?? ""
        let matches = try service.search(query)
        var json = JSONWriter()
        json.beginObject()
        json.key("adresses")
        json.beginArray()
        for match in matches {
            json.beginObject()
            json.key("label")
            json.string(match.label)
            json.key("type")
            json.string(match.kind.rawValue)
            json.key("street_id")
            json.string(match.streetID)
            json.key("city_code")
            json.string(match.cityCode)
            json.key("post_code")
            json.string(match.postCode)
            json.key("city")
            json.string(match.city)
            // 7 decimals, about a centimetre: what the BAN itself publishes.
            json.key("latitude")
            json.double(match.latitude.map { ($0 * 1e7).rounded() / 1e7 })
            json.key("longitude")
            json.double(match.longitude.map { ($0 * 1e7).rounded() / 1e7 })
            json.endObject()
        }
        json.endArray()
        json.endObject()
        var response = JSONResponse.ok(json)
        response.headers["Cache-Control"] = "no-store"
        return response
    }
}
