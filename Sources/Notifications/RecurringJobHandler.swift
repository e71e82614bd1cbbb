import Foundation
import Logging
import Persistence

/// A `job` row: a recurring job run by the scheduler like a message is sent, with its claim,
/// lease and retries; each run plans the next (booking.md §8: the waiting list every 10 minutes).
public struct RecurringJobHandler: OutboxHandler {
    let db: AppDatabase
    let publicURL: String
    let logger: Logger

    public init(db: AppDatabase, publicURL: String, logger: Logger = Logger(label: "rdv.jobs")) {
        self.db = db
        self.publicURL = publicURL
        self.logger = logger
    }

    public func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
        guard let object = try? JSONSerialization.jsonObject(with: Data(message.payload.utf8)) as? [String: Any],
            let job = object["job"] as? String
        else { return .failedPermanently("job without a name", nil) }
        do {
            switch job {
            case "waiting_list":
                try db.runWaitingList(now: now, publicURL: publicURL)
                return .sent(nil)
            case let name:
                guard let daily = DailyJob(rawValue: name) else { return .failedPermanently("unknown job \(job)", nil) }
                let counts = try db.runDailyJob(daily, now: now)
                // booking.md §11: each run logged with its counts (no personal data: only numbers).
                logger.notice(
                    "job done", metadata: ["job": "\(name)", "counts": "\(counts.sorted { $0.key < $1.key })"])
                return .sent(nil)
            }
        } catch {
            return .failed("\(error)", nil)
        }
    }
}
