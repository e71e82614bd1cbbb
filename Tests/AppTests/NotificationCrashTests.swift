import Foundation
import GRDB
import HTTPTestSupport
@_spi(RawDatabase) import Persistence
import Testing

/// notifications.md §12 "never lost, never twice" on the real binary: `rdv serve` sends e-mails
/// through a real SMTP server (aiosmtpd) and is killed with SIGKILL in the middle of the batch;
/// after a restart past the 2-minute lease, every planned message has arrived, and only the one
/// that was being sent at the moment of the kill may arrive twice, with the same Message-ID
/// (the documented at-least-once window).
@Suite("Crash during sending", .serialized)
struct NotificationCrashTests {
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let count = 30
    static let start = Date(timeIntervalSince1970: 1_764_061_200)  // 2025-11-25T09:00:00Z

    /// aiosmtpd waiting `delay` s between storing each message and its 250 reply to DATA.
    final class SlowSMTPServer {
        let server: SMTPTestServer
        var port: UInt16 { server.port }

        init(delay: Double) throws { server = try SMTPTestServer(options: ["--data-delay", "\(delay)"]) }

        /// (To, Message-ID) of every stored message.
        func received() -> [(to: String, messageID: String)] {
            let folder = server.maildir.appendingPathComponent("new")
            let files = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            return files.compactMap { name in
                guard let text = try? String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8) else {
                    return nil
                }
                func header(_ field: String) -> String? {
                    text.components(separatedBy: .newlines).first { $0.hasPrefix(field + ": ") }
                        .map { String($0.dropFirst(field.count + 2)).trimmingCharacters(in: .whitespacesAndNewlines) }
                }
                guard let to = header("To"), let id = header("Message-ID") else { return nil }
                return (to, id)
            }
        }
    }

    func serve(database: String, smtpPort: UInt16, now: Date) throws -> Process {
        let process = Process()
        process.executableURL = RDVProcess.binary
        process.arguments = ["serve", "--port", "\(try RDVProcess.freePort())", "--database", database]
        let formatter = ISO8601DateFormatter()
        process.environment = [
            "RDV_ROOT": Self.packageRoot.path, "RDV_NOW": formatter.string(from: now), "RDV_LOG_LEVEL": "error",
            "RDV_SMTP_URL": "smtp://127.0.0.1:\(smtpPort)?starttls=off",
            "RDV_MAIL_FROM": "RDV <ne-pas-repondre@rdv.example.fr>", "RDV_PUBLIC_URL": "https://rdv.example.fr",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        return process
    }

    func statuses(_ db: AppDatabase) throws -> [String: Int] {
        try db.writer.read { db in
            try Dictionary(
                uniqueKeysWithValues: Row.fetchAll(
                    db, sql: "SELECT status, count(*) AS n FROM outbox_messages WHERE kind = 'email' GROUP BY status"
                )
                .map { ($0["status"] as String, $0["n"] as Int) })
        }
    }

    @Test func killedWhileSendingThenRestartedEveryMessageArrivesAndAtMostTheOneInFlightTwice() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("rdv.sqlite3").path
        let db = try AppDatabase(
            path: path, migrations: MigrationSet(directory: Self.packageRoot.appendingPathComponent("Migrations")))
        let encoder = JSONEncoder()
        let messages = try (1...Self.count).map { index in
            let payload = RenderedMessage(
                event: "rdv_created", channel: "mail", recipient: "usager\(index)@example.fr",
                subject: "Message \(index)",
                body: "Bonjour \(index)")
            return (
                kind: "email", payload: String(decoding: try encoder.encode(payload), as: UTF8.self),
                key: "rdv_created:\(index):user-\(index):mail", appointmentID: Int64?.none
            )
        }
        try db.planMessages(messages, dueAt: Self.start)
        let smtp = try SlowSMTPServer(delay: 0.05)

        // Given rdv serve sending the batch, killed with SIGKILL after a few messages arrived
        let first = try serve(database: path, smtpPort: smtp.port, now: Self.start)
        let someArrived = waitFor(timeoutMilliseconds: 30_000) { smtp.received().count >= 5 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        #expect(someArrived)
        let afterCrash = smtp.received().count
        #expect(afterCrash < Self.count, "the kill must land before the end of the batch")
        #expect((try statuses(db))["in_flight", default: 0] > 0)

        // When it restarts once the 2-minute lease of the claimed rows has expired
        let second = try serve(database: path, smtpPort: smtp.port, now: Self.start.addingTimeInterval(150))
        defer {
            kill(second.processIdentifier, SIGKILL)
            second.waitUntilExit()
        }
        let allSent = waitFor(timeoutMilliseconds: 60_000) { (try? statuses(db)) == ["sent": Self.count] }
        #expect(allSent)

        // Then every recipient got its message; at most one (the one in flight) got it twice,
        // under the same Message-ID, so mail clients drop the copy.
        let received = smtp.received()
        print("crash test: \(afterCrash) received before the kill, \(received.count) in all")
        let byRecipient = Dictionary(grouping: received, by: \.to)
        #expect(byRecipient.count == Self.count)
        let duplicated = byRecipient.filter { $0.value.count > 1 }
        #expect(duplicated.count <= 1)
        for (_, copies) in duplicated {
            #expect(copies.count == 2)
            #expect(Set(copies.map(\.messageID)).count == 1)
        }
        #expect(received.count <= Self.count + 1)
        let receipts = try db.writer.read {
            try Int.fetchOne($0, sql: "SELECT count(*) FROM receipts WHERE result = 'processed'")
        }
        #expect(receipts == Self.count)
    }
}
