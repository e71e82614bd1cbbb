import Domain
import Foundation

/// ISO-8601 instants with offset, `2021-05-03T09:00:00+02:00` (contracts.md §3), parsed and
/// printed by hand: formatter objects cost tens of microseconds each, and an import of the
/// département data set handles 100,000 appointments.
public enum ISO8601 {
    /// Accepts `YYYY-MM-DDTHH:MM:SS`, optional fractional seconds, then `Z` or `±HH:MM`.
    public static func parse(_ text: String) -> Date? {
        let b = Array(text.utf8)
        guard b.count >= 20, b[4] == 0x2D, b[7] == 0x2D, b[10] == 0x54 || b[10] == 0x74, b[13] == 0x3A, b[16] == 0x3A,
            let year = number(b, 0, 4), let month = number(b, 5, 2), let day = number(b, 8, 2),
            let hour = number(b, 11, 2), let minute = number(b, 14, 2), let second = number(b, 17, 2),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        var i = 19
        if b[i] == 0x2E {  // fractional seconds are accepted and dropped
            i += 1
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == 0x5A || b[i] == 0x7A {
            guard i + 1 == b.count else { return nil }
        } else {
            guard b[i] == 0x2B || b[i] == 0x2D, i + 6 == b.count, b[i + 3] == 0x3A,
                let oh = number(b, i + 1, 2), let om = number(b, i + 4, 2), oh < 24, om < 60
            else { return nil }
            offset = (oh * 3600 + om * 60) * (b[i] == 0x2D ? -1 : 1)
        }
        guard let date = LocalDate(year: year, month: month, day: day) else { return nil }
        let days = date.daysSinceEpoch
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second - offset))
    }

    /// The instant in `timeZone`'s local time with its offset, e.g. `2021-05-03T09:00:00+02:00`.
    public static func format(_ date: Date, in timeZone: TimeZone) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(25)
        write(date, in: timeZone, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `format` appended to `bytes` as UTF-8 (25 bytes), without an intermediate string: the
    /// availability API writes two per slot.
    public static func write(_ date: Date, in timeZone: TimeZone, into bytes: inout [UInt8]) {
        write(date, offset: timeZone.secondsFromGMT(for: date), into: &bytes)
    }

    /// `write` with the offset from UTC already known (seconds east of UTC).
    public static func write(_ date: Date, offset: Int, into bytes: inout [UInt8]) {
        let local = Int(date.timeIntervalSince1970.rounded(.down)) + offset
        let days = local >= 0 ? local / 86_400 : (local - 86_399) / 86_400
        let seconds = local - days * 86_400
        guard let day = LocalDate(daysSinceEpoch: days) else { return }
        digits(day.year, 4, &bytes)
        bytes.append(0x2D)
        digits(day.month, 2, &bytes)
        bytes.append(0x2D)
        digits(day.day, 2, &bytes)
        bytes.append(0x54)
        digits(seconds / 3600, 2, &bytes)
        bytes.append(0x3A)
        digits(seconds / 60 % 60, 2, &bytes)
        bytes.append(0x3A)
        digits(seconds % 60, 2, &bytes)
        bytes.append(offset < 0 ? 0x2D : 0x2B)
        let minutes = abs(offset) / 60
        digits(minutes / 60, 2, &bytes)
        bytes.append(0x3A)
        digits(minutes % 60, 2, &bytes)
    }

    /// `n` ≥ 0 in decimal, left-padded with zeros to `width` digits (more digits when needed).
    private static func digits(_ n: Int, _ width: Int, _ bytes: inout [UInt8]) {
        var value = n
        var buffer: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &buffer) { raw in
            repeat {
                raw[7 - count] = UInt8(0x30 + value % 10)
                value /= 10
                count += 1
            } while (value > 0 || count < width) && count < 8
            bytes.append(contentsOf: raw[(8 - count)...])
        }
    }

    private static func number(_ b: [UInt8], _ start: Int, _ length: Int) -> Int? {
        var value = 0
        for i in start..<(start + length) {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            value = value * 10 + Int(b[i] - 0x30)
        }
        return value
    }
}
