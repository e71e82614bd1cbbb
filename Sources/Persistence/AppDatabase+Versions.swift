import Domain
import Foundation
import GRDB

/// domain.md §0 "History": one `versions` row per create, update or destroy of an audited
/// record, written in the change's own transaction (so no change is ever without its row).
public struct VersionEntry: Sendable, Equatable {
    public enum Event: String, Sendable { case create, update, destroy }

    public struct Change: Sendable, Equatable {
        public let field: String
        /// JSON values as text ("" for null).
        public let before: String
        public let after: String
    }

    /// "Appointment", "Participation"…: an appointment's history holds both.
    public let itemType: String
    public let itemID: Int64
    public let createdAt: Date
    public let author: String?
    public let event: Event
    public let changes: [Change]
}

extension AppDatabase {
    /// The audited fields of a record, by column name; nil values are SQL NULL.
    typealias AuditedFields = [(String, (any DatabaseValueConvertible)?)]

    /// Writes the version of a change: `before` nil for a create, `after` nil for a destroy; an
    /// update lists only the fields that changed, and is not written when none did.
    static func recordVersion(
        _ db: Database, itemType: String, itemID: Int64, before: AuditedFields?, after: AuditedFields?,
        author: String?, organisationID: Int64?, appointmentID: Int64? = nil, now: Date
    ) throws {
        let event: VersionEntry.Event = before == nil ? .create : after == nil ? .destroy : .update
        func json(_ value: (any DatabaseValueConvertible)?) -> Any {
            switch value?.databaseValue.storage {
            case .int64(let number): number
            case .double(let number): number
            case .string(let text): text
            case .blob, .null, nil: NSNull()
            }
        }
        let names = (after ?? before ?? []).map(\.0)
        var changes: [String: [Any]] = [:]
        for name in names {
            let old = before?.first { $0.0 == name }?.1
            let new = after?.first { $0.0 == name }?.1
            guard old?.databaseValue != new?.databaseValue || event != .update else { continue }
            changes[name] = [json(old), json(new)]
        }
        if event == .update && changes.isEmpty { return }
        let text = String(decoding: try JSONSerialization.data(withJSONObject: changes, options: [.sortedKeys]), as: UTF8.self)
        try db.execute(
            sql: """
                INSERT INTO versions (item_type, item_id, event, changes, author, organisation_id, appointment_id,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                itemType, itemID, event.rawValue, text, author, organisationID, appointmentID, epoch(now), epoch(now),
            ])
    }

    /// A record's « Historique », newest first.
    public func versions(itemType: String, itemID: Int64) throws -> [VersionEntry] {
        try versions(where: "item_type = ? AND item_id = ?", [itemType, itemID])
    }

    /// An appointment's « Historique »: its own versions and its participations', newest first.
    public func appointmentVersions(appointmentID: Int64) throws -> [VersionEntry] {
        try versions(where: "appointment_id = ?", [appointmentID])
    }

    private func versions(where condition: String, _ arguments: StatementArguments) throws -> [VersionEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT item_type, item_id, event, changes, author, created_at FROM versions WHERE \(condition)
                    ORDER BY created_at DESC, id DESC
                    """, arguments: arguments
            ).map { row in
                let object = (try? JSONSerialization.jsonObject(with: Data((row["changes"] as String).utf8))) as? [String: [Any]]
                func text(_ value: Any?) -> String {
                    switch value {
                    case let text as String: text
                    case let number as NSNumber: number.stringValue
                    default: ""
                    }
                }
                return VersionEntry(
                    itemType: row["item_type"], itemID: row["item_id"], createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)), author: row["author"],
                    event: VersionEntry.Event(rawValue: row["event"]) ?? .update,
                    changes: (object ?? [:]).keys.sorted().map { key in
                        let pair = object?[key] ?? []
                        return .init(field: key, before: text(pair.first), after: text(pair.count > 1 ? pair[1] : nil))
                    })
            }
        }
    }
}

/// The audited records of domain.md §0 whose whole row is their version: a change is recorded
/// as the difference of the row read before and after it, so no write path can forget a column.
enum AuditedTable: String {
    case appointment = "Appointment", participation = "Participation", user = "User",
        userProfile = "UserProfile", openingPeriod = "OpeningPeriod", absence = "Absence", agentRole = "AgentRole"

    var table: String {
        switch self {
        case .appointment: "appointments"
        case .participation: "participations"
        case .user: "users"
        case .userProfile: "user_profiles"
        case .openingPeriod: "opening_periods"
        case .absence: "absences"
        case .agentRole: "agent_roles"
        }
    }

    /// The appointment whose « Historique » shows a version of this row.
    func appointmentID(id: Int64, _ fields: AppDatabase.AuditedFields) -> Int64? {
        switch self {
        case .appointment: id
        case .participation: AppDatabase.value("appointment_id", in: fields)
        default: nil
        }
    }

    /// Bookkeeping and secrets: never in a version (a token or a password hash in the history
    /// would outlive its rotation).
    static let unrecorded: Set<String> = [
        "id", "created_at", "updated_at", "password_hash", "rdv_invitation_token", "rdv_invitation_token_created_at",
        // A participation's link secret is derived from it (HMAC of "<id>:<token_created_at>").
        "token_created_at", "ics_sequence",
    ]
}

extension AppDatabase {
    /// The author of a version in domain.md §0's words: the agent's display name, « Usager »,
    /// « Prescripteur »; nil for a job.
    static func versionAuthor(_ db: Database, _ author: NotificationAuthor) throws -> String? {
        switch author {
        case .agent(let id):
            try Row.fetchOne(db, sql: "SELECT first_name, last_name FROM agents WHERE id = ?", arguments: [id]).map(agentName)
        case .user: "Usager"
        case .prescriber: "Prescripteur"
        case .system: nil
        }
    }

