import Foundation

/// The French formats of notifications.md §5. Dates and times are in the territory's zone;
/// weekday and month names are French and lower-case. A home appointment's time is approximate:
/// « vers » instead of « à ».
public enum NotificationFormat {
    public static let weekdayNames: [Weekday: String] = [
        .monday: "lundi", .tuesday: "mardi", .wednesday: "mercredi", .thursday: "jeudi", .friday: "vendredi",
        .saturday: "samedi", .sunday: "dimanche",
    ]
    public static let monthNames = [
        "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
        "novembre", "décembre",
    ]

    /// « vendredi 10/12 à 13h10 ».
    public static func smsDate(_ instant: Date, in zone: TimeZone, approximate: Bool = false) -> String {
        let (day, time) = local(instant, zone)
        return "\(weekdayName(day)) \(two(day.day))/\(two(day.month)) \(at(approximate)) \(time.frenchDescription)"
    }

    /// « vendredi 10 décembre 2021 à 13h10 »; the first of the month is « 1er ».
    public static func mailDate(_ instant: Date, in zone: TimeZone, approximate: Bool = false) -> String {
        let (day, time) = local(instant, zone)
        return "\(mailDay(day)) \(at(approximate)) \(time.frenchDescription)"
    }

    /// « vendredi 10 décembre 2021 », « mercredi 1er décembre 2021 »: the e-mail date without time.
    public static func mailDay(_ day: LocalDate) -> String {
        "\(weekdayName(day)) \(ordinal(day.day)) \(monthNames[day.month - 1]) \(day.year)"
    }

    /// (« lundi », « 7 décembre »): a day without its year, in two parts (a week's column heading).
    public static func weekdayAndDay(_ day: LocalDate) -> (weekday: String, day: String) {
        (weekdayName(day), "\(ordinal(day.day)) \(monthNames[day.month - 1])")
    }

    /// « 1er », « 2 »… as French writes days of the month.
    static func ordinal(_ value: Int) -> String { value == 1 ? "1er" : String(value) }

    /// « 13h10 »: the local time of day alone (the arrival e-mail's « RDV de 13h10 »).
    public static func time(_ instant: Date, in zone: TimeZone) -> String {
        local(instant, zone).1.frenchDescription
    }

    /// « aujourd'hui à 13h10 », « demain à 13h10 », else « le vendredi 10/12 à 13h10 ».
    public static func agentDate(_ instant: Date, now: Date, in zone: TimeZone, approximate: Bool = false) -> String {
        let (day, time) = local(instant, zone)
        let today = LocalDate(now, in: zone)
        let hour = "\(at(approximate)) \(time.frenchDescription)"
        if day == today { return "aujourd'hui \(hour)" }
        if day == today.adding(days: 1) { return "demain \(hour)" }
        return "le " + smsDate(instant, in: zone, approximate: approximate)
    }

    /// National format in pairs (« 03 21 00 00 00 »); short numbers and unparsable input as typed.
    public static func phone(_ raw: String) -> String {
        guard let number = PhoneNumber(raw) else { return raw.trimmingCharacters(in: .whitespaces) }
        let digits = Array("0" + number.nationalNumber)
        return stride(from: 0, to: digits.count, by: 2).map { String(digits[$0..<min($0 + 2, digits.count)]) }
            .joined(separator: " ")
    }

    /// « 30 minutes », « 1 h », « 1 h 30 ».
    public static func duration(minutes: Int) -> String {
        if minutes < 60 { return "\(minutes) minutes" }
        let rest = minutes % 60
        return rest == 0 ? "\(minutes / 60) h" : "\(minutes / 60) h \(two(rest))"
    }

    /// How long a link stays valid: « 14 jours », « 1 jour » for whole days, else the duration
    /// format (« 2 h », « 1 h 30 », « 10 minutes »), rounded to the minute.
    public static func validity(from start: Date, to end: Date) -> String {
        let minutes = max(0, Int((end.timeIntervalSince(start) / 60).rounded()))
        let minutesPerDay = 24 * 60
        guard minutes > 0, minutes % minutesPerDay == 0 else { return duration(minutes: minutes) }
        let days = minutes / minutesPerDay
        return days == 1 ? "1 jour" : "\(days) jours"
    }

    /// « A », « A et B », « A, B et C » (notifications.md §6 name lists).
    public static func frenchList(_ items: [String]) -> String {
        guard items.count > 1, let last = items.last else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " et " + last
    }

    static func weekdayName(_ day: LocalDate) -> String { weekdayNames[day.weekday] ?? "" }

    static func local(_ instant: Date, _ zone: TimeZone) -> (LocalDate, TimeOfDay) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: instant)
        let time = TimeOfDay(hour: parts.hour ?? 0, minute: parts.minute ?? 0) ?? .midnight
        return (LocalDate(instant, in: zone), time)
    }

    private static func at(_ approximate: Bool) -> String { approximate ? "vers" : "à" }

    static func two(_ value: Int) -> String { (value < 10 ? "0" : "") + String(value) }
}
