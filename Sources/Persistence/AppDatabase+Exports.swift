import Domain
import Foundation
import GRDB

/// One row of `exports` (domain.md §13): what was asked, by whom, and where the job stands.
public struct ExportRecord: Sendable, Equatable {
    public enum Status: String, Sendable { case pending, ready, failed }

    public let id: Int64
    /// The public id: download links carry it, never the integer id.
    public let uuid: String
    public let type: ExportType
    public let format: ExportFormat
    public let agentID: Int64
    public let organisationIDs: [Int64]
    /// The list's filters and the agent's scope when it asked (a snapshot: the job applies them
    /// as they were).
    public let query: AppointmentListQuery
    public let status: Status
    public let fileName: String?
    public let errorMessage: String?
    public let computedAt: Date?
    public let expiresAt: Date?
    public let createdAt: Date
    /// The territory's zone of its first organisation: the export's date and times.
    public let timeZone: TimeZone

    public func isExpired(now: Date) -> Bool { expiresAt.map { $0 <= now } ?? false }
}

/// The payload of an `export` outbox row: build the file, or delete it once expired.
public struct ExportJob: Codable, Sendable, Equatable {
    public enum Action: String, Codable, Sendable { case build, expire }

    public let action: Action
    public let exportID: Int64
    /// The expiry's file on disk (`ExportRules.storedFileName`), so that it is deleted even when
    /// the export row went with its agent (ON DELETE CASCADE).
    public let storedFileName: String?

    public init(action: Action, exportID: Int64, storedFileName: String? = nil) {
        self.action = action
        self.exportID = exportID
        self.storedFileName = storedFileName
    }
}

