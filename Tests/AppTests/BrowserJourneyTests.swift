import Foundation
import HTTPTestSupport
import Testing

/// The agent workspace driven by a real headless Chromium (selenium + chromium-driver, installed
/// by `make deps`), as a person would: controls are found by their French labels and texts
/// (contracts.md §5). Each journey runs the real `rdv` binary on the demo data with a simulated
/// clock, and the notification scheduler of `rdv serve` fills the development outbox.
@Suite("Browser journeys", .serialized)
struct BrowserJourneyTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    /// Monday 7 December 2026, 08:30 in Paris: the demo week is around it.
    static let now = "2026-12-07T08:30:00+01:00"

    /// Runs `Tests/Browser/<script>` against a fresh demo instance; returns the script's output.
    /// `fromEmpty`: no demo data, only the vendored address sample and an operator account, whose
    /// password link reaches the script as `RDV_SETUP_LINK` (admin.md §11).
    static func run(_ script: String, javascript: Bool = true, fromEmpty: Bool = false) throws
        -> (status: Int32, output: String)
    {
        let binary = RDVProcess.binary
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build rdv first: \(binary.path)")
        let python = packageRoot.appendingPathComponent(".venv/bin/python")
        try #require(
            FileManager.default.isExecutableFile(atPath: python.path), "make .venv/bin/python (selenium) first")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-browser-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("rdv.sqlite3").path
        let environment = [
            "RDV_ROOT": packageRoot.path, "RDV_NOW": now, "RDV_LOG_LEVEL": "warning",
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
        ]
        let port = try RDVProcess.freePort()
        let publicURL = "http://127.0.0.1:\(port)"
        let sample = packageRoot.appendingPathComponent("Tests/Fixtures/ban/adresses-80-sample.csv").path
        let steps =
            fromEmpty
            ? [
                ["migrate", "--database", database], ["addresses", "import", sample, "--database", database],
                ["superadmin", "ops@exploitant.example", "--database", database],
            ]
            : [["migrate", "--database", database], ["seed", "--database", database]]
        var setupLink = ""
        for arguments in steps {
            let step = Process()
            step.executableURL = binary
            step.arguments = arguments
            step.environment = environment.merging(["RDV_PUBLIC_URL": publicURL]) { $1 }
            let pipe = Pipe()
            step.standardOutput = pipe
            try step.run()
            let printed = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            step.waitUntilExit()
            try #require(step.terminationStatus == 0, "rdv \(arguments[0]) failed")
            if arguments[0] == "superadmin" {
                setupLink = printed.split(separator: "\n").last.map(String.init) ?? ""
            }
        }
        let server = Process()
        server.executableURL = binary
        server.arguments = ["serve", "--host", "127.0.0.1", "--port", "\(port)", "--database", database]
        var serverEnvironment = environment
        serverEnvironment["RDV_PUBLIC_URL"] = publicURL
        server.environment = serverEnvironment
        let serverLog = directory.appendingPathComponent("serve.log")
        FileManager.default.createFile(atPath: serverLog.path, contents: nil)
        let logHandle = try FileHandle(forWritingTo: serverLog)
        server.standardOutput = logHandle
        server.standardError = logHandle
        try server.run()
        defer {
            if server.isRunning { server.terminate() }
            server.waitUntilExit()
        }
        try #require(waitFor(timeoutMilliseconds: 10_000) { (try? TestClient(port: port)) != nil })

        let person = Process()
        person.executableURL = python
        var arguments = [packageRoot.appendingPathComponent("Tests/Browser/\(script)").path, "http://127.0.0.1:\(port)"]
        if !javascript { arguments.append("--no-javascript") }
        if let shots = ProcessInfo.processInfo.environment["RDV_BROWSER_SHOTS"] {
            arguments += ["--shots", shots + "/" + script.replacingOccurrences(of: ".py", with: javascript ? "" : "-nojs")]
        }
        person.arguments = arguments
        person.environment = ProcessInfo.processInfo.environment.merging(
            // The database lets a journey read the development outbox as the person's mailbox.
            ["PYTHONDONTWRITEBYTECODE": "1", "RDV_SETUP_LINK": setupLink, "RDV_JOURNEY_DATABASE": database]) { $1 }
        let output = directory.appendingPathComponent("journey.log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let outputHandle = try FileHandle(forWritingTo: output)
        person.standardOutput = outputHandle
        person.standardError = outputHandle
        try person.run()
        // A journey that hangs is a failure, not a stuck CI: two minutes at most.
        let deadline = Date().addingTimeInterval(120)
        while person.isRunning && Date() < deadline { usleep(50_000) }
        if person.isRunning { person.terminate() }
        person.waitUntilExit()
        try outputHandle.close()
        try logHandle.close()
        var text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
        if person.terminationStatus != 0 {
            text += "\n--- rdv serve log ---\n" + ((try? String(contentsOf: serverLog, encoding: .utf8)) ?? "")
        }
        return (person.terminationStatus, text)
    }

    @Test func aBasicAgentCannotOpenTheAgendaOfAColleagueOfAnotherService() throws {
        let result = try Self.run("journey_agenda_refused.py")
        #expect(result.status == 0, "\(result.output)")
    }

    /// A secretariat agent books for a new user's child through « Trouver un RDV », moves and
    /// cancels the appointment; the messages reach the development outbox.
    @Test(arguments: [true, false])
    func aSecretariatAgentBooksMovesAndCancels(javascript: Bool) throws {
        let result = try Self.run("journey_secretariat.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// Every agent page passes axe-core at 1280 and 360 px and never scrolls sideways on a phone.
    @Test func everyAgentPagePassesAxeCoreOnDesktopAndPhone() throws {
        let result = try Self.run("journey_accessibility.py")
        #expect(result.status == 0, "\(result.output)")
    }

    /// An agent creates a weekly opening period from the agenda, cancels one occurrence, moves
    /// another, and the availability API shows exactly the expected slots.
    @Test func anOpeningPeriodAndItsSingleOccurrencesReachTheSlots() throws {
        let result = try Self.run("journey_opening_period.py")
        #expect(result.status == 0, "\(result.output)")
    }

    /// A 3-seat collective appointment: three participants make it « Complet » and take it out
    /// of the public slots; an agent may still add a fourth.
    @Test func aFullCollectiveAppointmentLeavesThePublicSlotsAndAgentsMayOverbook() throws {
        let result = try Self.run("journey_collective.py")
        #expect(result.status == 0, "\(result.output)")
    }

    /// « Exporter » on the filtered list: « Vos exports » shows the file once the scheduler has
    /// written it, and the download holds exactly the list's rows.
    @Test(arguments: [true, false])
    func anAgentExportsTheFilteredListAndDownloadsIt(javascript: Bool) throws {
        let result = try Self.run("journey_export.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A territorial admin creates an organisation, gives it a place found through the address
    /// service, and « Réservation en ligne » says a motif is missing (admin.md §2–§3).
    @Test(arguments: [true, false])
    func aTerritorialAdminSetsUpAnOrganisationAndItsPlace(javascript: Bool) throws {
        let result = try Self.run("journey_configuration.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A visitor on a phone goes from an address of the demo territory to a slot of the nearest
    /// place, every step found by its French labels (booking.md §2.2 steps 1–8); with JavaScript
    /// each step passes axe-core at 1280 and 360 px.
    @Test(arguments: [true, false])
    func aVisitorFindsASlotFromTheirAddress(javascript: Bool) throws {
        let result = try Self.run("journey_public_search.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// The search, the sign-in by e-mail code, the booking and its cancellation with the keyboard
    /// only (Tab, Shift+Tab, Enter, typing), every focused control showing its focus indicator.
    @Test(arguments: [true, false])
    func aVisitorFindsASlotWithTheKeyboardOnly(javascript: Bool) throws {
        let result = try Self.run("journey_public_keyboard.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A person without account books the first slot of another day with a code received by
    /// e-mail (« Créez votre compte »), finds it in « Mes rendez-vous » and cancels it; the
    /// help and information pages too; with JavaScript every page passes axe-core.
    @Test(arguments: [true, false])
    func aPersonBooksWithACodeAndCancels(javascript: Bool) throws {
        let result = try Self.run("journey_public_booking.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// An external prescriber books a motif open to prescribers for a beneficiary (booking.md
    /// §5.1): their details (a wrong e-mail first), the beneficiary (a landline refused), the
    /// confirmation page, their e-mail and the beneficiary's SMS; the next booking keeps their
    /// details and finds the same beneficiary; with JavaScript every state passes axe-core.
    @Test(arguments: [true, false])
    func aPrescriberBooksForABeneficiary(javascript: Bool) throws {
        let result = try Self.run("journey_prescriber.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// A person books a slot more than 7 days away, asks to be told of an earlier one from the
    /// appointment's page, then leaves the waiting list (booking.md §8).
    @Test(arguments: [true, false])
    func aPersonJoinsAndLeavesTheWaitingList(javascript: Bool) throws {
        let result = try Self.run("journey_waiting_list.py", javascript: javascript)
        #expect(result.status == 0, "\(result.output)")
    }

    /// From an empty database: the operator creates a territory, its invited admin configures
    /// a place, a motif open to users, an invited agent and its opening period, « Réservation
    /// en ligne » says booking is active and the availability API lists slots; then a zones CSV
    /// is simulated (one error row), fixed and imported, the sector attributed, and « Test de
    /// sectorisation » names the organisation (issue 13).
    @Test(arguments: [true, false])
    func aTerritoryIsSetUpFromNothingToOnlineBooking(javascript: Bool) throws {
        let result = try Self.run("journey_setup.py", javascript: javascript, fromEmpty: true)
        #expect(result.status == 0, "\(result.output)")
    }
}
