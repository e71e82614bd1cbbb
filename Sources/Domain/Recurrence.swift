import Foundation

/// How an opening period or absence repeats (slots.md §2, contracts.md §3). A nil recurrence
/// means a single occurrence on `first_day`.
///
/// JSON: `{"every": "week", "interval": n, "on": ["monday", …], "until": date|null}` or
/// `{"every": "month", "interval": n, "day": {"<weekday>": k}, "until": date|null}`.
public enum Recurrence: Sendable, Equatable {
    case weekly(Weekly)
    case monthly(Monthly)

    /// Every `interval` weeks on `weekdays`.
    public struct Weekly: Sendable, Equatable {
        /// ≥ 1 (validated, slots.md §2).
        public var interval: Int
        /// Empty means the weekday of `first_day` (the JSON omits `on`, slots.md §2).
        public var weekdays: [Weekday]
        /// Last day, inclusive; nil is endless.
        public var until: LocalDate?
        /// Optional; must equal `first_day` when given (slots.md §2).
        public var starts: LocalDate?

        public init(interval: Int = 1, weekdays: [Weekday] = [], until: LocalDate? = nil, starts: LocalDate? = nil) {
            self.interval = interval
            self.weekdays = weekdays
            self.until = until
            self.starts = starts
        }
    }

    /// Every `interval` months, on the k-th weekday or on the day of month of `first_day`.
    public struct Monthly: Sendable, Equatable {
        public var interval: Int
        /// nil: the same day of the month as `first_day`, months lacking it skipped.
        public var day: NthWeekday?
        public var until: LocalDate?
        public var starts: LocalDate?

        public init(interval: Int = 1, day: NthWeekday? = nil, until: LocalDate? = nil, starts: LocalDate? = nil) {
            self.interval = interval
            self.day = day
            self.until = until
            self.starts = starts
        }
    }

    /// "The k-th such weekday of the month", k in 1…5 (JSON `{"tuesday": 2}`).
    public struct NthWeekday: Sendable, Equatable {
        public var weekday: Weekday
        public var ordinal: Int

        public init(_ weekday: Weekday, _ ordinal: Int) {
            self.weekday = weekday
            self.ordinal = ordinal
        }

        /// The value the form fills from a date: n = floor((day_of_month − 1) / 7) + 1 (slots.md §2).
        public init(of date: LocalDate) {
            self.init(date.weekday, date.weekdayOrdinalInMonth)
        }
    }

    public var interval: Int {
        switch self {
        case .weekly(let weekly): weekly.interval
        case .monthly(let monthly): monthly.interval
        }
    }

    public var until: LocalDate? {
        switch self {
        case .weekly(let weekly): weekly.until
        case .monthly(let monthly): monthly.until
        }
    }

    public var starts: LocalDate? {
        switch self {
        case .weekly(let weekly): weekly.starts
        case .monthly(let monthly): monthly.starts
        }
    }

    /// `recurrence_ends_at` = the end of the `until` day (slots.md §2), nil when endless.
    public func endsAt(in timeZone: TimeZone) -> Date? {
        until?.instant(at: .endOfDay, in: timeZone)
    }
}

extension Recurrence: Codable {
    private enum CodingKeys: String, CodingKey {
        case every, interval, on, day, until, starts
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let every = try container.decode(String.self, forKey: .every)
        let interval = try container.decodeIfPresent(Int.self, forKey: .interval) ?? 1
        let until = try container.decodeIfPresent(LocalDate.self, forKey: .until)
        // "a datetime is accepted; only its date counts" (slots.md §2).
        let starts = try container.decodeIfPresent(String.self, forKey: .starts).map { text in
            guard let date = LocalDate(String(text.prefix(10))) else {
                throw DecodingError.dataCorruptedError(
                    forKey: .starts, in: container, debugDescription: "expected a date, got \(text)")
            }
            return date
        }
        switch every {
        case "week":
            let weekdays = try container.decodeIfPresent([Weekday].self, forKey: .on) ?? []
            self = .weekly(Weekly(interval: interval, weekdays: weekdays, until: until, starts: starts))
        case "month":
            var day: NthWeekday?
            if let rule = try container.decodeIfPresent([String: Int].self, forKey: .day) {
                guard rule.count == 1, let (name, ordinal) = rule.first, let weekday = Weekday(rawValue: name) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .day, in: container, debugDescription: "expected {\"<weekday>\": n}")
                }
                day = NthWeekday(weekday, ordinal)
            }
            self = .monthly(Monthly(interval: interval, day: day, until: until, starts: starts))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .every, in: container, debugDescription: "expected \"week\" or \"month\", got \(every)")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .weekly(let weekly):
            try container.encode("week", forKey: .every)
            try container.encode(weekly.interval, forKey: .interval)
            if !weekly.weekdays.isEmpty { try container.encode(weekly.weekdays, forKey: .on) }
        case .monthly(let monthly):
            try container.encode("month", forKey: .every)
            try container.encode(monthly.interval, forKey: .interval)
            if let day = monthly.day { try container.encode([day.weekday.rawValue: day.ordinal], forKey: .day) }
        }
        try container.encodeIfPresent(starts, forKey: .starts)
        // contracts.md §3 spells an endless series `"until": null`.
        try container.encode(until, forKey: .until)
    }
}
