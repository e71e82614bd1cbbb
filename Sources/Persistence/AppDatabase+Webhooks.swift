import Domain
import Foundation
import GRDB

/// The payload of a `webhook` outbox row: the endpoint and the exact body, kept as a string
/// because those bytes are what gets signed at every attempt (notifications.md §13).
public struct WebhookPayload: Codable, Sendable, Equatable {
    public var endpointID: Int64
    public var body: String

    public init(endpointID: Int64, body: String) {
        self.endpointID = endpointID
        self.body = body
    }

    enum CodingKeys: String, CodingKey {
        case endpointID = "endpoint_id"
        case body
    }
}

/// Webhook deliveries are outbox rows planned in the transaction of the change (notifications.md
/// §13): one per subscribed endpoint of the record's organisation, its body built now (so a
/// destroy carries the record as it was), ordered per endpoint and record.
extension AppDatabase {
    /// The endpoint a `webhook` row goes to; nil once the endpoint is deleted.
    public func webhookEndpoint(id: Int64) throws -> (url: String, secret: String)? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT target_url, secret FROM webhook_endpoints WHERE id = ?", arguments: [id])
                .map { ($0["target_url"], $0["secret"]) }
        }
    }

    /// Plans one webhook delivery in a transaction of its own (tests, replays); a change plans its
    /// webhooks with the `Database` version, in its transaction. `key` is `webhook:<endpoint id>:<event id>` (planning twice
    /// plans once); `orderingKey` is `webhook:<endpoint id>:<model>:<record id>`. Deleting the
    /// endpoint deletes its pending deliveries (ON DELETE CASCADE).
    public func planWebhookDelivery(_ payload: WebhookPayload, key: String, orderingKey: String, dueAt: Date) throws {
        try writer.write { db in
            try Self.planWebhookDelivery(
                db, payload, key: key, orderingKey: orderingKey, appointmentID: nil, dueAt: dueAt)
        }
    }

    static func planWebhookDelivery(
        _ db: Database, _ payload: WebhookPayload, key: String, orderingKey: String, appointmentID: Int64?, dueAt: Date
    ) throws {
        let due = epoch(dueAt)
        let json = String(decoding: try JSONEncoder().encode(payload), as: UTF8.self)
        // ON CONFLICT ignores only the duplicate key; a CHECK violation still fails loudly.
        try db.execute(
            sql: """
                INSERT INTO outbox_messages (kind, payload, due_at, next_attempt_at, idempotency_key, webhook_endpoint_id,
                                             ordering_key, appointment_id)
                VALUES ('webhook', ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (idempotency_key) DO NOTHING
                """, arguments: [json, due, due, key, payload.endpointID, orderingKey, appointmentID])
    }

    /// Plans the `Rdv` webhook of an appointment for every endpoint of its organisation subscribed
    /// to `rdv`.
    static func planAppointmentWebhooks(
        _ db: Database, appointmentID: Int64, event: WebhookBody.Event, publicURL: String, now: Date
    ) throws {
        guard
            let organisation = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.organisation_id, t.time_zone FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id WHERE a.id = ?
                    """, arguments: [appointmentID])
        else { return }
        let organisationID: Int64 = organisation["organisation_id"]
        let endpoints = try Int64.fetchAll(
            db,
            sql: """
                SELECT id FROM webhook_endpoints WHERE organisation_id = ?
                  AND EXISTS (SELECT 1 FROM json_each(subscriptions) WHERE value = 'rdv') ORDER BY id
                """, arguments: [organisationID])
        guard !endpoints.isEmpty,
            let data = try rdvJSON(db, appointmentID: appointmentID, publicURL: publicURL)
        else { return }
        let timeZone = TimeZone(identifier: organisation["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        let dataJSON = try JSONSerialization.data(
            withJSONObject: data, options: [.sortedKeys, .withoutEscapingSlashes])
        let body = WebhookBody.make(
            dataJSON: String(decoding: dataJSON, as: UTF8.self), model: "Rdv", event: event, timestamp: now,
            timeZone: timeZone)
        let eventID = UUID().uuidString.lowercased()
        for endpoint in endpoints {
            try planWebhookDelivery(
                db, WebhookPayload(endpointID: endpoint, body: body), key: "webhook:\(endpoint):\(eventID)",
                orderingKey: "webhook:\(endpoint):rdv:\(appointmentID)", appointmentID: appointmentID, dueAt: now)
        }
    }

    /// The `rdv` shape of api.md §7 with its associations.
    static func rdvJSON(_ db: Database, appointmentID: Int64, publicURL: String) throws -> [String: Any]? {
        guard
            let a = try Row.fetchOne(
                db,
                sql: """
                    SELECT a.*, t.time_zone, l.address AS place_address, l.name AS place_name, l.phone_number AS place_phone,
                           l.availability AS place_availability
                    FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id LEFT JOIN places l ON l.id = a.place_id WHERE a.id = ?
                    """, arguments: [appointmentID])
        else { return nil }
        let zone = TimeZone(identifier: a["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        func time(_ epoch: Int64?) -> Any {
            epoch.map { apiTimestamp(Date(timeIntervalSince1970: TimeInterval($0)), in: zone) } ?? NSNull()
        }
        let organisationID: Int64 = a["organisation_id"]
        let participations = try Row.fetchAll(
            db,
            sql: """
                SELECT p.id, p.status, p.send_lifecycle_notifications, p.send_reminder_notification, p.created_by_type,
                       p.user_id FROM participations p WHERE p.appointment_id = ? ORDER BY p.id
                """, arguments: [appointmentID])
        let organisation: Any = try organisationJSON(db, id: organisationID) ?? NSNull()
        let users = try participations.map {
            try userJSON(db, id: $0["user_id"], organisationID: organisationID, organisation: organisation, zone: zone)
        }
        let location: String = a["location_type"]
        let address: Any =
            location == "home"
            ? (users.first?["address"] ?? NSNull()) as Any : ((a["place_address"] as String?) ?? NSNull()) as Any
        let createdByType: String = a["created_by_type"]
        var rdv: [String: Any] = [
            "id": appointmentID, "uuid": a["uuid"] as String, "status": a["status"] as String,
            "starts_at": time(a["starts_at"]), "ends_at": time(a["ends_at"]),
            "duration_in_min": a["duration_in_min"] as Int, "address": address,
            "context": (a["context"] as String?) ?? NSNull(), "cancelled_at": time(a["cancelled_at"]),
            "max_participants_count": (a["max_participants_count"] as Int?) ?? NSNull(),
            "users_count": a["users_count"] as Int, "name": (a["name"] as String?) ?? NSNull(),
            "collectif": a["collectif"] as Bool, "created_by_type": createdByType,
            "created_by_id": (a["created_by_id"] as Int64?) ?? NSNull(),
            "created_by": createdByType == "FileAttente" ? "file_attente" : createdByType.lowercased(),
            "created_at": time(a["created_at"]),
            "url_for_agents": SiteLinks(publicURL: publicURL).agentAppointment(
                organisationID: organisationID, appointmentID: appointmentID),
        ]
        rdv["organisation"] = organisation
        rdv["motif"] = try motifJSON(db, id: a["motif_id"], zone: zone) ?? NSNull()
        rdv["users"] = users
        rdv["participations"] = zip(participations, users).map { row, user -> [String: Any] in
            let type: String = row["created_by_type"]
            return [
                "id": row["id"] as Int64, "status": row["status"] as String,
                "send_lifecycle_notifications": row["send_lifecycle_notifications"] as Bool,
                "send_reminder_notification": row["send_reminder_notification"] as Bool,
                "created_by": type == "FileAttente" ? "file_attente" : type.lowercased(), "user": user,
            ]
        }
        rdv["agents"] = try Row.fetchAll(
            db,
            sql: """
                SELECT g.id, g.email, g.first_name, g.last_name FROM appointment_agents x JOIN agents g ON g.id = x.agent_id
                WHERE x.appointment_id = ? ORDER BY g.id
                """, arguments: [appointmentID]
        ).map { agent -> [String: Any] in
            [
                "id": agent["id"] as Int64, "email": (agent["email"] as String?) ?? NSNull(),
                "first_name": (agent["first_name"] as String?) ?? NSNull(), "last_name": agent["last_name"] as String,
                "inclusion_connect_open_id_sub": NSNull(),
            ]
        }
        if let placeID = a["place_id"] as Int64? {
            rdv["lieu"] =
                [
                    "id": placeID, "name": a["place_name"] as String, "address": a["place_address"] as String,
                    "phone_number": (a["place_phone"] as String?) ?? NSNull(), "organisation_id": organisationID,
                    "single_use": (a["place_availability"] as String) == "single_use",
                    "enabled": (a["place_availability"] as String) != "disabled",
                ] as [String: Any]
        } else {
            rdv["lieu"] = NSNull()
        }
        return rdv
    }

    static func organisationJSON(_ db: Database, id: Int64) throws -> [String: Any]? {
        try Row.fetchOne(db, sql: "SELECT * FROM organisations WHERE id = ?", arguments: [id]).map { o in
            [
                "id": id, "name": o["name"] as String, "phone_number": nullable(o["phone_number"]),
                "email": nullable(o["email"]), "website": nullable(o["website"]), "verticale": nullable(o["verticale"]),
            ]
        }
    }

    static func motifJSON(_ db: Database, id: Int64, zone: TimeZone) throws -> [String: Any]? {
        guard let m = try Row.fetchOne(db, sql: "SELECT * FROM motifs WHERE id = ?", arguments: [id]) else {
            return nil
        }
        let category = try (m["motif_category_id"] as Int64?).flatMap { categoryID in
            try Row.fetchOne(
                db, sql: "SELECT id, name, short_name FROM motif_categories WHERE id = ?", arguments: [categoryID])
        }
        let bookableBy: String = m["bookable_by"]
        return [
            "id": id, "name": m["name"] as String, "location_type": m["location_type"] as String,
            "deleted_at": (m["deleted_at"] as Int64?).map {
                apiTimestamp(Date(timeIntervalSince1970: TimeInterval($0)), in: zone)
            }
                ?? NSNull(),
            "bookable_publicly": bookableBy != "agents", "bookable_by": bookableBy,
            "service_id": m["service_id"] as Int64, "organisation_id": m["organisation_id"] as Int64,
            "collectif": m["collectif"] as Bool, "follow_up": m["follow_up"] as Bool,
            "instruction_for_rdv": nullable(m["instruction_for_rdv"]),
            "motif_category": category.map { c -> [String: Any] in
                ["id": c["id"] as Int64, "name": c["name"] as String, "short_name": c["short_name"] as String]
            } ?? NSNull(),
        ]
    }

    /// The `user` shape; `user_profiles` limited to the organisation (the webhook's scope).
    /// `organisation`: that organisation's shape, read once by the caller.
    static func userJSON(
        _ db: Database, id: Int64, organisationID: Int64, organisation: Any, zone: TimeZone, nested: Bool = false
    ) throws -> [String: Any] {
        guard let u = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]) else { return [:] }
        var user: [String: Any] = ["id": id]
        for column in [
            "first_name", "birth_name", "last_name", "email", "address", "phone_number", "phone_number_formatted",
            "birth_date", "caisse_affiliation", "affiliation_number", "family_situation", "case_number",
            "address_details", "logement", "notes",
        ] {
            user[column] = nullable(u[column] as DatabaseValue)
        }
        user["responsible_id"] = nullable(u["responsible_id"] as Int64?)
        user["number_of_children"] = nullable(u["number_of_children"] as Int?)
        user["notify_by_sms"] = u["notify_by_sms"] as Bool
        user["notify_by_email"] = u["notify_by_email"] as Bool
        for column in ["invitation_created_at", "invitation_accepted_at", "created_at"] {
            user[column] =
                (u[column] as Int64?).map { apiTimestamp(Date(timeIntervalSince1970: TimeInterval($0)), in: zone) }
                ?? NSNull()
        }
        if !nested, let responsible = u["responsible_id"] as Int64? {
            user["responsible"] = try userJSON(
                db, id: responsible, organisationID: organisationID, organisation: organisation, zone: zone,
                nested: true)
        } else {
            user["responsible"] = NSNull()
        }
        let inScope =
            try Bool.fetchOne(
                db, sql: "SELECT 1 FROM user_profiles WHERE user_id = ? AND organisation_id = ?",
                arguments: [id, organisationID]) ?? false
        user["user_profiles"] = inScope ? [["organisation": organisation]] : []
        return user
    }

    /// api.md §7 instants: `2026-06-01T09:00:00.000+02:00`.
    static func apiTimestamp(_ date: Date, in zone: TimeZone) -> String {
        let text = ISO8601.format(date, in: zone)
        return String(text.dropLast(6)) + ".000" + String(text.suffix(6))
    }

    static func nullable(_ value: (any DatabaseValueConvertible)?) -> Any {
        guard let value else { return NSNull() }
        return value.databaseValue.storage.value ?? NSNull()
    }
}
