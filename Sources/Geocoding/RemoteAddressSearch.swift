import Domain
import Foundation
import Outbound

/// The remote back end (contracts.md §6): a BAN-compatible `search` API named by
/// `RDV_GEOCODER_URL` (the national one, or a self-hosted addok), `GET <url>/search/?q=…&limit=5`
/// answering a GeoJSON FeatureCollection. 3 seconds at most; any failure is thrown for the
/// service to fall back on the embedded index.
public struct RemoteAddressSearch: AddressSearching {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    let base: String
    let http: OutboundHTTP

    /// The operator sets the URL (not an administrator), so a geocoder on the local network is
    /// allowed: the SSRF guard of webhooks does not apply.
    public init(baseURL: String, timeout: TimeInterval = 3) {
        base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        http = OutboundHTTP(timeout: timeout, allowPrivateAddresses: true)
    }

    public func search(_ text: String, limit: Int) throws -> [AddressMatch] {
        // RFC 3986 §2.3: only the unreserved ASCII characters go unencoded.
        let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        let query = text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
        guard let url = URL(string: "\(base)/search/?q=\(query)&limit=\(limit)") else {
            throw Failure(description: "RDV_GEOCODER_URL is not a URL")
        }
        let answer: OutboundHTTP.Answer
        do {
            answer = try http.get(url, headers: [("Accept", "application/json")])
        } catch {
            throw Failure(description: "geocoder: \(error)")
        }
        guard answer.status == 200, !answer.truncated else {
            throw Failure(description: "geocoder answered \(answer.status)\(answer.truncated ? " (too long)" : "")")
        }
        let collection: FeatureCollection
        do {
            collection = try JSONDecoder().decode(FeatureCollection.self, from: answer.body)
        } catch {
            throw Failure(description: "geocoder: not a GeoJSON FeatureCollection")
        }
        return collection.features.prefix(limit).compactMap(\.match)
    }

    struct FeatureCollection: Decodable {
        let features: [Feature]
    }

    struct Feature: Decodable {
        struct Geometry: Decodable {
            let coordinates: [Double]
        }

        struct Properties: Decodable {
            let label: String
            let id: String?
            let type: String?
            let street: String?
            let postcode: String?
            let citycode: String?
            let city: String?
        }

        let geometry: Geometry
        let properties: Properties

        /// BAN ids: `62041_0190_00012` for a number (its street is the first two parts),
        /// `62041_0190` for a street, the city code for a city.
        var match: AddressMatch? {
            // A position outside the Earth is not one (a broken geocoder): the answer is dropped.
            guard geometry.coordinates.count >= 2, (-90...90).contains(geometry.coordinates[1]),
                (-180...180).contains(geometry.coordinates[0])
            else { return nil }
            let kind: AddressMatch.Kind =
                switch properties.type {
                case "housenumber": .housenumber
                case "municipality": .municipality
                default: .street  // "street", "locality" (lieu-dit)
                }
            let parts = (properties.id ?? "").split(separator: "_")
            let streetID: String? = kind == .municipality || parts.count < 2 ? nil : String(parts[0] + "_" + parts[1])
            return AddressMatch(
                label: properties.label, kind: kind, streetID: streetID, cityCode: properties.citycode,
                postCode: properties.postcode, city: properties.city ?? properties.label, latitude: geometry.coordinates[1],
                longitude: geometry.coordinates[0])
        }
    }
}
