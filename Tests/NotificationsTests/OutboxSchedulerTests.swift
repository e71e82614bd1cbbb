import Domain
import Foundation
import GRDB
import HTTPTestSupport
import Logging
import Notifications
import Persistence
import Synchronization
import Testing

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// A handler that fails a given number of times, then succeeds, and counts its calls.
final class FlakyHandler: OutboxHandler {
    private let state: Mutex<(failuresLeft: Int, calls: Int)>
    init(failures: Int) { state = Mutex((failures, 0)) }
    var calls: Int { state.withLock { $0.calls } }
    func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        state.withLock { s in
            s.calls += 1
            if s.failuresLeft > 0 {
                s.failuresLeft -= 1
                return .failed(
                    "provider answered 503", DeliveryReceipt(event: "rdv_created", channel: "sms", result: "failure"))
            }
            return .sent(DeliveryReceipt(event: "rdv_created", channel: "sms", result: "sent"))
        }
    }
}

@Suite("Outbox scheduler", .serialized)
struct OutboxSchedulerTests {
    static let start = Date(timeIntervalSince1970: 1_764_061_200)

    func makeDatabase() throws -> (AppDatabase, URL) { try makeTestDatabase() }

    func payload(_ body: String = "Bonjour") throws -> String {
        String(
            decoding: try JSONEncoder().encode(
                RenderedMessage(event: "rdv_created", channel: "sms", recipient: "+33612345678", body: body)),
            as: UTF8.self)
    }

    func rows(_ db: AppDatabase, _ sql: String) throws -> [Row] { try fetchRows(db, sql) }

