import DatabaseTestSupport
import Domain
import Foundation
import GRDB
import Logging
import Notifications
import Testing

@testable import Exports
@_spi(RawDatabase) @testable import Persistence

/// « Exporter » end to end: the request, the job run by the outbox scheduler, the file read back
/// by openpyxl or Python's csv module and compared cell by cell, the e-mail, the expiry.
@Suite("Exports (admin.md §8)")
struct ExportJobTests {
    /// 2025-11-25T09:00:00Z: Tuesday 10:00 in Paris.
    static let now = Date(timeIntervalSince1970: 1_764_061_200)

    /// o1 (MDS Arras): Alice MARTIN (PMI, admin), Bruno PETIT (Social, basic). Léa is Jean's
    /// relative (a minor, notified through Jean, who lives in Arras). r1: future, both agents,
    /// Léa and Jean, context, receipts failure + delivered; r2: by phone, seen, booked online by
    /// Marc; r3: past, unknown, by a prescriber.
    static let fixture = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI", "short_name": "PMI"}, {"ref": "social", "name": "Service social", "short_name": "Social"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi", "social"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"}],
         "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin", "services": ["pmi"],
                     "roles": [{"organisation": "o1", "access_level": "admin"}]},
                    {"ref": "a2", "email": "bruno@example.fr", "first_name": "Bruno", "last_name": "Petit", "services": ["social"],
                     "roles": [{"organisation": "o1", "access_level": "basic"}]}],
         "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre", "address": "10 rue de la Paix, 62000 Arras",
                     "latitude": 50.29, "longitude": 2.78}],
         "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation", "color": "#1f77b4"},
                    {"ref": "m2", "organisation": "o1", "service": "social", "name": "Entretien", "color": "#ff7f0e",
                     "location_type": "phone"}],
         "users": [{"ref": "u1", "first_name": "Jean", "last_name": "Dupont", "email": "jean@example.fr", "birth_date": "1980-01-01",
                    "organisations": ["o1"], "address": "3 rue Ernestale, 62000 Arras", "post_code": "62000", "city_name": "Arras",
                    "city_code": "62041"},
                   {"ref": "u2", "first_name": "Léa", "last_name": "Dupont", "birth_date": "2015-06-10", "responsible": "u1",
                    "organisations": ["o1"]},
                   {"ref": "u3", "first_name": "Marc", "last_name": "Leroy", "birth_date": "1990-03-04", "organisations": ["o1"]}],
         "appointments": [
           {"ref": "r1", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-26T10:00:00+01:00",
            "duration_in_min": 30, "agents": ["a1", "a2"], "users": ["u2", "u1"], "status": "unknown", "created_by": "agent"},
           {"ref": "r2", "organisation": "o1", "motif": "m2", "starts_at": "2025-11-20T14:30:00+01:00",
            "duration_in_min": 30, "agents": ["a2"], "users": ["u3"], "status": "seen", "created_by": "user"},
           {"ref": "r3", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-24T09:00:00+01:00",
            "duration_in_min": 30, "agents": ["a1"], "users": ["u1"], "status": "unknown", "created_by": "prescripteur"}]}
        """#

    private func makeDatabase() throws -> (AppDatabase, URL) {
        let (db, directory) = try TemplateDatabase.make(
            prefix: "rdv-export", instance: InstanceEnvironment(["RDV_PUBLIC_URL": "https://rdv.example.fr"]))
        _ = try db.importDocument(try InterchangeDecoding.decode(Data(Self.fixture.utf8)), clock: FixedClock(Self.now))
        try db.writer.write { db in
            func id(_ table: String, _ condition: String) throws -> Int64 {
                try Int64.fetchOne(db, sql: "SELECT id FROM \(table) WHERE \(condition)") ?? -1
            }
            let r1 = try id("appointments", "starts_at = 1764147600")
            let r2 = try id("appointments", "starts_at = 1763645400")
            let r3 = try id("appointments", "starts_at = 1763971200")
            let alice = try id("agents", "email = 'alice@example.fr'")
            let marc = try id("users", "first_name = 'Marc'")
            // Created 2025-11-20 09:15 Paris (08:15Z) by Alice, with a context.
            try db.execute(
                sql: "UPDATE appointments SET created_at = 1763626500, created_by_id = ?, context = ? WHERE id = ?",
                arguments: [alice, "Premier rendez-vous; suivi", r1])
            try db.execute(
                sql: "UPDATE appointments SET created_at = 1763370000, created_by_id = ? WHERE id = ?", arguments: [marc, r2])
            try db.execute(
                sql: """
                    INSERT INTO prescribers (first_name, last_name, email) VALUES ('Paula', 'Roux', 'paula@example.fr')
                    """)
            try db.execute(
                sql: "UPDATE appointments SET created_at = 1763800000, created_by_id = ? WHERE id = ?",
                arguments: [db.lastInsertedRowID, r3])
            for (appointment, channel, result) in [(r1, "sms", "failure"), (r1, "mail", "delivered"), (r2, "mail", "processed")] {
                try db.execute(
                    sql: "INSERT INTO receipts (appointment_id, event, channel, result) VALUES (?, 'rdv_created', ?, ?)",
                    arguments: [appointment, channel, result])
            }
            // A webhook receipt is not a notification result.
            try db.execute(
                sql: "INSERT INTO receipts (appointment_id, event, channel, result) VALUES (?, 'rdv_created', 'webhook', 'delivered')",
                arguments: [r3])
        }
        return (db, directory)
    }

    private func query(_ db: AppDatabase, agentEmail: String, seesAll: Bool) throws -> AppointmentListQuery {
        let (agent, services) = try db.writer.read { db in
            let agent = try Int64.fetchOne(db, sql: "SELECT id FROM agents WHERE email = ?", arguments: [agentEmail]) ?? -1
            let services = try Int64.fetchAll(db, sql: "SELECT service_id FROM agent_services WHERE agent_id = ?", arguments: [agent])
            return (agent, Set(services))
        }
        return AppointmentListQuery(
            organisationIDs: [1], seesAllIn: seesAll ? [1] : [], viewerAgentID: agent, viewerServiceIDs: services,
            now: Self.now)
    }

    private func scheduler(_ db: AppDatabase, _ clock: any Clock, files: URL) -> OutboxScheduler {
        OutboxScheduler(
            db: db, clock: clock,
            handlers: ["export": ExportJobHandler(db: db, directory: files, logger: Logger(label: "test.export"))],
            logger: Logger(label: "test.scheduler"))
    }

    /// Columns A–U of each appointment, newest first (the list's order), as typed values.
    static let appointmentRows: [[Cell]] = [
        [
            .number(2025), .date("2025-11-20"), .time("09:15"), "Créé par un agent", .date("2025-11-26"), .time("10:00"),
            "PMI", "Consultation", "Premier rendez-vous; suivi", "À venir", "MDS Centre (10 rue de la Paix, 62000 Arras)",
            "Alice MARTIN, Bruno PETIT", "Léa DUPONT, Jean DUPONT", "Arras", "oui", "Délivré", "MDS Arras",
            "10/06/2015, 01/01/1980", "62000", "Alice MARTIN", "alice@example.fr, bruno@example.fr",
        ],
        [
            .number(2025), .date("2025-11-22"), .time("09:26"), "Créé par un prescripteur", .date("2025-11-24"),
            .time("09:00"), "PMI", "Consultation", .null, "À renseigner", "MDS Centre (10 rue de la Paix, 62000 Arras)",
            "Alice MARTIN", "Jean DUPONT", "Arras", "non", .null, "MDS Arras", "01/01/1980", "62000",
            "Paula ROUX (prescripteur)", "alice@example.fr",
        ],
        [
            .number(2025), .date("2025-11-17"), .time("10:00"), "RDV pris sur internet", .date("2025-11-20"),
            .time("14:30"), "Service social", "Entretien", .null, "Rendez-vous honoré", "Par téléphone", "Bruno PETIT",
            "Marc LEROY", .null, "non", "Traité", "MDS Arras", "04/03/1990", .null, "Marc LEROY", "bruno@example.fr",
        ],
    ]

    @Test("RDV export as XLSX: every column of every row, bold header, typed dates and times; e-mail; expiry")
    func appointmentsXLSX() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = directory.appendingPathComponent("exports")
        let clock = ManualClock(Self.now)
        let export = try db.requestExport(
            agentID: 1, type: .appointments, format: .xlsx, query: try query(db, agentEmail: "alice@example.fr", seesAll: true),
            now: Self.now)
        #expect(export.status == .pending)
        let scheduler = scheduler(db, clock, files: files)
        #expect(try scheduler.runOnce() == 1)

        let ready = try #require(try db.export(uuid: export.uuid))
        #expect(ready.status == .ready)
        #expect(ready.fileName == "export-rdv-2025-11-25-org-000001.xlsx")
        #expect(ready.expiresAt == Self.now.addingTimeInterval(6 * 3600))
        let path = files.appendingPathComponent("\(export.uuid).xlsx").path
        let read = try ReadSpreadsheet.read(path)
        #expect(read.sheets == ["RDV"])
        #expect(read.headerBold == true)
        #expect(read.formats == ["date": "dd/mm/yyyy", "time": "hh:mm"])
        #expect(read.rows.first == ExportColumns.appointmentHeaders.map { .text($0) })
        #expect(Array(read.rows.dropFirst()) == Self.appointmentRows.map { $0.map(\.xlsx) })

        // « Votre export est prêt » to Alice, with the absolute download link.
        let mail = try db.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' AND idempotency_key LIKE 'export_ready:%'")
        }
        let payload = try #require(mail?["payload"] as String?)
        #expect(payload.contains("\"subject\":\"Votre export est prêt\""))
        #expect(payload.contains("https:\\/\\/rdv.example.fr\\/agents\\/exports\\/\(export.uuid)"))
        #expect(payload.contains("\"recipient\":\"alice@example.fr\""))

        // Six hours later the file is deleted; the export stays listed as expired.
        clock.advance(by: 6 * 3600 - 1)
        #expect(try scheduler.runOnce() == 0)
        #expect(FileManager.default.fileExists(atPath: path))
        clock.advance(by: 1)
        #expect(try scheduler.runOnce() == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
        let listed = try db.exports(agentID: 1, now: clock.now)
        #expect(listed.map(\.uuid) == [export.uuid])
        #expect(listed.first?.isExpired(now: clock.now) == true)
    }

    @Test("Files are private to the server; an expired one goes even when its export row went with its agent")
    func filesArePrivateAndAlwaysExpire() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = directory.appendingPathComponent("exports")
        let clock = ManualClock(Self.now)
        let export = try db.requestExport(
            agentID: 1, type: .appointments, format: .csv,
            query: try query(db, agentEmail: "alice@example.fr", seesAll: true), now: Self.now)
        #expect(try scheduler(db, clock, files: files).runOnce() == 1)
        let path = files.appendingPathComponent("\(export.uuid).csv").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect((try FileManager.default.attributesOfItem(atPath: files.path)[.posixPermissions] as? Int) == 0o700)
        // Only the finished file is there, under its uuid.
        #expect(try FileManager.default.contentsOfDirectory(atPath: files.path) == ["\(export.uuid).csv"])
        try db.writer.write { try $0.execute(sql: "DELETE FROM exports WHERE id = ?", arguments: [export.id]) }
        clock.advance(by: ExportRules.validity)
        #expect(try scheduler(db, clock, files: files).runOnce() == 1)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("Participations export as CSV: one row per participation, 23 columns, BOM and CRLF")
    func participationsCSV() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = directory.appendingPathComponent("exports")
        let export = try db.requestExport(
            agentID: 1, type: .participations, format: .csv,
            query: try query(db, agentEmail: "alice@example.fr", seesAll: true), now: Self.now)
        #expect(try scheduler(db, FixedClock(Self.now), files: files).runOnce() == 1)
        let ready = try #require(try db.export(uuid: export.uuid))
        #expect(ready.fileName == "export-participations-2025-11-25-org-000001.csv")
        let read = try ReadSpreadsheet.read(files.appendingPathComponent("\(export.uuid).csv").path)
        #expect(read.bom == true)
        #expect(read.crlf == true)
        #expect(read.rows.first == ExportColumns.participationHeaders.map { .text($0) })
        let r1 = Self.appointmentRows[0]
        let r1ID = try db.writer.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM appointments WHERE starts_at = 1764147600") }
        func participation(_ base: [Cell], _ changes: [Int: Cell], user: String, rdv: Int64?) -> [ReadSpreadsheet.Value] {
            var row = base
            for (column, value) in changes { row[column] = value }
            return (row + [.text(user), .number(Int(rdv ?? -1))]).map(\.csv)
        }
        let ids = try db.writer.read { db in try Int64.fetchAll(db, sql: "SELECT id FROM appointments ORDER BY starts_at DESC") }
        #expect(
            Array(read.rows.dropFirst()) == [
                // Léa: a minor, notified through Jean (Arras, 62000).
                participation(r1, [12: "Léa DUPONT", 14: "oui", 17: "10/06/2015"], user: "Léa DUPONT", rdv: r1ID),
                participation(r1, [12: "Jean DUPONT", 14: "non", 17: "01/01/1980"], user: "Jean DUPONT", rdv: r1ID),
                participation(Self.appointmentRows[1], [:], user: "Jean DUPONT", rdv: ids[1]),
                participation(Self.appointmentRows[2], [:], user: "Marc LEROY", rdv: ids[2]),
            ])
    }

    @Test("Rows follow the agent's scope: a basic Social agent exports only its own and its service's")
    func scope() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let files = directory.appendingPathComponent("exports")
        let export = try db.requestExport(
            agentID: 2, type: .appointments, format: .csv,
            query: try query(db, agentEmail: "bruno@example.fr", seesAll: false), now: Self.now)
        #expect(try scheduler(db, FixedClock(Self.now), files: files).runOnce() == 1)
        let read = try ReadSpreadsheet.read(files.appendingPathComponent("\(export.uuid).csv").path)
        // r1 (Bruno is one of its agents) and r2 (Social); not r3 (PMI, Alice only).
        #expect(read.rows.dropFirst().map { $0[7] } == [.text("Consultation"), .text("Entretien")])
        // Only its owner sees it in « Vos exports ».
        #expect(try db.exports(agentID: 1, now: Self.now).isEmpty)
        #expect(try db.exports(agentID: 2, now: Self.now).map(\.uuid) == [export.uuid])
    }

    @Test("A file that cannot be written fails the export, leaves no file and sends no e-mail")
    func failure() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // The exports directory is a plain file: it cannot be created.
        let files = directory.appendingPathComponent("not-a-directory")
        _ = FileManager.default.createFile(atPath: files.path, contents: Data())
        let export = try db.requestExport(
            agentID: 1, type: .appointments, format: .xlsx,
            query: try query(db, agentEmail: "alice@example.fr", seesAll: true), now: Self.now)
        #expect(try scheduler(db, FixedClock(Self.now), files: files).runOnce() == 1)
        let failed = try #require(try db.export(uuid: export.uuid))
        #expect(failed.status == .failed)
        #expect(failed.errorMessage == "L'export n'a pas pu être préparé.")
        let mails = try db.writer.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox_messages WHERE kind = 'email'")
        }
        #expect(mails == 0)
    }

    @Test("File names: one organisation padded to 6 digits, several without")
    func fileNames() throws {
        let day = try #require(LocalDate("2026-06-01"))
        #expect(
            ExportRules.fileName(type: .appointments, format: .xlsx, date: day, organisationIDs: [123])
                == "export-rdv-2026-06-01-org-000123.xlsx")
        #expect(
            ExportRules.fileName(type: .participations, format: .csv, date: day, organisationIDs: [1, 2])
                == "export-participations-2026-06-01.csv")
    }
}

/// An expected cell, written once for both formats.
enum Cell: ExpressibleByStringLiteral, Equatable {
    case text(String)
    case number(Int)
    case date(String)
    case time(String)
    case null

    init(stringLiteral value: String) { self = .text(value) }

    /// As openpyxl reads it (dates and times typed).
    var xlsx: ReadSpreadsheet.Value {
        switch self {
        case .text(let text): .text(text)
        case .number(let number): .number(number)
        case .date(let iso): .text("date:" + iso)
        case .time(let hhmm): .text("time:" + hhmm)
        case .null: .null
        }
    }

    /// As the CSV holds it: DD/MM/YYYY, HH:MM, numbers as text.
    var csv: ReadSpreadsheet.Value {
        switch self {
        case .text(let text): .text(text)
        case .number(let number): .text(String(number))
        case .date(let iso):
            .text(iso.split(separator: "-").reversed().joined(separator: "/"))
        case .time(let hhmm): .text(hhmm)
        case .null: .null
        }
    }
}
