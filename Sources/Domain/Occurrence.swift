import Foundation

/// One concrete occurrence of an opening period or absence: local wall-clock times on local
/// days (slots.md §1, §2).
public struct Occurrence: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The regular occurrence date it comes from (an exception's `date`).
    public var originalDate: LocalDate
    public var day: LocalDate
    public var startTime: TimeOfDay
    /// Equal to `day` except for a multi-day absence, which is one interval (slots.md §2).
    public var endDay: LocalDate
    public var endTime: TimeOfDay
    /// True when an `OccurrenceException` moved or resized it.
    public var isMoved: Bool

    public init(
        originalDate: LocalDate, day: LocalDate, startTime: TimeOfDay, endDay: LocalDate? = nil,
        endTime: TimeOfDay, isMoved: Bool = false
    ) {
        self.originalDate = originalDate
        self.day = day
        self.startTime = startTime
        self.endDay = endDay ?? day
        self.endTime = endTime
        self.isMoved = isMoved
    }

    /// The occurrence as instants in the territory's time zone.
    public func interval(in timeZone: TimeZone) -> DateInterval? {
        guard let start = day.instant(at: startTime, in: timeZone), let end = endDay.instant(at: endTime, in: timeZone),
            start <= end
        else { return nil }
        return DateInterval(start: start, end: end)
    }

    public static func < (lhs: Occurrence, rhs: Occurrence) -> Bool {
        (lhs.day, lhs.startTime, lhs.originalDate) < (rhs.day, rhs.startTime, rhs.originalDate)
    }

    public var description: String {
        endDay == day
            ? "\(day) \(startTime)–\(endTime)" : "\(day) \(startTime)–\(endDay) \(endTime)"
    }
}
