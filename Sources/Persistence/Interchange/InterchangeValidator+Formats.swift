import Domain
import Foundation

/// Formats of single fields: dates, times of day, instants, recurrences (contracts.md §3).
extension InterchangeValidator {
    mutating func checkFormats() {
        let d = document
        for (i, p) in d.opening_periods.enumerated() {
            let path = "opening_periods[\(i)]"
            date(p.first_day, "\(path).first_day")
            timeRange(p.start_time, p.end_time, path)
            recurrence(p.recurrence, "\(path).recurrence")
            exceptions(p.exceptions ?? [], "\(path).exceptions")
            if p.motifs.isEmpty { fail("\(path).motifs", "must list at least one motif") }
        }
        for (i, a) in d.absences.enumerated() {
            let path = "absences[\(i)]"
            date(a.first_day, "\(path).first_day")
            time(a.start_time, "\(path).start_time")
            time(a.end_time, "\(path).end_time")
            if let endDay = a.end_day { date(endDay, "\(path).end_day") }
            recurrence(a.recurrence, "\(path).recurrence")
            exceptions(a.exceptions ?? [], "\(path).exceptions")
        }
        for (i, u) in d.users.enumerated() {
            if let birthDate = u.birth_date { date(birthDate, "users[\(i)].birth_date") }
        }
        for (i, a) in d.appointments.enumerated() {
            instant(a.starts_at, "appointments[\(i)].starts_at")
            if a.agents.isEmpty { fail("appointments[\(i)].agents", "must list at least one agent") }
        }
    }

    @discardableResult
    mutating func date(_ text: String, _ path: String) -> LocalDate? {
        guard let value = LocalDate(text) else {
            fail(path, "must be a date YYYY-MM-DD")
            return nil
        }
        return value
    }

    @discardableResult
    mutating func time(_ text: String, _ path: String) -> TimeOfDay? {
        guard let value = TimeOfDay(text) else {
            fail(path, "must be a time of day HH:MM")
            return nil
        }
        return value
    }

    mutating func timeRange(_ start: String, _ end: String, _ path: String) {
        if let s = time(start, "\(path).start_time"), let e = time(end, "\(path).end_time"), e <= s {
            fail("\(path).end_time", "must be after start_time")
        }
    }

    @discardableResult
    mutating func instant(_ text: String, _ path: String) -> Date? {
        guard let value = Self.parseInstant(text) else {
            fail(path, "must be an ISO-8601 instant with offset, e.g. 2021-05-03T09:00:00+02:00")
            return nil
        }
        return value
    }

    static func parseInstant(_ text: String) -> Date? { ISO8601.parse(text) }

    mutating func recurrence(_ recurrence: RecurrenceRecord?, _ path: String) {
        guard let r = recurrence else { return }
        if r.interval < 1 { fail("\(path).interval", "must be at least 1") }
        if let until = r.until { date(until, "\(path).until") }
        // "a datetime is accepted; only its date counts" (slots.md §2); equal to first_day is a
        // domain rule (Recurrence.validate).
        if let starts = r.starts, LocalDate(String(starts.prefix(10))) == nil {
            fail("\(path).starts", "must be a date YYYY-MM-DD (or a datetime)")
        }
        switch r.every {
        case "week":
            // slots.md §2: an absent `on` means the weekday of `first_day`; a list given must
            // name at least one day.
            let days = r.on ?? []
            if r.on?.isEmpty == true {
                fail("\(path).on", "must list at least one weekday, or be left out (the weekday of first_day)")
            }
            for (j, day) in days.enumerated() where Weekday(rawValue: day) == nil {
                fail("\(path).on[\(j)]", "must be a weekday in lower-case English (monday … sunday)")
            }
        case "month":
            if let day = r.day {
                guard day.count == 1, let (weekday, k) = day.first else {
                    fail("\(path).day", "must hold exactly one weekday, e.g. {\"tuesday\": 2}")
                    return
                }
                if Weekday(rawValue: weekday) == nil { fail("\(path).day", "unknown weekday \"\(weekday)\"") }
                if !(1...5).contains(k) { fail("\(path).day.\(weekday)", "must be between 1 and 5") }
            }
        default:
            fail("\(path).every", "must be \"week\" or \"month\"")
        }
    }

    mutating func exceptions(_ exceptions: [ExceptionRecord], _ path: String) {
        for (j, e) in exceptions.enumerated() {
            let p = "\(path)[\(j)]"
            date(e.date, "\(p).date")
            if let day = e.day { date(day, "\(p).day") }
            if e.cancelled == true { continue }
            guard let start = e.start_time, let end = e.end_time else {
                fail(p, "must be cancelled or give start_time and end_time")
                continue
            }
            timeRange(start, end, p)
        }
    }
}
