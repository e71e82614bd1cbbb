import Domain
import Foundation
import GRDB

/// One line of a BAN « adresses » file (contracts.md §6), as `rdv addresses import` reads it.
public struct BANAddress: Sendable, Equatable {
    /// « 12 », « 12 bis »; nil for a street without numbers (`numero` 99999 in BAN files).
    public let housenumber: String?
    public let street: String
    /// `<code_insee>_<fantoir>`
    public let streetID: String
    public let postCode: String
    public let cityCode: String
    public let city: String
    public let latitude: Double
    public let longitude: Double

    public init(
        housenumber: String?, street: String, streetID: String, postCode: String, cityCode: String, city: String,
        latitude: Double, longitude: Double
    ) {
        self.housenumber = housenumber
        self.street = street
        self.streetID = streetID
        self.postCode = postCode
        self.cityCode = cityCode
        self.city = city
        self.latitude = latitude
        self.longitude = longitude
    }
}

public struct AddressImportSummary: Sendable, Equatable {
    public var addresses = 0
    public var streets = 0
    public var cities = 0
    /// The départements whose earlier imported rows were replaced.
    public var departements: [String] = []
}

extension AppDatabase {
    /// `rdv addresses import` (contracts.md §6): the rows `next` yields, in one transaction. The
    /// first row of each département deletes that département's earlier imported rows, so a
    /// re-import replaces it; a file that fails half-way (bad line, bad gzip) changes nothing.
    /// Each street and each city also gets its own entry (a search without a number finds them).
    public func importAddresses(_ next: () throws -> BANAddress?) throws -> AddressImportSummary {
        try writer.write { db in
            var summary = AddressImportSummary()
            var streets = Set<String>()
            var cities = Set<String>()
            let insert = try db.makeStatement(
                sql: """
                    INSERT INTO addresses (source, kind, label, street_id, city_code, post_code, city, departement,
                                           latitude, longitude)
                    VALUES ('ban', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """)
            while let row = try next() {
                let departement = AddressMatch.departement(ofCityCode: row.cityCode)
                if !summary.departements.contains(departement) {
                    try db.execute(
                        sql: "DELETE FROM addresses WHERE source = 'ban' AND departement = ?", arguments: [departement])
                    summary.departements.append(departement)
                }
                func add(_ kind: AddressMatch.Kind, _ label: String, streetID: String?) throws {
                    try insert.execute(arguments: [
                        kind.rawValue, label, streetID, row.cityCode, row.postCode, row.city, departement, row.latitude,
                        row.longitude,
                    ])
                }
                let street = "\(row.street) \(row.postCode) \(row.city)"
                if let number = row.housenumber {
                    try add(.housenumber, "\(number) \(street)", streetID: row.streetID)
                    summary.addresses += 1
                }
                if streets.insert(row.streetID).inserted {
                    try add(.street, street, streetID: row.streetID)
                    summary.streets += 1
                }
                if cities.insert(row.cityCode + " " + row.postCode).inserted {
                    try add(.municipality, "\(row.postCode) \(row.city)", streetID: nil)
                    summary.cities += 1
                }
            }
            return summary
        }
    }

