import Domain
import Foundation
import GRDB
import Synchronization

/// A source of randomness shared across threads (slots.md §6: ties broken at random, seeded in tests).
public final class RandomSource: Sendable {
    private let generator: Mutex<any RandomNumberGenerator & Sendable>

    public init(_ generator: some RandomNumberGenerator & Sendable) {
        self.generator = Mutex(generator)
    }

    public static func system() -> RandomSource { RandomSource(SystemRandomNumberGenerator()) }

    func withGenerator<T>(_ body: (inout any RandomNumberGenerator & Sendable) -> T) -> T {
        generator.withLock { body(&$0) }
    }
}

/// A booking of a slot (slots.md §6).
public struct BookingRequest: Sendable {
    public var motifID: Int64
    public var placeID: Int64?
    public var startsAt: Date
    public var userIDs: [Int64]
    /// Agents allowed to take it (follow-up referents, sectorisation, or the agent's own choice).
    public var agents: Set<Int64>?
    /// `User`, `Prescripteur` or `Agent` (domain.md §9); users and prescribers get the booking window.
    public var createdByType: CreatorType
    /// The search carried a valid `rdv_invitation_token` (permissions.md §3).
    public var invited = false
    /// domain.md §9 `created_by_id`: the signed-in user who booked (maybe for a relative).
    public var createdByID: Int64?

    public init(
        motifID: Int64, placeID: Int64?, startsAt: Date, userIDs: [Int64], agents: Set<Int64>? = nil,
        createdByType: CreatorType = .user
    ) {
        self.motifID = motifID
        self.placeID = placeID
        self.startsAt = startsAt
        self.userIDs = userIDs
        self.agents = agents
        self.createdByType = createdByType
    }
}

public enum BookingError: Error, Equatable, CustomStringConvertible {
    case slotTaken
    case unknownMotif
    case placeRequired
    /// The motif's `bookable_by` excludes this kind of booker (BookingPolicy).
    case notBookable

    public var description: String {
        switch self {
        case .notBookable: "Ce motif ne peut pas être réservé de cette façon"
        case .slotTaken: "Ce créneau n'est plus disponible"
        case .unknownMotif: "Ce motif n'existe pas"
        case .placeRequired: "Un lieu est nécessaire pour ce motif"
        }
    }
}

public struct Booking: Sendable, Equatable {
    public let appointmentID: Int64
    public let agentID: Int64
    public let placeID: Int64?
}

extension AppDatabase {
    /// slots.md §6 in one IMMEDIATE transaction (the write lock is taken before the re-check, so
    /// two concurrent bookings cannot both get the last free agent): recompute the slots of that
    /// day, keep those starting exactly at the chosen time, pick the least busy agent, insert.
    public func book(
        _ request: BookingRequest, clock: any Clock, random: RandomSource,
        publicURL: String? = nil
    ) throws -> Booking {
        let publicURL = publicURL ?? instance.publicURL
        return try immediateWrite { db in
            let made = try Self.book(db, request, now: clock.now, random: random)
            // notifications.md §2: the confirmation is planned in the booking's transaction.
            try Self.planNotifications(
                db, event: .rdvCreated, appointmentID: made.appointmentID,
                author: Self.bookingAuthor(request, agentID: made.agentID), instance: instance, publicURL: publicURL,
                now: clock.now)
            try Self.planAppointmentWebhooks(
                db, appointmentID: made.appointmentID, event: .created, publicURL: publicURL, now: clock.now)
            return made
        }
    }

    static func bookingAuthor(_ request: BookingRequest, agentID: Int64) -> NotificationAuthor {
        switch request.createdByType {
        case .agent: .agent(request.agents?.first ?? agentID)
        case .prescripteur: .prescriber
        case .user, .fileAttente: .user(request.userIDs.first ?? 0)
        }
    }

