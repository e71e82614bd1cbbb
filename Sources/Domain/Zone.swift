import Foundation

/// A city (INSEE code) or a street (BAN id) belonging to a sector (domain.md §12).
public struct Zone: Sendable, Equatable, Codable {
    public enum Level: String, Sendable, Codable, CaseIterable {
        case city, street
    }

    public var id: Int64?
    public var sectorID: Int64
    public var level: Level
    public var cityName: String
    public var cityCode: String
    /// Street level only.
    public var streetName: String?
    public var streetBanID: String?

    public init(
        id: Int64? = nil, sectorID: Int64, level: Level, cityName: String, cityCode: String,
        streetName: String? = nil, streetBanID: String? = nil
    ) {
        self.id = id
        self.sectorID = sectorID
        self.level = level
        self.cityName = cityName
        self.cityCode = cityCode
        self.streetName = streetName
        self.streetBanID = streetBanID
    }

    /// How screens name the zone: « Commune : Amiens », « Voie : Rue des Trois Cailloux (Amiens) ».
    public var label: String {
        level == .city ? "Commune : \(cityName)" : "Voie : \(streetName ?? "") (\(cityName))"
    }

    /// domain.md §12: `city_code` starts with the territory's département number; a street zone
    /// has a street name and a `street_ban_id` starting with "<city_code>_"; uniqueness of the
    /// city code (city zones) or BAN id (street zones) within the sector.
    public func validate(departementNumber: String?, siblings: [Zone] = []) -> [ValidationIssue] {
        var issues = Check.required(cityName, "city_name") + Check.required(cityCode, "city_code")
        if let departementNumber, !Check.isBlank(cityCode), !cityCode.hasPrefix(departementNumber) {
            issues.append(.error("city_code", "doit commencer par le numéro du département (\(departementNumber))"))
        }
        let rivals = siblings.filter { ($0.id == nil || $0.id != id) && $0.sectorID == sectorID && $0.level == level }
        switch level {
        case .city:
            if rivals.contains(where: { $0.cityCode == cityCode }) {
                issues.append(.error("city_code", "est déjà dans ce secteur"))
            }
        case .street:
            issues += Check.required(streetName, "street_name") + Check.required(streetBanID, "street_ban_id")
            if let streetBanID, !Check.isBlank(streetBanID) {
                if !streetBanID.hasPrefix(cityCode + "_") {
                    issues.append(
                        .error("street_ban_id", "doit commencer par le code INSEE de la commune suivi de « _ »"))
                }
                if rivals.contains(where: { $0.streetBanID == streetBanID }) {
                    issues.append(.error("street_ban_id", "est déjà dans ce secteur"))
                }
            }
        }
        return issues
    }
}
