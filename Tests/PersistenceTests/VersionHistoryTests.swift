import Domain
import Foundation
import GRDB
import Testing

@_spi(RawDatabase) @testable import Persistence

/// domain.md §0 "History": each change of an audited record writes its version in the change's
/// own transaction, with its author and only the columns that moved.
@Suite("Version history")
struct VersionHistoryTests {
    static let now = AppointmentQueryTests.now
    static let publicURL = "http://localhost"

    private func makeDatabase() throws -> (AppDatabase, URL) {
        let (db, directory) = try makeTestDatabase()
        _ = try db.importDocument(
            try InterchangeDecoding.decode(Data(AppointmentQueryTests.fixture.utf8)), clock: FixedClock(Self.now))
        return (db, directory)
    }

    /// The changes of an entry as "field: before → after", sorted by field.
    private func changes(_ entry: VersionEntry) -> [String] {
        entry.changes.map { "\($0.field): \($0.before) → \($0.after)" }
    }

    private func versionCount(_ db: AppDatabase) throws -> Int {
        try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM versions") ?? 0 }
    }

    @Test func aStatusChangeVersionsTheAppointmentAndItsParticipation() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try versionCount(db) == 0)  // an import is no one's change
        let later = Self.now.addingTimeInterval(60)
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(2), now: later, publicURL: Self.publicURL)
        let appointment = try db.versions(itemType: "Appointment", itemID: 1)
        #expect(appointment.count == 1)
        let entry = try #require(appointment.first)
        #expect(entry.event == .update)
        #expect(entry.author == "Bruno PETIT")
        #expect(entry.createdAt == Date(timeIntervalSince1970: later.timeIntervalSince1970.rounded(.down)))
        #expect(
            changes(entry) == [
                "cancelled_at:  → \(Int64(later.timeIntervalSince1970))", "status: unknown → revoked",
                "users_count: 1 → 0",
            ])
        let participation = try #require(try db.versions(itemType: "Participation", itemID: 1).first)
        #expect(changes(participation) == ["status: unknown → revoked"])
        #expect(try db.writer.read {
            try Int64.fetchOne($0, sql: "SELECT organisation_id FROM versions WHERE item_type = 'Participation'")
        } == 1)
    }

    @Test func aMoveAndAChangeOfAgentsAreOneVersion() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let newStart = try #require(ISO8601DateFormatter().date(from: "2025-11-27T09:00:00Z"))
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: newStart, agentIDs: [1, 2]), author: .agent(1), now: Self.now,
            publicURL: Self.publicURL)
        let entry = try #require(try db.versions(itemType: "Appointment", itemID: 1).first)
        #expect(entry.author == "Alice MARTIN")
        #expect(
            changes(entry) == [
                "agent_ids: 1 → 1,2", "ends_at: 1764149400 → 1764235800", "starts_at: 1764147600 → 1764234000",
            ])
        // Nothing changed: no version.
        try db.updateAppointment(
            appointmentID: 1, AppointmentUpdate(startsAt: newStart), author: .agent(1), now: Self.now,
            publicURL: Self.publicURL)
        #expect(try db.versions(itemType: "Appointment", itemID: 1).count == 1)
    }

    @Test func aDeletedAppointmentKeepsItsDestroyVersion() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.deleteAppointment(appointmentID: 3, author: .agent(1), now: Self.now, publicURL: Self.publicURL)
        let entry = try #require(try db.versions(itemType: "Appointment", itemID: 3).first)
        #expect(entry.event == .destroy)
        #expect(entry.changes.first { $0.field == "status" }?.before == "unknown")
        #expect(entry.changes.first { $0.field == "status" }?.after == "")
    }

    @Test func aRefusedChangeWritesNoVersion() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(throws: AppointmentChangeError.noAgent) {
            try db.updateAppointment(
                appointmentID: 1, AppointmentUpdate(agentIDs: []), author: .agent(1), now: Self.now,
                publicURL: Self.publicURL)
        }
        #expect(try versionCount(db) == 0)
    }

    @Test func aUserFileIsVersionedAndItsHistoryErasedWithIt() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try db.createUser(
            User(firstName: "Hélène", lastName: "Dupré", email: "helene@example.fr"), organisationID: 1,
            author: "Alice MARTIN", publicURL: Self.publicURL, now: Self.now)
        let created = try #require(try db.versions(itemType: "User", itemID: id).first)
        #expect(created.event == .create)
        #expect(created.author == "Alice MARTIN")
        #expect(created.changes.first { $0.field == "last_name" }?.after == "Dupré")
        #expect(!created.changes.contains { $0.field == "password_hash" || $0.field == "rdv_invitation_token" })
        var user = try #require(try db.user(id: id))
        user.notes = "Préfère le matin"
        try db.updateUser(user, organisationID: 1, author: "Alice MARTIN", publicURL: Self.publicURL, now: Self.now)
        let updated = try #require(try db.versions(itemType: "User", itemID: id).first)
        #expect(changes(updated) == ["notes:  → Préfère le matin"])
        #expect(try db.writer.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM versions WHERE item_type = 'UserProfile' AND event = 'create'")
        } == 1)

        _ = try db.removeUser(
            id: id, organisationID: 1, everywhere: true, agentOrganisationIDs: [1], author: "Alice MARTIN",
            publicURL: Self.publicURL, now: Self.now)
        let history = try db.versions(itemType: "User", itemID: id)
        #expect(history.map(\.event) == [.destroy, .update, .create])
        // domain.md §11: the personal data of the versions goes with the file.
        #expect(history.allSatisfy { $0.changes.isEmpty })
        #expect(try db.versions(itemType: "UserProfile", itemID: 2).map(\.event) == [.destroy, .create])
    }

    @Test func anOpeningPeriodIsVersionedWithItsMotifsAndOccurrences() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let monday = try #require(LocalDate("2025-12-01"))
        var period = OpeningPeriod(
            agentID: 1, organisationID: 1, title: "Permanence", placeID: 1, firstDay: monday,
            startTime: try #require(TimeOfDay("09:00")), endTime: try #require(TimeOfDay("12:00")),
            recurrence: .weekly(.init(weekdays: [.monday])), motifIDs: [1])
        let saved = try db.saveOpeningPeriod(
            period, confirmWarnings: true, authorName: "Alice MARTIN", publicURL: Self.publicURL,
            today: try #require(LocalDate("2025-11-25")), now: Self.now)
        let id = try #require({ if case .saved(let id) = saved { id } else { nil } }() as Int64?, "\(saved)")
        let created = try #require(try db.versions(itemType: "OpeningPeriod", itemID: id).first)
        #expect(created.changes.first { $0.field == "motif_ids" }?.after == "1")
        // As `rdv import` spells it (no null `until`).
        try db.writer.write {
            try $0.execute(
                sql: #"UPDATE opening_periods SET recurrence = '{"every":"week","interval":1,"on":["monday"]}' WHERE id = ?"#,
                arguments: [id])
        }
        period.id = id
        period.title = "Permanence PMI"
        _ = try db.saveOpeningPeriod(
            period, confirmWarnings: true, authorName: "Alice MARTIN", publicURL: Self.publicURL,
            today: try #require(LocalDate("2025-11-25")), now: Self.now)
        // The same recurrence is not a change, whatever its JSON spelling.
        #expect(try db.versions(itemType: "OpeningPeriod", itemID: id).first.map(changes) == ["title: Permanence → Permanence PMI"])
        _ = try db.changeOpeningPeriodOccurrence(
            periodID: id, organisationID: 1, date: try #require(LocalDate("2025-12-08")), change: .cancel,
            confirmWarnings: true, authorName: "Alice MARTIN", publicURL: Self.publicURL, now: Self.now)
        #expect(
            try db.versions(itemType: "OpeningPeriod", itemID: id).first.map(changes) == [
                "exceptions:  → 2025-12-08:annulée"
            ])
        #expect(try db.deleteOpeningPeriod(id: id, organisationID: 1, authorName: "Alice MARTIN", publicURL: Self.publicURL, now: Self.now))
        #expect(try db.versions(itemType: "OpeningPeriod", itemID: id).map(\.event) == [.destroy, .update, .update, .create])
    }

    @Test func aChangeOfLevelIsTheRolesVersion() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let role = try #require(try db.writer.read {
            try Int64.fetchOne($0, sql: "SELECT id FROM agent_roles WHERE agent_id = 2")
        })
        let result = try db.changeAccessLevel(
            roleID: role, organisationID: 1, level: .admin, email: nil, invitedByID: 1, publicURL: Self.publicURL,
            now: Self.now)
        #expect(throws: Never.self) { try result.get() }
        let entry = try #require(try db.versions(itemType: "AgentRole", itemID: role).first)
        #expect(entry.author == "Alice MARTIN")
        #expect(changes(entry) == ["access_level: basic → admin"])
    }
}
