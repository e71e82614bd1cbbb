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

    /// "<status> <body>": one string, so a failed #expect shows both.
    func body(_ port: UInt16, _ path: String) -> String {
        guard let response = try? Browser(port: port).request("GET", path) else { return "no response" }
        return "\(response.status) " + String(decoding: response.body, as: UTF8.self)
    }

    func answer(_ status: Int, _ body: String) -> String { "\(status) \(body)" }

    /// The exact bytes: api.md §8's key order (starts_at, ends_at, lieu_id, agent_id), no spaces.
    @Test func bodiesAreWrittenInTheContractsKeyOrder() throws {
        try withAPI { port, ids in
            let (m, l) = (ids["m1"]!, ids["l1"]!)
            let week = "from=2021-05-03&to=2021-05-09"
            #expect(
                body(port, "/api/v1/creneaux?motif_id=\(m)&lieu_id=\(l)&\(week)") == answer(
                    200,
                    #"{"creneaux":[{"starts_at":"2021-05-03T10:00:00+02:00","ends_at":"2021-05-03T11:00:00+02:00","lieu_id":\#(l)}]}"#
                ))
            #expect(
                body(port, "/api/v1/creneaux?motif_id=\(m)&lieu_id=\(l)&mode=agent&\(week)") == answer(
                    200,
                    #"{"creneaux":[{"starts_at":"2021-05-03T10:00:00+02:00","ends_at":"2021-05-03T11:00:00+02:00","lieu_id":\#(l),"agent_id":\#(ids["a1"]!)}]}"#
                ))
            #expect(
                body(port, "/api/v1/creneaux?motif_id=\(m)&lieu_id=\(l)&from=2021-05-10&to=2021-05-16")
                    == answer(200, #"{"creneaux":[]}"#))
            #expect(
                body(port, "/api/v1/prochaine_disponibilite?motif_id=\(m)&lieu_id=\(l)&from=2021-05-04")
                    == answer(200, #"{"starts_at":"2021-05-17T09:00:00+02:00"}"#))
            #expect(
                body(port, "/api/v1/prochaine_disponibilite?motif_id=\(m)&lieu_id=\(l)&from=2022-01-01")
                    == answer(200, #"{"starts_at":null}"#))
            #expect(body(port, "/api/v1/creneaux?motif_id=999") == answer(404, #"{"error":"motif introuvable"}"#))
            #expect(
                body(port, "/api/v1/creneaux?motif_id=\(m)&lieu_id=\(l)&from=2021-05-10&to=2021-05-01")
                    == answer(400, #"{"error":"to doit être postérieur ou égal à from"}"#))
        }
    }

    @Test(arguments: [
        ("plain", #""plain""#), ("\"quoted\" \\ back", #""\"quoted\" \\ back""#), ("a/b", #""a/b""#),
        ("line\nfeed\r\ttab\u{08}\u{0C}", #""line\nfeed\r\ttab\b\f""#), ("\u{00}\u{01}\u{1F}", #""\u0000\u0001\u001f""#),
        ("é\u{2028}😀\u{7F}", "\"é\u{2028}😀\u{7F}\""),
    ])
    func theJSONWriterEscapesStringsAsRFC8259Asks(value: String, expected: String) throws {
        var json = JSONWriter()
        json.string(value)
        #expect(String(decoding: json.bytes, as: UTF8.self) == expected)
        // and Foundation reads back the same string
        let back = try JSONSerialization.jsonObject(with: Data(json.bytes), options: [.fragmentsAllowed]) as? String
        #expect(back == value)
    }

    @Test func theJSONWriterNestsWithCommasAndWritesIntegersAndNull() {
        var json = JSONWriter()
        json.beginObject()
        json.key("a")
        json.beginArray()
        json.int(0)
        json.int(-42)
        json.int(Int64.max)
        json.int(Int64.min)
        json.null()
        json.beginObject()
        json.endObject()
        json.beginArray()
        json.endArray()
        json.endArray()
        json.key("b")
        json.string(nil)
        json.endObject()
        #expect(
            String(decoding: json.bytes, as: UTF8.self)
                == #"{"a":[0,-42,9223372036854775807,-9223372036854775808,null,{},[]],"b":null}"#)
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
            // api.md §8 extensions
            #expect(slots?.first?["remaining_seats"] as? Int == 7)
            #expect(slots?.first?["name"] as? String == "Atelier massage bébé")
            #expect(slots?.first?["rdv_id"] as? Int == Int(ids["r2"]!))
        }
    }

    /// slots.md §2: a weekly recurrence without `on` repeats on the weekday of `first_day` (and
    /// `interval` defaults to 1); the import used to refuse it (« must list at least one weekday »).
    @Test func aWeeklyRecurrenceWithoutWeekdaysRepeatsOnTheFirstDaysWeekday() throws {
        try withAPI({ document in
            document.opening_periods[0].first_day = "2021-05-05"  // a Wednesday
            document.opening_periods[0].recurrence = try? JSONDecoder().decode(
                RecurrenceRecord.self, from: Data(#"{"every": "week", "until": "2021-12-31"}"#.utf8))
            document.opening_periods[0].exceptions = nil
        }) { port, ids in
            let (status, json) = try get(
                port,
                "/api/v1/creneaux?motif_id=\(ids["m1"]!)&lieu_id=\(ids["l1"]!)&mode=agent&from=2021-05-03&to=2021-05-16")
            #expect(status == 200)
            let slots = try #require((json as? [String: Any])?["creneaux"] as? [[String: Any]])
            #expect(
                slots.map { $0["starts_at"] as? String } == [
                    "2021-05-05T09:00:00+02:00", "2021-05-05T10:00:00+02:00", "2021-05-12T09:00:00+02:00",
                    "2021-05-12T10:00:00+02:00",
                ])
        }
    }

    /// A phone motif (no place asked) offered at 14:00 by a1 at l1 and a2 at l2: slots.md §5
    /// gives one item per start within the organisation, carrying the first place in the
    /// engine's order (the lower place id); agent mode keeps one per start and agent.
    @Test func userModeWithoutAPlaceGivesOneItemPerStart() throws {
        try withAPI({ document in
            var motif = document.motifs[0]
            motif.ref = "m3"
            motif.name = "Entretien téléphonique"
            motif.location_type = "phone"
            motif.default_duration_in_min = 30
            document.motifs.append(motif)
            var place = document.places[0]
            place.ref = "l2"
            place.name = "MDS Sud"
            document.places.append(place)
            var agent = document.agents[0]
            agent.ref = "a2"
            agent.email = "agent2@example.fr"
            agent.password = nil
            document.agents.append(agent)
            for (ref, agentRef, placeRef) in [("p2", "a2", "l2"), ("p3", "a1", "l1")] {
                var period = document.opening_periods[0]
                period.ref = ref
                period.agent = agentRef
                period.place = placeRef
                period.motifs = ["m3"]
                period.first_day = "2021-05-05"
                period.start_time = "14:00"
                period.end_time = "15:00"
                period.recurrence = nil
                period.exceptions = nil
                document.opening_periods.append(period)
            }
        }) { port, ids in
            let base = "/api/v1/creneaux?motif_id=\(ids["m3"]!)&from=2021-05-05&to=2021-05-05"
            let (status, user) = try get(port, base)
            #expect(status == 200)
            let items = try #require((user as? [String: Any])?["creneaux"] as? [[String: Any]])
            #expect(items.map { $0["starts_at"] as? String } == ["2021-05-05T14:00:00+02:00", "2021-05-05T14:30:00+02:00"])
            #expect(items.map { $0["lieu_id"] as? Int } == [Int(ids["l1"]!), Int(ids["l1"]!)])
            #expect(items.allSatisfy { $0["agent_id"] == nil })
            let (_, agent) = try get(port, base + "&mode=agent")
            let agentItems = try #require((agent as? [String: Any])?["creneaux"] as? [[String: Any]])
            #expect(agentItems.count == 4)
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
