import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// The `rdv` binary against bad databases and a hard kill: clear messages, non-zero exits,
/// nothing half-written (issue #3).
@Suite("rdv commands and their failures", .serialized)
struct CommandLineTests {
    struct Outcome {
        let status: Int32
        let output: String
    }

    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func run(_ arguments: [String], as user: String? = nil) throws -> Outcome {
        let process = Process()
        if let user {
            // setpriv runs the binary as another user: root ignores file permissions.
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments =
                ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", RDVProcess.binary.path] + arguments
        } else {
            process.executableURL = RDVProcess.binary
            process.arguments = arguments
        }
        process.environment = ["RDV_ROOT": Self.root.path, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Outcome(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// admin.md §11: `rdv superadmin EMAIL` prints a single-use link; running it again replaces it.
    @Test func superadminPrintsALinkToSetThePassword() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("rdv.sqlite3").path
        let first = try run(["superadmin", "Ops@Example.fr", "--database", database])
        #expect(first.status == 0)
        let lines = first.output.split(separator: "\n").map(String.init)
        #expect(lines.first == "Set the password of ops@example.fr within 24 hours (single use):")
        let link = try #require(lines.last)
        #expect(link.hasPrefix("http://localhost:8080/super_admins/password/edit?token=") && link.count == 55 + 64)
        let second = try run(["superadmin", "ops@example.fr", "--database", database])
        #expect(second.status == 0 && second.output.split(separator: "\n").last.map(String.init) != link)
        let db = try DatabaseQueue(path: database)
        let counts = try db.read {
            (
                try Int.fetchOne($0, sql: "SELECT count(*) FROM super_admins") ?? 0,
                try Int.fetchOne($0, sql: "SELECT count(*) FROM account_tokens WHERE used_at IS NULL") ?? 0
            )
        }
        #expect(counts.0 == 1 && counts.1 == 1)
        let bad = try run(["superadmin", "not-an-email", "--database", database])
        #expect(bad.status != 0 && bad.output.contains("not-an-email: not an e-mail address"))
    }

    @Test func migrateInAMissingDirectoryExplainsAndFails() throws {
        let outcome = try run(["migrate", "--database", "/nonexistent-\(UUID().uuidString)/rdv.sqlite3"])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("does the directory exist?"))
    }

    @Test func migrateOnAGarbageFileExplainsAndLeavesItAlone() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("garbage.sqlite3")
        let garbage = Data(repeating: 0x41, count: 4096)
        try garbage.write(to: file)
        let outcome = try run(["migrate", "--database", file.path])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("not an SQLite database or is corrupt"))
        #expect(try Data(contentsOf: file) == garbage)
    }

    @Test(.enabled(if: geteuid() == 0, "needs root to switch to an unprivileged user"))
    func aReadOnlyDatabaseExplainsAndFails() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rdv.sqlite3").path
        #expect(try run(["migrate", "--database", path]).status == 0)
        // The file and its directory belong to root; "nobody" may only read them.
        chmod(directory.path, 0o755)
        chmod(path, 0o644)
        let outcome = try run(["seed", "--database", path], as: "65534")
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("the file or its directory is read-only"), "\(outcome.output)")
    }

    /// Whether this machine lets us mount a tmpfs (root with CAP_SYS_ADMIN), checked once.
    static let canMountTmpfs: Bool = {
        guard geteuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rdv-mount-probe-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: probe) }
        func run(_ tool: String, _ arguments: [String]) -> Bool {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: tool)
            process.arguments = arguments
            guard (try? process.run()) != nil else { return false }
            process.waitUntilExit()
            return process.terminationStatus == 0
        }
        guard run("/bin/mount", ["-t", "tmpfs", "-o", "size=64k", "tmpfs", probe.path]) else { return false }
        return run("/bin/umount", [probe.path])
    }()

    @Test(.enabled(if: canMountTmpfs, "needs root allowed to mount a small tmpfs"))
    func aFullDiskExplainsFailsAndKeepsTheDatabaseConsistent() throws {
        let directory = try temporaryDirectory()
        defer {
            _ = try? run(["--help"])  // keep the binary warm; unmount below
            let umount = Process()
            umount.executableURL = URL(fileURLWithPath: "/bin/umount")
            umount.arguments = [directory.path]
            try? umount.run()
            umount.waitUntilExit()
            try? FileManager.default.removeItem(at: directory)
        }
        let mount = Process()
        mount.executableURL = URL(fileURLWithPath: "/bin/mount")
        mount.arguments = ["-t", "tmpfs", "-o", "size=1600k", "tmpfs", directory.path]
        try mount.run()
        mount.waitUntilExit()
        try #require(mount.terminationStatus == 0, "mount tmpfs failed")
        let path = directory.appendingPathComponent("rdv.sqlite3").path
        // The schema fits (856 KB migrated, with its WAL); the demo data set does not (2000k fail too).
        #expect(try run(["migrate", "--database", path]).status == 0)
        let outcome = try run(["seed", "--database", path])
        #expect(outcome.status == 1)
        #expect(outcome.output.contains("disk is full"), "\(outcome.output)")
        // Nothing of the failed seed is in the database, which is still sound.
        let queue = try DatabaseQueue(path: path)
        try queue.read { (db: Database) throws in
            #expect(try String.fetchOne(db, sql: "PRAGMA integrity_check") == "ok")
            #expect(try Int.fetchOne(db, sql: "SELECT count(*) FROM territories") == 0)
        }
    }

    @Test func everyAcknowledgedWriteSurvivesKillMinus9() throws {
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rdv.sqlite3").path
        let process = Process()
        process.executableURL = RDVProcess.binary
        process.arguments = ["durability-probe", "--database", path]
        process.environment = ["RDV_ROOT": Self.root.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        // Read acknowledgements until at least 300, then kill without warning.
        var buffer = Data()
        var acknowledged = 0
        while acknowledged < 300 {
            let chunk = pipe.fileHandleForReading.availableData
            try #require(!chunk.isEmpty, "the probe stopped early")
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
            acknowledged = lines.compactMap { Int($0) }.max() ?? 0
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let tail = pipe.fileHandleForReading.readDataToEndOfFile()
        buffer.append(tail)
        acknowledged = String(decoding: buffer, as: UTF8.self).split(separator: "\n").compactMap { Int($0) }.max() ?? 0

        let db = try AppDatabase(
            path: path, migrations: MigrationSet(directory: Self.root.appendingPathComponent("Migrations")))
        #expect(try db.integrityCheck() == "ok")
        let stored = try db.writer.read { (conn: Database) throws in
            try Set(String.fetchAll(conn, sql: "SELECT name FROM services WHERE name LIKE 'probe-%'"))
        }
        let missing = (1...acknowledged).filter { !stored.contains("probe-\($0)") }
        #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        #expect(stored.count >= acknowledged)
    }
}
