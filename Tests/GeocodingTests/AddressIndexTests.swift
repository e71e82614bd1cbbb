import DatabaseTestSupport
import Synchronization
import Domain
import Foundation
import GRDB
import Testing

@testable import Geocoding
@_spi(RawDatabase) @testable import Persistence

/// The embedded address service (contracts.md §6) on generated files in the BAN « adresses »
/// layout: the import (plain and gzip, replacing a département, all or nothing), the search
/// (accents and case aside, best first), and the instance's own entries without an import.
@Suite("Address index")
struct AddressIndexTests {
    static let header =
        "id;id_fantoir;numero;rep;nom_voie;code_postal;code_insee;nom_commune;code_insee_ancienne_commune;"
        + "nom_ancienne_commune;x;y;lon;lat;type_position;alias;nom_ld;libelle_acheminement;nom_afnor;"
        + "source_position;source_nom_voie;certification_commune;cad_parcelles"

    /// A line as the BAN writes it (Lambert-93 x/y left at 0: we read lon/lat).
    static func line(
        _ number: String, _ rep: String = "", street: String, fantoir: String, post: String, city: String,
        code: String, lon: Double, lat: Double
    ) -> String {
        "\(code)_\(fantoir)_\(number);\(code)_\(fantoir);\(number);\(rep);\(street);\(post);\(code);\(city);;;0;0;"
            + "\(lon);\(lat);entrée;;;\(city.uppercased());\(street.uppercased());commune;commune;1;"
    }

    static let arras = [
        line("1", street: "Rue de l'Église", fantoir: "0190", post: "62000", city: "Arras", code: "62041", lon: 2.7801, lat: 50.2901),
        line("12", street: "Rue de l'Église", fantoir: "0190", post: "62000", city: "Arras", code: "62041", lon: 2.7802, lat: 50.2902),
        line("12", "bis", street: "Rue de l'Église", fantoir: "0190", post: "62000", city: "Arras", code: "62041", lon: 2.7803, lat: 50.2903),
        line("3", street: "Place des Héros", fantoir: "0452", post: "62000", city: "Arras", code: "62041", lon: 2.7812, lat: 50.2911),
        line("99999", street: "Le Val de Scarpe", fantoir: "B001", post: "62000", city: "Arras", code: "62041", lon: 2.77, lat: 50.29),
        line("5", street: "Rue Nationale", fantoir: "0610", post: "62300", city: "Lens", code: "62498", lon: 2.8301, lat: 50.4321),
    ]

