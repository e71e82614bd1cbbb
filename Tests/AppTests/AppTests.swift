import App
import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Persistence
import Testing

@Suite("Application over real sockets", .serialized)
struct AppTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func withApp(_ body: (UInt16) throws -> Void) throws {
        var configuration = AppConfiguration(
            templatesDirectory: Self.root.appendingPathComponent("Templates"),
            publicDirectory: Self.root.appendingPathComponent("Public"))
        configuration.server.port = 0
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-app-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = try AppDatabase(
            path: directory.appendingPathComponent("rdv.sqlite3").path,
            migrations: MigrationSet(directory: Self.root.appendingPathComponent("Migrations")))
        let server = try buildApplication(
            configuration, database: database, clock: FixedClock(Date(timeIntervalSince1970: 1_764_061_200)),
            logger: logger)
        server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        try body(server.port)
    }

    @Test func healthAnswersOk() throws {
        try withApp { port in
            let client = try TestClient(port: port)
            try client.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 200)
            #expect(response.text == "ok")
            #expect(response.header("Content-Type") == "text/plain; charset=utf-8")
        }
    }

    @Test func healthRefusesOtherMethodsWith405() throws {
        try withApp { port in
            let client = try TestClient(port: port)
            try client.send("POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 405)
            #expect(response.header("Allow") == "GET, HEAD")
        }
    }

    @Test func unknownPathIs404InFrench() throws {
        try withApp { port in
            let client = try TestClient(port: port)
            try client.send("GET /nulle-part HTTP/1.1\r\nHost: localhost\r\n\r\n")
            let response = try #require(try client.readResponse())
            #expect(response.status == 404)
            #expect(response.text.contains("<h1>Page introuvable</h1>"))
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
        }
    }
}

/// The real `rdv` binary: `serve` answers /health, and SIGTERM drains and exits 0 (contracts.md §1).
@Suite("rdv serve process")
struct ServeProcessTests {
    /// contracts.md §1–§4 end to end: `rdv import` the contract's example, `rdv serve` with
    /// RDV_NOW on Fri 2021-04-30 08:00 Paris, then the public availability API.
    @Test func importThenServeWithRDVNowAnswersTheAvailabilityAPI() throws {
        let binary = RDVProcess.binary
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-now-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("rdv.sqlite3").path
        let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let environment = [
            "RDV_ROOT": packageRoot.path, "RDV_NOW": "2021-04-30T08:00:00+02:00", "RDV_LOG_LEVEL": "warning",
        ]
        // Given the example document imported
        let importer = Process()
        importer.executableURL = binary
        importer.arguments = [
            "import", packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json").path,
            "--database", database,
        ]
        importer.environment = environment
        let output = Pipe()
        importer.standardOutput = output
        try importer.run()
        importer.waitUntilExit()
        #expect(importer.terminationStatus == 0)
        let ids =
            try JSONSerialization.jsonObject(with: output.fileHandleForReading.readDataToEndOfFile()) as? [String: Int]
        let motif = try #require(ids?["m1"])
        let place = try #require(ids?["l1"])
        // When the server runs with the simulated clock
        let port = try RDVProcess.freePort()
        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve", "--port", "\(port)", "--database", database]
        server.environment = environment
        let log = Pipe()
        server.standardOutput = log
        server.standardError = log
        try server.run()
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        #expect(waitFor(timeoutMilliseconds: 10_000) { (try? TestClient(port: port)) != nil })
        let client = try TestClient(port: port)
        try client.send(
            "GET /api/v1/creneaux?motif_id=\(motif)&lieu_id=\(place)&from=2021-05-03&to=2021-05-09 HTTP/1.1\r\nHost: x\r\n\r\n"
        )
        let response = try #require(try client.readResponse())
        // Then the slots are those of the simulated week
        #expect(response.status == 200)
        #expect(
            response.text
                == #"{"creneaux":[{"starts_at":"2021-05-03T10:00:00+02:00","ends_at":"2021-05-03T11:00:00+02:00","lieu_id":\#(place)}]}"#
        )
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func serveAnswersHealthAndStopsCleanlyOnSignal(signal: Int32) throws {
        let binary = RDVProcess.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build rdv first: \(binary.path)")
        let port = try RDVProcess.freePort()
        let process = Process()
        process.executableURL = binary
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-serve-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("rdv.sqlite3").path
        process.arguments = ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--database", database]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        defer { if process.isRunning { process.terminate() } }

        // Given the server accepts connections
        #expect(waitFor(timeoutMilliseconds: 10_000) { (try? TestClient(port: port)) != nil })
        let client = try TestClient(port: port)
        try client.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
        #expect(try client.readResponse()?.text == "ok")

        // When it receives the signal, it closes the idle connection and exits 0.
        kill(process.processIdentifier, signal)
        #expect(try client.isClosedByServer())
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        let log = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(log.contains("rdv listening on http://127.0.0.1:\(port)"))
        #expect(log.contains("GET /health 200"))
        #expect(log.contains("rdv stopped"))
    }
}
