import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence
import Testing

/// slots.md §6: the booking transaction re-checks the slot and never books one time twice.
@Suite("Booking", .serialized)
struct BookingTests {
    static let now = Date(timeIntervalSince1970: 1_619_762_400)  // Fri 2021-04-30 08:00 Paris
    static let tenOClock = Date(timeIntervalSince1970: 1_620_028_800)  // Mon 2021-05-03 10:00 Paris

    /// The contract example plus a second agent with the same Monday period.
    func makeDatabase(secondAgent: Bool) throws -> (AppDatabase, [String: Int64], URL) {
        let (db, directory) = try makeTestDatabase()
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        if secondAgent {
            var agent = document.agents[0]
            agent.ref = "a2"
            agent.email = "bob@example.fr"
            agent.password = nil
            agent.territorial_admin_of = nil
            document.agents.append(agent)
            var period = document.opening_periods[0]
            period.ref = "p2"
            period.agent = "a2"
            document.opening_periods.append(period)
        }
        let ids = try db.importDocument(document, clock: FixedClock(Self.now))
        return (db, ids, directory)
    }

    func request(_ ids: [String: Int64]) -> BookingRequest {
        BookingRequest(motifID: ids["m1"]!, placeID: ids["l1"]!, startsAt: Self.tenOClock, userIDs: [ids["u1"]!])
    }

    /// BookingPolicy: a motif for agents only cannot be booked by a user, though its slot is
    /// free; a prescriber may book an agents-and-prescribers motif, a user may not; an agent may.
    @Test func bookableByIsCheckedWhenBooking() throws {
        let (db, ids, directory) = try makeDatabase(secondAgent: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let random = RandomSource(SeededGenerator(seed: 3))
        try db.writer.write {
            try $0.execute(sql: "UPDATE motifs SET bookable_by = 'agents_and_prescripteurs' WHERE id = ?", arguments: [ids["m1"]!])
        }
        #expect(throws: BookingError.notBookable) {
            try db.book(request(ids), clock: FixedClock(Self.now), random: random)
        }
        var prescriber = request(ids)
        prescriber.createdByType = .prescripteur
        #expect(throws: Never.self) { try db.book(prescriber, clock: FixedClock(Self.now), random: random) }
        try db.writer.write {
            try $0.execute(sql: "UPDATE motifs SET bookable_by = 'agents' WHERE id = ?", arguments: [ids["m1"]!])
        }
        #expect(throws: BookingError.notBookable) { try db.book(prescriber, clock: FixedClock(Self.now), random: random) }
        var agent = request(ids)
        agent.createdByType = .agent
        #expect(throws: Never.self) { try db.book(agent, clock: FixedClock(Self.now), random: random) }
    }

    @Test func fiftyConcurrentBookingsOfOneSlotMakeExactlyOneAppointment() throws {
        let (db, ids, directory) = try makeDatabase(secondAgent: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        let request = request(ids)
        let random = RandomSource(SeededGenerator(seed: 1))
        let outcomes = OutcomeList()
        DispatchQueue.concurrentPerform(iterations: 50) { _ in
            do {
                _ = try db.book(request, clock: FixedClock(Self.now), random: random)
                outcomes.add("booked")
            } catch let error as BookingError {
                outcomes.add(error.description)
            } catch {
                outcomes.add("\(error)")
            }
        }
        #expect(outcomes.values.filter { $0 == "booked" }.count == 1)
        #expect(outcomes.values.filter { $0 == "Ce créneau n'est plus disponible" }.count == 49)
        let count = try db.writer.read {
            try Int.fetchOne(
                $0, sql: "SELECT count(*) FROM appointments WHERE starts_at = ?",
                arguments: [Int64(Self.tenOClock.timeIntervalSince1970)])
        }
        #expect(count == 1)
        // The notifications of the one booking were planned with it, once: e-mail and SMS to Jean,
        // and an e-mail to the agent (level "others": a change made by someone else).
        let planned = try db.writer.read {
            try String.fetchAll(
                $0,
                sql: """
                    SELECT kind || ' ' || json_extract(payload, '$.recipient') FROM outbox_messages
                    WHERE idempotency_key LIKE 'rdv_created:%' ORDER BY 1
                    """)
        }
        #expect(planned == ["email agent@example.fr", "email jean@example.fr", "sms +33612345678"])
    }

    @Test func twoFreeAgentsTakeOneBookingEachThenTheSlotIsGone() throws {
        let (db, ids, directory) = try makeDatabase(secondAgent: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let random = RandomSource(SeededGenerator(seed: 7))
        let first = try db.book(request(ids), clock: FixedClock(Self.now), random: random)
        let second = try db.book(request(ids), clock: FixedClock(Self.now), random: random)
        // a1 already has r1 that day, so the least busy agent, a2, gets the first booking
        #expect(first.agentID == ids["a2"])
        #expect(second.agentID == ids["a1"])
        #expect(throws: BookingError.slotTaken) {
            try db.book(request(ids), clock: FixedClock(Self.now), random: random)
        }
    }

    @Test(arguments: [false, true])
    func aFollowUpMotifIsBookedOnlyWithTheUsersReferent(hasReferent: Bool) throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try InterchangeDecoding.decode(data)
        document.motifs[0].follow_up = true
        if !hasReferent { document.referents = [] }
        let ids = try db.importDocument(document, clock: FixedClock(Self.now))
        if hasReferent {
            #expect(try db.book(request(ids), clock: FixedClock(Self.now), random: .system()).agentID == ids["a1"])
        } else {
            #expect(throws: BookingError.slotTaken) {
                try db.book(request(ids), clock: FixedClock(Self.now), random: .system())
            }
        }
    }

    @Test func aBookingOutsideTheWindowOrOffTheGridIsRefused() throws {
        let (db, ids, directory) = try makeDatabase(secondAgent: false)
        defer { try? FileManager.default.removeItem(at: directory) }
        var off = request(ids)
        off.startsAt = Self.tenOClock.addingTimeInterval(5 * 60)  // 10:05 is not a slot start
        #expect(throws: BookingError.slotTaken) { try db.book(off, clock: FixedClock(Self.now), random: .system()) }
        var taken = request(ids)
        taken.startsAt = Self.tenOClock.addingTimeInterval(-3600)  // 09:00 is r1's
        #expect(throws: BookingError.slotTaken) { try db.book(taken, clock: FixedClock(Self.now), random: .system()) }
    }
}

final class OutcomeList: @unchecked Sendable {
    private let lock = NSLock()
    private var list: [String] = []
    func add(_ value: String) {
        lock.lock()
        list.append(value)
        lock.unlock()
    }
    var values: [String] {
        lock.lock()
        defer { lock.unlock() }
        return list
    }
}
