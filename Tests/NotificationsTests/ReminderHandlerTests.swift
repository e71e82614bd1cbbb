import Domain
import Foundation
import GRDB
import Logging
import Notifications
@_spi(RawDatabase) import Persistence
import Testing

/// notifications.md §4: the reminder planned at import is due Thu 2021-04-29 09:00 Paris for the
/// contract example's appointment (Mon 2021-05-03 09:00, Jean Dupont, mobile and e-mail).
@Suite("Reminder fan-out", .serialized)
struct ReminderHandlerTests {
    static let importedOn = Date(timeIntervalSince1970: 1_618_905_600)  // 2021-04-20
    static let reminderMoment = Date(timeIntervalSince1970: 1_619_679_600)  // 2021-04-29T07:00:00Z

    func setUp(_ change: (inout InterchangeDocument) -> Void = { _ in }) throws -> (AppDatabase, URL) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "rdv-reminder-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let db = try AppDatabase(
            path: directory.appendingPathComponent("rdv.sqlite3").path,
            migrations: MigrationSet(directory: packageRoot.appendingPathComponent("Migrations")))
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        change(&document)
        _ = try db.importDocument(document, clock: FixedClock(Self.importedOn))
        return (db, directory)
    }

    func scheduler(_ db: AppDatabase, _ clock: ManualClock) -> OutboxScheduler {
        OutboxScheduler(
            db: db, clock: clock,
            handlers: [
                "reminder": ReminderHandler(db: db, publicURL: "https://rdv.example.fr"),
                "sms": DevMessageHandler(db: db),
                "email": DevMessageHandler(db: db),
            ], logger: Logger(label: "t"))
    }

    @Test func theDueReminderBecomesOneSMSAndOneEmailToTheUser() throws {
        let (db, directory) = try setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.reminderMoment.addingTimeInterval(-1))
        #expect(try scheduler(db, clock).runOnce() == 0)  // not yet
        clock.advance(by: 1)
        try scheduler(db, clock).runOnce()
        let sent = try db.writer.read {
            try Row.fetchAll(
                $0, sql: "SELECT channel, recipient, subject, body FROM dev_outbox_messages ORDER BY channel")
        }
        #expect(sent.map { $0["channel"] as String } == ["mail", "sms"])
        #expect(sent.first?["recipient"] == "jean@example.fr")
        #expect(sent.last?["recipient"] == "+33612345678")
        let sms: String = sent.last?["body"] ?? ""
        #expect(!sms.contains("Consultation"))  // never the motif name in an SMS (notifications.md §6)
        #expect(sms.count <= 160)
        #expect(
            try db.writer.read { try String.fetchAll($0, sql: "SELECT status FROM outbox_messages ORDER BY id") } == [
                "sent", "sent", "sent",
            ])
    }

    @Test func aReminderForACancelledAppointmentIsDropped() throws {
        let (db, directory) = try setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.writer.write {
            try $0.execute(sql: "UPDATE appointments SET status = 'revoked', cancelled_at = 1619000000")
        }
        try scheduler(db, ManualClock(Self.reminderMoment)).runOnce()
        #expect(
            try db.writer.read { try String.fetchAll($0, sql: "SELECT status FROM outbox_messages") } == ["cancelled"])
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dev_outbox_messages") } == 0)
    }

    @Test func fanningOutTwiceSendsOnce() throws {
        let (db, directory) = try setUp()
        defer { try? FileManager.default.removeItem(at: directory) }
        let handler = ReminderHandler(db: db, publicURL: "https://rdv.example.fr")
        let reminder = try #require(try db.claimDueMessages(now: Self.reminderMoment, kinds: ["reminder"]).first)
        // A worker fans out, then dies before recording: after the lease the row is fanned out again.
        #expect(handler.handle(reminder, now: Self.reminderMoment) == .sent(nil))
        #expect(handler.handle(reminder, now: Self.reminderMoment.addingTimeInterval(130)) == .sent(nil))
        let clock = ManualClock(Self.reminderMoment.addingTimeInterval(130))
        try scheduler(db, clock).runOnce()
        #expect(try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM dev_outbox_messages") } == 2)
    }
}