    static func book(_ db: Database, _ request: BookingRequest, now: Date, random: RandomSource) throws -> Booking {
        guard let motif = try slotMotif(db, id: request.motifID) else { throw BookingError.unknownMotif }
        if LocationType(rawValue: motif.locationType) == .publicOffice && request.placeID == nil {
            throw BookingError.placeRequired
        }
        let day = LocalDate(request.startsAt, in: motif.timeZone)
        guard var range = SlotEngine.dayRange(from: day, through: day, timeZone: motif.timeZone) else {
            throw BookingError.slotTaken
        }
        let booker = request.createdByType
        guard BookingPolicy.mayBook(BookableBy(rawValue: motif.bookableBy) ?? .agents, as: booker, invited: request.invited)
        else { throw BookingError.notBookable }
        guard
            let window = BookingPolicy.window(
                range, for: booker, now: now, minDelay: motif.minPublicBookingDelay,
                maxDelay: motif.maxPublicBookingDelay)
        else { throw BookingError.slotTaken }
        range = window
        var agents = request.agents
        if BookingPolicy.restrictsToReferents(followUp: motif.followUp, booker: booker) {
            let placeholders = Array(repeating: "?", count: request.userIDs.count).joined(separator: ",")
            let referents = Set(
                try Int64.fetchAll(
                    db, sql: "SELECT agent_id FROM referents WHERE user_id IN (\(placeholders))",
                    arguments: StatementArguments(request.userIDs)))
            agents = agents.map { $0.intersection(referents) } ?? referents
            if agents?.isEmpty ?? true { throw BookingError.slotTaken }
        }
        let inputs = try slotInputs(db, motif: motif, placeID: request.placeID, agents: agents, range: range)
        let slots = SlotEngine.availableSlots(
            durationInMinutes: motif.durationInMinutes, periods: inputs.periods, absences: inputs.absences,
            appointments: inputs.appointments, range: range, now: now, territory: motif.territory
        ).filter { $0.startsAt == request.startsAt && (request.placeID == nil || $0.placeID == request.placeID) }
        guard let firstSlot = slots.first else { throw BookingError.slotTaken }
        let candidates = Array(Set(slots.map(\.agentID))).sorted()
        let counts = try appointmentCounts(db, agents: candidates, day: day, timeZone: motif.timeZone)
        let agent = random.withGenerator { generator in
            SlotEngine.pickAgent(candidates, appointmentsThatDay: counts, using: &generator)
        }
        guard let agent else { throw BookingError.slotTaken }
        let placeID = slots.first { $0.agentID == agent }?.placeID ?? firstSlot.placeID
        let id = try insertAppointment(
            db, motif: motif, placeID: placeID, startsAt: request.startsAt, agentID: agent, userIDs: request.userIDs,
            createdByType: request.createdByType,
            author: try versionAuthor(db, bookingAuthor(request, agentID: agent)), now: now)
        if let author = request.createdByID {
            try db.execute(sql: "UPDATE appointments SET created_by_id = ? WHERE id = ?", arguments: [author, id])
            try db.execute(sql: "UPDATE participations SET created_by_id = ? WHERE appointment_id = ?", arguments: [author, id])
        }
        return Booking(appointmentID: id, agentID: agent, placeID: placeID)
    }

    /// Non-cancelled appointments of each agent starting that local day, all organisations (§6).
    static func appointmentCounts(_ db: Database, agents: [Int64], day: LocalDate, timeZone: TimeZone) throws -> [Int64:
        Int]
    {
        guard let range = SlotEngine.dayRange(from: day, through: day, timeZone: timeZone), !agents.isEmpty else {
            return [:]
        }
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT agent_id, count(*) AS n FROM appointment_agents
                WHERE agent_id IN (\(agents.map(String.init).joined(separator: ","))) AND starts_at >= ? AND starts_at < ?
                  AND status IN ('unknown', 'seen', 'noshow')
                GROUP BY agent_id
                """, arguments: [Int64(range.start.timeIntervalSince1970), Int64(range.end.timeIntervalSince1970)])
        return Dictionary(uniqueKeysWithValues: rows.map { ($0["agent_id"] as Int64, $0["n"] as Int) })
    }

    static func insertAppointment(
        _ db: Database, motif: SlotMotif, placeID: Int64?, startsAt: Date, agentID: Int64, userIDs: [Int64],
        createdByType: CreatorType, author: String?, now: Date
    ) throws -> Int64 {
        let starts = Int64(startsAt.timeIntervalSince1970)
        let ends = starts + Int64(motif.durationInMinutes) * 60
        try db.execute(
            sql: """
                INSERT INTO appointments (uuid, organisation_id, motif_id, collectif, location_type, place_id, starts_at, ends_at,
                                          status, users_count, created_by_type, created_at, updated_at)
                VALUES (?, ?, ?, 0, ?, ?, ?, ?, 'unknown', ?, ?, ?, ?)
                """,
            arguments: [
                UUID().uuidString.lowercased(), motif.organisationID, motif.id, motif.locationType, placeID, starts,
                ends,
                userIDs.count, createdByType.rawValue, Int64(now.timeIntervalSince1970), Int64(now.timeIntervalSince1970),
            ])
        let id = db.lastInsertedRowID
        try auditCreated(db, .appointment, id: id, author: author, now: now)
        try db.execute(
            sql:
                "INSERT INTO appointment_agents (appointment_id, agent_id, starts_at, ends_at, status) VALUES (?, ?, ?, ?, 'unknown')",
            arguments: [id, agentID, starts, ends])
        for user in userIDs {
            try db.execute(
                sql: """
                    INSERT INTO participations (appointment_id, user_id, status, send_lifecycle_notifications,
                                                send_reminder_notification, created_by_type)
                    VALUES (?, ?, 'unknown', ?, ?, ?)
                    """, arguments: [id, user, motif.notifiesByDefault, motif.notifiesByDefault, createdByType.rawValue])
            try auditCreated(
                db, .participation, id: db.lastInsertedRowID, author: author, organisationID: motif.organisationID, now: now)
            try linkFamilyProfiles(db, userID: user, organisationID: motif.organisationID, author: author, now: now)
        }
        // notifications.md §4: the reminder is planned with the appointment.
        try planReminder(
            db, appointmentID: id, startsAt: startsAt, timeZone: motif.timeZone,
            departementNumber: motif.territory.departementNumber,
            whitMondayIsHoliday: motif.territory.whitMondayIsHoliday,
            now: now)
        return id
    }
}
