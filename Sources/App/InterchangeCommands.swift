import ArgumentParser
import Foundation
import Persistence

/// `rdv import FILE [--database PATH]` (contracts.md §1): all or nothing; prints `{"ref": id, …}`.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Load an rdv-import/1 document, all or nothing.")

    @Argument(help: "The JSON document.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let data = try reportingFailures { try Data(contentsOf: URL(fileURLWithPath: file)) }
        let clock = try reportingFailures { try ProcessClock() }
        let db = try database.open()
        do {
            let document = try InterchangeDecoding.decode(data)
            let ids = try db.importDocument(document, clock: clock)
            print(try jsonText(ids))
        } catch let error as InterchangeErrors {
            // admin.md §9: every error, one per line, `<JSON path>: <message>`; nothing written.
            for problem in error.errors { printError(problem.description) }
            throw ExitCode.failure
        }
    }
}

/// `rdv export [--database PATH] [--territory ID]`: the same format on stdout.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "Write territories as rdv-import/1.")

    @Option(help: "Only this territory (default: every territory).")
    var territory: Int64?

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        let document = try reportingFailures { try db.exportDocument(territoryID: territory) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(document))
        print()
    }
}

/// `rdv seed [--database PATH] [--scale demo|departement]`: demo or benchmark data.
struct SeedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed", abstract: "Load demo or benchmark data.")

    @Option(help: "demo (default) or departement.")
    var scale = "demo"

    @Flag(help: "Do nothing when the database already holds a territory (used by make run).")
    var ifEmpty = false

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let seedScale = SeedScale.named(scale) else {
            throw ValidationError("--scale must be demo or departement")
        }
        let clock = try reportingFailures { try ProcessClock() }
        let db = try database.open()
        if try reportingFailures({ try db.territoryCount() }) > 0 {
            if ifEmpty { return }
            printError("\(db.path) already holds data; seed an empty database")
            throw ExitCode.failure
        }
        let started = ContinuousClock.now
        let seed = SeedDocument.make(scale: seedScale, now: clock.now)
        do {
            let ids = try db.importDocument(seed.result, clock: clock)
            let elapsed = ContinuousClock.now - started
            print(
                "seeded \(scale): \(ids.count) records in \(elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))"
            )
        } catch let error as InterchangeErrors {
            for problem in error.errors.prefix(20) { printError(problem.description) }
            throw ExitCode.failure
        }
        if !seed.logins.isEmpty {
            print("Comptes de démonstration (mot de passe : \(SeedDocument.demoPassword)) :")
            for login in seed.logins { print("  \(login.email) — \(login.role)") }
        }
    }
}

func jsonText(_ ids: [String: Int64]) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return String(decoding: try encoder.encode(ids), as: UTF8.self)
}
