import Domain
import Foundation
import Logging
import Persistence

/// What a handler made of one claimed message.
public enum HandlingResult: Sendable, Equatable {
    case sent(DeliveryReceipt?)
    /// A transient failure: retried per the ``RetryPolicy``.
    case failed(String, DeliveryReceipt?)
    /// A failure that no retry can fix (notifications.md §12: permanent errors → `failed` at once).
    case failedPermanently(String, DeliveryReceipt?)
    /// The work became pointless (appointment cancelled, deleted or past): recorded, not retried.
    case dropped(String)
}

/// Delivers one kind of outbox message (`email`, `sms`, `reminder`, `webhook`).
public protocol OutboxHandler: Sendable {
    func handle(_ message: OutboxMessage, now: Date) -> HandlingResult
}

/// notifications.md §12: after failed attempt n, a transient error retries after (n⁴ + 15) s plus
/// up to 10 % jitter (so a provider outage does not get every retry at the same second); at most
/// 20 attempts, the last about 6.5 days after the first, then the row is `failed`.
public struct RetryPolicy: Sendable {
    public var maximumAttempts = 20
    /// A fraction in 0..<0.1 of the delay; injected so tests are exact.
    public var jitter: @Sendable () -> Double = { Double.random(in: 0..<0.1) }

    public init() {}

    public init(jitter: @escaping @Sendable () -> Double) { self.jitter = jitter }

    /// The delay after `attempts` failed attempts, without jitter.
    public static func baseDelay(after attempts: Int) -> TimeInterval {
        let n = Double(attempts)
        return n * n * n * n + 15
    }

    /// When to try again after `attempts` failed attempts, or nil to give up.
    public func nextAttempt(after attempts: Int, now: Date) -> Date? {
        guard attempts < maximumAttempts else { return nil }
        let delay = Self.baseDelay(after: attempts)
        return now.addingTimeInterval(delay + delay * jitter())
    }
}

