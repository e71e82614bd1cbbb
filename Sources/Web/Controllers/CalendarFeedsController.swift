import Domain
import Foundation
import HTTP
import Persistence

/// `GET /calendrier/<calendar_uid>.ics` (notifications.md §10): unknown uid → 404.
struct CalendarFeedsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let publicURL: String

    func show(_ exchange: inout Exchange) throws -> HTTPResponse {
        let now = clock.now
        guard let feed = try db.agentCalendarFeed(calendarUID: exchange.parameters.string("uid"), now: now) else {
            throw WebError.notFound
        }
        let document = AgentCalendarFeed.document(
            entries: feed.entries, settings: NotificationSettings(publicURL: publicURL, timeZone: feed.timeZone),
            now: now)
        return HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300"],
            body: .bytes(Array(document.utf8)))
    }
}
