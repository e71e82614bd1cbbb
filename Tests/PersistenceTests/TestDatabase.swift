import Foundation
import GRDB
import Persistence

/// The repository root, found from this file (Tests/PersistenceTests/TestDatabase.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let migrationsDirectory = packageRoot.appendingPathComponent("Migrations")

/// A fresh, migrated database in a temporary directory, with the production configuration.
func makeTestDatabase() throws -> (AppDatabase, URL) {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let path = directory.appendingPathComponent("rdv.sqlite3").path
    return (try AppDatabase(path: path, migrations: MigrationSet(directory: migrationsDirectory)), directory)
}
