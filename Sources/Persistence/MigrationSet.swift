import Foundation
import GRDB

/// The SQL migrations of `Migrations/`, in order: `NNNN_verb_object.sql`, append-only.
public struct MigrationSet: Sendable {
    public struct Migration: Sendable, Equatable {
        public let name: String
        public let sql: String
    }

    public let migrations: [Migration]

    /// Reads every `*.sql` file of `directory`, sorted by name; refuses badly named files so a
    /// typo cannot silently reorder the schema.
    public init(directory: URL) throws {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw PersistenceError.migrationsNotFound(directory.path)
        }
        var migrations: [Migration] = []
        for name in names.sorted() where name.hasSuffix(".sql") {
            guard name.wholeMatch(of: /[0-9]{4}_[a-z0-9_]+\.sql/) != nil else {
                throw PersistenceError.badMigrationName(name)
            }
            let sql = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            migrations.append(Migration(name: String(name.dropLast(4)), sql: sql))
        }
        guard !migrations.isEmpty else { throw PersistenceError.migrationsNotFound(directory.path) }
        self.migrations = migrations
    }

    /// GRDB's migrator runs each migration in its own transaction, checks foreign keys after it,
    /// and records it in `grdb_migrations`.
    var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }
}
