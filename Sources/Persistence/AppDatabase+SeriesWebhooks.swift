import Domain
import Foundation
import GRDB

/// notifications.md §13 for opening periods and absences: the `PlageOuverture` and `Absence`
/// webhooks, planned with each notified change of the series (so every screen and the API plan
/// them), their body the api.md §7 shape built before a deletion.
extension AppDatabase {
    static func planSeriesWebhooks(
        _ db: Database, kind: NotifiedSeries.Kind, id: Int64, change: SeriesChange, publicURL: String, now: Date
    ) throws {
        let isOpeningPeriod = kind == .openingPeriod
        // An absence without an organisation goes to the endpoints of its agent's organisations.
        let rows = try Row.fetchAll(
            db,
            sql: isOpeningPeriod
                ? """
                SELECT e.id AS endpoint_id, t.time_zone FROM opening_periods s
                JOIN webhook_endpoints e ON e.organisation_id = s.organisation_id
                JOIN organisations o ON o.id = e.organisation_id JOIN territories t ON t.id = o.territory_id
                WHERE s.id = ? AND EXISTS (SELECT 1 FROM json_each(e.subscriptions) WHERE value = 'plage_ouverture')
                ORDER BY e.id
                """
                : """
                SELECT e.id AS endpoint_id, t.time_zone FROM absences s
                JOIN webhook_endpoints e ON e.organisation_id = s.organisation_id
                    OR (s.organisation_id IS NULL
                        AND e.organisation_id IN (SELECT organisation_id FROM agent_roles WHERE agent_id = s.agent_id))
                JOIN organisations o ON o.id = e.organisation_id JOIN territories t ON t.id = o.territory_id
                WHERE s.id = ? AND EXISTS (SELECT 1 FROM json_each(e.subscriptions) WHERE value = 'absence')
                ORDER BY e.id
                """, arguments: [id])
        guard !rows.isEmpty else { return }
        let links = SiteLinks(publicURL: publicURL)
        let data =
            try (isOpeningPeriod
                ? APIShapes.openingPeriod(db, id: id, links: links, now: now)
                : APIShapes.absence(db, id: id, links: links, now: now)) ?? .null
        let event: WebhookBody.Event =
            switch change {
            case .created: .created
            case .updated: .updated
            case .destroyed: .destroyed
            }
        let eventID = UUID().uuidString.lowercased()
        for row in rows {
            let zone = TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
            try planRecordWebhook(
                db, endpointID: row["endpoint_id"], model: isOpeningPeriod ? "PlageOuverture" : "Absence",
                record: "\(kind.rawValue):\(id)", data: data, event: event, eventID: eventID, zone: zone, now: now)
        }
    }
}
