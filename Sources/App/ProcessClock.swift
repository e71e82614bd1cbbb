import Domain
import Foundation

/// The process clock (contracts.md §2): the real time, or, when `RDV_NOW` holds an ISO-8601
/// instant with offset, that instant at start-up running forward from there.
public struct ProcessClock: Clock {
    private let start: Date
    private let startedAt: ContinuousClock.Instant
    public let isSimulated: Bool

    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        startedAt = ContinuousClock.now
        guard let text = environment["RDV_NOW"], !text.isEmpty else {
            start = Date()
            isSimulated = false
            return
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        guard let simulated = formatter.date(from: text) else {
            throw InvalidNow(text: text)
        }
        start = simulated
        isSimulated = true
    }

    public var now: Date {
        guard isSimulated else { return Date() }
        let elapsed = ContinuousClock.now - startedAt
        let (seconds, attoseconds) = elapsed.components
        return start.addingTimeInterval(Double(seconds) + Double(attoseconds) / 1e18)
    }

    public struct InvalidNow: Error, CustomStringConvertible {
        let text: String
        public var description: String {
            "RDV_NOW=\(text) is not an ISO-8601 instant with offset (e.g. 2021-05-03T08:00:00+02:00)"
        }
    }
}
