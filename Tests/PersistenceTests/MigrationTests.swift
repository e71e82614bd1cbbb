import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

@Suite("Migrations")
struct MigrationTests {
    @Test func allMigrationsApplyFromScratchWithTheProductionSettings() throws {
        // Given a new database file
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Then every file of Migrations/ is applied, in order, and the connection is configured
        let files = try MigrationSet(directory: migrationsDirectory).migrations.map(\.name)
        #expect(try db.appliedMigrations() == files)
        #expect(try db.integrityCheck() == "ok")
        try db.writer.read { (conn: Database) throws in
            #expect(try String.fetchOne(conn, sql: "PRAGMA journal_mode") == "wal")
            #expect(try Int.fetchOne(conn, sql: "PRAGMA foreign_keys") == 1)
            #expect(try Int.fetchOne(conn, sql: "PRAGMA synchronous") == 2)  // FULL
            #expect(try Row.fetchAll(conn, sql: "PRAGMA foreign_key_check").isEmpty)
        }
    }

    @Test func reopeningAppliesNothingTwice() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let again = try AppDatabase(path: db.path, migrations: MigrationSet(directory: migrationsDirectory))
        #expect(try again.appliedMigrations() == db.appliedMigrations())
    }

    @Test func migrationFilesAreNumberedWithoutGapsOrDuplicates() throws {
        let names = try MigrationSet(directory: migrationsDirectory).migrations.map(\.name)
        let numbers = names.compactMap { Int($0.prefix(4)) }
        #expect(numbers == Array(1...names.count))
    }

    @Test func aForeignDatabaseIsRefusedAndLeftAlone() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rdv-foreign-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("other.sqlite3").path
        try DatabaseQueue(path: path).write { try $0.execute(sql: "CREATE TABLE invoices (id INTEGER PRIMARY KEY)") }
        #expect(throws: PersistenceError.notAnRDVDatabase(path)) {
            try AppDatabase(path: path, migrations: MigrationSet(directory: migrationsDirectory))
        }
        let tables = try DatabaseQueue(path: path).read {
            try String.fetchAll($0, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        #expect(tables == ["invoices"])
    }

    @Test func aDatabaseFromANewerVersionIsRefused() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write { try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999_future')") }
        #expect(throws: PersistenceError.newerSchema(path: db.path, unknown: ["9999_future"])) {
            try AppDatabase(path: db.path, migrations: MigrationSet(directory: migrationsDirectory))
        }
    }

    @Test func garbageFileGivesAClearError() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rdv-garbage-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("garbage.sqlite3").path
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        #expect(
            throws: PersistenceError.cannotOpen(path: path, reason: "the file is not an SQLite database or is corrupt")
        ) {
            try AppDatabase(path: path, migrations: MigrationSet(directory: migrationsDirectory))
        }
    }

    @Test func missingDirectoryGivesAClearError() throws {
        let path = "/nonexistent-\(UUID().uuidString)/rdv.sqlite3"
        #expect(
            throws: PersistenceError.cannotOpen(
                path: path, reason: "the file or its directory cannot be opened (does the directory exist?)")
        ) {
            try AppDatabase(path: path, migrations: MigrationSet(directory: migrationsDirectory))
        }
    }

    @Test func backupIsAConsistentCopy() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let copy = directory.appendingPathComponent("copy.sqlite3").path
        try db.backup(to: copy)
        let restored = try AppDatabase(path: copy, migrations: MigrationSet(directory: migrationsDirectory))
        #expect(try restored.appliedMigrations() == db.appliedMigrations())
        #expect(throws: PersistenceError.destinationExists(copy)) { try db.backup(to: copy) }
    }
}
