import Foundation

/// A local wall-clock time "HH:MM" (README "Time"). 24:00 is accepted as the end of a day so
/// that an occurrence may run until midnight; 00:00…23:59 otherwise.
public struct TimeOfDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let hour: Int
    public let minute: Int

    public static let minutesPerDay = 24 * 60
    public static let midnight = TimeOfDay(uncheckedMinutes: 0)
    public static let endOfDay = TimeOfDay(uncheckedMinutes: minutesPerDay)

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour) && (0...59).contains(minute) || (hour == 24 && minute == 0) else {
            return nil
        }
        self.hour = hour
        self.minute = minute
    }

    public init?(minutesSinceMidnight minutes: Int) {
        guard (0...Self.minutesPerDay).contains(minutes) else { return nil }
        self.init(uncheckedMinutes: minutes)
    }

    /// Parses exactly "HH:MM" (two digits, a colon, two digits).
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            let hour = Self.number(bytes[0], bytes[1]), let minute = Self.number(bytes[3], bytes[4])
        else { return nil }
        self.init(hour: hour, minute: minute)
    }

    private init(uncheckedMinutes minutes: Int) {
        hour = minutes / 60
        minute = minutes % 60
    }

    public var minutesSinceMidnight: Int { hour * 60 + minute }

    public var description: String {
        (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    /// "HHhMM", the French spelling used in messages and SMS (« se termine à 10h30 »).
    public var frenchDescription: String {
        (hour < 10 ? "0" : "") + String(hour) + "h" + (minute < 10 ? "0" : "") + String(minute)
    }

    public static func < (lhs: TimeOfDay, rhs: TimeOfDay) -> Bool {
        lhs.minutesSinceMidnight < rhs.minutesSinceMidnight
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let time = TimeOfDay(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected HH:MM, got \(text)")
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    private static func number(_ tens: UInt8, _ units: UInt8) -> Int? {
        let zero = UInt8(ascii: "0")
        guard (zero...zero + 9).contains(tens), (zero...zero + 9).contains(units) else { return nil }
        return Int(tens - zero) * 10 + Int(units - zero)
    }
}
