import Foundation

/// An iCalendar document (RFC 5545) as the notifications send it (notifications.md §10): one
/// VTIMEZONE for the territory's zone, and VEVENTs whose local times are written in that zone.
public struct ICalendar: Sendable, Equatable {
    /// `PRODID:-//<product name>//RDV//FR`.
    public var productName: String
    /// nil for the webcal feed; REQUEST, PUBLISH or CANCEL for e-mails (RFC 5546 §1.4).
    public var method: CalendarMethod?
    public var timeZone: TimeZone
    /// DTSTAMP of every event: when the document was made (RFC 5545 §3.8.7.2).
    public var stamp: Date
    public var events: [ICalendarEvent]

    public init(productName: String, method: CalendarMethod?, timeZone: TimeZone, stamp: Date, events: [ICalendarEvent])
    {
        self.productName = productName
        self.method = method
        self.timeZone = timeZone
        self.stamp = stamp
        self.events = events
    }

    /// The document's bytes as text: content lines folded at 75 octets, each ended by CRLF
    /// (RFC 5545 §3.1).
    public var rendered: String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//\(productName)//RDV//FR"]
        if let method { lines.append("METHOD:\(method.rawValue)") }
        lines += Self.timeZoneLines(timeZone, year: referenceYear)
        for event in events { lines += eventLines(event) }
        lines.append("END:VCALENDAR")
        return lines.flatMap(Self.fold).map { $0 + "\r\n" }.joined()
    }

    /// The year whose DST rules the VTIMEZONE states: that of the earliest event, else of the stamp.
    var referenceYear: Int {
        (events.map(\.start.day).min() ?? LocalDate(stamp, in: timeZone)).year
    }

    func eventLines(_ event: ICalendarEvent) -> [String] {
        let zone = "TZID=\(timeZone.identifier)"
        var lines = ["BEGIN:VEVENT", "UID:\(Self.text(event.uid))", "DTSTAMP:\(Self.utc(stamp))"]
        if let recurrenceID = event.recurrenceID { lines.append("RECURRENCE-ID;\(zone):\(recurrenceID.value)") }
        lines += [
            "DTSTART;\(zone):\(event.start.value)", "DTEND;\(zone):\(event.end.value)", "SEQUENCE:\(event.sequence)",
            "STATUS:\(event.status.rawValue)", "SUMMARY:\(Self.text(event.summary))",
        ]
        if let location = event.location { lines.append("LOCATION:\(Self.text(location))") }
        if let description = event.description { lines.append("DESCRIPTION:\(Self.text(description))") }
        if let organizer = event.organizer { lines.append("ORGANIZER;\(organizer.address)") }
        lines += event.attendees.map { "ATTENDEE;\($0.address)" }
        if let rule = event.recurrenceRule { lines.append("RRULE:\(rule)") }
        if !event.exceptionDates.isEmpty {
            lines.append("EXDATE;\(zone):" + event.exceptionDates.map(\.value).joined(separator: ","))
        }
        lines.append("END:VEVENT")
        return lines
    }
}

/// One VEVENT (RFC 5545 §3.6.1) with the properties of notifications.md §10.
public struct ICalendarEvent: Sendable, Equatable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case confirmed = "CONFIRMED"
        case cancelled = "CANCELLED"
    }

    /// A calendar user: `;CN=<name>:mailto:<e-mail>` (RFC 5545 §3.8.4.1, §3.8.4.3).
    public struct Person: Sendable, Equatable {
        public var name: String
        public var email: String

        public init(name: String, email: String) {
            self.name = name
            self.email = email
        }

        /// The parameter and value after the property name. A CN holding `:`, `;` or `,` is
        /// quoted; DQUOTE cannot appear in a param-value and is dropped (RFC 5545 §3.1).
        var address: String {
            let name = name.filter { $0 != "\"" && !$0.isNewline }
            let quoted = name.contains { ":;,".contains($0) } ? "\"\(name)\"" : name
            return "CN=\(quoted):mailto:\(email)"
        }
    }

    public var uid: String
    public var start: ICalendarDateTime
    public var end: ICalendarDateTime
    /// Increases with each notified change, so clients apply updates (notifications.md §10).
    public var sequence: Int
    public var status: Status
    public var summary: String
    public var location: String?
    public var description: String?
    public var organizer: Person?
    public var attendees: [Person]
    /// The RRULE value, e.g. `FREQ=WEEKLY;INTERVAL=1;BYDAY=MO` (slots.md §2 "iCal export").
    public var recurrenceRule: String?
    /// Regular occurrences removed from the series (cancelled or moved).
    public var exceptionDates: [ICalendarDateTime]
    /// Set on the extra VEVENT of a moved occurrence: the original occurrence (RFC 5545 §3.8.4.4).
    public var recurrenceID: ICalendarDateTime?

    public init(
        uid: String, start: ICalendarDateTime, end: ICalendarDateTime, sequence: Int = 0,
        status: Status = .confirmed, summary: String, location: String? = nil, description: String? = nil,
        organizer: Person? = nil, attendees: [Person] = [], recurrenceRule: String? = nil,
        exceptionDates: [ICalendarDateTime] = [], recurrenceID: ICalendarDateTime? = nil
    ) {
        self.uid = uid
        self.start = start
        self.end = end
        self.sequence = sequence
        self.status = status
        self.summary = summary
        self.location = location
        self.description = description
        self.organizer = organizer
        self.attendees = attendees
        self.recurrenceRule = recurrenceRule
        self.exceptionDates = exceptionDates
        self.recurrenceID = recurrenceID
    }
}

/// A wall-clock date and time in the document's zone, written `YYYYMMDDTHHMMSS` after a TZID
/// (RFC 5545 §3.3.5, form #3).
public struct ICalendarDateTime: Sendable, Hashable, Comparable {
    public var day: LocalDate
    public var time: TimeOfDay

    public init(day: LocalDate, time: TimeOfDay) {
        self.day = day
        self.time = time
    }

    /// The local day and time of `instant` in `zone` (seconds dropped: appointments start on minutes).
    public init(_ instant: Date, in zone: TimeZone) {
        let (day, time) = NotificationFormat.local(instant, zone)
        self.init(day: day, time: time)
    }

    /// 24:00 (an occurrence running until midnight) is written as the next day's 00:00.
    var value: String {
        let midnightEnd = time == .endOfDay
        let date = midnightEnd ? (day.adding(days: 1) ?? day) : day
        let clock = midnightEnd ? .midnight : time
        return date.description.replacingOccurrences(of: "-", with: "") + "T"
            + clock.description.replacingOccurrences(of: ":", with: "") + "00"
    }

    public static func < (lhs: ICalendarDateTime, rhs: ICalendarDateTime) -> Bool {
        (lhs.day, lhs.time) < (rhs.day, rhs.time)
    }
}
