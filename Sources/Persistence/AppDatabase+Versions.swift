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
        author: String?, organisationID: Int64?, now: Date
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
                INSERT INTO versions (item_type, item_id, event, changes, author, organisation_id, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [itemType, itemID, event.rawValue, text, author, organisationID, epoch(now), epoch(now)])
    }

    /// A record's « Historique », newest first.
    public func versions(itemType: String, itemID: Int64) throws -> [VersionEntry] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT event, changes, author, created_at FROM versions WHERE item_type = ? AND item_id = ?
                    ORDER BY created_at DESC, id DESC
                    """, arguments: [itemType, itemID]
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
                    createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)), author: row["author"],
                    event: VersionEntry.Event(rawValue: row["event"]) ?? .update,
                    changes: (object ?? [:]).keys.sorted().map { key in
                        let pair = object?[key] ?? []
                        return .init(field: key, before: text(pair.first), after: text(pair.count > 1 ? pair[1] : nil))
                    })
            }
        }
    }
}
