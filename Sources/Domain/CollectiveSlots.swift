import Foundation

/// A collective appointment offered as a slot (slots.md §8).
public struct CollectiveSlot: Sendable, Equatable {
    public let appointmentID: Int64
    public let startsAt: Date
    public let endsAt: Date
    public let placeID: Int64?
    public let title: String?
    /// nil: unlimited seats.
    public let seatsLeft: Int?

    public init(appointmentID: Int64, startsAt: Date, endsAt: Date, placeID: Int64?, title: String?, seatsLeft: Int?) {
        self.appointmentID = appointmentID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.placeID = placeID
        self.title = title
        self.seatsLeft = seatsLeft
    }

    /// « 3 places restantes », « Complet » (slots.md §8).
    public var seatsLabel: String? {
        guard let seatsLeft else { return nil }
        switch seatsLeft {
        case ...0: return "Complet"
        case 1: return "1 place restante"
        default: return "\(seatsLeft) places restantes"
        }
    }
}

extension SlotEngine {
    /// slots.md §8: the motif's collective appointments (not revoked) that start in the future
    /// and, for users (`window` given, the booking window), have seats left and start inside the
    /// window. Agents see every upcoming one, full or not. Ordered by start.
    public static func collectiveSlots(
        _ appointments: [(
            id: Int64, startsAt: Date, endsAt: Date, placeID: Int64?, title: String?, maxParticipants: Int?,
            usersCount: Int
        )],
        now: Date, userWindow window: DateInterval?
    ) -> [CollectiveSlot] {
        appointments.compactMap { a in
            let seats = a.maxParticipants.map { $0 - a.usersCount }
            guard a.startsAt > now else { return nil }
            if let window {
                guard window.start <= a.startsAt, a.startsAt < window.end, seats.map({ $0 > 0 }) ?? true else {
                    return nil
                }
            }
            return CollectiveSlot(
                appointmentID: a.id, startsAt: a.startsAt, endsAt: a.endsAt, placeID: a.placeID, title: a.title,
                seatsLeft: seats)
        }.sorted { ($0.startsAt, $0.appointmentID) < ($1.startsAt, $1.appointmentID) }
    }
}
