import Domain
import Foundation
import GRDB

/// notifications.md §2: an opening period or absence created, updated or deleted sends its agent
/// an e-mail with the ICS when the agent's level for that kind is `all`, and its webhooks
/// (notifications.md §13) to the endpoints subscribed to it. Screens and the API call
/// this inside the transaction of their change (before the deletion for `destroyed`, so the
/// record is still there to describe).
extension AppDatabase {
    /// In a transaction of its own (tests). A change of an opening period or absence calls the
    /// `Database` version in its transaction, once per change: each call is a new notified change
    /// (it increments the record's ICS sequence).
    public func planSeriesNotifications(
        kind: NotifiedSeries.Kind, id: Int64, change: SeriesChange, authorName: String? = nil, publicURL: String,
        now: Date
    ) throws {
        try writer.write { db in
            try Self.planSeriesNotifications(
                db, kind: kind, id: id, change: change, authorName: authorName, instance: instance, publicURL: publicURL, now: now)
        }
    }

    /// An absence's zone (`s`): its organisation's territory, or its agent's first one.
    static let absenceTimeZoneSQL = """
        coalesce((SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id
                  WHERE o.id = s.organisation_id),
                 (SELECT t.time_zone FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                  JOIN territories t ON t.id = o.territory_id WHERE r.agent_id = s.agent_id
                  ORDER BY r.organisation_id LIMIT 1))
        """

    static func planSeriesNotifications(
        _ db: Database, kind: NotifiedSeries.Kind, id: Int64, change: SeriesChange, authorName: String?,
        instance: InstanceEnvironment, publicURL: String, now: Date
    ) throws {
        let isOpeningPeriod = kind == .openingPeriod
        let table = isOpeningPeriod ? "opening_periods" : "absences"
        // notifications.md §10: SEQUENCE increases with each notified change, so calendar clients
        // apply it; creation is sequence 0.
        if change != .created {
            try db.execute(sql: "UPDATE \(table) SET ics_sequence = ics_sequence + 1 WHERE id = ?", arguments: [id])
        }
        try planSeriesWebhooks(db, kind: kind, id: id, change: change, publicURL: publicURL, now: now)
        guard
            let row = try Row.fetchOne(
                db,
                sql: isOpeningPeriod
                    ? """
                    SELECT s.*, NULL AS end_day, l.name AS place_name, l.address AS place_address,
                           l.phone_number AS place_phone, t.time_zone
                    FROM opening_periods s JOIN organisations o ON o.id = s.organisation_id
                    JOIN territories t ON t.id = o.territory_id LEFT JOIN places l ON l.id = s.place_id WHERE s.id = ?
                    """
                    : """
                    SELECT s.*, NULL AS place_id, \(Self.absenceTimeZoneSQL) AS time_zone
                    FROM absences s WHERE s.id = ?
                    """, arguments: [id]),
            let pattern = pattern(row),
            let agentRow = try Row.fetchOne(
                db, sql: "SELECT * FROM agents WHERE id = ?", arguments: [row["agent_id"] as Int64])
        else { return }
        let exceptions = try Self.exceptions(
            db, column: isOpeningPeriod ? "opening_period_id" : "absence_id", ids: [id])
        let place = (row["place_id"] as Int64?).map {
            NotifiedPlace(
                id: $0, name: row["place_name"], address: row["place_address"], phoneNumber: row["place_phone"])
        }
        let series = NotifiedSeries(
            kind: kind, id: id, title: row["title"], agentID: row["agent_id"], organisationID: row["organisation_id"],
            pattern: pattern, exceptions: exceptions[id] ?? [], place: place,
            updatedAt: Date(timeIntervalSince1970: TimeInterval(row["updated_at"] as Int64)),
            sequence: row["ics_sequence"])
        let agent = Agent(
            id: agentRow["id"], email: agentRow["email"], firstName: agentRow["first_name"],
            lastName: agentRow["last_name"],
            plageOuvertureNotificationLevel: Agent.NotificationLevel(
                rawValue: agentRow["plage_ouverture_notification_level"]) ?? .all,
            absenceNotificationLevel: Agent.NotificationLevel(rawValue: agentRow["absence_notification_level"]) ?? .all,
            deletedAt: (agentRow["deleted_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            serviceIDs: [])
        let zone =
            (row["time_zone"] as String?).flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Paris")!
        let planned = SeriesNotificationPlanner.plan(
            series: series, change: change, agent: agent, authorName: authorName,
            settings: NotificationSettings(
                publicURL: publicURL, timeZone: zone, noReplyAddress: instance.noReplyAddress),
            now: now)
        for message in planned {
            let payload = RenderedMessage(
                event: message.event, channel: "mail", recipient: message.address, subject: message.subject,
                body: message.body, html: message.html, ics: message.ics,
                calendarMethod: message.calendarMethod.rawValue)
            try insertRenderedMessage(db, payload, key: message.idempotencyKey, dueAt: now)
        }
    }
}
