import Foundation

/// One row of a zone file (admin.md §5): `sector_id` (the sector's `human_id`), `city_name`,
/// `city_code`, optional `street_name` and `street_code`. A row without `street_code` is a city
/// zone; otherwise its `street_ban_id` is `street_code` when that holds `_`, else
/// `<city_code>_<street_code>`.
public struct ZoneImportLine: Sendable, Equatable {
    public let line: Int
    public let sectorHumanID: String
    public let cityName: String
    public let cityCode: String
    public let streetName: String?
    public let streetCode: String?

    public static let columns = ["sector_id", "city_name", "city_code", "street_name", "street_code"]
    public static let requiredColumns = ["sector_id", "city_name", "city_code"]

    public init(
        line: Int, sectorHumanID: String, cityName: String, cityCode: String, streetName: String?, streetCode: String?
    ) {
        self.line = line
        self.sectorHumanID = sectorHumanID
        self.cityName = cityName
        self.cityCode = cityCode
        self.streetName = streetName
        self.streetCode = streetCode
    }

    public var level: Zone.Level { Check.isBlank(streetCode) ? .city : .street }

    public var streetBanID: String? {
        guard let streetCode, !Check.isBlank(streetCode) else { return nil }
        return streetCode.contains("_") ? streetCode : "\(cityCode)_\(streetCode)"
    }

    public func zone(sectorID: Int64) -> Zone {
        Zone(
            sectorID: sectorID, level: level, cityName: cityName, cityCode: cityCode,
            streetName: level == .street ? streetName : nil, streetBanID: streetBanID)
    }

    /// The data rows of a file whose first row is the header (columns in any order, names
    /// case-insensitive); nil with the missing columns when the header lacks a required one.
    public static func lines(header: [String], rows: [(line: Int, fields: [String])]) -> Result<[ZoneImportLine], MissingColumns> {
        let names = header.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let missing = requiredColumns.filter { !names.contains($0) }
        guard missing.isEmpty else { return .failure(MissingColumns(names: missing)) }
        func value(_ fields: [String], _ name: String) -> String? {
            guard let index = names.firstIndex(of: name), index < fields.count else { return nil }
            let text = fields[index].trimmingCharacters(in: .whitespaces)
            return text.isEmpty ? nil : text
        }
        return .success(
            rows.map { row in
                ZoneImportLine(
                    line: row.line, sectorHumanID: value(row.fields, "sector_id") ?? "",
                    cityName: value(row.fields, "city_name") ?? "",
                    cityCode: inseeCode(value(row.fields, "city_code") ?? ""),
                    streetName: value(row.fields, "street_name"), streetCode: value(row.fields, "street_code"))
            })
    }

    /// An INSEE city code has five characters; a spreadsheet that stored « 01001 » (Ain) as a
    /// number gives back « 1001 ». Four digits are that number, so the leading zero comes back.
    static func inseeCode(_ text: String) -> String {
        text.count == 4 && text.allSatisfy(\.isASCII) && text.allSatisfy(\.isNumber) ? "0" + text : text
    }

    public struct MissingColumns: Error, Equatable {
        public let names: [String]
    }
}
