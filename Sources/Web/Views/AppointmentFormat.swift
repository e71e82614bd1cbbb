import Domain
import Foundation
import Persistence

/// How the appointment pages print times, durations and statuses (Europe/Paris or the
/// territory's zone, French words, contracts.md §5 machine-readable times).
enum AppointmentFormat {
    /// ISO-8601 with the zone's offset, for `<time datetime>`. Written by hand (the API's
    /// writer): an `ISO8601DateFormatter` per call cost a slot week most of its time.
    static func iso(_ date: Date, in zone: TimeZone) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        ISO8601.write(date, offset: zone.secondsFromGMT(for: date), into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// « jeudi 3 décembre 2026 à 10h00 ».
    static func long(_ date: Date, in zone: TimeZone) -> String { NotificationFormat.mailDate(date, in: zone) }

    /// « 03/12/2026 10h00 »: dense list rows.
    static func short(_ date: Date, in zone: TimeZone) -> String {
        let day = LocalDate(date, in: zone)
        return "\(two(day.day))/\(two(day.month))/\(day.year) \(NotificationFormat.time(date, in: zone))"
    }

    /// `YYYY-MM-DD` and `HH:MM` for date and time inputs.
    static func inputDate(_ date: Date, in zone: TimeZone) -> String { LocalDate(date, in: zone).description }

    static func inputTime(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = calendar.dateComponents([.hour, .minute], from: date)
        return "\(two(parts.hour ?? 0)):\(two(parts.minute ?? 0))"
    }

    /// The instant of a local date and time in `zone`; nil when either does not parse.
    static func instant(date: String, time: String, in zone: TimeZone) -> Date? {
        guard let day = LocalDate(date.trimmingCharacters(in: .whitespaces)),
            let clock = TimeOfDay(time.trimmingCharacters(in: .whitespaces))
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        return calendar.date(
            from: DateComponents(year: day.year, month: day.month, day: day.day, hour: clock.hour, minute: clock.minute))
    }

    /// The start of a local day in `zone`.
    static func startOfDay(_ day: LocalDate, in zone: TimeZone) -> Date? {
        instant(date: day.description, time: "00:00", in: zone)
    }

    static func statusLabel(_ status: AppointmentStatus, startsAt: Date, now: Date, in zone: TimeZone) -> String {
        status.label(day: LocalDate(startsAt, in: zone), today: LocalDate(now, in: zone))
    }

    /// The DSFR badge colour of a status.
    static func statusBadge(_ status: AppointmentStatus) -> String {
        switch status {
        case .unknown: "info"
        case .seen: "success"
        case .noshow: "warning"
        case .excused, .revoked: "error"
        }
    }

    static func creator(_ type: CreatorType, name: String?) -> String {
        switch type {
        case .agent: name.map { "Créé par \($0) (agent)" } ?? "Créé par un agent"
        case .user: name.map { "Pris en ligne par \($0) (usager)" } ?? "Pris en ligne par l'usager"
        case .prescripteur: "Créé par un prescripteur"
        case .fileAttente: "Créé depuis la liste d'attente"
        }
    }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
