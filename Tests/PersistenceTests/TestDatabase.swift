import DatabaseTestSupport
import Foundation
import GRDB
import Persistence

/// The repository root, found from this file (Tests/PersistenceTests/TestDatabase.swift).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

let migrationsDirectory = packageRoot.appendingPathComponent("Migrations")

/// A fresh, migrated database in a temporary directory, with the production configuration
/// (a copy of the process's template database).
func makeTestDatabase() throws -> (AppDatabase, URL) {
    try TemplateDatabase.make(prefix: "rdv-test")
}
