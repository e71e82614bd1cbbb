import Foundation

extension Appointment {
    /// The outcome of an agent's status change (domain.md §9 "Transitions").
    public struct StatusChange: Sendable, Equatable {
        public var appointment: Appointment
        public var participations: [Participation]
        /// `rdv_created` when an excused/revoked appointment goes back to `unknown`;
        /// `rdv_cancelled` when it becomes excused or revoked; nil otherwise.
        public var userNotification: NotificationEvent?
        /// Going to excused/revoked deletes waiting-list entries and cancels the planned reminder.
        public var cancelsReminderAndWaitingList: Bool
        /// Going back to `unknown` plans the reminder again (notifications.md §4).
        public var plansReminder: Bool
    }

    /// Applies the transition table of domain.md §9: `cancelled_at` and the propagation to the
    /// participations. Returns nil for a status a collective appointment may not take.
    public func changingStatus(
        to newStatus: AppointmentStatus, collectif: Bool, participations: [Participation], now: Date
    ) -> StatusChange? {
        guard AppointmentStatus.allowed(collectif: collectif).contains(newStatus) else { return nil }
        var appointment = self
        appointment.status = newStatus
        appointment.cancelledAt = newStatus == .unknown || newStatus == .seen ? nil : now
        let updated = participations.map { participation -> Participation in
            var participation = participation
            participation.status = Self.propagated(newStatus, onto: participation.status)
            return participation
        }
        appointment.usersCount = updated.filter { !$0.status.isCancelled }.count
        let notification: NotificationEvent? =
            switch newStatus {
            case .unknown: status.isCancelled ? .rdvCreated : nil
            case .excused, .revoked: .rdvCancelled
            case .seen, .noshow: nil
            }
        return StatusChange(
            appointment: appointment, participations: updated, userNotification: notification,
            cancelsReminderAndWaitingList: newStatus.isCancelled, plansReminder: newStatus == .unknown)
    }

    /// One participation's status after the appointment goes to `newStatus` (domain.md §9):
    /// `unknown` resets all; `seen`/`noshow` change the `unknown` ones; excused/revoked change
    /// the non-cancelled ones.
    static func propagated(_ newStatus: AppointmentStatus, onto current: AppointmentStatus) -> AppointmentStatus {
        switch newStatus {
        case .unknown: .unknown
        case .seen, .noshow: current == .unknown ? newStatus : current
        case .excused, .revoked: current.isCancelled ? current : newStatus
        }
    }

    /// domain.md §9 "Status derived from participations", after any participation change.
    /// `hasStarted`: the appointment's start is past (collective rule).
    public static func derivedStatus(
        from statuses: [AppointmentStatus], collectif: Bool, current: AppointmentStatus, hasStarted: Bool
    ) -> AppointmentStatus {
        guard !statuses.isEmpty else { return current }
        if statuses.contains(.seen) { return .seen }
        if collectif {
            return hasStarted && !statuses.contains(.unknown) ? .revoked : current
        }
        for uniform in [AppointmentStatus.excused, .revoked, .noshow] where statuses.allSatisfy({ $0 == uniform }) {
            return uniform
        }
        return .unknown
    }
}
