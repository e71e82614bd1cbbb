import Foundation
import GRDB

/// The product's SQLite database: one pool (WAL, concurrent reads, one serialised writer),
/// migrated on open. Named operations live in `AppDatabase+*.swift` extensions, each one
/// transaction that keeps the domain's invariants.
public final class AppDatabase: Sendable {
    /// The raw pool, for the named operations of this module; tools and tests that need SQL of
    /// their own opt in with `@_spi(RawDatabase) import Persistence`, so no controller can.
    @_spi(RawDatabase) public let writer: DatabasePool
    public let path: String
    /// The instance's settings (public URL, sender, default SMS provider, secret), given once
    /// at open: transactions never read the process environment. Defaults without `instance`.
    public let instance: InstanceEnvironment

    /// Opens (creating if needed) and migrates the database at `path`.
    public init(path: String, migrations: MigrationSet, instance: InstanceEnvironment = InstanceEnvironment([:])) throws {
        self.path = path
        self.instance = instance
        do {
            writer = try DatabasePool(path: path, configuration: Self.configuration())
        } catch {
            throw PersistenceError.explain(error, path: path)
        }
        try migrate(migrations)
    }

    /// The connection settings, shared by production and tests (style.md §8.11).
    public static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        // Writers wait up to 5 s for a lock held by another process (rdv import while serving).
        configuration.busyMode = .timeout(5)
        configuration.prepareDatabase { db in
            // WAL + synchronous=FULL: every commit is fsynced to the WAL before it returns, so an
            // acknowledged booking survives kill -9 and power loss (NORMAL only the former).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // Reads map the file (SQLite "Memory-Mapped I/O") instead of a pread and a copy per
            // page missing from each connection's 2 MB cache: a page of 100 API users spent a
            // fifth of its time in pread. Writes still go through write(2), so a full disk is an
            // error, never a SIGBUS.
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        return configuration
    }

    private func migrate(_ migrations: MigrationSet) throws {
        let migrator = migrations.migrator
        do {
            let (applied, userTables) = try writer.read { db in
                let applied =
                    try db.tableExists("grdb_migrations")
                    ? String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations") : []
                let tables = try String.fetchAll(
                    db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
                return (applied, tables)
            }
            if applied.isEmpty && !userTables.isEmpty { throw PersistenceError.notAnRDVDatabase(path) }
            let known = Set(migrations.migrations.map(\.name))
            let unknown = applied.filter { !known.contains($0) }.sorted()
            if !unknown.isEmpty { throw PersistenceError.newerSchema(path: path, unknown: unknown) }
            try migrator.migrate(writer)
        } catch let error as PersistenceError {
            throw error
        } catch {
            throw PersistenceError.explain(error, path: path)
        }
    }

    /// Names of the applied migrations, in order.
    public func appliedMigrations() throws -> [String] {
        try writer.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
    }

    /// A consistent copy of the live database (readers and the writer go on meanwhile).
    public func backup(to destination: String) throws {
        guard !FileManager.default.fileExists(atPath: destination) else {
            throw PersistenceError.destinationExists(destination)
        }
        do {
            // VACUUM INTO reads one snapshot and writes a compact, self-contained file.
            try writer.writeWithoutTransaction { db in
                try db.execute(sql: "VACUUM INTO ?", arguments: [destination])
            }
        } catch {
            throw PersistenceError.explain(error, path: destination)
        }
    }

    /// `PRAGMA integrity_check` result ("ok" when healthy).
    public func integrityCheck() throws -> String {
        try writer.read { db in try String.fetchOne(db, sql: "PRAGMA integrity_check") ?? "no answer" }
    }
}

extension AppDatabase {
    /// One IMMEDIATE transaction: the write lock is taken before anything is read, so a
    /// read-check-write (a booking, a claim, a status change) cannot race another writer.
    func immediateWrite<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }
}
