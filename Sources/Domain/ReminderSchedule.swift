import Foundation

/// When the automatic reminder of an appointment goes, and the outbox key that keeps it unique
/// (notifications.md §4).
public enum ReminderSchedule {
    /// Reminder days counted back before the appointment (notifications.md §4: the 2nd counted day).
    static let countedDays = 2

    /// A safety bound on the backward walk: two counted days plus the Sundays and holidays
    /// skipped between them never span more than a week (the worst case, 28 Dec in 67, needs 5).
    static let maximumLookBackDays = 21

    /// The reminder instant of an appointment starting at `startsAt` (notifications.md §4): the
    /// appointment's local time of day, on the second calendar day before it that is neither a
    /// Sunday nor a holiday of the territory (slots.md §3 set, whatever
    /// `open_on_sundays_and_holidays` says), counting back from the day before. A wall time that
    /// does not exist on that day resolves to the next valid instant. Nil only outside the
    /// calendar's range. Whether the moment is already past is the planner's decision.
    public static func moment(
        for startsAt: Date, timeZone: TimeZone, departementNumber: String?, whitMondayIsHoliday: Bool
    ) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let parts = calendar.dateComponents([.hour, .minute, .second], from: startsAt)
        guard let hour = parts.hour, let minute = parts.minute,
            let timeOfDay = TimeOfDay(hour: hour, minute: minute),
            let day = reminderDay(
                before: LocalDate(startsAt, in: timeZone), departementNumber: departementNumber,
                whitMondayIsHoliday: whitMondayIsHoliday),
            let instant = day.instant(at: timeOfDay, in: timeZone)
        else { return nil }
        // Seconds are kept so the reminder sits at exactly the appointment's wall time.
        return instant.addingTimeInterval(TimeInterval(parts.second ?? 0))
    }

    /// The reminder day of an appointment on `appointmentDay` (notifications.md §4).
    public static func reminderDay(
        before appointmentDay: LocalDate, departementNumber: String?, whitMondayIsHoliday: Bool
    ) -> LocalDate? {
        var counted = 0
        for back in 1...maximumLookBackDays {
            guard let day = appointmentDay.adding(days: -back) else { return nil }
            if day.weekday == .sunday
                || PublicHolidays.isHoliday(
                    day, departementNumber: departementNumber, whitMondayIsHoliday: whitMondayIsHoliday)
            {
                continue
            }
            counted += 1
            if counted == countedDays { return day }
        }
        return nil
    }

    /// The outbox idempotency key `reminder:<appointment id>:<starts_at UTC ISO-8601>`
    /// (notifications.md §4), e.g. `reminder:42:2021-05-03T07:00:00Z`. Whole seconds, so the key
    /// of a start is the same however the instant was read.
    public static func idempotencyKey(appointmentID: Int64, startsAt: Date) -> String {
        "reminder:\(appointmentID):\(utcISO8601(startsAt))"
    }

    /// "YYYY-MM-DDTHH:MM:SSZ", computed arithmetically (no formatter, no locale).
    static func utcISO8601(_ instant: Date) -> String {
        let seconds = Int(instant.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let date = LocalDate(daysSinceEpoch: days)?.description ?? "0000-01-01"
        return date + "T" + two(secondOfDay / 3600) + ":" + two(secondOfDay / 60 % 60) + ":"
            + two(secondOfDay % 60) + "Z"
    }

    private static func two(_ value: Int) -> String {
        (value < 10 ? "0" : "") + String(value)
    }
}
