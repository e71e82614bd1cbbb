import Domain
import Foundation
import Testing

@Suite("Collective slots (slots.md §8)")
struct CollectiveSlotsTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    static func at(_ hours: Double) -> Date { now.addingTimeInterval(hours * 3600) }

    static let appointments:
        [(
            id: Int64, startsAt: Date, endsAt: Date, placeID: Int64?, title: String?, maxParticipants: Int?,
            usersCount: Int
        )] = [
            (1, at(48), at(49.5), 7, "Atelier massage bébé", 8, 5),  // 3 seats left
            (2, at(24), at(25), 7, "Atelier complet", 4, 4),  // full
            (3, at(-2), at(-1), 7, "Passé", 8, 0),  // started
            (4, at(2500), at(2501), 7, "Trop loin", nil, 12),  // beyond the window, unlimited
            (5, at(72), at(73), 7, "Sans limite", nil, 30),
        ]

    @Test func usersSeeUpcomingOnesWithSeatsInTheirWindow() {
        // Given a booking window from now + 30 min to now + 3 months
        let window = DateInterval(start: Self.at(0.5), end: Self.at(2190))
        // When listing the collective slots for a user
        let slots = SlotEngine.collectiveSlots(Self.appointments, now: Self.now, userWindow: window)
        // Then full, past and out-of-window ones are gone, and the rest is ordered by start
        #expect(slots.map(\.appointmentID) == [1, 5])
        #expect(slots.map(\.seatsLabel) == ["3 places restantes", nil])
    }

    @Test func agentsSeeEveryUpcomingOneFullOrNot() {
        let slots = SlotEngine.collectiveSlots(Self.appointments, now: Self.now, userWindow: nil)
        #expect(slots.map(\.appointmentID) == [2, 1, 5, 4])
        #expect(slots.first?.seatsLabel == "Complet")
    }
}
