import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The writes of user files (domain.md §11): webhooks of users and profiles (notifications.md
/// §13), removal from an organisation, anonymisation, merge.
@Suite("User files persistence")
struct UserFilesPersistenceTests {
    private let now = Date(timeIntervalSince1970: 1_764_061_200)

    /// Organisations 1 and 2; organisation 1 has an endpoint subscribed to users and profiles.
    private func makeDatabase() throws -> (AppDatabase, URL) {
        let (db, directory) = try makeTestDatabase()
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO territories (id, name) VALUES (1, 'Pas-de-Calais');
                    INSERT INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras'), (2, 1, 'MDS Lens');
                    INSERT INTO webhook_endpoints (organisation_id, target_url, secret, subscriptions)
                        VALUES (1, 'https://partenaire.example/hook', 'secret', '["user","user_profile"]');
                    """)
        }
        return (db, directory)
    }

    private func webhookModels(_ db: AppDatabase) throws -> [String] {
        try db.writer.read { db in
            try String.fetchAll(db, sql: "SELECT payload FROM outbox_messages WHERE kind = 'webhook' ORDER BY id")
        }.map { payload in
            let body = try #require(payload.firstMatch(of: /\\"model\\":\\"([A-Za-z]+)\\",\\"event\\":\\"([a-z]+)\\"/))
            return "\(body.output.1) \(body.output.2)"
        }
    }

    @Test func creatingAUserPlansItsUserAndProfileWebhooks() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var user = User(firstName: "Hélène", lastName: "Dupré", email: " Helene@Example.fr", phoneNumber: "06 12 34 56 78")
        user.birthDate = LocalDate("1980-03-12")
        let id = try db.createUser(user, organisationID: 1, author: "Marie DURAND", publicURL: "https://rdv.example", now: now)
        #expect(try webhookModels(db) == ["UserProfile created", "User created"])
        let row = try #require(try db.writer.read {
            try Row.fetchOne($0, sql: "SELECT email, phone_number_formatted, created_through FROM users WHERE id = ?", arguments: [id])
        })
        #expect(row["email"] as String == "helene@example.fr")
        #expect(row["phone_number_formatted"] as String == "+33612345678")
        #expect(row["created_through"] as String == "agent_creation")
        // Lens has no endpoint: a profile there plans nothing.
        let other = try db.createUser(
            User(firstName: "Marc", lastName: "Leroy"), organisationID: 2, author: "Marie DURAND", publicURL: "https://rdv.example", now: now)
        #expect(try webhookModels(db).count == 2)
        #expect(try db.searchUsers("leroy", organisationID: 2, limit: 5).map(\.id) == [other])
    }

    @Test func removingTheLastProfileAnonymisesAndBlanksReceipts() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let id = try db.createUser(
            User(firstName: "Hélène", lastName: "Dupré", email: "helene@example.fr"), organisationID: 1, author: "Marie DURAND",
            publicURL: "https://rdv.example", now: now)
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO user_profiles (user_id, organisation_id) VALUES (?, 2);
                    INSERT INTO receipts (user_id, organisation_id, event, channel, result, content, email_address)
                        VALUES (?, 1, 'rdv_created', 'mail', 'sent', 'RDV confirmé', 'helene@example.fr');
                    """, arguments: [id, id])
        }
        let first = try db.removeUser(
            id: id, organisationID: 2, everywhere: false, agentOrganisationIDs: [1, 2], author: "Marie DURAND",
            publicURL: "https://rdv.example",
            now: now)
        #expect(first == .removedFromOrganisation)
        // Everywhere, but the agent is not in every organisation of the file: refused.
        #expect(throws: UserFileError.profilesElsewhere) {
            try db.removeUser(
                id: id, organisationID: 1, everywhere: true, agentOrganisationIDs: [2], author: "Marie DURAND",
            publicURL: "https://rdv.example",
                now: now)
        }
        let last = try db.removeUser(
            id: id, organisationID: 1, everywhere: false, agentOrganisationIDs: [1], author: "Marie DURAND",
            publicURL: "https://rdv.example",
            now: now)
        #expect(last == .anonymised)
        let user = try #require(try db.user(id: id))
        #expect(user.firstName == "Usager supprimé")
        #expect(user.lastName == "Usager supprimé")
        #expect(user.email == "user_\(id)@deleted.invalid")
        #expect(user.deletedAt == now)
        let receipt = try #require(try db.writer.read {
            try Row.fetchOne($0, sql: "SELECT content, email_address FROM receipts WHERE user_id = ?", arguments: [id])
        })
        #expect(receipt["content"] as String? == nil)
        #expect(receipt["email_address"] as String? == nil)
        #expect(try db.searchUsers("dupre", organisationID: 1, limit: 5).isEmpty)
        // The User destroyed webhook was built before the last profile went.
        #expect(try webhookModels(db).suffix(2) == ["UserProfile destroyed", "User destroyed"])
    }

    @Test func aMergeMovesProfilesRelativesAndReferentsAndTakesTheChosenFields() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let kept = try db.createUser(
            User(firstName: "Helene", lastName: "Dupre"), organisationID: 1, author: "Marie DURAND", publicURL: "https://rdv.example", now: now)
        let removed = try db.createUser(
            User(firstName: "Hélène", lastName: "Dupré", email: "helene@example.fr"), organisationID: 2, author: "Marie DURAND",
            publicURL: "https://rdv.example", now: now)
        let child = try db.createUser(
            User(firstName: "Paul", lastName: "Dupré", responsibleID: removed), organisationID: 2, author: "Marie DURAND",
            publicURL: "https://rdv.example", now: now)
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO agents (id, email, first_name, last_name) VALUES (1, 'alice@example.fr', 'Alice', 'Martin');
                    INSERT INTO referents (user_id, agent_id) VALUES (?, 1);
                    """, arguments: [removed])
        }
        try db.mergeUsers(
            keptID: kept, removedID: removed, takenColumns: ["first_name", "last_name", "email"], organisationID: 1,
            author: "Marie DURAND", publicURL: "https://rdv.example", now: now)
        let user = try #require(try db.user(id: kept))
        #expect(user.firstName == "Hélène")
        #expect(user.lastName == "Dupré")
        #expect(user.email == "helene@example.fr")
        let moved = try db.writer.read { db in
            (
                try Int64.fetchAll(
                    db, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = ? ORDER BY 1", arguments: [kept]),
                try Int64.fetchOne(db, sql: "SELECT responsible_id FROM users WHERE id = ?", arguments: [child]),
                try Int64.fetchAll(db, sql: "SELECT agent_id FROM referents WHERE user_id = ?", arguments: [kept]),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM user_profiles WHERE user_id = ?", arguments: [removed])
            )
        }
        #expect(moved.0 == [1, 2])
        #expect(moved.1 == kept)
        #expect(moved.2 == [1])
        #expect(moved.3 == 0)
        let gone = try #require(try db.user(id: removed))
        #expect(gone.deletedAt == now)
        #expect(gone.email == "user_\(removed)@deleted.invalid")
    }
}
