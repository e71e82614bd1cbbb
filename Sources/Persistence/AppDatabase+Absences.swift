import Domain
import Foundation
import GRDB

/// A line of an agent's « Indisponibilités » list (domain.md §8).
public struct AbsenceListItem: Sendable, Equatable {
    public let id: Int64
    public let title: String
    public let pattern: SeriesPattern
    public let isExpired: Bool
}

extension AppDatabase {
    /// The agent's absences, every organisation's (an absence blocks the agent everywhere,
    /// domain.md §8), current or past, by first day; `search` matches the title.
    public func absences(agentID: Int64, expired: Bool, search: String?, today: LocalDate) throws -> [AbsenceListItem] {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, title, first_day, start_time, end_day, end_time, recurrence FROM absences
                    WHERE agent_id = ? ORDER BY first_day, start_time, id
                    """, arguments: [agentID])
            let exceptions = try Self.exceptions(db, column: "absence_id", ids: rows.map { $0["id"] })
            let folded = search.map(Self.folded).flatMap { $0.isEmpty ? nil : $0 }
            return rows.compactMap { row -> AbsenceListItem? in
                guard let pattern = Self.pattern(row) else { return nil }
                let id: Int64 = row["id"]
                let isExpired = pattern.isExpired(today: today, exceptions: exceptions[id] ?? [])
                let title: String = row["title"]
                guard isExpired == expired, folded.map({ Self.folded(title).contains($0) }) ?? true else { return nil }
                return AbsenceListItem(id: id, title: title, pattern: pattern, isExpired: isExpired)
            }
        }
    }

    public func absence(id: Int64) throws -> Absence? {
        try writer.read { db in try Self.absence(db, id: id) }
    }

    static func absence(_ db: Database, id: Int64) throws -> Absence? {
        guard let row = try Row.fetchOne(db, sql: "SELECT * FROM absences WHERE id = ?", arguments: [id]),
            let pattern = pattern(row)
        else { return nil }
        return Absence(
            id: row["id"], agentID: row["agent_id"], organisationID: row["organisation_id"], title: row["title"],
            firstDay: pattern.firstDay, startTime: pattern.startTime, endDay: pattern.endDay,
            endTime: pattern.endTime, recurrence: pattern.recurrence)
    }

    /// Creates or updates an absence in one transaction: the domain rules, the row, and the
    /// agent's e-mail with the ICS (notifications.md §10). Existing appointments in it stay.
    public func saveAbsence(_ absence: Absence, authorName: String?, publicURL: String, now: Date) throws -> SeriesSave {
        try immediateWrite { db in
            if let id = absence.id, try Self.absence(db, id: id) == nil {
                return .refused([.error("base", "Cette indisponibilité n'existe plus.")])
            }
            let errors = absence.validate().errors
            guard errors.isEmpty else { return .refused(errors) }
            let zone = try absence.organisationID.map { try Self.organisationTimeZone(db, organisationID: $0) }
                ?? TimeZone(identifier: "Europe/Paris")!
            let recurrence = try absence.recurrence.map {
                String(decoding: try InterchangeWriter.recurrenceEncoder.encode($0), as: UTF8.self)
            }
            let endsAt = absence.recurrence?.until?.adding(days: 1)?.instant(at: .midnight, in: zone)
                .map { Int64($0.timeIntervalSince1970) }
            let epoch = Int64(now.timeIntervalSince1970)
            let values: [(any DatabaseValueConvertible)?] = [
                absence.title, absence.firstDay.description, absence.startTime.description,
                absence.endDay.description, absence.endTime.description, recurrence, endsAt, epoch,
            ]
            let versionBefore = try absence.id.flatMap { try Self.auditedRow(db, .absence, id: $0) }
            let id: Int64
            if let existing = absence.id {
                try db.execute(
                    sql: """
                        UPDATE absences SET title = ?, first_day = ?, start_time = ?, end_day = ?, end_time = ?,
                            recurrence = ?, recurrence_ends_at = ?, expired = 0, updated_at = ? WHERE id = ?
                        """, arguments: StatementArguments(values + [existing]))
                try Self.deleteOrphanedExceptions(db, column: "absence_id", id: existing, pattern: absence.pattern)
                id = existing
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO absences (title, first_day, start_time, end_day, end_time, recurrence,
                            recurrence_ends_at, updated_at, agent_id, organisation_id, created_at)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """, arguments: StatementArguments(values + [absence.agentID, absence.organisationID, epoch]))
                id = db.lastInsertedRowID
            }
            try Self.recordVersion(
                db, itemType: AuditedTable.absence.rawValue, itemID: id, before: versionBefore,
                after: try Self.auditedRow(db, .absence, id: id), author: authorName, organisationID: absence.organisationID,
                now: now)
            try Self.planSeriesNotifications(
                db, kind: .absence, id: id, change: absence.id == nil ? .created : .updated, authorName: authorName,
                instance: instance, publicURL: publicURL, now: now)
            return .saved(id: id)
        }
    }

    public func deleteAbsence(id: Int64, authorName: String?, publicURL: String, now: Date) throws -> Bool {
        try immediateWrite { db in
            guard try Self.absence(db, id: id) != nil else { return false }
            try Self.planSeriesNotifications(
                db, kind: .absence, id: id, change: .destroyed, authorName: authorName, instance: instance,
                publicURL: publicURL, now: now)
            try Self.audited(db, .absence, id: id, author: authorName, now: now) {
                try db.execute(sql: "DELETE FROM absences WHERE id = ?", arguments: [id])
            }
            return true
        }
    }
}
