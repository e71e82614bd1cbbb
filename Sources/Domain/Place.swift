import Foundation

/// A physical address of an organisation where appointments happen (domain.md §5, « Lieu »).
public struct Place: Sendable, Equatable, Codable {
    public enum Availability: String, Sendable, Codable, CaseIterable {
        case enabled
        /// The soft-deleted state (domain.md §0).
        case disabled
        /// « Lieu ponctuel », created inline for one appointment.
        case singleUse = "single_use"
    }

    public var id: Int64?
    public var organisationID: Int64
    public var name: String
    /// From the national address base (BAN) autocomplete.
    public var address: String
    public var latitude: Double?
    public var longitude: Double?
    public var phoneNumber: String?
    public var availability: Availability

    public init(
        id: Int64? = nil, organisationID: Int64, name: String, address: String, latitude: Double?,
        longitude: Double?, phoneNumber: String? = nil, availability: Availability = .enabled
    ) {
        self.id = id
        self.organisationID = organisationID
        self.name = name
        self.address = address
        self.latitude = latitude
        self.longitude = longitude
        self.phoneNumber = phoneNumber
        self.availability = availability
    }

    /// "name (address)" (domain.md §5).
    public var fullName: String { "\(name) (\(address))" }

    /// Great-circle distance in metres (haversine, domain.md §5), nil without coordinates.
    public func distance(toLatitude lat: Double, longitude lon: Double) -> Double? {
        guard let latitude, let longitude else { return nil }
        return Self.distance(latitude, longitude, lat, lon)
    }

    /// Great-circle distance in metres between two positions (haversine).
    public static func distance(_ latitude: Double, _ longitude: Double, _ lat: Double, _ lon: Double) -> Double {
        let earthRadius = 6_371_000.0
        let dLat = (lat - latitude) * .pi / 180
        let dLon = (lon - longitude) * .pi / 180
        let a =
            sin(dLat / 2) * sin(dLat / 2)
            + cos(latitude * .pi / 180) * cos(lat * .pi / 180) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * earthRadius * asin(min(1, sqrt(a)))
    }

    /// domain.md §5: name, address and coordinates required; changing to or from `single_use`
    /// is refused.
    public func validate(previous: Place? = nil) -> [ValidationIssue] {
        var issues = Check.required(name, "name") + Check.required(address, "address")
        if let latitude {
            if !(-90...90).contains(latitude) {
                issues.append(.error("latitude", "doit être comprise entre -90 et 90"))
            }
        } else {
            issues.append(.error("latitude", Messages.required))
        }
        if let longitude {
            if !(-180...180).contains(longitude) {
                issues.append(.error("longitude", "doit être comprise entre -180 et 180"))
            }
        } else {
            issues.append(.error("longitude", Messages.required))
        }
        if let previous, (previous.availability == .singleUse) != (availability == .singleUse) {
            issues.append(
                .error("availability", "un lieu ponctuel ne peut pas devenir un lieu permanent, ni l'inverse"))
        }
        return issues
    }
}
