import Foundation

extension LocalDate {
    /// Days since 1970-01-01 (proleptic Gregorian), from H. Hinnant's `days_from_civil`; lets
    /// recurrence rules count days and weeks arithmetically (slots.md §12).
    public var daysSinceEpoch: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let monthIndex = month > 2 ? month - 3 : month + 9
        let dayOfYear = (153 * monthIndex + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The inverse of `daysSinceEpoch` (`civil_from_days`); nil outside years 1…9999.
    public init?(daysSinceEpoch: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        self.init(year: year, month: month, day: day)
    }

    /// The date `days` later (earlier when negative); nil only when leaving years 1…9999.
    public func adding(days: Int) -> LocalDate? {
        LocalDate(daysSinceEpoch: daysSinceEpoch + days)
    }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(until other: LocalDate) -> Int {
        other.daysSinceEpoch - daysSinceEpoch
    }

    public var weekday: Weekday {
        // 1970-01-01 was a Thursday (ISO 4).
        let iso = ((daysSinceEpoch % 7) + 7 + 3) % 7 + 1
        return Weekday(isoNumber: iso) ?? .monday
    }

    /// The Monday starting this date's week (weeks start on Monday, slots.md §2).
    public var mondayOfWeek: LocalDate {
        adding(days: 1 - weekday.isoNumber) ?? self
    }

    /// Month index used to count "months between" two dates (slots.md §2).
    var absoluteMonth: Int { year * 12 + (month - 1) }

    /// The n-th occurrence of this date's weekday in its month: floor((day − 1) / 7) + 1 (slots.md §2).
    public var weekdayOrdinalInMonth: Int { (day - 1) / 7 + 1 }

    /// Every date from `self` through `last`, inclusive; empty when `last` is earlier.
    public func through(_ last: LocalDate) -> [LocalDate] {
        guard self <= last else { return [] }
        return (daysSinceEpoch...last.daysSinceEpoch).compactMap { LocalDate(daysSinceEpoch: $0) }
    }
}

extension LocalDate {
    /// The local day of `instant` in `timeZone` (README "Time": days are the territory's local days).
    public init(_ instant: Date, in timeZone: TimeZone) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        self.init(uncheckedYear: parts.year ?? 1970, month: parts.month ?? 1, day: parts.day ?? 1)
    }

    /// The instant of the wall-clock `time` on this day in `timeZone`. Hours and minutes are set
    /// as components (not added to midnight) so a DST change earlier that day does not shift
    /// them; a wall time skipped by DST resolves forward, as Foundation does. 24:00 is the next
    /// day's midnight.
    public func instant(at time: TimeOfDay, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        if time.minutesSinceMidnight == TimeOfDay.minutesPerDay {
            return adding(days: 1)?.instant(at: .midnight, in: timeZone)
        }
        let parts = DateComponents(year: year, month: month, day: day, hour: time.hour, minute: time.minute)
        return calendar.date(from: parts)
    }
}

extension LocalDate {
    /// The same day `months` later, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb).
    public func adding(months: Int) -> LocalDate? {
        let target = absoluteMonth + months
        let year = target >= 0 ? target / 12 : (target - 11) / 12
        let month = target - year * 12 + 1
        guard (1...9999).contains(year) else { return nil }
        return LocalDate(year: year, month: month, day: min(day, LocalDate.daysInMonth(year: year, month: month)))
    }

    /// The same day `years` later; 29 February becomes 28 February in a common year.
    public func adding(years: Int) -> LocalDate? {
        adding(months: years * 12)
    }
}

extension LocalDate {
    /// « 12/03/1980 », as French pages and exports write a day.
    public var frenchDescription: String {
        (day < 10 ? "0" : "") + "\(day)/" + (month < 10 ? "0" : "") + "\(month)/\(year)"
    }

    /// Whole years from this birth date to `day`.
    public func age(on day: LocalDate) -> Int {
        day.year - year - ((day.month, day.day) < (month, self.day) ? 1 : 0)
    }
}
