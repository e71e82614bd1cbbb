import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The FTS5 user search of Migrations/0015 (domain.md §11 "Search", permissions.md users).
@Suite("User search")
struct UserSearchTests {
    /// Territory 1 (users not shared) with organisations 1 and 2; territory 2 (shared) with 3 and 4.
    private func makeDatabase() throws -> (AppDatabase, URL) {
        let (db, directory) = try makeTestDatabase()
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO territories (id, name, visible_users_throughout_the_territory) VALUES
                        (1, 'Pas-de-Calais', 0), (2, 'Somme', 1);
                    INSERT INTO organisations (id, territory_id, name) VALUES
                        (1, 1, 'MDS Arras'), (2, 1, 'MDS Lens'), (3, 2, 'MDS Amiens'), (4, 2, 'MDS Abbeville');
                    INSERT INTO users (id, first_name, last_name, birth_name, birth_date, email, phone_number,
                        phone_number_formatted) VALUES
                        (1, 'Hélène', 'Dupré', 'Lefèvre', '1980-03-12', 'helene.dupre@example.fr',
                            '06 12 34 56 78', '+33612345678'),
                        (2, 'Martin', 'Durand', NULL, '1975-11-02', NULL, NULL, NULL),
                        (3, 'Paul', 'Martin', NULL, NULL, NULL, NULL, NULL),
                        (4, 'Jeanne', 'Roux', 'Martin', NULL, NULL, NULL, NULL),
                        (5, 'Luc', 'Blanc', NULL, NULL, 'martin.luc@example.fr', NULL, NULL),
                        (6, 'Léa', 'Martinez', NULL, NULL, NULL, NULL, NULL),
                        (7, 'Marc', 'Martin', NULL, NULL, NULL, '07 00 00 00 01', '+33700000001'),
                        (8, 'Anne', 'Dupré', NULL, NULL, NULL, NULL, NULL);
                    INSERT INTO user_profiles (user_id, organisation_id) VALUES
                        (1, 1), (2, 1), (3, 1), (4, 1), (5, 1), (6, 1), (7, 2), (8, 3), (1, 4);
                    """)
        }
        return (db, directory)
    }

    private func ids(_ db: AppDatabase, _ text: String, organisation: Int64 = 1) throws -> [Int64] {
        try db.searchUsers(text, organisationID: organisation, limit: 50).map(\.id)
    }

    @Test func accentsAndCaseAreIgnored() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "helene") == [1])
        #expect(try ids(db, "HÉLÈNE dupre") == [1])
        #expect(try ids(db, "lefevre") == [1])
        #expect(try ids(db, "lea") == [6])
    }

    @Test func everyWordMatchesAPrefix() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "hel dup") == [1])
        #expect(try ids(db, "dup") == [1])
        #expect(try ids(db, "dup paul") == [])
        #expect(try ids(db, "helene.dupre@exa") == [1])
    }

    @Test func phoneInAnyWritingAndBirthDateInBothFormats() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "0612345678") == [1])
        #expect(try ids(db, "06 12 34") == [1])
        #expect(try ids(db, "06.12.34.56.78") == [1])
        #expect(try ids(db, "+33 6 12 34 56 78") == [1])
        #expect(try ids(db, "12/03/1980") == [1])
        #expect(try ids(db, "1980-03-12") == [1])
        #expect(try ids(db, "02/11") == [2])
        #expect(try ids(db, "1975") == [2])
    }

    @Test func anIDFindsItsFile() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "5") == [5])
    }

    @Test func rankingIsLastNameThenFirstNameThenBirthNameThenTheOthers() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Martin (3, last name), Martinez (6, last name prefix) before Martin as first name (2),
        // birth name (4), e-mail (5); ties by name. User 7 is in another organisation.
        let results = try ids(db, "martin")
        #expect(results.prefix(2).sorted() == [3, 6])
        #expect(Array(results.dropFirst(2)) == [2, 4, 5])
        #expect(try ids(db, "martin paul") == [3])
    }

    @Test func onlyUsersWithAProfileInTheOrganisationUnlessTheTerritoryShares() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "marc", organisation: 1) == [])
        #expect(try ids(db, "marc", organisation: 2) == [7])
        #expect(try ids(db, "dupre", organisation: 2) == [])
        // Territory 2 shares its users: Amiens sees Abbeville's Hélène and its own Anne.
        // Both match by last name: bm25 normalises by the whole document's length, so Anne's
        // short file comes before Hélène's (whose e-mail also matches, with the lowest weight).
        #expect(try ids(db, "dupre", organisation: 3) == [8, 1])
        #expect(try ids(db, "dupre", organisation: 4) == [8, 1])
        #expect(try ids(db, "", organisation: 2) == [7])
        #expect(try ids(db, "", organisation: 3) == [8, 1])
    }

    @Test func theTerritorySearchMasksUsersOutOfScope() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // From Lens (territory 1, users not shared): Hélène (Arras) is masked, Marc (Lens) is not.
        let results = try db.searchUsersInTerritory("0612", organisationID: 2, limit: 10)
        #expect(results.map(\.user.id) == [1])
        let helene = try #require(results.first)
        #expect(!helene.inScope)
        #expect(helene.user.firstName == "Hélène")
        #expect(helene.user.birthDate == LocalDate("1980-03-12"))
        #expect(helene.user.email == "h***@e***.fr")
        #expect(helene.user.phone == "06 ** ** ** 78")
        #expect(helene.user.birthName == nil)
        let marc = try #require(try db.searchUsersInTerritory("marc", organisationID: 2, limit: 10).first)
        #expect(marc.inScope)
        #expect(marc.user.phone == "07 00 00 00 01")
        // Territory 2 only: Amiens never sees Arras.
        #expect(try db.searchUsersInTerritory("helene", organisationID: 3, limit: 10).map(\.user.id) == [1])
        #expect(try db.searchUsersInTerritory("paul", organisationID: 3, limit: 10).isEmpty)
    }

    @Test func theIndexFollowsUpdatesAndDeletions() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { db in
            try db.execute(sql: "UPDATE users SET last_name = 'Leroy', email = 'h.leroy@example.fr', phone_number = NULL, phone_number_formatted = NULL WHERE id = 1")
        }
        #expect(try ids(db, "dupre") == [])
        #expect(try ids(db, "leroy") == [1])
        #expect(try ids(db, "0612") == [])
        try db.writer.write { db in
            try db.execute(sql: "UPDATE users SET deleted_at = 1, email = 'user_1@deleted.invalid' WHERE id = 1")
        }
        #expect(try ids(db, "leroy") == [])
        try db.writer.write { db in try db.execute(sql: "DELETE FROM users WHERE id = 3") }
        #expect(try ids(db, "paul") == [])
        let indexed = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM user_search") }
        #expect(indexed == 6)
    }

    @Test func aPageCountsEveryMatch() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let page = try db.searchUsersPage("", organisationID: 1, offset: 2, limit: 2)
        #expect(page.total == 6)
        #expect(page.results.map(\.id) == [2, 3])  // Blanc, Dupré | Durand, Martin | Martinez, Roux
        let martins = try db.searchUsersPage("martin", organisationID: 1, offset: 0, limit: 2)
        #expect(martins.total == 5)
        #expect(martins.results.count == 2)
    }

    @Test func queriesWithFTSSyntaxAreTakenLiterally() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try ids(db, "\"dupre") == [1])
        #expect(try ids(db, "dupre OR martin") == [])
        #expect(try ids(db, "*") == ids(db, ""))
        #expect(try ids(db, "NEAR(dupre") == [])
    }
}
