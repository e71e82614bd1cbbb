import Domain
import Foundation
import GRDB

/// The JSON shapes of api.md §7, fields in the spec's order, read from the database. The API
/// answers with them and webhooks send them (notifications.md §13), so a partner sees one shape
/// of each record whichever way it arrives.
public enum APIShapes {
    /// api.md §1 instants: `2026-06-01T09:00:00.000+02:00`.
    public static func timestamp(_ date: Date, in zone: TimeZone) -> String {
        let text = ISO8601.format(date, in: zone)
        return String(text.dropLast(6)) + ".000" + String(text.suffix(6))
    }

    static func timestamp(_ epoch: Int64?, in zone: TimeZone) -> JSONValue {
        .string(epoch.map { timestamp(Date(timeIntervalSince1970: TimeInterval($0)), in: zone) })
    }

    /// The territory's zone of an organisation (instants are written with its offset).
    public static func zone(_ db: Database, organisationID: Int64) throws -> TimeZone {
        let name = try String.fetchOne(
            db.cachedStatement(sql: "SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?"),
            arguments: [organisationID])
        return name.flatMap(TimeZone.init(identifier:)) ?? TimeZone(identifier: "Europe/Paris")!
    }

    public static func organisation(_ db: Database, id: Int64) throws -> JSONValue? {
        try Row.fetchOne(
            db.cachedStatement(sql: "SELECT name, phone_number, email, website, verticale FROM organisations WHERE id = ?"),
            arguments: [id]
        ).map { o in
            .object([
                ("id", .int(id)), ("name", .string(o["name"] as String)), ("phone_number", .string(o["phone_number"] as String?)),
                ("email", .string(o["email"] as String?)), ("website", .string(o["website"] as String?)), ("verticale", .string(o["verticale"] as String?)),
            ])
        }
    }

    /// `agent`: from a row with `id`, `email`, `first_name`, `last_name`.
    public static func agent(_ row: Row) -> JSONValue {
        .object([
            ("id", .int(row["id"] as Int64)), ("email", .string(row["email"] as String?)), ("first_name", .string(row["first_name"] as String?)),
            ("last_name", .string(row["last_name"] as String?)), ("inclusion_connect_open_id_sub", .null),
        ])
    }

