import Domain
import Foundation
import GRDB
import Notifications
import Testing

@_spi(RawDatabase) @testable import Persistence

/// contracts.md §2: under `RDV_NOW` the development outbox and the receipts are dated by the
/// process clock, not by SQLite's wall clock.
@Suite("Development outbox and receipts follow the process clock")
struct DevOutboxClockTests {
    @Test func aDevMessageAndItsReceiptCarryTheClocksInstant() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // Monday 7 December 2026, 08:30 in Paris: years away from the machine's date.
        let now = Date(timeIntervalSince1970: 1_796_628_600)
        try db.planMails(
            [
                PlannedMail(
                    event: .userArrived, recipient: nil, address: "alice@example.fr", subject: "Arrivée", text: "Arrivée",
                    html: "<p>Arrivée</p>", idempotencyKey: "user_arrived:1")
            ], now: now)
        let message = try #require(try db.claimDueMessages(now: now, kinds: ["email"]).first)
        let result = DevMessageHandler(db: db).handle(message, now: now)
        let sent: DeliveryReceipt? = if case .sent(let receipt) = result { receipt } else { nil }
        try db.markSent(message, now: now, receipt: try #require(sent))
        let dates = try db.writer.read { db in
            (
                try Int64.fetchOne(db, sql: "SELECT created_at FROM dev_outbox_messages"),
                try Int64.fetchOne(db, sql: "SELECT created_at FROM receipts")
            )
        }
        #expect(dates.0 == 1_796_628_600)
        #expect(dates.1 == 1_796_628_600)
    }
}
