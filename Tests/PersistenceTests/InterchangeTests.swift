import Cryptography
import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

@Suite("Import and export (rdv-import/1)")
struct InterchangeTests {
    /// contracts.md §3 uses May 2021: the clock sits just before.
    let clock = FixedClock(Date(timeIntervalSince1970: 1_619_856_000))  // 2021-05-01T08:00:00Z

    func counts(_ db: AppDatabase) throws -> [String: Int] {
        let tables = [
            "territories", "organisations", "agents", "motifs", "opening_periods", "users", "appointments",
            "participations",
        ]
        return try db.writer.read { (conn: Database) throws in
            var result: [String: Int] = [:]
            for table in tables { result[table] = try Int.fetchOne(conn, sql: "SELECT count(*) FROM \(table)") }
            return result
        }
    }

    @Test func theContractExampleImportsAndEveryRefGetsAnID() throws {
        // Given the document of contracts.md §3
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        let document = try InterchangeDecoding.decode(data)
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // When it is imported on 2021-04-20
        let ids = try db.importDocument(document, clock: FixedClock(Date(timeIntervalSince1970: 1_618_905_600)))
        // Then every ref maps to the id of its row
        #expect(Set(ids.keys) == ["pmi", "t62", "o1", "a1", "l1", "m1", "p1", "x1", "u1", "s1", "r1"])
        try db.writer.read { (conn: Database) throws in
            #expect(
                try String.fetchOne(conn, sql: "SELECT name FROM organisations WHERE id = ?", arguments: [ids["o1"]])
                    == "MDS Arras")
            #expect(try String.fetchOne(conn, sql: "SELECT time_zone FROM territories") == "Europe/Paris")
            #expect(try Int.fetchOne(conn, sql: "SELECT count(*) FROM occurrence_exceptions WHERE cancelled = 1") == 1)
            #expect(try Int.fetchOne(conn, sql: "SELECT starts_at FROM appointments") == 1_620_025_200)  // 07:00Z
            #expect(try Int.fetchOne(conn, sql: "SELECT count(*) FROM user_profiles") == 1)
            // The appointment (Mon 2021-05-03 09:00 Paris) is future: its reminder is planned for
            // Thu 2021-04-29 09:00 Paris (Sun 2 May and the 1 May holiday skipped, Fri 30 counted).
            let reminder = try Row.fetchOne(
                conn, sql: "SELECT kind, due_at, idempotency_key, status FROM outbox_messages")
            #expect(reminder?["kind"] == "reminder")
            #expect(reminder?["due_at"] == 1_619_679_600)
            #expect(reminder?["idempotency_key"] == "reminder:\(ids["r1"]!):2021-05-03T07:00:00Z")
            #expect(reminder?["status"] == "pending")
            let hash = try String.fetchOne(conn, sql: "SELECT password_hash FROM agents") ?? ""
            #expect(hash.hasPrefix("scrypt$15$8$1$"))
        }
    }

    @Test func noReminderIsPlannedWhenItsMomentHasPassed() throws {
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // On 1 May the Thursday 29 April reminder moment is past: the confirmation covers it.
        _ = try db.importDocument(try InterchangeDecoding.decode(data), clock: clock)
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM outbox_messages") } == 0)
    }

    @Test func exportThenImportIntoAnEmptyDatabaseGivesTheSameDocument() throws {
        // Given the demo data set imported once
        let seed = SeedDocument.make(scale: .demo, now: clock.now)
        let (first, d1) = try makeTestDatabase()
        let (second, d2) = try makeTestDatabase()
        defer {
            try? FileManager.default.removeItem(at: d1)
            try? FileManager.default.removeItem(at: d2)
        }
        _ = try first.importDocument(seed.result, clock: clock)
        // When it is exported and the export imported into an empty database
        let exported = try first.exportDocument()
        _ = try second.importDocument(exported, clock: clock)
        // Then the second export is the same document, and nothing was lost on the way
        #expect(try second.exportDocument() == exported)
        #expect(exported.appointments.count == 300)
        #expect(exported.users.count == 200)
        #expect(exported.agents.allSatisfy { $0.password == nil })
        #expect(try counts(first) == counts(second))
    }

    @Test func anInvalidDocumentChangesNothing() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var document = SeedDocument.make(scale: .demo, now: clock.now).result
        _ = try db.importDocument(document, clock: clock)
        let before = try counts(db)
        // A document whose last appointment is refused by the domain rules
        document.appointments[document.appointments.count - 1].starts_at = "2017-05-03T09:00:00+02:00"
        #expect(throws: InterchangeErrors.self) { try db.importDocument(document, clock: clock) }
        #expect(try counts(db) == before)
    }

    @Test func aConstraintFailureDuringTheWriteRollsEverythingBack() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var document = SeedDocument.make(scale: .demo, now: clock.now).result
        _ = try db.importDocument(document, clock: clock)
        let before = try counts(db)
        // Importing the same territory again breaks UNIQUE(departement_number) in the database
        document.users = []
        document.appointments = []
        document.referents = []
        do {
            _ = try db.importDocument(document, clock: clock)
            Issue.record("expected a failure")
        } catch let error as InterchangeErrors {
            #expect(error.errors.map(\.path) == ["territories[0]"])
            #expect(
                error.errors.first?.message.contains("UNIQUE constraint failed: territories.departement_number") == true
            )
        }
        #expect(try counts(db) == before)
    }

    static let badDocuments: [(String, String, [String])] = [
        (
            "type errors anywhere, all reported",
            #"{"format": "rdv-import/1", "users": [{"ref": "u1", "first_name": "A", "last_name": 3}, {"ref": "u2", "first_name": null, "last_name": "B"}], "places": [{"ref": "l1"}]}"#,
            [
                "places[0].organisation: is required", "users[0].last_name: must be a string",
                "users[1].first_name: must be a string, not null",
            ]
        ),
        (
            "wrong format name",
            #"{"format": "rdv-import/2"}"#,
            ["format: must be \"rdv-import/1\""]
        ),
        (
            "unknown, duplicate and mistyped refs",
            #"{"format": "rdv-import/1", "services": [{"ref": "x", "name": "PMI", "short_name": "PMI"}], "territories": [{"ref": "x", "name": "T", "services": ["pmi"]}], "organisations": [{"ref": "o1", "territory": "x", "name": "O"}]}"#,
            [
                "territories[0].ref: duplicate ref \"x\" (already used at services[0].ref)",
                "territories[0].services[0]: unknown ref \"pmi\" (expected a service)",
                "organisations[0].territory: ref \"x\" is a service, expected a territory",
            ]
        ),
    ]

    @Test(arguments: badDocuments)
    func structuralErrorsNameTheirJSONPath(name: String, json: String, expected: [String]) throws {
        var found: [String]
        do {
            let document = try InterchangeDecoding.decode(Data(json.utf8))
            found = InterchangeValidator.validate(document, clock: clock).map(\.description)
        } catch let error as InterchangeErrors {
            found = error.errors.map(\.description)
        }
        #expect(found.sorted() == expected.sorted(), "\(name)")
    }

    /// slots.md §2: `on` absent → the weekday of `first_day`, `interval` absent → 1, `starts`
    /// a date or datetime equal to `first_day`.
    @Test(arguments: [
        (#"{"every": "week"}"#, [String]()),
        (#"{"every": "week", "interval": 2, "starts": "2021-05-03T00:00:00+02:00"}"#, []),
        (#"{"every": "week", "on": []}"#,
         ["opening_periods[0].recurrence.on: must list at least one weekday, or be left out (the weekday of first_day)"]),
        (#"{"every": "week", "starts": "lundi"}"#, ["opening_periods[0].recurrence.starts: must be a date YYYY-MM-DD (or a datetime)"]),
        (#"{"every": "week", "starts": "2021-05-04"}"#,
         ["opening_periods[0].recurrence: la date de début de la récurrence doit être le premier jour"]),
    ])
    func weeklyRecurrenceFields(recurrence: String, expected: [String]) throws {
        // Given the contract example (first_day Monday 2021-05-03) with this recurrence and no exception
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        document.opening_periods[0].recurrence = try JSONDecoder().decode(
            RecurrenceRecord.self, from: Data(recurrence.utf8))
        document.opening_periods[0].exceptions = nil
        // When / Then
        let messages = InterchangeValidator.validate(document, clock: clock).map(\.description)
        #expect(messages == expected, "\(recurrence)")
    }

    @Test func aWeeklyRecurrenceWithoutWeekdaysIsStoredAndExpandedOnTheFirstDaysWeekday() throws {
        // Given the contract example's period, from Wednesday 2021-05-05, weekly without `on` nor `interval`
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        document.opening_periods[0].first_day = "2021-05-05"
        document.opening_periods[0].recurrence = try JSONDecoder().decode(
            RecurrenceRecord.self, from: Data(#"{"every": "week", "until": "2021-06-30"}"#.utf8))
        document.opening_periods[0].exceptions = nil
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // When it is imported
        let ids = try db.importDocument(document, clock: clock)
        // Then the stored JSON has interval 1 and no `on`, and expands on Wednesdays
        let stored = try db.writer.read { conn in
            try String.fetchOne(
                conn, sql: "SELECT recurrence FROM opening_periods WHERE id = ?", arguments: [ids["p1"]])
        }
        #expect(stored == #"{"every":"week","interval":1,"until":"2021-06-30"}"#)
        let motifID = try #require(ids["m1"])
        let motif = try #require(try db.slotMotif(id: motifID))
        // [Mon 2021-05-03 00:00, Mon 2021-05-17 00:00) Paris
        let range = DateInterval(
            start: Date(timeIntervalSince1970: 1_619_992_800), end: Date(timeIntervalSince1970: 1_621_202_400))
        let inputs = try db.slotInputs(motif: motif, placeID: ids["l1"], agents: nil, range: range)
        let pattern = try #require(inputs.periods.first?.pattern)
        let monday = try #require(LocalDate("2021-05-03"))
        let sunday = try #require(LocalDate("2021-05-16"))
        #expect(
            pattern.occurrences(from: monday, through: sunday).map(\.day.description) == ["2021-05-05", "2021-05-12"])
    }

    @Test func domainRulesAreReportedWithTheirPathsAndMessages() throws {
        var document = SeedDocument.make(scale: .demo, now: clock.now).result
        document.opening_periods[3].end_time = "08:00"
        document.motifs[3].collectif = true  // a home visit motif
        document.absences[0].recurrence = try JSONDecoder().decode(
            RecurrenceRecord.self, from: Data(#"{"every": "week", "interval": 1, "on": ["monday"]}"#.utf8))
        document.absences[0].end_day = "2099-01-01"
        document.appointments[1].starts_at = "2017-05-03T09:00:00+02:00"
        let messages = InterchangeValidator.validate(document, clock: clock).map(\.description)
        #expect(messages.contains("opening_periods[3].end_time: must be after start_time"))
        #expect(messages.contains("motifs[3].location_type: Les RDV collectifs doivent avoir lieu sur place"))
        #expect(
            messages.contains(
                "absences[0].recurrence: une indisponibilité sur plusieurs jours ne peut pas être récurrente"))
        #expect(messages.contains("appointments[1].starts_at: doit être en 2018 ou après"))
    }

    @Test func theDemoAgentsShareOneHashOfTheDemoPasswordAndCanSignIn() throws {
        // Given the demo seed imported
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        _ = try db.importDocument(SeedDocument.make(scale: .demo, now: clock.now).result, clock: clock)
        // When the agents with an e-mail are read
        let rows = try db.writer.read { conn in
            try Row.fetchAll(conn, sql: "SELECT password_hash, invitation_sent_at FROM agents WHERE email IS NOT NULL")
        }
        // Then one hash (scrypt once per seed), which verifies the demo password, and none is invitation-pending
        let hashes = Set(rows.map { $0["password_hash"] as String? })
        #expect(rows.count > 1)
        #expect(hashes.count == 1)
        let hash = try #require(hashes.first ?? nil)
        #expect(PasswordHasher.verify(SeedDocument.demoPassword, against: hash))
        #expect(rows.allSatisfy { ($0["invitation_sent_at"] as Int64?) == nil })
    }

    @Test func theDemoSeedIsValidAndDeterministic() {
        let a = SeedDocument.make(scale: .demo, now: clock.now)
        let b = SeedDocument.make(scale: .demo, now: clock.now)
        #expect(a.result == b.result)
        #expect(InterchangeValidator.validate(a.result, clock: clock).isEmpty)
        #expect(a.result.agents.count >= 12)
        #expect(Set(a.result.motifs.compactMap(\.location_type)) == ["public_office", "phone", "home", "visio"])
        #expect(a.result.motifs.contains { $0.collectif == true })
        #expect(a.result.opening_periods.contains { $0.recurrence?.every == "month" })
        #expect(a.result.users.contains { $0.responsible != nil })
    }
}
