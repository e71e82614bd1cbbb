import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// The reads and writes of the appointment page and « Liste des RDV »
/// (AppDatabase+AppointmentPages.swift).
@Suite("Appointment page queries")
struct AppointmentQueryTests {
    /// 2025-11-25T09:00:00Z, Wednesday 10:00 in Paris.
    static let now = Date(timeIntervalSince1970: 1_764_061_200)

    /// o1 with agents 1 (PMI) and 2 (Social); appointments 1 (PMI, agent 1, tomorrow 10:00),
    /// 2 (Social, agent 2, today 15:00), 3 (PMI, agent 2, past).
    static let fixture = #"""
        {"format": "rdv-import/1",
         "services": [{"ref": "pmi", "name": "PMI", "short_name": "PMI"}, {"ref": "social", "name": "Social", "short_name": "Social"}],
         "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi", "social"]}],
         "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"}],
         "agents": [{"ref": "a1", "email": "a1@example.fr", "first_name": "Alice", "last_name": "Martin", "services": ["pmi"],
                     "roles": [{"organisation": "o1", "access_level": "basic"}]},
                    {"ref": "a2", "email": "a2@example.fr", "first_name": "Bruno", "last_name": "Petit", "services": ["social"],
                     "roles": [{"organisation": "o1", "access_level": "basic"}]}],
         "places": [{"ref": "l1", "organisation": "o1", "name": "MDS Centre", "address": "10 rue de la Paix, 62000 Arras",
                     "latitude": 50.29, "longitude": 2.78}],
         "motifs": [{"ref": "m1", "organisation": "o1", "service": "pmi", "name": "Consultation", "color": "#1f77b4"},
                    {"ref": "m2", "organisation": "o1", "service": "social", "name": "Accompagnement", "color": "#ff7f0e"}],
         "users": [{"ref": "u1", "first_name": "Jean", "last_name": "Dupont", "email": "jean@example.fr", "organisations": ["o1"]}],
         "appointments": [
           {"ref": "r1", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-26T10:00:00+01:00",
            "duration_in_min": 30, "agents": ["a1"], "users": ["u1"], "status": "unknown", "created_by": "agent"},
           {"ref": "r2", "organisation": "o1", "motif": "m2", "place": "l1", "starts_at": "2025-11-25T15:00:00+01:00",
            "duration_in_min": 30, "agents": ["a2"], "users": ["u1"], "status": "unknown", "created_by": "agent"},
           {"ref": "r3", "organisation": "o1", "motif": "m1", "place": "l1", "starts_at": "2025-11-20T10:00:00+01:00",
            "duration_in_min": 30, "agents": ["a2"], "users": ["u1"], "status": "unknown", "created_by": "agent"}]}
        """#

    private func makeDatabase() throws -> (AppDatabase, URL) {
        let (db, directory) = try makeTestDatabase()
        _ = try db.importDocument(try InterchangeDecoding.decode(Data(Self.fixture.utf8)), clock: FixedClock(Self.now))
        return (db, directory)
    }

    private func query(agent: Int64, services: Set<Int64>, seesAll: Bool = false) -> AppointmentListQuery {
        AppointmentListQuery(
            organisationIDs: [1], seesAllIn: seesAll ? [1] : [], viewerAgentID: agent, viewerServiceIDs: services,
            now: Self.now)
    }

    private func outbox(_ db: AppDatabase) throws -> [String] {
        try db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT kind || ' ' || coalesce(json_extract(payload, '$.event'), '') FROM outbox_messages
                    WHERE kind <> 'reminder' ORDER BY id
                    """)
        }
    }

    @Test func theListScopeIsOwnAppointmentsAndOwnServices() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Given agent 2 (Social), who is the agent of 2 and 3
        #expect(try db.appointmentList(query(agent: 2, services: [2])).rows.map(\.id) == [2, 3])
        // Given agent 1 (PMI): its own appointment and the PMI one of agent 2
        #expect(try db.appointmentList(query(agent: 1, services: [1])).rows.map(\.id) == [1, 3])
        let all = try db.appointmentList(query(agent: 1, services: [1], seesAll: true))
        #expect(all.rows.map(\.id) == [1, 2, 3])
        #expect(all.total == 3)
        #expect(all.rows.first?.agentNames == ["Alice MARTIN"])
        #expect(all.rows.first?.userNames == ["Jean DUPONT"])
    }

    @Test func statusFiltersSplitUnknownByNow() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var past = query(agent: 1, services: [1], seesAll: true)
        past.status = .unknownPast
        #expect(try db.appointmentList(past).rows.map(\.id) == [3])
        var future = past
        future.status = .unknownFuture
        #expect(try db.appointmentList(future).rows.map(\.id) == [1, 2])
        var paged = query(agent: 1, services: [1], seesAll: true)
        paged.perPage = 2
        paged.page = 2
        let second = try db.appointmentList(paged)
        #expect(second.rows.map(\.id) == [3])
        #expect(second.total == 3)
    }

    @Test func theRecordIsAbsentFromAnotherOrganisation() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try db.appointmentRecord(id: 1, organisationID: 2) == nil)
        let record = try #require(try db.appointmentRecord(id: 1, organisationID: 1))
        #expect(record.motifName == "Consultation")
        #expect(record.durationInMin == 30)
        #expect(record.agents.map(\.fullName) == ["Alice MARTIN"])
        #expect(record.participants.map(\.reachableByEmail) == [true])
        #expect(record.participants.map(\.reachableBySMS) == [false])
        #expect(record.createdByType == .agent)
    }

    @Test func aDurationOrContextChangeSendsTheWebhookOnly() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write {
            try $0.execute(
                sql: """
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                    VALUES (1, 'https://partner.example.fr/hook', 'secret', '["rdv"]')
                    """)
        }
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(durationInMin: 45, context: .some("Premier contact")),
            author: .agent(1), now: Self.now, publicURL: "http://localhost")
        let row = try #require(
            try db.writer.read { try Row.fetchOne($0, sql: "SELECT duration_in_min, context FROM appointments WHERE id = 1") })
        #expect(row["duration_in_min"] as Int == 45)
        #expect(row["context"] as String? == "Premier contact")
        #expect(try outbox(db) == ["webhook "])
    }

    @Test func deletingRemovesTheAppointmentAndCancelsItsPendingMessages() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.sendReminderNow(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: "http://localhost")
        try db.deleteAppointment(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: "http://localhost")
        #expect(try db.appointmentRecord(id: 1, organisationID: 1) == nil)
        let statuses = try db.writer.read {
            try String.fetchAll($0, sql: "SELECT DISTINCT status FROM outbox_messages WHERE kind = 'email'")
        }
        #expect(statuses == ["cancelled"])
        #expect(throws: AppointmentChangeError.notFound) {
            try db.deleteAppointment(appointmentID: 1, author: .agent(1), now: Self.now, publicURL: "http://localhost")
        }
    }

    @Test func theArrivalEmailsTheAgentsWhenTheTerritoryAsks() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.recordArrival(appointmentID: 2, author: .agent(1), now: Self.now, publicURL: "http://localhost")
        #expect(try outbox(db) == [])
        try db.writer.write { try $0.execute(sql: "UPDATE territories SET enable_waiting_room_mail_field = 1") }
        let later = Self.now.addingTimeInterval(60)
        try db.recordArrival(appointmentID: 2, author: .agent(1), now: later, publicURL: "http://localhost")
        #expect(try outbox(db) == ["email user_arrived"])
        let arrived = try db.writer.read { try Int64.fetchOne($0, sql: "SELECT arrived_at FROM appointments WHERE id = 2") }
        #expect(arrived == Int64(later.timeIntervalSince1970))
    }
}
