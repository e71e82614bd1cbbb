import Foundation
import Synchronization

/// The single source of "now" for every rule (README "Clock", style.md §2: Domain never calls `Date()`).
public protocol Clock: Sendable {
    var now: Date { get }
}

/// A frozen clock for tests and for replaying a decision at a known instant.
public struct FixedClock: Clock, Equatable {
    public var now: Date

    public init(_ now: Date) {
        self.now = now
    }
}

/// A clock moved by hand: tests of expiries, leases and retries advance it instead of sleeping.
public final class ManualClock: Clock {
    private let current: Mutex<Date>

    public init(_ start: Date) { current = Mutex(start) }

    public var now: Date { current.withLock { $0 } }

    public func advance(by seconds: TimeInterval) { current.withLock { $0 = $0.addingTimeInterval(seconds) } }
}
