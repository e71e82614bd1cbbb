import Domain
import Foundation
import GRDB

/// The data of an agent's webcal feed (notifications.md §10): its appointments since a month ago,
/// without any personal data (no user names; a home appointment shows the post code and city).
public struct AgentCalendarFeedData: Sendable {
    public var entries: [CalendarFeedEntry]
    /// The zone of the agent's first organisation's territory: the feed's VTIMEZONE.
    public var timeZone: TimeZone
}

extension AppDatabase {
    /// nil for an unknown `calendar_uid` (→ 404).
    public func agentCalendarFeed(calendarUID: String, now: Date) throws -> AgentCalendarFeedData? {
        try writer.read { db in
            guard
                let agent = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT g.id, (SELECT t.time_zone FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                                      JOIN territories t ON t.id = o.territory_id WHERE r.agent_id = g.id
                                      ORDER BY r.organisation_id LIMIT 1) AS time_zone
                        FROM agents g WHERE g.calendar_uid = ?
                        """, arguments: [calendarUID])
            else { return nil }
            let zone =
                (agent["time_zone"] as String?).flatMap(TimeZone.init(identifier:))
                ?? TimeZone(identifier: "Europe/Paris")!
            let earliest = AgentCalendarFeed.earliestStart(now: now, in: zone)
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.uuid, a.organisation_id, a.starts_at, a.ends_at, a.status, a.collectif, a.name,
                           a.users_count, a.max_participants_count, a.location_type, a.ics_sequence,
                           m.name AS motif_name, l.address AS place_address, l.availability AS place_availability,
                           (SELECT u.post_code FROM participations p JOIN users u ON u.id = p.user_id
                            WHERE p.appointment_id = a.id ORDER BY p.id LIMIT 1) AS post_code,
                           (SELECT u.city_name FROM participations p JOIN users u ON u.id = p.user_id
                            WHERE p.appointment_id = a.id ORDER BY p.id LIMIT 1) AS city_name
                    FROM appointment_agents x JOIN appointments a ON a.id = x.appointment_id
                    JOIN motifs m ON m.id = a.motif_id LEFT JOIN places l ON l.id = a.place_id
                    WHERE x.agent_id = ? AND x.starts_at >= ? ORDER BY a.starts_at, a.id
                    """, arguments: [agent["id"] as Int64, Self.epoch(earliest)])
            let entries = rows.map { row -> CalendarFeedEntry in
                let location: CalendarFeedEntry.Location
                switch row["location_type"] as String {
                case "home": location = .home(postCode: row["post_code"], city: row["city_name"])
                case "phone": location = .phone
                case "visio": location = .visio
                default:
                    let address: String = row["place_address"] ?? ""
                    location =
                        (row["place_availability"] as String?) == "single_use"
                        ? .occasional(address: address) : .place(address: address)
                }
                return CalendarFeedEntry(
                    appointmentID: row["id"], uuid: UUID(uuidString: row["uuid"]) ?? UUID(),
                    organisationID: row["organisation_id"],
                    startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval(row["ends_at"] as Int64)),
                    status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, motifName: row["motif_name"],
                    collective: (row["collectif"] as Bool)
                        ? .init(
                            name: row["name"], usersCount: row["users_count"],
                            maxParticipants: row["max_participants_count"]) : nil,
                    location: location, sequence: row["ics_sequence"])
            }
            return AgentCalendarFeedData(entries: entries, timeZone: zone)
        }
    }
}
