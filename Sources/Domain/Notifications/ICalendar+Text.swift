import Foundation

extension ICalendar {
    /// RFC 5545 §3.1: a content line longer than 75 octets (CRLF excluded) is split, each
    /// continuation starting with one space that counts in its 75 octets. Splits fall between
    /// Unicode scalars, never inside a UTF-8 sequence.
    static func fold(_ line: String) -> [String] {
        let limit = 75
        var lines: [String] = []
        var current = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let width = UTF8.width(scalar)
            if octets + width > limit {
                lines.append(String(current))
                current = String.UnicodeScalarView(" ".unicodeScalars)
                octets = 1
            }
            current.append(scalar)
            octets += width
        }
        lines.append(String(current))
        return lines
    }

    /// The inverse of `fold`: the logical lines of a rendered document (RFC 5545 §3.1 unfolding).
    public static func unfold(_ document: String) -> [String] {
        let unfolded = document.replacingOccurrences(of: "\r\n ", with: "")
        return unfolded.components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    /// A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, line breaks as
    /// `\n`; other control characters, which TEXT cannot hold, are dropped.
    static func text(_ value: String) -> String {
        var result = ""
        let normalised = value.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        for scalar in normalised.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case ";": result += "\\;"
            case ",": result += "\\,"
            case "\n": result += "\\n"
            case "\t": result.unicodeScalars.append(scalar)
            default:
                if scalar.properties.generalCategory == .control { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A UTC DATE-TIME, `YYYYMMDDTHHMMSSZ` (RFC 5545 §3.3.5, form #2).
    static func utc(_ instant: Date) -> String {
        ReminderSchedule.utcISO8601(instant).filter { $0 != "-" && $0 != ":" }
    }

    /// A UTC-OFFSET, `+HHMM` or `+HHMMSS` (RFC 5545 §3.3.14).
    static func offset(_ seconds: Int) -> String {
        let sign = seconds < 0 ? "-" : "+"
        let magnitude = abs(seconds)
        let hours = magnitude / 3600
        let minutes = magnitude / 60 % 60
        let rest = magnitude % 60
        let two = NotificationFormat.two
        return sign + two(hours) + two(minutes) + (rest == 0 ? "" : two(rest))
    }

    /// `MO`, `TU`… (RFC 5545 §3.3.10 weekday).
    static func weekdayCode(_ weekday: Weekday) -> String {
        String(weekday.rawValue.prefix(2)).uppercased()
    }
}
