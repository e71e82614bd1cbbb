import Foundation

/// How the agenda lays out a day (booking.md §9): 15-minute rows from 07:00 to 20:00, business
/// hours Monday–Saturday 07:00–19:00, overlapping events side by side in lanes.
public enum AgendaLayout {
    public static let firstMinute = 7 * 60
    public static let endMinute = 20 * 60
    public static let rowMinutes = 15
    public static let rowCount = (endMinute - firstMinute) / rowMinutes
    /// More overlapping events than this share the last lane (the grid stays readable).
    public static let maxLanes = 4

    /// The rows (0-based first row and count) of the minutes [start, end) of a day, clipped to
    /// the grid; an event wholly before or after the grid keeps one row at its edge, so that
    /// it is still seen.
    public static func rows(startMinute: Int, endMinute end: Int) -> (first: Int, count: Int) {
        let first = min(max((startMinute - firstMinute) / rowMinutes, 0), rowCount - 1)
        let last = min(max((end - firstMinute + rowMinutes - 1) / rowMinutes, first + 1), rowCount)
        return (first, last - first)
    }

    /// The minute of the day at which row `row` starts.
    public static func minute(ofRow row: Int) -> Int { firstMinute + row * rowMinutes }

    /// Monday–Saturday 07:00–19:00 (booking.md §9).
    public static func isBusinessHours(_ weekday: Weekday, minute: Int) -> Bool {
        weekday != .sunday && minute >= 7 * 60 && minute < 19 * 60
    }

    /// Lanes for intervals `[start, end)` in minutes: each interval's lane and the number of
    /// lanes of its group of overlapping intervals (a group ends where no interval continues).
    /// Intervals are laid out in the order of their start, then the longer first.
    public static func lanes(_ intervals: [(start: Int, end: Int)]) -> [(lane: Int, count: Int)] {
        let order = intervals.indices.sorted {
            (intervals[$0].start, -intervals[$0].end, $0) < (intervals[$1].start, -intervals[$1].end, $1)
        }
        var result = Array(repeating: (lane: 0, count: 1), count: intervals.count)
        var group: [Int] = []
        var laneEnds: [Int] = []
        var groupEnd = Int.min
        func close() {
            let count = min(max(laneEnds.count, 1), maxLanes)
            for index in group { result[index].count = count }
            group.removeAll()
            laneEnds.removeAll()
        }
        for index in order {
            let (start, end) = intervals[index]
            if start >= groupEnd { close() }
            let free = laneEnds.firstIndex { $0 <= start }
            let lane: Int
            if let free {
                lane = free
                laneEnds[free] = end
            } else {
                lane = laneEnds.count
                laneEnds.append(end)
            }
            result[index].lane = min(lane, maxLanes - 1)
            group.append(index)
            groupEnd = max(groupEnd, end)
        }
        close()
        return result
    }

    /// The days shown in a week or month row (booking.md §9): Monday–Friday always; Saturday when
    /// the viewer displays Saturdays or something happens on one; Sunday when the territory is
    /// open on Sundays and holidays or something happens on one.
    public static func shownWeekdays(
        displaySaturdays: Bool, openOnSundays: Bool, busyWeekdays: Set<Weekday>
    ) -> [Weekday] {
        Weekday.allCases.sorted().filter {
            switch $0 {
            case .saturday: displaySaturdays || busyWeekdays.contains(.saturday)
            case .sunday: openOnSundays || busyWeekdays.contains(.sunday)
            default: true
            }
        }
    }

    public static let shortWeekdayNames: [Weekday: String] = [
        .monday: "lun.", .tuesday: "mar.", .wednesday: "mer.", .thursday: "jeu.", .friday: "ven.", .saturday: "sam.",
        .sunday: "dim.",
    ]

    public static let monthNames = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
        "décembre",
    ]

    /// « décembre 2026 ».
    public static func monthLabel(_ day: LocalDate) -> String { "\(monthNames[day.month - 1]) \(day.year)" }

    /// « jeu. 03/12 ».
    public static func shortDayLabel(_ day: LocalDate) -> String {
        let two = { (value: Int) in value < 10 ? "0\(value)" : "\(value)" }
        return "\(shortWeekdayNames[day.weekday] ?? "") \(two(day.day))/\(two(day.month))"
    }

    /// The local day and minute of the day of an instant, from the zone's offset at that instant.
    public static func local(_ instant: Date, in zone: TimeZone) -> (day: LocalDate, minute: Int) {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down)) + zone.secondsFromGMT(for: instant)
        let days = Int((Double(seconds) / 86_400).rounded(.down))
        let day = LocalDate(daysSinceEpoch: days) ?? LocalDate(instant, in: zone)
        return (day, (seconds - days * 86_400) / 60)
    }
}
