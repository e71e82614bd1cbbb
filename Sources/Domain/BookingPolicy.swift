import Foundation

/// Who may book a motif, and when (slots.md §5, §10, §11; permissions.md §3, §5): one rule for
/// the availability API and for the booking itself, so a slot offered can be booked and a
/// slot not offered cannot.
public enum BookingPolicy {
    /// `bookable_by` against the booker: agents book any motif of their organisation (their
    /// own policy decides which); prescribers every motif open beyond agents; users `everyone`
    /// motifs, or invitation motifs with a valid invitation.
    public static func mayBook(_ bookableBy: BookableBy, as booker: CreatorType, invited: Bool = false) -> Bool {
        switch booker {
        case .agent: true
        case .prescripteur: bookableBy != .agents
        case .user, .fileAttente:
            bookableBy == .everyone || (bookableBy == .agentsAndPrescripteursAndInvitedUsers && invited)
        }
    }

    /// The part of `requested` this booker may book in: everything for agents; for the others
    /// the booking window [now + min delay, now + max delay) of slots.md §10. nil = nothing.
    public static func window(
        _ requested: DateInterval, for booker: CreatorType, now: Date, minDelay: Int, maxDelay: Int
    ) -> DateInterval? {
        booker == .agent
            ? requested : SlotEngine.userRange(requested: requested, now: now, minDelay: minDelay, maxDelay: maxDelay)
    }

    /// slots.md §5: a follow-up motif booked by anyone but an agent is held by the user's
    /// referents only.
    public static func restrictsToReferents(followUp: Bool, booker: CreatorType) -> Bool {
        followUp && booker != .agent
    }
}