/// Claims due outbox rows, hands them to their handler and records the outcome. In `rdv serve`
/// (`start`/`stop`) each kind of row has its own worker thread: mail, SMS, webhooks and the
/// reminder fan-out, so a receiver or relay that takes its whole deadline holds up its own channel
/// only (issue 10 §3). Each delivery has a total deadline below the claim's lease (SMTP 90 s,
/// HTTP 10 s, see the handlers); tests call `runOnce()` with an injected clock.
///
/// Rows are claimed one at a time, right before they are handled: a lease then covers exactly one
/// delivery, whose deadline ends before the lease does, so no other worker can take over a row
/// that is still being sent.
///
/// Delivery is at least once: a worker that dies after sending but before recording leaves the row
/// `in_flight`; when its lease (2 minutes) expires the row is claimed and sent again. The
/// idempotency key travels with the message (Message-ID, provider reference) so receivers can
/// discard the duplicate.
public final class OutboxScheduler: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let handlers: [String: any OutboxHandler]
    let policy: RetryPolicy
    let logger: Logger
    let interval: TimeInterval
    private let control = SchedulerControl()

    public init(
        db: AppDatabase, clock: any Clock, handlers: [String: any OutboxHandler], policy: RetryPolicy = RetryPolicy(),
        logger: Logger, interval: TimeInterval = 1
    ) {
        self.db = db
        self.clock = clock
        self.handlers = handlers
        self.policy = policy
        self.logger = logger
        self.interval = interval
    }

    /// Processes every message due now; returns how many were handled. Stops between messages
    /// when asked to (`stop()`): the rows claimed and not handled go back after their lease.
    @discardableResult
    public func runOnce() throws -> Int { try runOnce(kinds: handlers.keys.sorted()) }

    /// The kinds each worker thread serves: one per handler.
    var lanes: [[String]] { handlers.keys.sorted().map { [$0] } }

    /// ``runOnce()`` for the rows of `kinds` only: one worker's pass.
    @discardableResult
    func runOnce(kinds: [String]) throws -> Int {
        var handled = 0
        while !control.isStopping {
            let batch = try db.claimDueMessages(now: clock.now, kinds: kinds, limit: 1)
            if batch.isEmpty { return handled }
            for message in batch where !control.isStopping {
                do {
                    try process(message)
                } catch {
                    // One row whose outcome cannot be recorded must not hold up the others; it is
                    // claimed again after its lease.
                    logger.error(
                        "outbox message not recorded",
                        metadata: ["id": "\(message.id)", "kind": "\(message.kind)", "error": "\(error)"])
                }
                handled += 1
            }
        }
        return handled
    }

    func process(_ message: OutboxMessage) throws {
        guard let handler = handlers[message.kind] else { return }
        let now = clock.now
        if let reason = try stalenessOf(message, now: now) {
            try db.markDropped(message, now: now, reason: reason)
            return
        }
        switch handler.handle(message, now: now) {
        case .sent(let receipt):
            try db.markSent(message, now: now, receipt: receipt)
        case .failed(let error, let receipt):
            let retry = policy.nextAttempt(after: message.attempts + 1, now: now)
            try recordFailure(message, error: error, receipt: receipt, retryAt: retry, now: now)
        case .failedPermanently(let error, let receipt):
            try recordFailure(message, error: error, receipt: receipt, retryAt: nil, now: now)
        case .dropped(let reason):
            logger.info("outbox message dropped", metadata: ["id": "\(message.id)", "reason": "\(reason)"])
            try db.markDropped(message, now: now, reason: reason)
        }
    }

    /// User and agent messages about an appointment are re-checked before each attempt
    /// (notifications.md §12); reminders re-check in their fan-out, webhooks are not messages.
    func stalenessOf(_ message: OutboxMessage, now: Date) throws -> String? {
        guard message.kind == "email" || message.kind == "sms",
            let rendered = message.renderedMessage
        else { return nil }
        return try db.staleness(of: rendered, now: now)
    }

    /// Logs without the error text, which may quote a recipient (no personal data in logs).
    private func recordFailure(
        _ message: OutboxMessage, error: String, receipt: DeliveryReceipt?, retryAt: Date?, now: Date
    ) throws {
        logger.warning(
            "outbox delivery failed",
            metadata: ["id": "\(message.id)", "kind": "\(message.kind)", "retry": "\(retryAt != nil)"])
        try db.markFailed(message, now: now, error: error, retryAt: retryAt, receipt: receipt)
    }

    /// Starts one background thread per lane: a pass now, then after each `wake()` or
    /// `interval`, until `stop()`.
    public func start() {
        for lane in lanes {
            let thread = Thread { [self] in
                // A first pass at start-up (rows left by a previous run), then one per wake-up or poll.
                var seen = control.generation
                repeat {
                    do {
                        try runOnce(kinds: lane)
                    } catch {
                        logger.error(
                            "outbox scheduler failed", metadata: ["kinds": "\(lane)", "error": "\(error)"])
                    }
                } while !control.waitOrStop(seconds: interval, seen: &seen)
                control.finished()
            }
            thread.name = "rdv-outbox-\(lane.joined(separator: "+"))"
            control.started()
            thread.start()
        }
    }

    /// Runs a pass now instead of at the next poll: called after a commit that planned rows
    /// (notifications.md §1 "signalled right after each commit").
    public func wake() { control.wake() }

    /// Asks the threads to stop and waits for them (the messages in hand are finished first,
    /// each within its delivery deadline).
    public func stop() { control.stopAndWait() }
}

/// The worker threads' stop flag and wake-up, under one condition variable. A wake-up bumps a
/// generation counter, so each worker sees it once, whether it was waiting or busy at the time.
final class SchedulerControl: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var running = 0
    private var wakeUps: UInt64 = 0

    func started() {
        condition.lock()
        running += 1
        condition.unlock()
    }

    var generation: UInt64 {
        condition.lock()
        defer { condition.unlock() }
        return wakeUps
    }

    /// Waits up to `seconds`, or until a wake-up after `seen`; true when asked to stop.
    func waitOrStop(seconds: TimeInterval, seen: inout UInt64) -> Bool {
        condition.lock()
        defer { condition.unlock() }
        let deadline = Date().addingTimeInterval(seconds)
        while !stopping && wakeUps == seen && condition.wait(until: deadline) {}
        seen = wakeUps
        return stopping
    }

    var isStopping: Bool {
        condition.lock()
        defer { condition.unlock() }
        return stopping
    }

    func wake() {
        condition.lock()
        wakeUps &+= 1
        condition.broadcast()
        condition.unlock()
    }

    func finished() {
        condition.lock()
        running -= 1
        condition.broadcast()
        condition.unlock()
    }

    func stopAndWait() {
        condition.lock()
        stopping = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }
}