    /// Up to `limit` matches of what a person typed, best first: every word is a prefix of a word
    /// of the label, accents and case aside (bm25 prefers the shortest label, so « arras » gives
    /// the city before its streets, « rue de la paix » the street before its numbers).
    public func searchAddresses(_ text: String, limit: Int = 5) throws -> [AddressMatch] {
        guard let match = Self.ftsPrefixMatch(text) else { return [] }
        return try writer.read { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT a.* FROM address_search s JOIN addresses a ON a.id = s.rowid
                        WHERE address_search MATCH ?
                          -- a zone's city or street the import also holds: the imported one, complete
                          AND NOT (a.source = 'local' AND a.city_code IS NOT NULL AND EXISTS (
                                SELECT 1 FROM addresses b WHERE b.source = 'ban' AND b.kind = a.kind
                                  AND b.city_code = a.city_code AND b.street_id IS a.street_id))
                        ORDER BY bm25(address_search), CASE a.kind WHEN 'municipality' THEN 0 WHEN 'street' THEN 1 ELSE 2 END,
                                 a.source = 'local', a.label, a.id
                        LIMIT ?
                        """), arguments: [match, max(1, min(limit, 20)) + 5]
            ).map {
                AddressMatch(
                    label: $0["label"], kind: AddressMatch.Kind(rawValue: $0["kind"]) ?? .housenumber,
                    streetID: $0["street_id"], cityCode: $0["city_code"], postCode: $0["post_code"], city: $0["city"],
                    latitude: $0["latitude"], longitude: $0["longitude"])
            }
            // A place whose address is also imported comes once: the imported entry, ranked
            // first among equal labels, is complete.
            var seen = Set<String>()
            return Array(rows.filter { seen.insert($0.label.lowercased()).inserted }.prefix(max(1, min(limit, 20))))
        }
    }

    /// How many entries the index holds by source (`rdv addresses import` prints it).
    public func addressCounts() throws -> (imported: Int, local: Int) {
        try writer.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM addresses WHERE source = 'ban'") ?? 0,
                try Int.fetchOne(db, sql: "SELECT count(*) FROM addresses WHERE source = 'local'") ?? 0
            )
        }
    }

    /// contracts.md §6: what the instance knows without an import. The sectorisation zones'
    /// cities and streets, and the places' addresses (« 10 rue de la Paix, 62000 Arras » and
    /// their position), rebuilt from those tables.
    public func rebuildLocalAddresses() throws {
        try writer.write { db in try Self.rebuildLocalAddresses(db) }
    }

    static func rebuildLocalAddresses(_ db: Database) throws {
        try db.execute(sql: "DELETE FROM addresses WHERE source = 'local'")
        let insert = try db.makeStatement(
            sql: """
                INSERT INTO addresses (source, kind, label, street_id, city_code, post_code, city, departement,
                                       latitude, longitude)
                VALUES ('local', ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for zone in try Row.fetchAll(
            db, sql: "SELECT DISTINCT level, city_name, city_code, street_name, street_ban_id FROM zones")
        {
            let city: String = zone["city_name"]
            let code: String = zone["city_code"]
            let street: String? = zone["street_name"]
            try insert.execute(arguments: [
                street == nil ? AddressMatch.Kind.municipality.rawValue : AddressMatch.Kind.street.rawValue,
                street.map { "\($0) \(city)" } ?? city, zone["street_ban_id"], code, nil, city,
                AddressMatch.departement(ofCityCode: code), nil, nil,
            ])
        }
        // Open places only: a disabled one is no longer an address anyone is sent to.
        for row in try Row.fetchAll(
            db, sql: "SELECT DISTINCT address, latitude, longitude FROM places WHERE availability = 'enabled'")
        {
            let address: String = row["address"]
            // « …, 62000 Arras »: the post code and the city end the address.
            guard let found = address.firstMatch(of: /([0-9]{5})\s+([^,0-9][^,]*)$/) else { continue }
            let postCode = String(found.output.1)
            let city = String(found.output.2).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !city.isEmpty else { continue }
            try insert.execute(arguments: [
                AddressMatch.Kind.housenumber.rawValue, address, nil, nil, postCode, city,
                AddressMatch.departement(ofCityCode: postCode), row["latitude"], row["longitude"],
            ])
        }
    }

    /// An FTS5 query where each typed word is a quoted prefix phrase, ANDed (quotes neutralise
    /// FTS5's syntax); nil when nothing searchable was typed.
    static func ftsPrefixMatch(_ text: String) -> String? {
        let words: [Substring] = text.split(whereSeparator: { $0.isWhitespace || $0 == "," }).filter { word in
            word.contains(where: { $0.isLetter || $0.isNumber }) && (word.count > 1 || word.allSatisfy(\.isNumber))
        }
        guard !words.isEmpty else { return nil }
        return words.prefix(12).map(ftsPrefixPhrase).joined(separator: " AND ")
    }

    /// `"word"*`: a quoted FTS5 prefix phrase (the tokenizer may split it into a sequence).
    static func ftsPrefixPhrase(_ word: some StringProtocol) -> String {
        // FTS5 reads its query as a C string: a NUL (or any control character) ends or breaks it.
        let printable = String(String.UnicodeScalarView(word.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        return "\"" + printable.replacingOccurrences(of: "\"", with: "\"\"") + "\"*"
    }
}
