import Domain
import Foundation
import GRDB
@_spi(RawDatabase) import Persistence

// `make bench-slots`: times the slot searches and bookings of slots.md §12 on a database seeded
// with `rdv seed --scale departement`, in process (release build), and prints p50/p99.
// Usage: SlotBench DATABASE MIGRATIONS_DIR [ITERATIONS]

struct SystemClock: Clock {
    var now: Date { Date() }
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func measure(_ name: String, iterations: Int, _ body: (Int) throws -> Int) rethrows -> String {
    var times: [Double] = []
    var results = 0
    for i in 0..<iterations {
        let start = ContinuousClock.now
        results += try body(i)
        let elapsed = ContinuousClock.now - start
        times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
    }
    return
        "| \(name) | \(iterations) | \(String(format: "%.2f", percentile(times, 0.5))) | \(String(format: "%.2f", percentile(times, 0.99))) | \(results / iterations) |"
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: SlotBench DATABASE MIGRATIONS_DIR [ITERATIONS]\n".utf8))
    exit(2)
}
let iterations = arguments.count > 3 ? Int(arguments[3]) ?? 200 : 200
let db = try AppDatabase(path: arguments[1], migrations: MigrationSet(directory: URL(fileURLWithPath: arguments[2])))
let clock = SystemClock()

// The busiest "everyone" public-office motif group: one motif per organisation.
let motifIDs = try db.writer.read { conn in
    try Int64.fetchAll(
        conn,
        sql: """
            SELECT id FROM motifs WHERE name = 'Consultation pédiatrique' AND deleted_at IS NULL ORDER BY organisation_id
            """)
}
let places = try db.writer.read { conn in
    try Row.fetchAll(conn, sql: "SELECT id, organisation_id FROM places ORDER BY id").map {
        ($0["organisation_id"] as Int64, $0["id"] as Int64)
    }
}
let motifs = try motifIDs.compactMap { try db.slotMotif(id: $0) }
guard let firstMotif = motifs.first else {
    print("no seeded motif found: run rdv seed --scale departement first")
    exit(1)
}
let zone = firstMotif.timeZone
let today = LocalDate(clock.now, in: zone)
let week = SlotEngine.dayRange(from: today.adding(days: 1)!, through: today.adding(days: 7)!, timeZone: zone)!

func userSlots(_ motif: SlotMotif, place: Int64, range: DateInterval) throws -> [Slot] {
    guard
        let window = SlotEngine.userRange(
            requested: range, now: clock.now, minDelay: motif.minPublicBookingDelay,
            maxDelay: motif.maxPublicBookingDelay)
    else { return [] }
    let inputs = try db.slotInputs(motif: motif, placeID: place, agents: nil, range: window)
    return SlotEngine.oneSlotPerStart(
        SlotEngine.availableSlots(
            durationInMinutes: motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: window, now: clock.now, territory: motif.territory))
}

var rows: [String] = []
// 1. A user's 7-day list for one motif at one place (slots.md §12: ≤ 50 ms p95; issue #5: p99 < 20 ms).
rows.append(
    try measure("user search, one motif, one place, 7 days", iterations: iterations) { i in
        let motif = motifs[i % motifs.count]
        let place = places.first { $0.0 == motif.organisationID }!.1
        return try userSlots(motif, place: place, range: week).count
    })
// 2. The same across the whole département: every organisation's motif of the group, every place.
rows.append(
    try measure("user search, motif group, whole département, 7 days", iterations: max(10, iterations / 10)) { _ in
        var total = 0
        for motif in motifs {
            for (organisation, place) in places where organisation == motif.organisationID {
                total += try userSlots(motif, place: place, range: week).count
            }
        }
        return total
    })
// 3. « Trouver un RDV »: agent mode, no agent filter, 7 days (§7: ≤ 150 ms p95).
rows.append(
    try measure("agent search, one motif, 7 days", iterations: iterations) { i in
        let motif = motifs[i % motifs.count]
        let place = places.first { $0.0 == motif.organisationID }!.1
        let inputs = try db.slotInputs(motif: motif, placeID: place, agents: nil, range: week)
        return SlotEngine.oneSlotPerStartAndAgent(
            SlotEngine.availableSlots(
                durationInMinutes: motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
                appointments: inputs.appointments, range: week, now: clock.now, territory: motif.territory)
        ).count
    })
// 4. Next availability over 3 months (issue #5: p99 < 50 ms).
rows.append(
    measure("next availability, 3 months", iterations: iterations) { i in
        let motif = motifs[i % motifs.count]
        let place = places.first { $0.0 == motif.organisationID }!.1
        let to = clock.now.addingTimeInterval(92 * 86_400)
        let slot = SlotEngine.nextAvailability(from: clock.now, to: to) { window in
            (try? userSlots(motif, place: place, range: window)) ?? []
        }
        return slot == nil ? 0 : 1
    })

// 5. A burst of bookings: take the first free slots of every motif, one booking each, timed.
let users = try db.writer.read {
    try Int64.fetchAll($0, sql: "SELECT id FROM users WHERE responsible_id IS NULL LIMIT 2000")
}
var pending: [BookingRequest] = []
for motif in motifs {
    for (organisation, place) in places where organisation == motif.organisationID {
        for slot in try userSlots(motif, place: place, range: week).prefix(40) {
            pending.append(
                BookingRequest(
                    motifID: motif.id, placeID: place, startsAt: slot.startsAt,
                    userIDs: [users[pending.count % users.count]]))
        }
    }
}
let requests = pending
let lastSeededAppointment = try db.writer.read { try Int64.fetchOne($0, sql: "SELECT max(id) FROM appointments") ?? 0 }
let random = RandomSource.system()
let burstStart = ContinuousClock.now

final class Counters: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var booked = 0
    private(set) var refused = 0
    func add(booked yes: Bool) {
        lock.lock()
        if yes { booked += 1 } else { refused += 1 }
        lock.unlock()
    }
}
let counters = Counters()
// Two threads book the same list concurrently: every slot is requested twice.
DispatchQueue.concurrentPerform(iterations: 2) { _ in
    for request in requests {
        do {
            _ = try db.book(request, clock: clock, random: random)
            counters.add(booked: true)
        } catch {
            counters.add(booked: false)
        }
    }
}
let burstSeconds =
    Double((ContinuousClock.now - burstStart).components.attoseconds) / 1e18
    + Double((ContinuousClock.now - burstStart).components.seconds)
let doubles = try db.writer.read { conn in
    try Int.fetchOne(
        conn,
        sql: """
            SELECT count(*) FROM appointment_agents b JOIN appointment_agents a
              ON a.agent_id = b.agent_id AND a.appointment_id <> b.appointment_id
             AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at
             AND a.status IN ('unknown','seen','noshow') AND b.status IN ('unknown','seen','noshow')
            WHERE b.appointment_id > ?
            """, arguments: [lastSeededAppointment]) ?? -1
}

print("| query | runs | p50 (ms) | p99 (ms) | results per run |")
print("| --- | ---: | ---: | ---: | ---: |")
for row in rows { print(row) }
print("")
print(
    "bookings: \(counters.booked) made, \(counters.refused) refused as taken, \(requests.count * 2) attempts by 2 threads in \(String(format: "%.2f", burstSeconds)) s = \(String(format: "%.0f", Double(requests.count * 2) / burstSeconds)) attempts/s, \(String(format: "%.0f", Double(counters.booked) / burstSeconds)) bookings/s; double bookings (a new appointment overlapping another of its agent): \(doubles)"
)
