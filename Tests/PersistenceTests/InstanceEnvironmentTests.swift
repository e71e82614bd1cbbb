import DatabaseTestSupport
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The instance's settings reach transactions through the database they were given to, never
/// through the process environment (the test process sets none of these variables).
@Suite("Instance settings given at open")
struct InstanceEnvironmentTests {
    @Test func theSecretKeyGivenAtOpenIsTheInstanceSecret() throws {
        let (db, directory) = try TemplateDatabase.make(instance: InstanceEnvironment(["RDV_SECRET_KEY": "clé-de-test"]))
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try db.instanceSecret() == Array("clé-de-test".utf8))
    }

    @Test func withoutASecretKeyOneIsGeneratedOnceAndKept() throws {
        let (db, directory) = try TemplateDatabase.make()
        defer { try? FileManager.default.removeItem(at: directory) }
        let first = try db.instanceSecret()
        #expect(first.count == 32)
        #expect(try db.instanceSecret() == first)
    }

    @Test(arguments: [("dev", true), ("none", false)])
    func aTerritoryWithoutItsOwnProviderUsesTheInstancesOne(provider: String, enabled: Bool) throws {
        let (db, directory) = try TemplateDatabase.make(instance: InstanceEnvironment(["RDV_SMS_PROVIDER": provider]))
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO territories (id, name) VALUES (1, 'Pas-de-Calais');
                    INSERT INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras');
                    """)
        }
        #expect(try db.smsEnabled(organisationID: 1) == enabled)
    }
}
