import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// The wizard's write (booking.md §1.3 "Saving") and its checks (domain.md §9), on the contract
/// example: Alice's Monday period at MDS Centre, her Tuesday absence « Formation », and Jean
/// Dupont's appointment on Monday 3 May 2021 09:00–10:00.
@Suite("Agent booking", .serialized)
struct AgentBookingTests {
    static let now = Date(timeIntervalSince1970: 1_619_762_400)  // Fri 2021-04-30 08:00 Paris
    static let paris = TimeZone(identifier: "Europe/Paris")!

    func makeDatabase() throws -> (AppDatabase, [String: Int64], URL) {
        let (db, directory) = try makeTestDatabase()
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        let ids = try db.importDocument(try InterchangeDecoding.decode(data), clock: FixedClock(Self.now))
        return (db, ids, directory)
    }

    /// `yyyy-MM-ddTHH:mm` in Paris.
    static func at(_ text: String) -> Date {
        let parts = text.split(separator: "T")
        return LocalDate(String(parts[0]))!.instant(at: TimeOfDay(String(parts[1]))!, in: paris)!
    }

    func request(_ ids: [String: Int64], _ start: String, minutes: Int = 30, toggles: WizardNotifications? = nil)
        -> AgentBookingRequest
    {
        let startsAt = Self.at(start)
        return AgentBookingRequest(
            organisationID: ids["o1"]!, motifID: ids["m1"]!, placeID: ids["l1"]!, singleUsePlace: nil,
            startsAt: startsAt, endsAt: startsAt.addingTimeInterval(TimeInterval(minutes * 60)), agentIDs: [ids["a1"]!],
            userIDs: [ids["u1"]!], newUser: nil, context: nil,
            notifications: toggles.map { [ids["u1"]!: $0] } ?? [:], newUserNotifications: nil,
            authorAgentID: ids["a1"]!)
    }

    func issues(_ db: AppDatabase, _ ids: [String: Int64], _ request: AgentBookingRequest) throws -> [ValidationIssue] {
        try db.agentBookingIssues(
            request, agentNames: [ids["a1"]!: "Alice MARTIN"], userNames: [ids["u1"]!: "Jean Dupont"],
            timeZone: Self.paris, now: Self.now)
    }

    @Test func savingWritesTheAppointmentItsParticipationAndItsOutboxRowsTogether() throws {
        // Given the contract example
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // When Alice books Jean on Monday 10 May at 10:00, reminder off
        let id = try db.createAgentAppointment(
            request(ids, "2021-05-10T10:00", toggles: WizardNotifications(lifecycle: true, reminder: false)),
            clock: FixedClock(Self.now), publicURL: "https://rdv.example.fr")
        // Then the appointment, its agent, the participation with the toggles and the messages exist
        try db.writer.read { db in
            let row = try #require(
                try Row.fetchOne(
                    db, sql: "SELECT created_by_type, created_by_id, users_count, ends_at - starts_at AS length FROM appointments WHERE id = ?",
                    arguments: [id]))
            #expect(row["created_by_type"] as String == "Agent")
            #expect(row["created_by_id"] as Int64 == ids["a1"]!)
            #expect(row["users_count"] as Int == 1)
            #expect(row["length"] as Int == 1800)
            let agents = try Int64.fetchAll(
                db, sql: "SELECT agent_id FROM appointment_agents WHERE appointment_id = ?", arguments: [id])
            #expect(agents == [ids["a1"]!])
            let participation = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT send_lifecycle_notifications, send_reminder_notification, created_by_type
                        FROM participations WHERE appointment_id = ?
                        """, arguments: [id]))
            #expect(participation["send_lifecycle_notifications"] as Bool == true)
            #expect(participation["send_reminder_notification"] as Bool == false)
            #expect(participation["created_by_type"] as String == "Agent")
            let outbox = try Row.fetchAll(
                db, sql: "SELECT kind, payload FROM outbox_messages WHERE appointment_id = ? ORDER BY kind", arguments: [id])
            #expect(outbox.map { $0["kind"] as String } == ["email", "reminder", "sms"])
            #expect((outbox[0]["payload"] as String).contains("rdv_created"))
        }
    }

    @Test func aParticipantNotToBeWarnedGetsNoConfirmation() throws {
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try db.createAgentAppointment(
            request(ids, "2021-05-10T10:00", toggles: WizardNotifications(lifecycle: false, reminder: true)),
            clock: FixedClock(Self.now))
        let kinds = try db.writer.read {
            try String.fetchAll($0, sql: "SELECT kind FROM outbox_messages WHERE appointment_id = ?", arguments: [id])
        }
        #expect(kinds == ["reminder"])
    }

    @Test func aNewUserAndALieuPonctuelAreCreatedWithTheAppointment() throws {
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var booking = request(ids, "2021-05-10T10:00")
        booking.placeID = nil
        booking.singleUsePlace = ("Salle des fêtes", "1 place de la Mairie, 62000 Arras")
        booking.newUser = WizardNewUser(
            firstName: "Léa", lastName: "Dupont", phone: "06 11 22 33 44", email: nil, responsibleID: ids["u1"]!)
        let id = try db.createAgentAppointment(booking, clock: FixedClock(Self.now))
        try db.writer.read { db in
            let place = try #require(
                try Row.fetchOne(
                    db,
                    sql: "SELECT l.name, l.availability FROM appointments a JOIN places l ON l.id = a.place_id WHERE a.id = ?",
                    arguments: [id]))
            #expect(place["name"] as String == "Salle des fêtes")
            #expect(place["availability"] as String == "single_use")
            let user = try #require(
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT u.responsible_id, u.phone_number_formatted,
                               (SELECT count(*) FROM user_profiles p WHERE p.user_id = u.id) AS profiles
                        FROM participations x JOIN users u ON u.id = x.user_id
                        WHERE x.appointment_id = ? AND u.first_name = 'Léa'
                        """, arguments: [id]))
            #expect(user["responsible_id"] as Int64? == ids["u1"]!)
            #expect(user["phone_number_formatted"] as String? == "+33611223344")
            #expect(user["profiles"] as Int == 1)
            let usersCount = try Int.fetchOne(db, sql: "SELECT users_count FROM appointments WHERE id = ?", arguments: [id])
            #expect(usersCount == 2)
        }
    }

    @Test func anAbsenceIsABenignWarning() throws {
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let found = try issues(db, ids, request(ids, "2021-05-04T10:00"))
        #expect(found.map(\.message) == ["Alice MARTIN est indisponible sur ce créneau (Formation)"])
        #expect(found.allSatisfy { $0.severity == .warning })
    }

    @Test func anAppointmentEndingShortlyBeforeIsABenignWarning() throws {
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let found = try issues(db, ids, request(ids, "2021-05-03T10:30"))
        #expect(
            found.map(\.message) == [
                "Alice MARTIN a un RDV qui se termine à 10h00", "Jean Dupont a déjà un RDV pour ce motif ce jour-là",
            ])
    }

    @Test func anOverlapIsAWarningAndTheSameAppointmentAHardError() throws {
        let (db, ids, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let overlap = try issues(db, ids, request(ids, "2021-05-03T09:30"))
        #expect(overlap.warnings.map(\.message).contains("Alice MARTIN a déjà un RDV sur ce créneau"))
        #expect(overlap.errors.isEmpty)
        let same = try issues(db, ids, request(ids, "2021-05-03T09:00", minutes: 60))
        #expect(same.errors == [.error("base", Appointment.duplicateMessage)])
    }
}
