import ArgumentParser
import Domain
import Foundation
import Persistence

/// `rdv superadmin EMAIL [--database PATH]` (admin.md §11, an addition to contracts.md §1): the
/// instance operator's account, created when new, and a single-use link (valid one day) to set
/// its password. Running it again replaces the previous unused link.
struct SuperAdminCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "superadmin", abstract: "Create a super admin and print the link that sets its password.")

    @Argument(help: "The super admin's e-mail address.")
    var email: String

    @OptionGroup var database: DatabaseOptions

    func run() throws {
        guard EmailAddress.isValid(EmailAddress.normalised(email)) else {
            printError("\(email): not an e-mail address")
            throw ExitCode.validationFailure
        }
        let clock = try reportingFailures { try ProcessClock() }
        let db = try database.open()
        let token = try db.issueSuperAdminSetupLink(email: email, now: clock.now)
        let base = InstanceEnvironment(ProcessInfo.processInfo.environment).publicURL
        let trimmed = base.hasSuffix("/") ? String(base.dropLast()) : base
        print("Set the password of \(EmailAddress.normalised(email)) within 24 hours (single use):")
        print("\(trimmed)/super_admins/password/edit?token=\(token)")
    }
}