    func write(_ lines: [String], gzip: Bool = false, bom: Bool = false, header: Bool = true) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("adresses-\(UUID().uuidString).csv")
        let text = (bom ? "\u{FEFF}" : "") + ((header ? [Self.header] : []) + lines).joined(separator: "\r\n") + "\r\n"
        try Data(text.utf8).write(to: url)
        guard gzip else { return url }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/gzip")
        process.arguments = ["-f", url.path]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        return url.appendingPathExtension("gz")
    }

    func load(_ db: AppDatabase, _ url: URL) throws -> AddressImportSummary {
        let reader = try BANFileReader(path: url.path)
        return try db.importAddresses { try reader.next() }
    }

    func labels(_ db: AppDatabase, _ text: String) throws -> [String] {
        try db.searchAddresses(text).map(\.label)
    }

    @Test("A gzip file is imported: its addresses, a street entry per street, a city per post code")
    func importsAGzipFile() throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-addresses")
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = try write(Self.arras, gzip: true, bom: true)
        defer { try? FileManager.default.removeItem(at: file) }
        let summary = try load(db, file)
        #expect(summary == AddressImportSummary(addresses: 5, streets: 4, cities: 2, departements: ["62"]))
        #expect(try db.addressCounts().imported == 11)

        // Accents and case aside, every word a prefix; the shortest label first.
        #expect(try labels(db, "EGLISE arr") == [
            "Rue de l'Église 62000 Arras", "1 Rue de l'Église 62000 Arras", "12 Rue de l'Église 62000 Arras",
            "12 bis Rue de l'Église 62000 Arras",
        ])
        #expect(try labels(db, "12 bis eglise") == ["12 bis Rue de l'Église 62000 Arras"])
        #expect(try labels(db, "arras").first == "62000 Arras")
        #expect(try labels(db, "val de scarpe") == ["Le Val de Scarpe 62000 Arras"])
        let heros = try #require(try db.searchAddresses("3 place des heros").first)
        #expect(
            heros
                == AddressMatch(
                    label: "3 Place des Héros 62000 Arras", kind: .housenumber, streetID: "62041_0452", cityCode: "62041",
                    postCode: "62000", city: "Arras", latitude: 50.2911, longitude: 2.7812))
        // FTS5 syntax typed by a person is only text.
        #expect(try labels(db, #"eglise" OR "*"#).isEmpty)
        #expect(try labels(db, "NEAR(a b)").isEmpty)
    }

    @Test("Re-importing a département replaces it; a bad line or a cut gzip changes nothing")
    func aReimportReplacesAndAFailureChangesNothing() throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-addresses")
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try write(Self.arras)
        _ = try load(db, first)
        let newer = try write([
            Self.line("7", street: "Rue Neuve", fantoir: "0700", post: "62000", city: "Arras", code: "62041", lon: 2.78, lat: 50.29)
        ])
        #expect(try load(db, newer).departements == ["62"])
        #expect(try labels(db, "eglise").isEmpty)
        #expect(try labels(db, "rue neuve") == ["Rue Neuve 62000 Arras", "7 Rue Neuve 62000 Arras"])

        let broken = try write(Self.arras + ["62041_0190_00002;62041_0190;2;;Rue de l'Église;620;62041;Arras;;;0;0;2.78;50.29"])
        #expect(throws: BANFileReader.Failure(line: 8, reason: "code_postal « 620 »")) { try load(db, broken) }
        #expect(try labels(db, "eglise").isEmpty)
        #expect(try labels(db, "rue neuve").count == 2)

        let gzip = try write(Self.arras, gzip: true)
        let bytes = try Data(contentsOf: gzip)
        try bytes.prefix(bytes.count - 12).write(to: gzip)
        #expect(throws: BANFileReader.Failure.self) { try load(db, gzip) }
        #expect(try labels(db, "rue neuve").count == 2)

        // Two gzip members (`cat a.gz b.gz`) are both read; a pipe is read as a file.
        let partA = try write(Array(Self.arras.prefix(3)), gzip: true)
        let partB = try write([Self.arras[5]], gzip: true, header: false)
        let both = directory.appendingPathComponent("both.csv.gz")
        try (try Data(contentsOf: partA) + (try Data(contentsOf: partB))).write(to: both)
        let summary = try load(db, both)
        #expect(summary.addresses == 4 && summary.departements == ["62"])
        for url in [partA, partB] { try? FileManager.default.removeItem(at: url) }
        let notBAN = try write([])
        try Data("nom;prenom\nDupont;Jean\n".utf8).write(to: notBAN)
        #expect(
            throws: BANFileReader.Failure(
                line: 1, reason: "not a BAN addresses header: missing numero, nom_voie, code_postal, code_insee, nom_commune, lon, lat")
        ) { try BANFileReader(path: notBAN.path) }
        for url in [first, newer, broken, gzip, notBAN] { try? FileManager.default.removeItem(at: url) }
    }

    @Test("Without an import the zones' cities and streets and the places' addresses answer")
    func theInstancesOwnEntriesAnswerWithoutAnImport() throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-addresses")
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO territories (id, name, departement_number) VALUES (1, 'Pas-de-Calais', '62');
                    INSERT INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras');
                    INSERT INTO sectors (id, territory_id, name, human_id) VALUES (1, 1, 'Arras', 'arras');
                    INSERT INTO zones (sector_id, level, city_name, city_code) VALUES (1, 'city', 'Arras', '62041');
                    INSERT INTO zones (sector_id, level, city_name, city_code, street_name, street_ban_id)
                        VALUES (1, 'street', 'Lens', '62498', 'Rue Nationale', '62498_0610');
                    INSERT INTO places (organisation_id, name, address, latitude, longitude)
                        VALUES (1, 'MDS Centre', '10 rue de la Paix, 62000 Arras', 50.291, 2.778);
                    """)
        }
        try db.rebuildLocalAddresses()
        #expect(try db.addressCounts() == (imported: 0, local: 3))
        #expect(try labels(db, "paix arras") == ["10 rue de la Paix, 62000 Arras"])
        let street = try #require(try db.searchAddresses("nationale lens").first)
        #expect(street.streetID == "62498_0610" && street.cityCode == "62498" && street.postCode == nil)
        // Once the BAN holds Arras, its complete entry answers instead of the zone's; a place
        // whose address is an imported one comes once.
        _ = try load(db, try write(Self.arras))
        let arras = try db.searchAddresses("arras").filter { $0.kind == .municipality }
        #expect(arras.map(\.label) == ["62000 Arras"])
        try db.writer.write {
            try $0.execute(
                sql: """
                    INSERT INTO places (organisation_id, name, address, latitude, longitude)
                    VALUES (1, 'Antenne', '12 Rue de l''Église 62000 Arras', 50.2, 2.7)
                    """)
        }
        try db.rebuildLocalAddresses()
        let twelve = try db.searchAddresses("12 eglise arras")
        #expect(twelve.map(\.label) == ["12 Rue de l'Église 62000 Arras", "12 bis Rue de l'Église 62000 Arras"])
        #expect(twelve.first?.cityCode == "62041")
    }

    @Test("The service: fewer than 3 characters ask nothing; a failing remote falls back to the index")
    func theServiceFallsBackToTheIndex() throws {
        let (db, directory) = try TemplateDatabase.make(prefix: "rdv-addresses")
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try load(db, try write(Self.arras))
        struct Down: AddressSearching, Error {
            func search(_ text: String, limit: Int) throws -> [AddressMatch] { throw self }
        }
        let failures = Failures()
        let service = AddressService(
            remote: Down(), embedded: EmbeddedAddressSearch(db: db), onRemoteFailure: { _ in failures.add() })
        #expect(try service.search("ar").isEmpty)
        #expect(failures.count == 0)
        #expect(try service.search("héros").map(\.label) == ["Place des Héros 62000 Arras", "3 Place des Héros 62000 Arras"])
        #expect(failures.count == 1)
    }
}

final class Failures: Sendable {
    private let value = Mutex(0)
    func add() { value.withLock { $0 += 1 } }
    var count: Int { value.withLock { $0 } }
}
