import Foundation

/// The `rrule` of api.md §7's `plage_ouverture` and `absence` (RFC 5545 §3.3.10) read back into
/// the import format's `recurrence` (contracts.md §3). Only what both formats can say is read:
/// weekly rules with BYDAY, monthly ones with one `<n><weekday>` BYDAY or BYMONTHDAY, INTERVAL,
/// UNTIL. Anything else (COUNT, BYSETPOS, several monthly days…) is nil, and the caller reports it.
enum CalendarRuleReading {
    static let weekdays = [
        "MO": "monday", "TU": "tuesday", "WE": "wednesday", "TH": "thursday", "FR": "friday", "SA": "saturday",
        "SU": "sunday",
    ]

    /// `zone`: the territory's, in which UNTIL (a UTC instant, the last second of the last day,
    /// as our API writes it, or a date) names the last day.
    static func recurrence(_ rule: String, zone: TimeZone) -> [String: Any]? {
        var parts: [String: String] = [:]
        for part in rule.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { return nil }
            parts[pair[0].uppercased()] = pair[1].uppercased()
        }
        let known: Set<String> = ["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "UNTIL", "WKST"]
        guard Set(parts.keys).isSubset(of: known) else { return nil }
        let interval = parts["INTERVAL"].flatMap(Int.init) ?? 1
        guard interval >= 1 else { return nil }
        var recurrence: [String: Any] = ["interval": interval]
        if let until = parts["UNTIL"] {
            guard let day = untilDay(until, zone: zone) else { return nil }
            recurrence["until"] = day
        } else {
            recurrence["until"] = NSNull()
        }
        switch parts["FREQ"] {
        case "WEEKLY":
            recurrence["every"] = "week"
            if let days = parts["BYDAY"] {
                let names = days.split(separator: ",").map { weekdays[String($0)] }
                guard !names.contains(where: { $0 == nil }) else { return nil }
                recurrence["on"] = names.compactMap { $0 }
            }
        case "MONTHLY":
            recurrence["every"] = "month"
            if let day = parts["BYDAY"] {
                // `2TU`: the second Tuesday; a negative or missing ordinal cannot be said.
                guard let ordinal = Int(day.dropLast(2)), (1...5).contains(ordinal), let name = weekdays[String(day.suffix(2))]
                else { return nil }
                recurrence["day"] = [name: ordinal]
            } else if parts["BYMONTHDAY"] != nil {
                // The same day of the month as first_day: the format's default.
            }
        default:
            return nil
        }
        return recurrence
    }

    /// `20211231T225959Z` → the local day of that instant; `20211231` → that day.
    static func untilDay(_ text: String, zone: TimeZone) -> String? {
        let digits = text.filter(\.isNumber)
        guard digits.count >= 8 else { return nil }
        let date = String(digits.prefix(8))
        let day = "\(date.prefix(4))-\(date.dropFirst(4).prefix(2))-\(date.suffix(2))"
        guard text.count > 8 else { return day }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = text.hasSuffix("Z") ? "yyyyMMdd'T'HHmmss'Z'" : "yyyyMMdd'T'HHmmss"
        if !text.hasSuffix("Z") { formatter.timeZone = zone }
        guard let instant = formatter.date(from: text) else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.year, .month, .day], from: instant)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }
}