    @Test func aDueMessageIsDeliveredOnceWithAReceiptAndNotBefore() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.start)
        // Given a message due in one minute, planned twice with the same key
        for _ in 1...2 {
            try db.planMessages(
                [("sms", try payload(), "rdv_created:1:u1:sms", nil)], dueAt: Self.start.addingTimeInterval(60))
        }
        let scheduler = OutboxScheduler(
            db: db, clock: clock, handlers: ["sms": DevMessageHandler(db: db)], logger: Logger(label: "t"))
        // When the scheduler runs before and after its moment
        #expect(try scheduler.runOnce() == 0)
        clock.advance(by: 60)
        #expect(try scheduler.runOnce() == 1)
        #expect(try scheduler.runOnce() == 0)
        // Then it was stored once in the development outbox, marked sent, with one receipt
        #expect(
            try rows(db, "SELECT recipient, body FROM dev_outbox_messages").map { $0["body"] as String } == ["Bonjour"])
        #expect(
            try rows(db, "SELECT status, attempts FROM outbox_messages").map {
                "\($0["status"] as String)/\($0["attempts"] as Int)"
            } == ["sent/1"])
        let receipt = try #require(try rows(db, "SELECT * FROM receipts").first)
        #expect(receipt["result"] == "delivered")
        #expect(receipt["sms_provider"] == "dev")
        #expect(receipt["sms_count"] == 1)
        #expect(receipt["idempotency_key"] == "rdv_created:1:u1:sms")
    }

    @Test func failuresAreRetriedWithBackoffThenSucceed() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.start)
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        let handler = FlakyHandler(failures: 2)
        let scheduler = OutboxScheduler(
            db: db, clock: clock, handlers: ["sms": handler], policy: RetryPolicy(jitter: { 0 }),
            logger: Logger(label: "t"))
        try scheduler.runOnce()  // attempt 1 fails: retry in 1⁴ + 15 = 16 s
        #expect(
            try rows(db, "SELECT next_attempt_at FROM outbox_messages").first?["next_attempt_at"] == Int64(
                Self.start.timeIntervalSince1970) + 16)
        clock.advance(by: 15)
        #expect(try scheduler.runOnce() == 0)
        clock.advance(by: 1)
        try scheduler.runOnce()  // attempt 2 fails: retry in 2⁴ + 15 = 31 s
        clock.advance(by: 31)
        try scheduler.runOnce()  // attempt 3 succeeds
        #expect(handler.calls == 3)
        #expect(
            try rows(db, "SELECT status, attempts FROM outbox_messages").map {
                "\($0["status"] as String)/\($0["attempts"] as Int)"
            } == ["sent/3"])
        #expect(
            try rows(db, "SELECT result FROM receipts ORDER BY id").map { $0["result"] as String } == [
                "failure", "failure", "sent",
            ])
    }

    @Test func retriesStopAfterTwentyAttempts() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.start)
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        let handler = FlakyHandler(failures: 99)
        let scheduler = OutboxScheduler(
            db: db, clock: clock, handlers: ["sms": handler], policy: RetryPolicy(jitter: { 0.099 }),
            logger: Logger(label: "t"))
        for _ in 0..<30 {
            try scheduler.runOnce()
            clock.advance(by: 200_000)
        }
        #expect(handler.calls == 20)
        #expect(
            try rows(db, "SELECT status, attempts FROM outbox_messages").first.map {
                "\($0["status"] as String)/\($0["attempts"] as Int)"
            } == "failed/20")
    }

    @Test func aMessageClaimedByAWorkerThatDiedIsSentAfterTheLease() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(Self.start)
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        // A worker claims it, then dies before sending or recording
        #expect(try db.claimDueMessages(now: clock.now, kinds: ["sms"]).count == 1)
        let scheduler = OutboxScheduler(
            db: db, clock: clock, handlers: ["sms": DevMessageHandler(db: db)], logger: Logger(label: "t"))
        #expect(try scheduler.runOnce() == 0)  // still leased
        clock.advance(by: 120)
        #expect(try scheduler.runOnce() == 1)
        #expect(try rows(db, "SELECT count(*) AS n FROM dev_outbox_messages").first?["n"] == 1)
        #expect(try rows(db, "SELECT status FROM outbox_messages").first?["status"] == "sent")
    }

    /// Two workers: the first one's lease expired and the row was claimed again; the first one's
    /// late outcome is not recorded, the second one's is (one receipt, one `sent`).
    @Test func aLateOutcomeOfAnExpiredClaimIsNotRecorded() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        let first = try #require(try db.claimDueMessages(now: Self.start, kinds: ["sms"]).first)
        let second = try #require(
            try db.claimDueMessages(now: Self.start.addingTimeInterval(121), kinds: ["sms"]).first)
        let receipt = DeliveryReceipt(event: "rdv_created", channel: "sms", result: "sent")
        #expect(
            try db.markFailed(
                first, now: Self.start.addingTimeInterval(130), error: "late", retryAt: nil, receipt: receipt) == false)
        #expect(try db.markSent(second, now: Self.start.addingTimeInterval(131), receipt: receipt))
        #expect(try db.markSent(first, now: Self.start.addingTimeInterval(132), receipt: receipt) == false)
        #expect(try rows(db, "SELECT status FROM outbox_messages").first?["status"] == "sent")
        #expect(try rows(db, "SELECT count(*) AS n FROM receipts").first?["n"] == 1)
    }

    @Test func theBackgroundThreadDeliversAndStops() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(Self.start), handlers: ["sms": DevMessageHandler(db: db)],
            logger: Logger(label: "t"),
            interval: 0.01)
        scheduler.start()
        var delivered = false
        for _ in 0..<500 where !delivered {
            delivered = try rows(db, "SELECT count(*) AS n FROM dev_outbox_messages").first?["n"] == 1
            if !delivered { usleep(2000) }
        }
        scheduler.stop()
        #expect(delivered)
    }

    /// notifications.md §1: a commit that plans rows wakes the scheduler; it does not wait for its
    /// (here hour-long) poll.
    @Test func aCommitThatPlansMessagesWakesTheScheduler() throws {
        let (db, directory) = try makeDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(Self.start), handlers: ["sms": DevMessageHandler(db: db)],
            logger: Logger(label: "t"), interval: 3600)
        db.observeOutboxCommits { scheduler.wake() }
        func delivered(_ count: Int) -> Bool {
            waitFor(timeoutMilliseconds: 5000) {
                (try? rows(db, "SELECT count(*) AS n FROM dev_outbox_messages").first?["n"] as Int?) == count
            }
        }
        // The start-up pass delivers what is already due…
        try db.planMessages([("sms", try payload(), "k1", nil)], dueAt: Self.start)
        scheduler.start()
        defer { scheduler.stop() }
        #expect(delivered(1))
        // …then the thread sleeps for its hour-long poll: only the commit's wake-up delivers this.
        try db.planMessages([("sms", try payload(), "k2", nil)], dueAt: Self.start)
        #expect(delivered(2))
    }

    /// notifications.md §12: (n⁴ + 15) s, plus the jitter fraction of it; none after attempt 20.
    @Test(arguments: [(1, 16.0), (2, 31.0), (3, 96.0), (8, 4111.0), (19, 130_336.0), (20, -1.0)])
    func retryDelays(attempts: Int, delay: Double) {
        let next = RetryPolicy(jitter: { 0 }).nextAttempt(after: attempts, now: Self.start)
        #expect(next.map { $0.timeIntervalSince(Self.start) } ?? -1 == delay)
        let jittered = RetryPolicy(jitter: { 0.1 }).nextAttempt(after: attempts, now: Self.start)
        let expected = delay < 0 ? -1 : delay * 1.1
        #expect(abs((jittered.map { $0.timeIntervalSince(Self.start) } ?? -1) - expected) < 0.001)
    }

    @Test func theWholeScheduleLastsAboutSixAndAHalfDays() {
        let total = (1..<20).map(RetryPolicy.baseDelay(after:)).reduce(0, +)
        #expect((6.4 * 86400...6.6 * 86400).contains(total))
    }
}
