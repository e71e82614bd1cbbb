import ArgumentParser
import Persistence

/// `rdv migrate [--database PATH]`: applies pending migrations and exits.
struct MigrateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        let applied = try reportingFailures { try db.appliedMigrations() }
        print("\(db.path): \(applied.count) migrations applied, last \(applied.last ?? "none")")
    }
}

/// `rdv backup DEST [--database PATH]`: a consistent online copy of the database.
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "backup", abstract: "Copy the live database.")

    @Argument(help: "Destination file (must not exist).")
    var destination: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        try reportingFailures { try db.backup(to: destination) }
        print("backup written to \(destination)")
    }
}