extension AppDatabase {
    /// « Exporter » (admin.md §8): the export row and, in the same transaction, the job that
    /// builds it (an `export` outbox row, so the scheduler wakes at the commit).
    public func requestExport(
        agentID: Int64, type: ExportType, format: ExportFormat, query: AppointmentListQuery, now: Date
    ) throws -> ExportRecord {
        let uuid = UUID().uuidString.lowercased()
        let options = String(decoding: try Self.exportEncoder.encode(query), as: UTF8.self)
        return try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO exports (uuid, export_type, format, agent_id, organisation_ids, options, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    uuid, type.rawValue, format.rawValue, agentID, Self.jsonArray(query.organisationIDs), options,
                    Self.epoch(now), Self.epoch(now),
                ])
            let id = db.lastInsertedRowID
            try Self.planExportJob(db, ExportJob(action: .build, exportID: id), key: "export:\(uuid)", dueAt: now)
            guard let record = try Self.exportRecord(db, where: "exports.id = ?", [id]) else {
                throw PersistenceError.writeFailed("the export row was not written")
            }
            return record
        }
    }

    /// « Vos exports »: the agent's exports of the last 2 weeks, newest first.
    public func exports(agentID: Int64, now: Date) throws -> [ExportRecord] {
        try writer.read { db in
            try Self.exportRecords(
                db, where: "agent_id = ? AND exports.created_at >= ? ORDER BY exports.created_at DESC, exports.id DESC",
                [agentID, Self.epoch(now.addingTimeInterval(-ExportRules.listedFor))])
        }
    }

    public func export(uuid: String) throws -> ExportRecord? {
        try writer.read { db in try Self.exportRecord(db, where: "exports.uuid = ?", [uuid]) }
    }

    public func export(id: Int64) throws -> ExportRecord? {
        try writer.read { db in try Self.exportRecord(db, where: "exports.id = ?", [id]) }
    }

    /// The job's last step, in one transaction: the export becomes ready (computed now, valid
    /// 6 hours), « Votre export est prêt » is planned for its owner and the file's deletion is
    /// planned for its expiry. A second call (the job run again after a crash) changes nothing.
    public func completeExport(id: Int64, fileName: String, now: Date) throws {
        try writer.write { db in
            guard let record = try Self.exportRecord(db, where: "exports.id = ?", [id]), record.status == .pending else {
                return
            }
            let computed = Self.epoch(now)
            try db.execute(
                sql: """
                    UPDATE exports SET status = 'ready', file_name = ?, computed_at = ?, expires_at = ?, updated_at = ?
                    WHERE id = ?
                    """, arguments: [fileName, computed, computed + Int64(ExportRules.validity), computed, id])
            let expiresAt = Date(timeIntervalSince1970: TimeInterval(computed) + ExportRules.validity)
            let owner = try Row.fetchOne(
                db,
                sql: """
                    SELECT g.email, (SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id
                                     WHERE o.id = ?) AS time_zone
                    FROM agents g WHERE g.id = ?
                    """, arguments: [record.organisationIDs.first, record.agentID])
            if let owner,
                let mail = MailPlanner.exportReady(
                    to: MailAccount(recipient: .agent(record.agentID), email: owner["email"]), exportID: id,
                    fileName: fileName, downloadPath: SitePath.fill(SitePath.agentExport, ["uuid": record.uuid]), expiresAt: expiresAt,
                    settings: Self.mailSettings(instance: instance, publicURL: instance.publicURL, timeZone: owner["time_zone"]),
                    now: now)
            {
                try Self.planMails(db, [mail], now: now)
            }
            try Self.planExportJob(
                db,
                ExportJob(
                    action: .expire, exportID: id,
                    storedFileName: ExportRules.storedFileName(uuid: record.uuid, format: record.format)),
                key: "export_expiry:\(record.uuid)", dueAt: expiresAt)
        }
    }

    /// The job could not write the file: the export says so in « Vos exports ».
    public func failExport(id: Int64, message: String, now: Date) throws {
        try writer.write { db in
            try db.execute(
                sql: "UPDATE exports SET status = 'failed', error_message = ?, updated_at = ? WHERE id = ? AND status = 'pending'",
                arguments: [message, Self.epoch(now), id])
        }
    }

    static func planExportJob(_ db: Database, _ job: ExportJob, key: String, dueAt: Date) throws {
        let payload = String(decoding: try exportEncoder.encode(job), as: UTF8.self)
        try insertOutboxRow(db, kind: "export", payload: payload, key: key, appointmentID: nil, dueAt: dueAt)
    }

    static let exportEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .secondsSince1970
        return encoder
    }()

    static let exportDecoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .secondsSince1970
        return decoder
    }()

    static func exportRecord(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> ExportRecord?
    {
        try exportRecords(db, where: condition + " LIMIT 1", arguments).first
    }

    static func exportRecords(_ db: Database, where condition: String, _ arguments: StatementArguments) throws
        -> [ExportRecord]
    {
        func date(_ value: Int64?) -> Date? { value.map { Date(timeIntervalSince1970: TimeInterval($0)) } }
        let sql = """
            SELECT exports.*, (SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id
                               WHERE o.id = json_extract(exports.organisation_ids, '$[0]')) AS time_zone
            FROM exports WHERE
            """
        return try Row.fetchAll(db, sql: sql + " " + condition, arguments: arguments).map { row in
            let options: String = row["options"]
            let organisations: String = row["organisation_ids"]
            return ExportRecord(
                id: row["id"], uuid: row["uuid"], type: ExportType(rawValue: row["export_type"]) ?? .appointments,
                format: ExportFormat(rawValue: row["format"]) ?? .xlsx, agentID: row["agent_id"],
                organisationIDs: (try? JSONDecoder().decode([Int64].self, from: Data(organisations.utf8))) ?? [],
                query: try exportDecoder.decode(AppointmentListQuery.self, from: Data(options.utf8)),
                status: ExportRecord.Status(rawValue: row["status"]) ?? .pending, fileName: row["file_name"],
                errorMessage: row["error_message"], computedAt: date(row["computed_at"]),
                expiresAt: date(row["expires_at"]), createdAt: date(row["created_at"]) ?? Date(timeIntervalSince1970: 0),
                timeZone: Self.timeZone(named: row["time_zone"] ?? "Europe/Paris"))
        }
    }
}
