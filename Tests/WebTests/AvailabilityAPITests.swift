import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Persistence
import Testing

@testable import Web

/// contracts.md §4 over real sockets, on the contract's own example document, with the clock
/// pinned to Fri 2021-04-30 08:00 Paris (as RDV_NOW would).
@Suite("Availability API", .serialized)
struct AvailabilityAPITests {
    static let now = Date(timeIntervalSince1970: 1_619_762_400)  // 2021-04-30T06:00:00Z

    func withAPI(
        _ change: (inout InterchangeDocument) -> Void = { _ in }, _ body: (UInt16, [String: Int64]) throws -> Void
    ) throws {
        try withAPI(change, prepare: { _ in }, body)
    }

    /// `prepare` runs on the imported database before the server starts.
    func withAPI(
        _ change: (inout InterchangeDocument) -> Void = { _ in }, prepare: (AppDatabase) throws -> Void,
        _ body: (UInt16, [String: Int64]) throws -> Void
    ) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-api-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try AppDatabase(
            path: directory.appendingPathComponent("rdv.sqlite3").path,
            migrations: MigrationSet(directory: packageRoot.appendingPathComponent("Migrations")))
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        change(&document)
        let ids = try db.importDocument(document, clock: FixedClock(Self.now))
        try prepare(db)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        var logger = Logger(label: "api")
        logger.logLevel = .critical
        let server = try HTTPServer(
            configuration: configuration, responder: try makeWebApplication(db, clock: FixedClock(Self.now)),
            logger: logger)
        server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        try body(server.port, ids)
    }

    func get(_ port: UInt16, _ path: String) throws -> (Int, Any) {
        let response = try Browser(port: port).request("GET", path)
        #expect(response.header("Content-Type") == "application/json; charset=utf-8")
        return (response.status, try JSONSerialization.jsonObject(with: Data(response.body)))
    }

    @Test func slotsOfTheFirstWeekAreThoseLeftByTheAppointment() throws {
        try withAPI { port, ids in
            let (status, json) = try get(
                port, "/api/v1/creneaux?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&from=2021-05-03&to=2021-05-09")
            #expect(status == 200)
            let slots = (json as? [String: Any])?["creneaux"] as? [[String: Any]]
            // 09:00–10:00 is taken by r1; 10:00–11:00 fits; 11:00 + 60 min > 11:20.
            #expect(slots?.count == 1)
            #expect(slots?.first?["starts_at"] as? String == "2021-05-03T10:00:00+02:00")
            #expect(slots?.first?["ends_at"] as? String == "2021-05-03T11:00:00+02:00")
            #expect(slots?.first?["lieu_id"] as? Int == Int(ids["l1"]!))
            #expect(slots?.first?["agent_id"] == nil)
        }
    }

    @Test func agentModeNamesTheAgentAndTheCancelledOccurrenceGivesNothing() throws {
        try withAPI { port, ids in
            let base = "/api/v1/creneaux?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&mode=agent"
            let (_, week2) = try get(port, base + "&from=2021-05-10&to=2021-05-16")
            #expect(((week2 as? [String: Any])?["creneaux"] as? [Any])?.isEmpty == true)  // 10 May is cancelled
            let (_, week3) = try get(port, base + "&from=2021-05-17&to=2021-05-17")
            let slots = (week3 as? [String: Any])?["creneaux"] as? [[String: Any]]
            #expect(
                slots?.map { $0["starts_at"] as? String } == ["2021-05-17T09:00:00+02:00", "2021-05-17T10:00:00+02:00"])
            #expect(slots?.first?["agent_id"] as? Int == Int(ids["a1"]!))
        }
    }

    @Test func nextAvailabilitySkipsTheEmptyWeek() throws {
        try withAPI { port, ids in
            let (status, json) = try get(
                port, "/api/v1/prochaine_disponibilite?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&from=2021-05-04")
            #expect(status == 200)
            #expect((json as? [String: Any])?["starts_at"] as? String == "2021-05-17T09:00:00+02:00")
        }
    }

    @Test func aCollectiveMotifOffersItsAppointmentsWithSeatsLeft() throws {
        try withAPI({ document in
            var motif = document.motifs[0]
            motif.ref = "m2"
            motif.name = "Atelier"
            motif.collectif = true
            document.motifs.append(motif)
            var appointment = document.appointments[0]
            appointment.ref = "r2"
            appointment.motif = "m2"
            appointment.starts_at = "2021-05-05T14:00:00+02:00"
            appointment.name = "Atelier massage bébé"
            appointment.max_participants_count = 8
            document.appointments.append(appointment)
        }) { port, ids in
            let (status, json) = try get(
                port, "/api/v1/creneaux?motif_id=\(ids["m2"]!)&lieu_id=\(ids["l1"]!)&from=2021-05-03&to=2021-05-09")
            #expect(status == 200)
            let slots = (json as? [String: Any])?["creneaux"] as? [[String: Any]]
            #expect(slots?.count == 1)
            #expect(slots?.first?["starts_at"] as? String == "2021-05-05T14:00:00+02:00")
            #expect(slots?.first?["places_restantes"] as? Int == 7)
        }
    }

    /// The example's sector s1 covers city 62041 and street 62041_0420, attributed to o1 at the
    /// organisation level and to a1 at the agent level (slots.md §9, scenarios S21-S22).
    @Test(arguments: [
        ("organisation", "city_code=62041", 1), ("organisation", "city_code=62193", 0),
        ("agent", "city_code=62041", 1), ("agent", "street_ban_id=62041_0420", 1), ("agent", "city_code=62193", 0),
        ("departement", "city_code=62193", 1), ("organisation", "", 1),
    ])
    func sectorisationFiltersByAddress(level: String, address: String, expected: Int) throws {
        try withAPI({ $0.motifs[0].sectorisation_level = level }) { port, ids in
            let (status, json) = try get(
                port,
                "/api/v1/creneaux?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&from=2021-05-03&to=2021-05-03&\(address)"
            )
            #expect(status == 200)
            #expect(((json as? [String: Any])?["creneaux"] as? [Any])?.count == expected, "\(level) \(address)")
        }
    }

    @Test(arguments: [
        ("/api/v1/creneaux", 400), ("/api/v1/creneaux?motif_id=abc", 400), ("/api/v1/creneaux?motif_id=999", 404),
        ("/api/v1/creneaux?motif_id=M&lieu_id=999", 404), ("/api/v1/creneaux?motif_id=M", 400),
        ("/api/v1/creneaux?motif_id=M&lieu_id=L&from=2021-13-01", 400),
        ("/api/v1/creneaux?motif_id=M&lieu_id=L&from=2021-05-10&to=2021-05-01", 400),
        ("/api/v1/creneaux?motif_id=M&lieu_id=L&from=2021-05-01&to=2021-06-15", 400),
        ("/api/v1/creneaux?motif_id=M&lieu_id=L&mode=robot", 400), ("/api/v1/creneaux?motif_id=%zz", 400),
        ("/api/v1/prochaine_disponibilite?motif_id=999", 404),
    ])
    func badParametersGetAJSONError(path: String, status: Int) throws {
        try withAPI { port, ids in
            let resolved = path.replacingOccurrences(of: "=M", with: "=\(ids["m1"]!)").replacingOccurrences(
                of: "=L", with: "=\(ids["l1"]!)")
            let (code, json) = try get(port, resolved)
            #expect(code == status, "\(path)")
            #expect((json as? [String: Any])?["error"] is String, "\(path)")
        }
    }
}
