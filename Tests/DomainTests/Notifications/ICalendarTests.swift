import Domain
import Foundation
import Testing

/// The document's physical lines joined with CRLF, as RFC 5545 §3.1 writes them.
func crlf(_ lines: [String]) -> String { lines.map { $0 + "\r\n" }.joined() }

enum ICS {
    static let parisTimeZone = [
        "BEGIN:VTIMEZONE", "TZID:Europe/Paris",
        "BEGIN:STANDARD", "DTSTART:19701025T030000", "TZOFFSETFROM:+0200", "TZOFFSETTO:+0100",
        "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
        "BEGIN:DAYLIGHT", "DTSTART:19700329T020000", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0200",
        "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
        "END:VTIMEZONE",
    ]

    static func day(_ text: String) -> LocalDate { LocalDate(text) ?? LocalDate(year: 1970, month: 1, day: 1)! }
    static func time(_ text: String) -> TimeOfDay { TimeOfDay(text) ?? .midnight }
    static func at(_ day: String, _ time: String) -> ICalendarDateTime {
        ICalendarDateTime(day: Self.day(day), time: Self.time(time))
    }

    static func event(summary: String = "Permanence", location: String? = nil) -> ICalendarEvent {
        ICalendarEvent(
            uid: "u1", start: at("2024-06-03", "09:00"), end: at("2024-06-03", "12:00"), summary: summary,
            location: location)
    }

    static func document(_ events: [ICalendarEvent], zone: TimeZone = paris, method: CalendarMethod? = nil)
        -> String
    {
        ICalendar(
            productName: "RDV Service Public", method: method, timeZone: zone,
            stamp: instant("2024-06-01T10:00:00+02:00"), events: events
        ).rendered
    }

    /// The VEVENT lines of a rendered document, unfolded.
    static func eventLines(_ document: String) -> [String] {
        let lines = ICalendar.unfold(document)
        guard let begin = lines.firstIndex(of: "BEGIN:VEVENT") else { return [] }
        return Array(lines[begin...])
    }
}

