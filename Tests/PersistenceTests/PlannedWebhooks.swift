import GRDB

@_spi(RawDatabase) @testable import Persistence

/// The planned webhooks, in order, as one line each: their `meta` fields then, when asked, the
/// record's `data.id` (`"User destroyed rgpd"`, `"Agent created 12"`). A missing field reads `-`.
func plannedWebhooks(_ db: AppDatabase, meta: [String], withID: Bool = false) throws -> [String] {
    let fields =
        meta.map { "coalesce(json_extract(json_extract(payload, '$.body'), '$.meta.\($0)'), '-')" }
        + (withID ? ["json_extract(json_extract(payload, '$.body'), '$.data.id')"] : [])
    return try db.writer.read { db in
        try String.fetchAll(
            db, sql: "SELECT " + fields.joined(separator: " || ' ' || ") + " FROM outbox_messages WHERE kind = 'webhook' ORDER BY id")
    }
}
