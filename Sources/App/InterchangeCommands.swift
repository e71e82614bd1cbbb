import ArgumentParser
import Foundation
import Geocoding
import APIImport
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
        var sample = SeedDocument.addressSample.makeIterator()
        let addresses = try reportingFailures { try db.importAddresses { sample.next() } }
        print("address sample: \(addresses.addresses) addresses, \(addresses.streets) streets, \(addresses.cities) cities")
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

/// `rdv addresses import FILE [--database PATH]` (contracts.md §6): a BAN « adresses » file of a
/// département (CSV, plain or gzip) into the embedded address index, replacing that
/// département's earlier import; all or nothing.
struct AddressesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "addresses", abstract: "The embedded address index.", subcommands: [AddressesImportCommand.self])
}

struct AddressesImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import", abstract: "Load a BAN addresses file (CSV or CSV.gz), all or nothing.")

    @Argument(help: "The BAN file, e.g. adresses-62.csv.gz.")
    var file: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        let db = try database.open()
        let started = ContinuousClock.now
        do {
            let reader = try BANFileReader(path: file)
            let summary = try db.importAddresses { try reader.next() }
            let elapsed = ContinuousClock.now - started
            print(
                "imported \(summary.addresses) addresses, \(summary.streets) streets, \(summary.cities) cities "
                    + "(département \(summary.departements.joined(separator: ", "))) in "
                    + elapsed.formatted(.units(allowed: [.seconds], fractionalPart: .show(length: 1))))
        } catch let error as BANFileReader.Failure {
            printError("\(file): \(error.description); nothing imported")
            throw ExitCode.failure
        } catch let error as PersistenceError {
            printError("\(error.description); nothing imported")
            throw ExitCode.failure
        }
    }
}

/// `rdv import-api URL --uid EMAIL --password PASSWORD [--organisation ID]`: an organisation's
/// configuration and data read through any API v1 (the original's or ours), imported all or
/// nothing; prints `{"ids": {ref: id…}, "report": [what could not be mapped…]}`.
struct ImportAPICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-api", abstract: "Move an organisation in through an API v1, all or nothing.")

    @Argument(help: "The source instance, e.g. https://www.rdv-solidarites.fr.")
    var url: String

    @Option(help: "The e-mail of an agent of the organisation (an admin sees everything).")
    var uid: String

    @Option(help: "That agent's password (env RDV_IMPORT_PASSWORD when omitted).")
    var password: String?

    @Option(help: "The source organisation's id (default: the agent's only organisation).")
    var organisation: Int64?

    @Option(help: "The new territory's name (default: « Territoire de <organisation> »).")
    var territoryName: String?

    @Option(help: "The new territory's département number (default: from the first place's post code).")
    var departement: String?

    @Option(help: "The territory's time zone.")
    var timeZone = "Europe/Paris"

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard let base = URL(string: url), base.scheme == "http" || base.scheme == "https", base.host != nil else {
            throw ValidationError("URL must be an http(s):// address")
        }
        guard let secret = password ?? ProcessInfo.processInfo.environment["RDV_IMPORT_PASSWORD"] else {
            throw ValidationError("--password or RDV_IMPORT_PASSWORD is required")
        }
        let clock = try reportingFailures { try ProcessClock() }
        let db = try database.open()
        do {
            let outcome = try OrganisationTransfer.run(
                from: base, email: uid, password: secret, organisationID: organisation,
                options: InterchangeMapping.Options(territoryName: territoryName, departementNumber: departement, timeZone: timeZone),
                into: db, clock: clock)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            struct Printed: Encodable {
                let ids: [String: Int64]
                let report: [String]
            }
            FileHandle.standardOutput.write(try encoder.encode(Printed(ids: outcome.ids, report: outcome.report)))
            print()
        } catch let failure as OrganisationTransfer.Failure {
            for line in failure.description.split(separator: "\n") { printError(String(line)) }
            throw ExitCode.failure
        }
    }
}