@Suite("iCalendar writer (RFC 5545, notifications.md §10)")
struct ICalendarTests {
    @Test("A minimal document: header, Paris VTIMEZONE, one event, CRLF endings")
    func minimalDocument() {
        // Given one event in Paris, without METHOD (a feed)
        let document = ICS.document([ICS.event(location: "10 rue d'Ici 62000 Arras")])
        // Then every line is CRLF-terminated and the content is exact
        #expect(
            document
                == crlf(
                    ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//RDV Service Public//RDV//FR"] + ICS.parisTimeZone + [
                        "BEGIN:VEVENT", "UID:u1", "DTSTAMP:20240601T080000Z",
                        "DTSTART;TZID=Europe/Paris:20240603T090000", "DTEND;TZID=Europe/Paris:20240603T120000",
                        "SEQUENCE:0", "STATUS:CONFIRMED", "SUMMARY:Permanence", "LOCATION:10 rue d'Ici 62000 Arras",
                        "END:VEVENT", "END:VCALENDAR",
                    ]))
        #expect(!document.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
    }

    @Test("Indian/Reunion has no DST: a single STANDARD observance at +0400")
    func reunionTimeZone() throws {
        // Given a document in La Réunion's zone
        let zone = try #require(TimeZone(identifier: "Indian/Reunion"))
        let lines = ICalendar.unfold(ICS.document([ICS.event()], zone: zone))
        // Then
        let begin = try #require(lines.firstIndex(of: "BEGIN:VTIMEZONE"))
        #expect(
            Array(lines[begin..<(begin + 8)]) == [
                "BEGIN:VTIMEZONE", "TZID:Indian/Reunion", "BEGIN:STANDARD", "DTSTART:19700101T000000",
                "TZOFFSETFROM:+0400", "TZOFFSETTO:+0400", "END:STANDARD", "END:VTIMEZONE",
            ])
        #expect(lines.contains("DTSTART;TZID=Indian/Reunion:20240603T090000"))
    }

    @Test("America/Miquelon: the North American rules (2nd Sunday of March, 1st of November)")
    func miquelonTimeZone() throws {
        // Given Saint-Pierre-et-Miquelon's zone
        let zone = try #require(TimeZone(identifier: "America/Miquelon"))
        let lines = ICalendar.unfold(ICS.document([ICS.event()], zone: zone))
        // Then both observances carry their rule, first applied in 1970
        let begin = try #require(lines.firstIndex(of: "BEGIN:VTIMEZONE"))
        #expect(
            Array(lines[begin..<(begin + 15)]) == [
                "BEGIN:VTIMEZONE", "TZID:America/Miquelon",
                "BEGIN:STANDARD", "DTSTART:19701101T020000", "TZOFFSETFROM:-0200", "TZOFFSETTO:-0300",
                "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU", "END:STANDARD",
                "BEGIN:DAYLIGHT", "DTSTART:19700308T020000", "TZOFFSETFROM:-0300", "TZOFFSETTO:-0200",
                "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU", "END:DAYLIGHT",
                "END:VTIMEZONE",
            ])
    }

    @Test("TEXT escaping: backslash, semicolon, comma, line breaks; control characters dropped")
    func escaping() {
        // Given values with every special character
        let event = ICS.event(
            summary: "Atelier; parents, enfants\\ suivi\r\nsalle 2\u{7}", location: "Salle A,\nbâtiment B; RDC")
        // When rendered
        let lines = ICS.eventLines(ICS.document([event]))
        // Then
        #expect(lines.contains(#"SUMMARY:Atelier\; parents\, enfants\\ suivi\nsalle 2"#))
        #expect(lines.contains(#"LOCATION:Salle A\,\nbâtiment B\; RDC"#))
    }

    @Test("Folding: 75 octets per physical line, never inside a UTF-8 sequence; unfolding restores the line")
    func folding() {
        // Given a summary of 200 accented characters (2 octets each) and a mixed one
        let long = String(repeating: "é", count: 200)
        let mixed = "Réunion d'équipe — ☎️ permanence téléphonique 📅 " + String(repeating: "àb", count: 40)
        let document = ICS.document([ICS.event(summary: long), ICS.event(summary: mixed)])
        // Then every physical line is at most 75 octets and a continuation starts with one space
        let physical = document.components(separatedBy: "\r\n").dropLast()
        #expect(physical.allSatisfy { $0.utf8.count <= 75 })
        #expect(physical.filter { $0.utf8.count == 75 || $0.hasPrefix(" ") }.count > 4)
        // And unfolding gives the values back
        let lines = ICalendar.unfold(document)
        #expect(lines.contains("SUMMARY:" + long))
        #expect(lines.contains("SUMMARY:" + mixed))
        // And the first folded line stops before the « é » that would pass 75 octets
        let first = physical.first { $0.hasPrefix("SUMMARY:é") }
        #expect(first?.utf8.count == 74)
        #expect(first == "SUMMARY:" + String(repeating: "é", count: 33))
    }

    @Test("Folding of an ASCII line: exactly 75 octets, then a space and the rest")
    func foldingASCII() {
        // Given a DESCRIPTION of 80 octets
        var event = ICS.event()
        event.description = String(repeating: "a", count: 68)
        // When rendered
        let physical = ICS.document([event]).components(separatedBy: "\r\n")
        // Then
        let index = physical.firstIndex { $0.hasPrefix("DESCRIPTION:") }
        #expect(index.map { physical[$0] } == "DESCRIPTION:" + String(repeating: "a", count: 63))
        #expect(index.map { physical[$0 + 1] } == " aaaaa")
    }

    @Test("Organizer and attendees: CN, quoted when it holds a separator")
    func people() {
        // Given an organizer and two attendees, one with a comma in the name
        var event = ICS.event()
        event.organizer = ICalendarEvent.Person(name: "RDV Service Public", email: "ne-pas-repondre@localhost")
        event.attendees = [
            ICalendarEvent.Person(name: "Marie DURAND", email: "marie@example.fr"),
            ICalendarEvent.Person(name: "DURAND, \"Paul\"", email: "paul@example.fr"),
        ]
        // Then
        let lines = ICS.eventLines(ICS.document([event], method: .request))
        #expect(
            Array(lines[8...10]) == [
                "ORGANIZER;CN=RDV Service Public:mailto:ne-pas-repondre@localhost",
                "ATTENDEE;CN=Marie DURAND:mailto:marie@example.fr",
                "ATTENDEE;CN=\"DURAND, Paul\":mailto:paul@example.fr",
            ])
    }

    @Test("An occurrence ending at 24:00 ends at the next day's 00:00")
    func midnightEnd() {
        // Given an all-day event written 00:00–24:00
        var event = ICS.event()
        event.end = ICS.at("2024-06-03", "24:00")
        // Then
        #expect(ICS.eventLines(ICS.document([event])).contains("DTEND;TZID=Europe/Paris:20240604T000000"))
    }
}
