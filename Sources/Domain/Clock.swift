import Foundation

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
