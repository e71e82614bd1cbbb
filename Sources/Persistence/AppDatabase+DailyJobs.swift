import Domain
import Foundation
import GRDB

/// The nightly jobs of booking.md §11: `job` outbox rows like the waiting list's, each run at its Paris time once the
/// process clock passes it (so `RDV_NOW` drives them), each idempotent, each planning the next
/// in the transaction of its work.
public enum DailyJob: String, Sendable, CaseIterable {
    case retention = "retention"
    case oldOpeningPeriods = "old_opening_periods"
    case versions = "versions_retention"
    case apiCalls = "api_calls_retention"
    case receipts = "receipts_blanking"
    case expirations = "expirations"

    /// booking.md §11 times, Europe/Paris.
    public var time: TimeOfDay {
        switch self {
        case .retention: TimeOfDay(hour: 22, minute: 0)!
        case .oldOpeningPeriods: TimeOfDay(hour: 22, minute: 30)!
        case .versions: TimeOfDay(hour: 23, minute: 0)!
        case .apiCalls: TimeOfDay(hour: 23, minute: 30)!
        case .receipts: TimeOfDay(hour: 23, minute: 45)!
        case .expirations: TimeOfDay(hour: 3, minute: 30)!
        }
    }

    static let zone = TimeZone(identifier: "Europe/Paris")!

    /// The first of its times strictly after `now`.
    func nextRun(after now: Date) -> Date {
        let today = LocalDate(now, in: Self.zone)
        for day in [today, today.adding(days: 1), today.adding(days: 2)] {
            if let day, let instant = day.instant(at: time, in: Self.zone), instant > now { return instant }
        }
        return now.addingTimeInterval(86_400)
    }
}

extension AppDatabase {
    static let year: TimeInterval = 365 * 86_400

    static func planDailyJob(_ db: Database, _ job: DailyJob, after now: Date) throws {
        let next = job.nextRun(after: now)
        try insertOutboxRow(
            db, kind: waitingListJobKind, payload: #"{"job":"\#(job.rawValue)"}"#,
            key: "job:\(job.rawValue):\(Int64(next.timeIntervalSince1970))", appointmentID: nil, dueAt: next)
    }

    /// At start-up: each job without a pending run gets its next one (a stopped instance resumes).
    public func ensureDailyJobs(now: Date) throws {
        try writer.write { db in
            for job in DailyJob.allCases {
                let pending = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM outbox_messages WHERE kind = ? AND status IN ('pending', 'in_flight')
                        AND json_extract(payload, '$.job') = ?
                        """, arguments: [Self.waitingListJobKind, job.rawValue]) ?? false
                if !pending { try Self.planDailyJob(db, job, after: now) }
            }
        }
    }

    /// One run: its rows changed, by what, for the log and the job dashboard; the next run is
    /// planned in the same transaction.
    @discardableResult
    public func runDailyJob(_ job: DailyJob, now: Date) throws -> [String: Int] {
        try immediateWrite { db in
            let epoch = Self.epoch(now)
            let yearAgo = epoch - Int64(Self.year)
            var counts: [String: Int] = [:]
            func run(_ name: String, _ sql: String, _ arguments: StatementArguments) throws {
                try db.execute(sql: sql, arguments: arguments)
                counts[name] = db.changesCount
            }
            switch job {
            case .retention:
                counts = try Self.retention(db, now: now, instance: instance)
            case .oldOpeningPeriods:
                // Their last occurrence ended ≥ 1 year ago: a single day's end (local time, compared
                // as `YYYY-MM-DD HH:MM` text), or the recurrence's end.
                let local = ISO8601.format(now.addingTimeInterval(-Self.year), in: DailyJob.zone).prefix(16)
                try run(
                    "opening_periods",
                    """
                    DELETE FROM opening_periods WHERE (recurrence IS NULL AND first_day || ' ' || end_time <= ?)
                        OR (recurrence_ends_at IS NOT NULL AND recurrence_ends_at <= ?)
                    """, [local.replacingOccurrences(of: "T", with: " "), yearAgo])
            case .versions:
                try run(
                    "personal_versions_deleted",
                    """
                    DELETE FROM versions WHERE created_at < ?
                        AND item_type IN ('User', 'UserProfile', 'Appointment', 'Participation', 'Referent')
                    """, [yearAgo])
                try run(
                    "authors_removed", "UPDATE versions SET author = NULL WHERE created_at < ? AND author IS NOT NULL",
                    [yearAgo])
                try run("old_versions_deleted", "DELETE FROM versions WHERE created_at < ?", [epoch - 5 * Int64(Self.year)])
            case .apiCalls:
                try run("api_calls", "DELETE FROM api_calls WHERE called_at < ?", [yearAgo])
            case .receipts:
                let halfYearAgo = epoch - Int64(Self.year / 2)
                try run(
                    "receipts",
                    """
                    UPDATE receipts SET sms_phone_number = NULL, email_address = NULL, content = NULL, error_message = NULL,
                        updated_at = ?
                    WHERE created_at < ? AND (sms_phone_number IS NOT NULL OR email_address IS NOT NULL
                        OR content IS NOT NULL OR error_message IS NOT NULL)
                    """, [epoch, halfYearAgo])
            case .expirations:
                // Over: a single series' last day is past, a recurrence's end has passed.
                let today = LocalDate(now, in: DailyJob.zone).description
                for (table, lastDay) in [("opening_periods", "first_day"), ("absences", "end_day")] {
                    try run(
                        table,
                        """
                        UPDATE \(table) SET expired = new.value FROM (
                            SELECT id, CASE WHEN recurrence IS NULL THEN \(lastDay) < ?
                                            ELSE coalesce(recurrence_ends_at <= ?, 0) END AS value FROM \(table)) new
                        WHERE new.id = \(table).id AND \(table).expired <> new.value
                        """, [today, epoch])
                }
            }
            try Self.planDailyJob(db, job, after: now)
            return counts
        }
    }
}
