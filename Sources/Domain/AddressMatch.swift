import Foundation

/// One answer of the address service (contracts.md §6), whichever back end gave it.
public struct AddressMatch: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, Codable {
        case housenumber, street, municipality
    }

    /// « 12 Rue de la Paix 62000 Arras », as the BAN writes it.
    public let label: String
    public let kind: Kind
    /// The BAN id of the street, `<citycode>_<fantoir>`; nil for a city.
    public let streetID: String?
    /// Known for every imported or remote answer; the instance's own entries (a zone has no post
    /// code or position, a place no city code) may lack some.
    public let cityCode: String?
    public let postCode: String?
    public let city: String
    public let latitude: Double?
    public let longitude: Double?

    /// The street's name, read from the label: « 12 Rue de la Paix 62000 Arras » → « Rue de la
    /// Paix » (the house number and the « <post code> <city> » end taken off); nil for a city.
    public var streetName: String? {
        guard streetID != nil else { return nil }
        var text = label
        for ending in [postCode.map { " \($0) \(city)" }, " \(city)"].compactMap({ $0 }) where text.hasSuffix(ending) {
            text = String(text.dropLast(ending.count))
            break
        }
        if kind == .housenumber, let first = text.first, first.isNumber, let space = text.firstIndex(of: " ") {
            text = String(text[text.index(after: space)...])
        }
        let name = text.trimmingCharacters(in: .whitespaces)
        return name.isEmpty ? nil : name
    }

    public init(
        label: String, kind: Kind, streetID: String?, cityCode: String?, postCode: String?, city: String,
        latitude: Double?, longitude: Double?
    ) {
        self.label = label
        self.kind = kind
        self.streetID = streetID
        self.cityCode = cityCode
        self.postCode = postCode
        self.city = city
        self.latitude = latitude
        self.longitude = longitude
    }

    /// The département of a city code (INSEE): two characters, three overseas (`97x`, `98x`).
    public static func departement(ofCityCode code: String) -> String {
        code.hasPrefix("97") || code.hasPrefix("98") ? String(code.prefix(3)) : String(code.prefix(2))
    }
}
