import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The schema's CHECK, UNIQUE, NOT NULL and FOREIGN KEY constraints, from
/// `Fixtures/constraint-cases.json`: each statement must fail with its kind of constraint (or
/// succeed, for "OK" cases), on a freshly migrated database, inside a rolled-back transaction.
@Suite("Schema constraints")
struct ConstraintTests {
    struct Case: Decodable, Sendable, CustomStringConvertible {
        let name: String
        let setup: [String]
        let statement: String
        let expect: String
        let verify: String?
        let verify_equals: Int?
        var description: String { name }
    }

    static let cases: [Case] = {
        let url = packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/constraint-cases.json")
        guard let data = try? Data(contentsOf: url), let cases = try? JSONDecoder().decode([Case].self, from: data)
        else {
            return []
        }
        return cases
    }()

    @Test func theFixtureIsLoaded() {
        #expect(Self.cases.count >= 40)
    }

    @Test(arguments: cases)
    func constraintHolds(_ testCase: Case) throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.writeWithoutTransaction { conn in
            try conn.inTransaction {
                for sql in testCase.setup { try conn.execute(sql: sql) }
                do {
                    try conn.execute(sql: testCase.statement)
                    #expect(testCase.expect == "OK", "\(testCase.name): succeeded, expected \(testCase.expect)")
                    if let verify = testCase.verify {
                        #expect(try Int.fetchOne(conn, sql: verify) == testCase.verify_equals, "\(testCase.name)")
                    }
                } catch let error as DatabaseError {
                    let message = error.message ?? ""
                    #expect(
                        testCase.expect != "OK" && message.contains("\(testCase.expect) constraint failed"),
                        "\(testCase.name): \(message)")
                }
                return .rollback
            }
        }
    }
}