    static func auditedRow(_ db: Database, _ record: AuditedTable, id: Int64) throws -> AuditedFields? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM \(record.table) WHERE id = ?", arguments: [id]) else {
            return nil
        }
        var fields: AuditedFields = row.columnNames.filter { !AuditedTable.unrecorded.contains($0) }.map { column in
            // One recurrence has several JSON spellings (the import omits a null `until`): keep one.
            if column == "recurrence", let json = row[column] as String?,
                let recurrence = try? JSONDecoder().decode(Recurrence.self, from: Data(json.utf8)),
                let canonical = try? InterchangeWriter.recurrenceEncoder.encode(recurrence)
            {
                return (column, String(decoding: canonical, as: UTF8.self))
            }
            return (column, row[column] as DatabaseValue)
        }
        // What a person edits with the record but is stored beside it belongs to its version.
        func joined(_ sql: String) throws -> (any DatabaseValueConvertible)? {
            try String.fetchOne(db, sql: "SELECT group_concat(value, ',') FROM (\(sql))", arguments: [id])
        }
        let exceptions = "SELECT date || ':' || iif(cancelled, 'annulée', day || ' ' || start_time || '-' || end_time) AS value"
        switch record {
        case .appointment:
            fields.append(
                ("agent_ids", try joined("SELECT agent_id AS value FROM appointment_agents WHERE appointment_id = ? ORDER BY agent_id")))
        case .openingPeriod:
            fields.append(
                ("motif_ids", try joined("SELECT motif_id AS value FROM opening_period_motifs WHERE opening_period_id = ? ORDER BY motif_id")))
            fields.append(
                ("exceptions", try joined("\(exceptions) FROM occurrence_exceptions WHERE opening_period_id = ? ORDER BY date")))
        case .absence:
            fields.append(("exceptions", try joined("\(exceptions) FROM occurrence_exceptions WHERE absence_id = ? ORDER BY date")))
        case .participation, .user, .userProfile, .agentRole:
            break
        }
        return fields
    }

    /// Runs a change of one audited row and writes its version in the same transaction: a create
    /// when the row appears, a destroy when it goes, an update listing the columns that moved.
    @discardableResult
    static func audited<T>(
        _ db: Database, _ record: AuditedTable, id: Int64, author: String?, organisationID: Int64? = nil, now: Date,
        _ change: () throws -> T
    ) throws -> T {
        let before = try auditedRow(db, record, id: id)
        let result = try change()
        let after = try auditedRow(db, record, id: id)
        if let fields = before ?? after {
            try recordVersion(
                db, itemType: record.rawValue, itemID: id, before: before, after: after, author: author,
                organisationID: organisationID ?? value("organisation_id", in: fields),
                appointmentID: record.appointmentID(id: id, fields), now: now)
        }
        return result
    }

    /// The version of a row just inserted.
    static func auditCreated(
        _ db: Database, _ record: AuditedTable, id: Int64, author: String?, organisationID: Int64? = nil, now: Date
    ) throws {
        guard let after = try auditedRow(db, record, id: id) else { return }
        try recordVersion(
            db, itemType: record.rawValue, itemID: id, before: nil, after: after, author: author,
            organisationID: organisationID ?? value("organisation_id", in: after),
            appointmentID: record.appointmentID(id: id, after), now: now)
    }

    /// An id column of the row (the organisation a version is filed under, its appointment).
    static func value(_ column: String, in fields: AuditedFields) -> Int64? {
        fields.first { $0.0 == column }.flatMap { Int64.fromDatabaseValue($0.1?.databaseValue ?? .null) }
    }
}

/// The names a history shows for the ids it stores.
public struct HistoryNames: Sendable, Equatable {
    public var places: [Int64: String]
    public var agents: [Int64: String]
    public var motifs: [Int64: String]
    public var users: [Int64: String]
}

extension AppDatabase {
    /// Every place and motif of the organisation (also disabled or deleted ones) and every agent
    /// an entry names, « Prénom NOM ».
    public func historyNames(organisationID: Int64, entries: [VersionEntry]) throws -> HistoryNames {
        func ids(_ field: String) -> [Int64] {
            Set(
                entries.flatMap(\.changes).filter { $0.field == field }
                    .flatMap { ($0.before + "," + $0.after).split(separator: ",").compactMap { Int64($0) } }
            ).sorted()
        }
        return try writer.read { db in
            func names(_ table: String) throws -> [Int64: String] {
                Dictionary(
                    uniqueKeysWithValues: try Row.fetchAll(
                        db, sql: "SELECT id, name FROM \(table) WHERE organisation_id = ?", arguments: [organisationID]
                    ).map { ($0["id"], $0["name"]) })
            }
            let agents = try Row.fetchAll(
                db, sql: "SELECT id, first_name, last_name FROM agents WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [Self.jsonArray(ids("agent_ids"))])
            let users = try Row.fetchAll(
                db, sql: "SELECT id, first_name, last_name FROM users WHERE id IN (SELECT value FROM json_each(?))",
                arguments: [Self.jsonArray(ids("user_id"))])
            return HistoryNames(
                places: try names("places"), agents: Dictionary(uniqueKeysWithValues: agents.map { ($0["id"], Self.agentName($0)) }),
                motifs: try names("motifs"),
                users: Dictionary(uniqueKeysWithValues: users.map { ($0["id"], Self.agentName($0)) }))
        }
    }
}
