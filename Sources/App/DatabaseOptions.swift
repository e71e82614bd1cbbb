import ArgumentParser
import Foundation
import Persistence

/// `--database PATH` (contracts.md §1): default `./rdv.sqlite3`, or `$RDV_DATABASE`.
struct DatabaseOptions: ParsableArguments {
    @Option(help: "SQLite database file (env RDV_DATABASE, default ./rdv.sqlite3).")
    var database: String?

    var path: String {
        database ?? ProcessInfo.processInfo.environment["RDV_DATABASE"] ?? "./rdv.sqlite3"
    }

    /// Opens and migrates the database; a failure is printed as one line and exits 1.
    func open() throws -> AppDatabase {
        try reportingFailures {
            try AppDatabase(
                path: path, migrations: MigrationSet(directory: ResourceLocator.directory("Migrations")),
                instance: InstanceEnvironment(ProcessInfo.processInfo.environment))
        }
    }
}

/// Runs `body`; known failures become `rdv: error: …` on stderr and exit status 1, never a crash.
func reportingFailures<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as PersistenceError {
        printError(error.description)
    } catch let error as ResourceLocator.NotFound {
        printError(error.description)
    } catch let error as ExitCode {
        throw error
    } catch {
        printError("\(error)")
    }
    throw ExitCode.failure
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data("rdv: error: \(message)\n".utf8))
}
