@testable import APIImport
import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Logging
@_spi(RawDatabase) @testable import Persistence
import Testing

@testable import Web

/// `rdv import-api` end to end: the demo's MDS Arras moves from one running instance to an empty
/// one through the API v1 over real sockets, and both answer the same `/api/v1/creneaux`.
@Suite("Moving an organisation through the API", .serialized)
struct OrganisationTransferTests {
    static let now = ISO8601.parse("2026-12-07T08:30:00+01:00")!

    /// A served instance on a fresh database (seeded with the demo when `seed`).
    final class Instance {
        let directory: URL
        let db: AppDatabase
        let server: HTTPServer

        init(seed: Bool) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-transfer-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            db = try AppDatabase(
                path: directory.appendingPathComponent("rdv.sqlite3").path,
                migrations: MigrationSet(directory: packageRoot.appendingPathComponent("Migrations")))
            if seed {
                _ = try db.importDocument(SeedDocument.make(scale: .demo, now: OrganisationTransferTests.now).result,
                                          clock: FixedClock(OrganisationTransferTests.now))
            }
            var settings = WebSettings(publicURL: "http://127.0.0.1")
            settings.rateLimits = false
            let app = WebApplication(
                db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
                staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")),
                clock: FixedClock(OrganisationTransferTests.now), settings: settings)
            var configuration = ServerConfiguration()
            configuration.port = 0
            configuration.eventLoopCount = 1
            var logger = Logger(label: "transfer")
            logger.logLevel = .critical
            server = try HTTPServer(configuration: configuration, responder: app, logger: logger)
            server.start()
        }

        deinit {
            server.shutdown()
            server.waitUntilStopped()
            try? FileManager.default.removeItem(at: directory)
        }

