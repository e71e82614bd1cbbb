import Foundation
import Persistence

/// A fresh migrated database per test, copied from a template migrated once per test process:
/// the migrations run once, not once per test (hundreds of tests on two cores). The copy is a
/// plain file copy of a `VACUUM INTO` snapshot, so each test owns a real, independent SQLite file
/// with the production configuration.
public enum TemplateDatabase {
    /// The repository root, from this file (Tests/DatabaseTestSupport/TemplateDatabase.swift).
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    public static let migrationsDirectory = packageRoot.appendingPathComponent("Migrations")

    /// Migrated once, on first use; every `Migrations/*.sql` of the working tree.
    private static let template: Result<URL, any Error> = Result {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("rdv-template-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let migrated = try AppDatabase(
            path: directory.appendingPathComponent("migrated.sqlite3").path,
            migrations: MigrationSet(directory: migrationsDirectory))
        let snapshot = directory.appendingPathComponent("template.sqlite3")
        try migrated.backup(to: snapshot.path)
        return snapshot
    }

    /// A migrated database in a new temporary directory (`<prefix>-<uuid>`); the caller removes
    /// the directory.
    public static func make(
        prefix: String = "rdv-test", instance: InstanceEnvironment = InstanceEnvironment([:])
    ) throws -> (AppDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let path = directory.appendingPathComponent("rdv.sqlite3")
        try FileManager.default.copyItem(at: try template.get(), to: path)
        let db = try AppDatabase(
            path: path.path, migrations: MigrationSet(directory: migrationsDirectory), instance: instance)
        return (db, directory)
    }
}
