import Foundation

/// What the user-side rules need to know of one appointment (permissions.md §3, booking.md §7).
public struct UserAppointmentView: Sendable, Equatable {
    public let startsAt: Date
    public let status: AppointmentStatus
    public let collectif: Bool
    public let motifVisibility: String
    public let cancellableByUser: Bool
    public let editableByUser: Bool
    public let bookableBy: BookableBy
    public let createdByType: CreatorType
    public let locationType: LocationType
    /// The participants (user ids) and the signed-in user's household (self and relatives).
    public let participantIDs: Set<Int64>
    /// The household member's own participation status (a collective's own seat).
    public let ownParticipationStatus: AppointmentStatus?

    public init(
        startsAt: Date, status: AppointmentStatus, collectif: Bool, motifVisibility: String, cancellableByUser: Bool,
        editableByUser: Bool, bookableBy: BookableBy, createdByType: CreatorType, locationType: LocationType,
        participantIDs: Set<Int64>, ownParticipationStatus: AppointmentStatus?
    ) {
        self.startsAt = startsAt
        self.status = status
        self.collectif = collectif
        self.motifVisibility = motifVisibility
        self.cancellableByUser = cancellableByUser
        self.editableByUser = editableByUser
        self.bookableBy = bookableBy
        self.createdByType = createdByType
        self.locationType = locationType
        self.participantIDs = participantIDs
        self.ownParticipationStatus = ownParticipationStatus
    }

    var isCancelled: Bool { status.isCancelled }
}

/// permissions.md §3: what a signed-in user may do with an appointment of their household.
public enum UserAppointmentPolicy {
    /// booking.md §7: « au moins 4 heures avant ».
    public static let cancelNotice: TimeInterval = 4 * 3600
    /// booking.md §7: « jusqu'à 48 heures avant ».
    public static let rescheduleNotice: TimeInterval = 48 * 3600

    /// List and show: a participant is self or a relative, and the motif is not `invisible`.
    public static func mayShow(_ a: UserAppointmentView, household: Set<Int64>) -> Bool {
        a.motifVisibility != "invisible" && !a.participantIDs.isDisjoint(with: household)
    }

    /// *Cancellable by user*: not cancelled, the motif allows it, `starts_at ≥ now + 4 h`; for
    /// a collective, the own participation is not cancelled either.
    public static func mayCancel(_ a: UserAppointmentView, now: Date) -> Bool {
        guard !a.isCancelled, a.cancellableByUser, a.startsAt >= now.addingTimeInterval(cancelNotice) else { return false }
        if a.collectif { return a.ownParticipationStatus.map { !$0.isCancelled } ?? false }
        return true
    }

    /// *Editable by user*: individual, not cancelled, the motif allows it, `starts_at > now + 48 h`,
    /// motif open to users (everyone or invited users), not created by an agent.
    public static func mayReschedule(_ a: UserAppointmentView, now: Date) -> Bool {
        !a.collectif && !a.isCancelled && a.editableByUser && a.startsAt > now.addingTimeInterval(rescheduleNotice)
            && (a.bookableBy == .everyone || a.bookableBy == .agentsAndPrescripteursAndInvitedUsers)
            && a.createdByType != .agent
    }

    /// booking.md §8: « Être prévenu si un créneau se libère plus tôt » is offered more than 7
    /// days ahead.
    public static let waitingListNotice: TimeInterval = 7 * 86_400

    /// booking.md §8: individual, not cancelled, more than 7 days away, editable by the user,
    /// the motif open to everyone and neither at home nor by phone.
    public static func mayJoinWaitingList(_ a: UserAppointmentView, now: Date) -> Bool {
        mayReschedule(a, now: now) && a.bookableBy == .everyone && a.locationType != .home && a.locationType != .phone
            && a.startsAt > now.addingTimeInterval(waitingListNotice)
    }

    /// booking.md §7: the sentence that says what may be done online, from the motif's rules
    /// (not from the time left: the sentence is the same in the confirmation e-mail).
    public static func allowedActionsSentence(_ a: UserAppointmentView) -> String? {
        let cancel = a.cancellableByUser
        let move =
            !a.collectif && a.editableByUser && a.createdByType != .agent
            && (a.bookableBy == .everyone || a.bookableBy == .agentsAndPrescripteursAndInvitedUsers)
        switch (cancel, move) {
        case (true, true):
            return "Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant, et le déplacer jusqu'à 48 heures avant."
        case (true, false): return "Vous pouvez annuler ce rendez-vous en ligne jusqu'à 4 heures avant."
        case (false, true): return "Vous pouvez déplacer ce rendez-vous en ligne jusqu'à 48 heures avant."
        case (false, false): return nil
        }
    }
}
