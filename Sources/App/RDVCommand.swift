import ArgumentParser

/// The `rdv` command line (contracts.md §1).
public struct RDVCommand: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rdv",
        abstract: "RDV — prise de rendez-vous des services publics.",
        subcommands: [
            ServeCommand.self, MigrateCommand.self, SeedCommand.self, ImportCommand.self, ExportCommand.self,
            ImportAPICommand.self, BackupCommand.self, DurabilityProbeCommand.self, AddressesCommand.self,
            SuperAdminCommand.self,
        ],
        defaultSubcommand: ServeCommand.self
    )

    public init() {}

    /// Parses the process arguments and runs the chosen subcommand (exits on error).
    public static func runFromCommandLine() { main() }
}