        func json(_ path: String) throws -> [String: Any] {
            let response = try Browser(port: server.port).request("GET", path)
            #expect(response.status == 200, "\(path): \(response.text)")
            return try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
        }
    }

    @Test func theDemoOrganisationMovesToAnEmptyInstanceWithTheSameSlots() throws {
        let source = try Instance(seed: true)
        let target = try Instance(seed: false)
        let organisation = try #require(try source.db.writer.read { db in
            try Int64.fetchOne(db, sql: "SELECT id FROM organisations WHERE name = 'MDS Arras'")
        })
        let outcome = try OrganisationTransfer.run(
            from: URL(string: "http://127.0.0.1:\(source.server.port)")!, email: "alice-martin-11@demo.rdv.fr",
            password: SeedDocument.demoPassword, organisationID: organisation, options: InterchangeMapping.Options(),
            into: target.db, clock: FixedClock(Self.now))

        // What moved: every agent, place, live motif, opening period and user of MDS Arras.
        func count(_ db: AppDatabase, _ sql: String, _ arguments: StatementArguments = []) throws -> Int {
            try db.writer.read { try Int.fetchOne($0, sql: sql, arguments: arguments) ?? -1 }
        }
        let sourceCounts = try [
            count(source.db, "SELECT count(*) FROM agent_roles WHERE organisation_id = ?", [organisation]),
            count(source.db, "SELECT count(*) FROM places WHERE organisation_id = ? AND availability <> 'disabled'", [organisation]),
            count(source.db, "SELECT count(*) FROM motifs WHERE organisation_id = ? AND deleted_at IS NULL", [organisation]),
            count(source.db, "SELECT count(*) FROM opening_periods WHERE organisation_id = ?", [organisation]),
            count(source.db, "SELECT count(*) FROM user_profiles WHERE organisation_id = ?", [organisation]),
            count(
                source.db, "SELECT count(*) FROM appointments WHERE organisation_id = ? AND starts_at > ?",
                [organisation, Int64(Self.now.timeIntervalSince1970)]),
        ]
        let targetCounts = try [
            count(target.db, "SELECT count(*) FROM agent_roles"), count(target.db, "SELECT count(*) FROM places"),
            count(target.db, "SELECT count(*) FROM motifs"), count(target.db, "SELECT count(*) FROM opening_periods"),
            count(target.db, "SELECT count(*) FROM user_profiles"), count(target.db, "SELECT count(*) FROM appointments"),
        ]
        #expect(targetCounts == sourceCounts)
        #expect(outcome.report.contains("secteurs et attributions : absents de l'API, non repris"))

        // The same slots, agent side and public side, ids translated through the import's refs.
        func back(_ prefix: Character) -> [Int64: String] {
            Dictionary(uniqueKeysWithValues: outcome.ids.filter { $0.key.first == prefix }.map { ($0.value, $0.key) })
        }
        let (backPlaces, backAgents) = (back("l"), back("a"))
        func translated(_ answer: [String: Any], lieu lieuRef: (Int64) -> String?, agent agentRef: (Int64) -> String?) -> [String] {
            ((answer["creneaux"] as? [[String: Any]]) ?? []).map { item in
                let lieu = (item["lieu_id"] as? NSNumber).map { lieuRef($0.int64Value) ?? "?" } ?? "-"
                let agent = (item["agent_id"] as? NSNumber).map { agentRef($0.int64Value) ?? "?" } ?? "-"
                return "\(item["starts_at"] ?? "") \(item["ends_at"] ?? "") \(lieu) \(agent)"
            }
        }
        let motifs = try source.db.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.location_type, m.collectif, (SELECT group_concat(p.place_id) FROM opening_periods p
                        JOIN opening_period_motifs x ON x.opening_period_id = p.id WHERE x.motif_id = m.id) AS places
                    FROM motifs m WHERE m.organisation_id = ? AND m.deleted_at IS NULL ORDER BY m.id
                    """, arguments: [organisation])
        }
        var compared = 0
        var slots = 0
        for motif in motifs where !(motif["collectif"] as Bool) {
            let motifID: Int64 = motif["id"]
            let newMotif = try #require(outcome.ids["m\(motifID)"])
            let places = Set(((motif["places"] as String?) ?? "").split(separator: ",").compactMap { Int64($0) })
            let lieux: [Int64?] = motif["location_type"] as String == "public_office" ? places.sorted() : [nil]
            for lieu in lieux {
                for mode in ["agent", "user"] {
                    let lieuQuery = lieu.map { "&lieu_id=\($0)" } ?? ""
                    let newLieuQuery = try lieu.map { "&lieu_id=\(try #require(outcome.ids["l\($0)"]))" } ?? ""
                    let week = "from=2026-12-07&to=2026-12-20&mode=\(mode)"
                    let before = translated(
                        try source.json("/api/v1/creneaux?motif_id=\(motifID)\(lieuQuery)&\(week)"),
                        // Source ids as the refs the import gave them.
                        lieu: { "l\($0)" }, agent: { "a\($0)" })
                    let after = translated(
                        try target.json("/api/v1/creneaux?motif_id=\(newMotif)\(newLieuQuery)&\(week)"),
                        lieu: { backPlaces[$0] }, agent: { backAgents[$0] })
                    #expect(after == before, "motif \(motifID) lieu \(String(describing: lieu)) mode \(mode)")
                    compared += 1
                    slots += before.count
                }
            }
        }
        #expect(compared >= 4)
        #expect(slots > 100)  // the comparison compared something
    }
}

/// The API's `rrule` read back into the import format's `recurrence` (contracts.md §3).
@Suite("Reading an API rrule")
struct CalendarRuleReadingTests {
    static let paris = TimeZone(identifier: "Europe/Paris")!

    func read(_ rule: String) -> String? {
        CalendarRuleReading.recurrence(rule, zone: Self.paris).flatMap {
            try? String(decoding: JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]), as: UTF8.self)
        }
    }

    @Test func weeklyAndMonthlyRulesWithTheirLastDay() {
        // Our API's UNTIL is the last second of the last day, in UTC: 22:59:59Z is 23:59:59 in Paris (winter).
        #expect(
            read("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH;UNTIL=20211231T225959Z")
                == #"{"every":"week","interval":2,"on":["monday","thursday"],"until":"2021-12-31"}"#)
        #expect(read("FREQ=MONTHLY;INTERVAL=1;BYDAY=2TU") == #"{"day":{"tuesday":2},"every":"month","interval":1,"until":null}"#)
        #expect(read("FREQ=MONTHLY;BYMONTHDAY=15;UNTIL=20220615") == #"{"every":"month","interval":1,"until":"2022-06-15"}"#)
        #expect(read("FREQ=WEEKLY;BYDAY=MO;WKST=MO") == #"{"every":"week","interval":1,"on":["monday"],"until":null}"#)
    }

    @Test(arguments: ["FREQ=DAILY", "FREQ=WEEKLY;COUNT=3", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=WEEKLY;BYDAY=XX", "FREQ=WEEKLY;INTERVAL=0"])
    func whatTheFormatCannotSayIsNil(rule: String) {
        #expect(read(rule) == nil)
    }

    @Test func theDepartementComesFromThePostCode() {
        #expect(InterchangeMapping.departement(in: "10 rue de la Paix, 62000 Arras") == "62")
        #expect(InterchangeMapping.departement(in: "1 rue du Port 97411 Saint-Paul") == "974")
        #expect(InterchangeMapping.departement(in: "Place Foch 20000 Ajaccio") == nil)
        #expect(InterchangeMapping.departement(in: "123456 nulle part") == nil)
        #expect(InterchangeMapping.instant("2026-06-01T09:00:00.000+02:00") == "2026-06-01T09:00:00+02:00")
    }
}