    public static func agent(_ db: Database, id: Int64) throws -> JSONValue? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT id, email, first_name, last_name FROM agents WHERE id = ?"), arguments: [id])
            .map(agent)
    }

    /// `lieu`: from a `places` row.
    public static func lieu(_ row: Row) -> JSONValue {
        let availability: String = row["availability"]
        return .object([
            ("id", .int(row["id"] as Int64)), ("name", .string(row["name"] as String)),
            ("address", .string(row["address"] as String?)), ("phone_number", .string(row["phone_number"] as String?)),
            ("organisation_id", .int(row["organisation_id"] as Int64)),
            ("single_use", .bool(availability == "single_use")), ("enabled", .bool(availability != "disabled")),
            // Extensions after api.md §7's fields: what moving an organisation needs (`rdv import-api`).
            ("latitude", .double(row["latitude"] as Double)), ("longitude", .double(row["longitude"] as Double)),
        ])
    }

    public static func lieu(_ db: Database, id: Int64) throws -> JSONValue? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM places WHERE id = ?"), arguments: [id]).map(lieu)
    }

    public static func motif(_ db: Database, id: Int64, zone: TimeZone) throws -> JSONValue? {
        guard let m = try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM motifs WHERE id = ?"), arguments: [id]) else { return nil }
        let category = try (m["motif_category_id"] as Int64?).flatMap { categoryID in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT id, name, short_name FROM motif_categories WHERE id = ?"), arguments: [categoryID])
        }
        let bookableBy: String = m["bookable_by"]
        let service = try Row.fetchOne(
            db.cachedStatement(sql: "SELECT name, short_name FROM services WHERE id = ?"), arguments: [m["service_id"]])
        return .object([
            ("id", .int(id)), ("name", .string(m["name"] as String)), ("location_type", .string(m["location_type"] as String)),
            ("deleted_at", timestamp(m["deleted_at"], in: zone)), ("bookable_publicly", .bool(bookableBy != "agents")),
            ("bookable_by", .string(bookableBy)), ("service_id", .int(m["service_id"] as Int64)),
            ("organisation_id", .int(m["organisation_id"] as Int64)), ("collectif", .bool(m["collectif"])),
            ("follow_up", .bool(m["follow_up"])), ("instruction_for_rdv", .string(m["instruction_for_rdv"] as String?)),
            (
                "motif_category",
                category.map { c in
                    .object([
                        ("id", .int(c["id"] as Int64)), ("name", .string(c["name"] as String)),
                        ("short_name", .string(c["short_name"] as String)),
                    ])
                } ?? .null
            ),
            // Extensions after api.md §7's fields: the booking rules of the original's later API
            // (same names), then what moving an organisation needs (`rdv import-api`).
            ("default_duration_in_min", .int(m["default_duration_in_min"] as Int64)),
            ("min_public_booking_delay", .int(m["min_public_booking_delay"] as Int64)),
            ("max_public_booking_delay", .int(m["max_public_booking_delay"] as Int64)),
            ("color", .string(m["color"] as String)), ("sectorisation_level", .string(m["sectorisation_level"] as String)),
            (
                "service",
                service.map { s in
                    .object([
                        ("id", .int(m["service_id"] as Int64)), ("name", .string(s["name"] as String)),
                        ("short_name", .string(s["short_name"] as String)),
                    ])
                } ?? .null
            ),
        ])
    }

    /// `user`; `user_profiles` lists the user's profiles among `scope` (the caller's organisations,
    /// or the webhook's one), each `{organisation}`. A nested `responsible` has no `responsible`.
    public static func user(_ db: Database, id: Int64, scope: [Int64], zone: TimeZone, nested: Bool = false) throws -> JSONValue? {
        var batch = try UserBatch(db, ids: [id], scope: scope)
        return try batch.user(id, zone: zone, nested: nested)
    }

    /// `users` of `ids` in that order (missing ones left out), each in the time zone of its first
    /// profile's territory: a page in 4 queries plus one per organisation, whatever its length.
    public static func users(_ db: Database, ids: [Int64], scope: [Int64]) throws -> [JSONValue] {
        var batch = try UserBatch(db, ids: ids, scope: scope)
        return try ids.compactMap { id in try batch.user(id, zone: batch.zone(of: id), nested: false) }
    }

    /// The rows a page of users needs, read together: the users and their responsibles, their
    /// profiles with each territory's time zone, and each organisation once.
    struct UserBatch {
        let db: Database
        let scope: Set<Int64>
        var rows: [Int64: Row] = [:]
        /// Per user, its profiles' (organisation, time zone), by organisation id.
        var profiles: [Int64: [(organisation: Int64, zone: String)]] = [:]
        var organisations: [Int64: JSONValue] = [:]
        /// `SELECT *` gives every row the same columns: their positions, found once (GRDB's
        /// lookup by name lower-cases the name on each access, 6 % of a page's time).
        var columnIndex: [String: Int] = [:]

        /// A row read by column name through the batch's positions.
        struct Columns {
            let row: Row
            let index: [String: Int]

            init(_ row: Row, index: inout [String: Int]) {
                if index.isEmpty {
                    for (position, name) in row.columnNames.enumerated() { index[name] = position }
                }
                self.row = row
                self.index = index
            }

            subscript<Value: DatabaseValueConvertible>(_ name: String) -> Value? { row[index[name]!] }
            subscript(_ name: String) -> Bool { row[index[name]!] }
        }

        init(_ db: Database, ids: [Int64], scope: [Int64]) throws {
            self.db = db
            self.scope = Set(scope)
            try load(ids)
            let responsibles = Set(rows.values.compactMap { $0["responsible_id"] as Int64? }).subtracting(rows.keys)
            try load(responsibles.sorted())
        }

        private mutating func load(_ ids: [Int64]) throws {
            guard !ids.isEmpty else { return }
            let list = "[" + ids.map(String.init).joined(separator: ",") + "]"
            for row in try Row.fetchAll(
                db.cachedStatement(sql: "SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))"), arguments: [list])
            {
                rows[row["id"]] = row
            }
            for row in try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT p.user_id, p.organisation_id, t.time_zone FROM user_profiles p
                        JOIN organisations o ON o.id = p.organisation_id JOIN territories t ON t.id = o.territory_id
                        WHERE p.user_id IN (SELECT value FROM json_each(?)) ORDER BY p.user_id, p.organisation_id
                        """), arguments: [list])
            {
                profiles[row["user_id"], default: []].append((row["organisation_id"], row["time_zone"]))
            }
        }

        func zone(of id: Int64) -> TimeZone {
            profiles[id]?.first.flatMap { TimeZone(identifier: $0.zone) } ?? TimeZone(identifier: "Europe/Paris")!
        }

        mutating func user(_ id: Int64, zone: TimeZone, nested: Bool) throws -> JSONValue? {
            guard let row = rows[id] else { return nil }
            let u = Columns(row, index: &columnIndex)
            var fields: [(String, JSONValue)] = [("id", .int(id))]
            for column in ["first_name", "birth_name", "last_name", "email", "address", "phone_number", "phone_number_formatted", "birth_date"] {
                fields.append((column, .string(u[column] as String?)))
            }
            fields.append(("responsible_id", .int(u["responsible_id"] as Int64?)))
            for column in ["caisse_affiliation", "affiliation_number", "family_situation"] {
                fields.append((column, .string(u[column] as String?)))
            }
            fields.append(("number_of_children", .int(u["number_of_children"] as Int64?)))
            fields.append(("notify_by_sms", .bool(u["notify_by_sms"])))
            fields.append(("notify_by_email", .bool(u["notify_by_email"])))
            for column in ["invitation_created_at", "invitation_accepted_at", "created_at"] {
                fields.append((column, timestamp(u[column] as Int64?, in: zone)))
            }
            for column in ["case_number", "address_details", "logement", "notes"] {
                fields.append((column, .string(u[column] as String?)))
            }
            if !nested, let responsible = u["responsible_id"] as Int64? {
                fields.append(("responsible", try user(responsible, zone: zone, nested: true) ?? .null))
            } else {
                fields.append(("responsible", .null))
            }
            var shown: [JSONValue] = []
            for profile in profiles[id] ?? [] where scope.contains(profile.organisation) {
                shown.append(.object([("organisation", try organisation(profile.organisation))]))
            }
            fields.append(("user_profiles", .array(shown)))
            return .object(fields)
        }

        private mutating func organisation(_ id: Int64) throws -> JSONValue {
            if let known = organisations[id] { return known }
            let shape = try APIShapes.organisation(db, id: id) ?? .null
            organisations[id] = shape
            return shape
        }
    }

    /// The legacy `created_by` of a creator type (api.md §7).
    static func createdBy(_ type: String) -> String {
        type == "FileAttente" ? "file_attente" : type.lowercased()
    }

    /// The associations of `rdv` that `include[]` may name.
    public static let rdvAssociations: Set<String> = ["organisation", "motif", "users", "participations", "agents", "lieu"]

    /// `rdv` with its associations; `include` limits them (api.md §7: all when nil). Users'
    /// profiles are those in `scope`, or the appointment's organisation when nil.
    public static func rdv(
        _ db: Database, id appointmentID: Int64, links: SiteLinks, scope: [Int64]? = nil, include: Set<String>? = nil
    ) throws -> JSONValue? {
        guard
            let a = try Row.fetchOne(
                db.cachedStatement(sql: """
                    SELECT a.*, t.time_zone FROM appointments a JOIN organisations o ON o.id = a.organisation_id
                    JOIN territories t ON t.id = o.territory_id WHERE a.id = ?
                    """), arguments: [appointmentID])
        else { return nil }
        let zone = TimeZone(identifier: a["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
        let organisationID: Int64 = a["organisation_id"]
        let scope = scope ?? [organisationID]
        let participations = try Row.fetchAll(
            db.cachedStatement(sql: """
                SELECT id, status, send_lifecycle_notifications, send_reminder_notification, created_by_type, user_id
                FROM participations WHERE appointment_id = ? ORDER BY id
                """), arguments: [appointmentID])
        let users = try participations.map { try user(db, id: $0["user_id"], scope: scope, zone: zone) ?? .null }
        let placeID: Int64? = a["place_id"]
        let place = try placeID.flatMap { try lieu(db, id: $0) }
        let location: String = a["location_type"]
        let address: JSONValue = location == "home" ? (users.first?["address"] ?? .null) : (place?["address"] ?? .null)
        let createdByType: String = a["created_by_type"]
        var fields: [(String, JSONValue)] = [
            ("id", .int(appointmentID)), ("uuid", .string(a["uuid"] as String)), ("status", .string(a["status"] as String)),
            ("starts_at", timestamp(a["starts_at"], in: zone)), ("ends_at", timestamp(a["ends_at"], in: zone)),
            ("duration_in_min", .int(a["duration_in_min"] as Int64)), ("address", address), ("context", .string(a["context"] as String?)),
            ("cancelled_at", timestamp(a["cancelled_at"], in: zone)),
            ("max_participants_count", .int(a["max_participants_count"] as Int64?)),
            ("users_count", .int(a["users_count"] as Int64)), ("name", .string(a["name"] as String?)), ("collectif", .bool(a["collectif"])),
            ("created_by_type", .string(createdByType)), ("created_by_id", .int(a["created_by_id"] as Int64?)),
            ("created_by", .string(createdBy(createdByType))), ("created_at", timestamp(a["created_at"], in: zone)),
            (
                "url_for_agents",
                .string(links.agentAppointment(organisationID: organisationID, appointmentID: appointmentID))
            ),
        ]
        func wanted(_ name: String) -> Bool { include?.contains(name) ?? true }
        if wanted("organisation") { fields.append(("organisation", try organisation(db, id: organisationID) ?? .null)) }
        if wanted("motif") { fields.append(("motif", try motif(db, id: a["motif_id"], zone: zone) ?? .null)) }
        if wanted("users") { fields.append(("users", .array(users))) }
        if wanted("participations") {
            fields.append((
                "participations",
                .array(
                    zip(participations, users).map { row, user in
                        .object([
                            ("id", .int(row["id"] as Int64)), ("status", .string(row["status"] as String)),
                            ("send_lifecycle_notifications", .bool(row["send_lifecycle_notifications"])),
                            ("send_reminder_notification", .bool(row["send_reminder_notification"])),
                            ("created_by", .string(createdBy(row["created_by_type"]))), ("user", user),
                        ])
                    })
            ))
        }
        if wanted("agents") {
            let agents = try Row.fetchAll(
                db.cachedStatement(sql: """
                    SELECT g.id, g.email, g.first_name, g.last_name FROM appointment_agents x JOIN agents g ON g.id = x.agent_id
                    WHERE x.appointment_id = ? ORDER BY g.id
                    """), arguments: [appointmentID])
            fields.append(("agents", .array(agents.map(agent))))
        }
        if wanted("lieu") { fields.append(("lieu", place ?? .null)) }
        return .object(fields)
    }

    /// `user_profile`: `user` (nested: no responsible) and `organisation`.
    public static func userProfile(_ db: Database, userID: Int64, organisationID: Int64, zone: TimeZone) throws -> JSONValue {
        .object([
            ("user", try user(db, id: userID, scope: [organisationID], zone: zone, nested: true) ?? .null),
            ("organisation", try organisation(db, id: organisationID) ?? .null),
        ])
    }

    /// `webhook_endpoint`.
    public static func webhookEndpoint(_ row: Row) -> JSONValue {
        let subscriptions =
            (try? JSONDecoder().decode([String].self, from: Data((row["subscriptions"] as String).utf8))) ?? []
        return .object([
            ("id", .int(row["id"] as Int64)), ("target_url", .string(row["target_url"] as String)),
            ("organisation_id", .int(row["organisation_id"] as Int64)),
            ("subscriptions", .array(subscriptions.map(JSONValue.string))),
        ])
    }
}

extension APIShapes {
    /// `agent_role`: `id`, `access_level`, `agent`, `organisation` (api.md §7).
    public static func agentRole(_ db: Database, id: Int64) throws -> JSONValue? {
        guard
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT agent_id, organisation_id, access_level FROM agent_roles WHERE id = ?"),
                arguments: [id])
        else { return nil }
        return .object([
            ("id", .int(id)), ("access_level", .string(row["access_level"] as String)),
            ("agent", try agent(db, id: row["agent_id"]) ?? .null),
            ("organisation", try organisation(db, id: row["organisation_id"]) ?? .null),
        ])
    }
}
