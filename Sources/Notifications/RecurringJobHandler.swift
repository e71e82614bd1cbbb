import Foundation
import Persistence

/// A `job` row: a recurring job run by the scheduler like a message is sent, with its claim,
/// lease and retries; each run plans the next (booking.md §8: the waiting list every 10 minutes).
public struct RecurringJobHandler: OutboxHandler {
    let db: AppDatabase
    let publicURL: String

    public init(db: AppDatabase, publicURL: String) {
        self.db = db
        self.publicURL = publicURL
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
            default:
                return .failedPermanently("unknown job \(job)", nil)
            }
        } catch {
            return .failed("\(error)", nil)
        }
    }
}
