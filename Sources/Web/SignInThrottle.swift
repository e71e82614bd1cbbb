import Foundation
import Synchronization

/// Per-IP lockout of sign-in (issue #4): 10 failures within 15 minutes block that address for
/// 15 minutes, whatever account it tries. Kept in memory: a restart forgets, the per-account
/// lockout in the database does not.
public final class SignInThrottle: Sendable {
    struct Entry {
        var failures: Int
        var windowStart: Date
        var lockedUntil: Date?
    }

    let maxFailures: Int
    let window: TimeInterval
    private let entries = Mutex<[String: Entry]>([:])

    public init(maxFailures: Int = 10, window: TimeInterval = 15 * 60) {
        self.maxFailures = maxFailures
        self.window = window
    }

    public func isLocked(_ address: String, now: Date) -> Bool {
        entries.withLock { $0[address]?.lockedUntil.map { $0 > now } ?? false }
    }

    public func recordFailure(_ address: String, now: Date) {
        entries.withLock { entries in
            var entry = entries[address] ?? Entry(failures: 0, windowStart: now)
            if now.timeIntervalSince(entry.windowStart) > window { entry = Entry(failures: 0, windowStart: now) }
            entry.failures += 1
            if entry.failures >= maxFailures { entry.lockedUntil = now.addingTimeInterval(window) }
            entries[address] = entry
            // Bounded memory: forget stale addresses when the table grows.
            if entries.count > 100_000 {
                entries = entries.filter { now.timeIntervalSince($0.value.windowStart) <= window }
            }
        }
    }

    public func recordSuccess(_ address: String) {
        _ = entries.withLock { $0.removeValue(forKey: address) }
    }
}
