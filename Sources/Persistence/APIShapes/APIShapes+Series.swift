import Domain
import Foundation
import GRDB

/// api.md §7 `plage_ouverture` and `absence`: the series with its RRULE, its exceptions and the
/// full VCALENDAR of slots.md §2 "iCal export" (EXDATEs and moved occurrences included).
extension APIShapes {
    /// `HH:MM:SS` (api.md §1 TIME output).
    static func time(_ time: TimeOfDay) -> JSONValue { .string(time.description + ":00") }

    static func exceptions(_ exceptions: [OccurrenceException]) -> JSONValue {
        .array(
            exceptions.sorted { $0.date < $1.date }.map { exception in
                var fields: [(String, JSONValue)] = [
                    ("date", .string(exception.date.description)), ("cancelled", .bool(exception.cancelled)),
                ]
                // A moved occurrence says where it went (beyond the original, as `exceptions` itself).
                if !exception.cancelled {
                    fields += [
                        ("day", .string(exception.day.description)),
                        ("start_time", exception.startTime.map(time) ?? .null),
                        ("end_time", exception.endTime.map(time) ?? .null),
                    ]
                }
                return .object(fields)
            })
    }

    static func calendar(
        kind: NotifiedSeries.Kind, id: Int64, title: String, pattern: SeriesPattern, exceptions: [OccurrenceException],
        location: String?, sequence: Int, links: SiteLinks, zone: TimeZone, now: Date
    ) -> (uid: String, rrule: JSONValue, ical: String) {
        let uid = "\(kind.rawValue)_\(id)@\(links.host)"
        let template = ICalendarEvent(
            uid: uid, start: ICalendarDateTime(day: pattern.firstDay, time: pattern.startTime),
            end: ICalendarDateTime(day: pattern.endDay, time: pattern.endTime), sequence: sequence, summary: title,
            location: location)
        let events = pattern.calendarEvents(like: template, exceptions: exceptions, timeZone: zone)
        let ical = ICalendar(productName: "RDV Service Public", method: nil, timeZone: zone, stamp: now, events: events)
        return (uid, .string(pattern.recurrence?.calendarRule(firstDay: pattern.firstDay, in: zone)), ical.rendered)
    }

    public static func openingPeriod(_ db: Database, id: Int64, links: SiteLinks, now: Date) throws -> JSONValue? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT s.*, NULL AS end_day, t.time_zone FROM opening_periods s
                    JOIN organisations o ON o.id = s.organisation_id JOIN territories t ON t.id = o.territory_id
                    WHERE s.id = ?
                    """, arguments: [id]),
            let pattern = AppDatabase.pattern(row)
        else { return nil }
        let zone = TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        let exceptions = try AppDatabase.exceptions(db, column: "opening_period_id", ids: [id])[id] ?? []
        let placeID: Int64? = row["place_id"]
        let place = try placeID.flatMap { try lieu(db, id: $0) }
        let title: String = row["title"]
        let calendar = calendar(
            kind: .openingPeriod, id: id, title: title, pattern: pattern, exceptions: exceptions,
            location: place?["address"].flatMap { if case .string(let text) = $0 { text } else { nil } },
            sequence: row["ics_sequence"], links: links, zone: zone, now: now)
        let motifIDs = try Int64.fetchAll(
            db, sql: "SELECT motif_id FROM opening_period_motifs WHERE opening_period_id = ? ORDER BY motif_id",
            arguments: [id])
        return .object([
            ("id", .int(id)), ("ical_uid", .string(calendar.uid)), ("title", .string(title)),
            ("first_day", .string(pattern.firstDay.description)), ("start_time", time(pattern.startTime)),
            ("end_time", time(pattern.endTime)), ("rrule", calendar.rrule), ("ical", .string(calendar.ical)),
            ("agent", try agent(db, id: row["agent_id"]) ?? .null),
            ("organisation", try organisation(db, id: row["organisation_id"]) ?? .null), ("lieu", place ?? .null),
            ("motifs", .array(try motifIDs.compactMap { try motif(db, id: $0, zone: zone) })),
            ("exceptions", Self.exceptions(exceptions)),
        ])
    }

    public static func absence(_ db: Database, id: Int64, links: SiteLinks, now: Date) throws -> JSONValue? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT s.*, \(AppDatabase.absenceTimeZoneSQL) AS time_zone FROM absences s WHERE s.id = ?
                    """, arguments: [id]),
            let pattern = AppDatabase.pattern(row)
        else { return nil }
        let zone = (row["time_zone"] as String?).flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Paris")!
        let exceptions = try AppDatabase.exceptions(db, column: "absence_id", ids: [id])[id] ?? []
        let title: String = row["title"]
        let calendar = calendar(
            kind: .absence, id: id, title: title, pattern: pattern, exceptions: exceptions, location: nil,
            sequence: row["ics_sequence"], links: links, zone: zone, now: now)
        let organisationID: Int64? = row["organisation_id"]
        return .object([
            ("id", .int(id)), ("ical_uid", .string(calendar.uid)), ("title", .string(title)),
            ("first_day", .string(pattern.firstDay.description)), ("end_day", .string(pattern.endDay.description)),
            ("start_time", time(pattern.startTime)), ("end_time", time(pattern.endTime)), ("rrule", calendar.rrule),
            ("ical", .string(calendar.ical)), ("agent", try agent(db, id: row["agent_id"]) ?? .null),
            ("organisation", try organisationID.flatMap { try organisation(db, id: $0) } ?? .null),
            ("exceptions", Self.exceptions(exceptions)),
        ])
    }
}
