import Domain
import Foundation
import GRDB
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// booking.md §8 on the contract's example document: Jean Dupont books « Consultation » on
/// Monday 17 May 2021 at 09:00 (17 days after the clock's Fri 30 April, 08:00 Paris) and asks to
/// be told of an earlier slot; Monday 3 May at 10:00 is free.
@Suite("Waiting list")
struct WaitingListTests {
    static let may17 = ISO8601.parse("2021-05-17T09:00:00+02:00")!

    func booked(_ c: UserBookingTests.Context) throws -> Int64 {
        let made = try c.db.book(
            BookingRequest(
                motifID: c.ids["m1"]!, placeID: c.ids["l1"]!, startsAt: Self.may17, userIDs: [c.ids["u1"]!],
                createdByType: .user),
            clock: c.clock, random: RandomSource(SystemRandomNumberGenerator()))
        return made.appointmentID
    }

    func signIn(_ c: UserBookingTests.Context) throws {
        c.browser.cookies[Cookies.session] = try c.db.createUserSession(
            userID: c.ids["u1"]!, method: "email_code", ip: nil, userAgent: nil, now: c.clock.now)
    }

    func offers(_ c: UserBookingTests.Context) throws -> [String] {
        try c.db.writer.read { db in
            try String.fetchAll(
                db,
                sql: """
                    SELECT json_extract(payload, '$.channel') || ' ' || date(due_at, 'unixepoch')
                    FROM outbox_messages WHERE json_extract(payload, '$.event') = 'new_creneau_available' ORDER BY id
                    """)
        }
    }

    @Test func theOfferIsOnTheAppointmentPageAndTheJobTellsOncePerDayThreeTimes() throws {
        try UserBookingTests().withBooking { c in
            let id = try booked(c)
            try signIn(c)
            let page = try c.browser.request("GET", "/users/rdvs/\(id)")
            #expect(page.text.contains(">Être prévenu si un créneau se libère plus tôt</button>"))
            let joined = try c.post("/users/rdvs/\(id)/file_attente", page, [])
            #expect(joined.status == 303)
            let again = try c.browser.request("GET", "/users/rdvs/\(id)")
            #expect(again.text.contains("Vous êtes sur la liste d'attente"))
            #expect(again.text.contains(">Ne plus être prévenu</button>"))

            // 08:00 Paris: before 09:00, nothing; the next run is planned 10 minutes on.
            #expect(try c.db.runWaitingList(now: c.clock.now) == 0)
            let nextRun = try c.db.writer.read { db in
                try String.fetchAll(
                    db, sql: "SELECT idempotency_key FROM outbox_messages WHERE kind = 'job' AND status = 'pending'")
            }
            #expect(nextRun == ["job:waiting_list:\(Int64(c.clock.now.timeIntervalSince1970) + 600)"])
            c.clock.advance(by: 3600)  // 09:00
            #expect(try c.db.runWaitingList(now: c.clock.now) == 1)
            c.clock.advance(by: 600)  // 09:10, the same day: not twice
            #expect(try c.db.runWaitingList(now: c.clock.now) == 0)
            for _ in 0..<3 {
                c.clock.advance(by: 86_400)
                _ = try c.db.runWaitingList(now: c.clock.now)
            }
            // E-mail and SMS, on 3 days only (30 April, 1 and 2 May).
            #expect(try offers(c) == [
                "mail 2021-04-30", "sms 2021-04-30", "mail 2021-05-01", "sms 2021-05-01", "mail 2021-05-02", "sms 2021-05-02",
            ])
        }
    }

    /// A move made after the offer leaves the list and is « File d'attente »'s doing; a page
    /// for an appointment 7 days away or less makes no offer.
    @Test func aMoveAfterTheOfferLeavesTheListWithItsOrigin() throws {
        try UserBookingTests().withBooking { c in
            let id = try booked(c)
            try c.db.joinWaitingList(appointmentID: id, userID: c.ids["u1"]!, now: c.clock.now)
            c.clock.advance(by: 3600)
            #expect(try c.db.runWaitingList(now: c.clock.now) == 1)
            try c.db.rescheduleByUser(
                appointmentID: id, to: ISO8601.parse("2021-05-03T10:00:00+02:00")!, userID: c.ids["u1"]!,
                random: RandomSource(SystemRandomNumberGenerator()), now: c.clock.now, publicURL: "http://localhost")
            let row = try #require(
                try c.db.writer.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT created_by_type, (SELECT count(*) FROM waiting_list_entries) AS entries
                            FROM appointments WHERE id = ?
                            """, arguments: [id])
                })
            #expect(row["created_by_type"] == "FileAttente")
            #expect(row["entries"] == 0)
            try signIn(c)
            let page = try c.browser.request("GET", "/users/rdvs/\(id)")
            #expect(!page.text.contains("Être prévenu si un créneau se libère plus tôt"))
        }
    }

    /// A cancelled appointment's entry goes at the next run, before anything is sent.
    @Test func aCancelledAppointmentLeavesTheList() throws {
        try UserBookingTests().withBooking { c in
            let id = try booked(c)
            try c.db.joinWaitingList(appointmentID: id, userID: c.ids["u1"]!, now: c.clock.now)
            try c.db.changeAppointmentStatus(
                appointmentID: id, to: .excused, author: .user(c.ids["u1"]!), now: c.clock.now,
                publicURL: "http://localhost")
            c.clock.advance(by: 3600)
            #expect(try c.db.runWaitingList(now: c.clock.now) == 0)
            let entries = try c.db.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM waiting_list_entries") }
            #expect(entries == 0)
            #expect(try offers(c) == [])
        }
    }
}
