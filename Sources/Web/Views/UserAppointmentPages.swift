import Domain
import Foundation
import Persistence

/// One line of « Mes rendez-vous ».
public struct UserAppointmentItem: Sendable, Equatable {
    public let path: String
    public let motifName: String
    public let when: String
    public let whenISO: String
    public let whereLabel: String
    public let forNames: String
    public let statusLabel: String?

    init(_ appointment: UserAppointment) {
        path = SiteURL.users(.rdv(id: appointment.id)).path
        motifName = appointment.collectiveName.map { "\(appointment.motifName) : \($0)" } ?? appointment.motifName
        when = AppointmentFormat.long(appointment.rules.startsAt, in: appointment.timeZone)
        whenISO = AppointmentFormat.iso(appointment.rules.startsAt, in: appointment.timeZone)
        whereLabel = appointment.placeName ?? PublicSearch.locationLabels[appointment.locationType] ?? ""
        forNames = appointment.participantNames.joined(separator: ", ")
        statusLabel = UserAppointmentPage.statusLabel(appointment.rules)
    }
}

/// `user_rdvs/index`: « Mes rendez-vous », upcoming then past, for self and relatives.
public struct UserAppointmentsPage: PageModel, Equatable {
    public static let template = "user_rdvs/index"
    public let upcoming: [UserAppointmentItem]
    public let past: [UserAppointmentItem]
    public let hasUpcoming: Bool
    public let hasPast: Bool
    public let searchPath = SiteURL.publicSearch.path

    static func load(_ appointments: [UserAppointment], now: Date) -> UserAppointmentsPage {
        let upcoming = appointments.filter { $0.endsAt > now }
        let past = appointments.filter { $0.endsAt <= now }.reversed()
        return UserAppointmentsPage(
            upcoming: upcoming.map(UserAppointmentItem.init), past: past.map(UserAppointmentItem.init),
            hasUpcoming: !upcoming.isEmpty, hasPast: !past.isEmpty)
    }
}

/// `user_rdvs/show`: one appointment as its participant sees it, with what they may do
/// (booking.md §7, permissions.md §3).
public struct UserAppointmentPage: PageModel, Equatable {
    public static let template = "user_rdvs/show"
    public let item: UserAppointmentItem
    public let duration: String
    public let serviceName: String
    public let organisationName: String
    public let placeName: String?
    public let placeAddress: String?
    public let locationLabel: String
    public let instruction: String?
    public let allowedActions: String?
    public let questionsPhone: String?
    /// « Annuler le rendez-vous », when allowed now.
    public let cancelPath: String?
    /// « Déplacer le rendez-vous », when allowed now.
    public let movePath: String?
    public let cancelWarning: String?
    /// Past the limits: « Pour annuler ou modifier ce rendez-vous, appelez le <phone> ».
    public let callToChange: String?
    /// booking.md §8: the waiting list's form, when it may be offered.
    public let waitingList: WaitingList?
    public let listPath = SiteURL.users(.rdvs).path

    public struct WaitingList: Sendable, Equatable {
        public let formPath: String
        /// Already on it: the page says so and offers to leave it.
        public let isOn: Bool
    }

    static func statusLabel(_ rules: UserAppointmentView) -> String? {
        switch rules.status {
        case .excused, .revoked: "Annulé"
        case .seen: "Honoré"
        case .noshow: "Absence"
        case .unknown: rules.ownParticipationStatus?.isCancelled == true ? "Inscription annulée" : nil
        }
    }

    static func load(_ appointment: UserAppointment, onWaitingList: Bool = false, now: Date) -> UserAppointmentPage {
        let rules = appointment.rules
        let phone = appointment.phone.flatMap { $0.isEmpty ? nil : $0 }
        let mayCancel = UserAppointmentPolicy.mayCancel(rules, now: now)
        let mayMove = UserAppointmentPolicy.mayReschedule(rules, now: now)
        let isOver = appointment.endsAt <= now || rules.status.isCancelled
        return UserAppointmentPage(
            item: UserAppointmentItem(appointment),
            duration: NotificationFormat.duration(
                minutes: Int(appointment.endsAt.timeIntervalSince(rules.startsAt) / 60)),
            serviceName: appointment.serviceName, organisationName: appointment.organisationName,
            placeName: appointment.placeName, placeAddress: appointment.placeAddress,
            locationLabel: PublicSearch.locationLabels[appointment.locationType] ?? "",
            instruction: appointment.instruction.flatMap { $0.isEmpty ? nil : $0 },
            allowedActions: isOver ? nil : UserAppointmentPolicy.allowedActionsSentence(rules),
            questionsPhone: isOver ? nil : phone,
            cancelPath: mayCancel ? SiteURL.users(.rdvCancel(id: appointment.id)).path : nil,
            movePath: mayMove ? SiteURL.users(.rdvMove(id: appointment.id)).path : nil,
            cancelWarning: appointment.cancelWarning.flatMap { $0.isEmpty ? nil : $0 },
            callToChange: !isOver && !mayCancel && !mayMove
                ? phone.map { "Pour annuler ou modifier ce rendez-vous, appelez le \($0)." } : nil,
            waitingList: UserAppointmentPolicy.mayJoinWaitingList(rules, now: now)
                ? WaitingList(formPath: SiteURL.users(.rdvWaitingList(id: appointment.id)).path, isOn: onWaitingList)
                : nil)
    }
}

/// `user_rdvs/cancel`: the confirmation of a cancellation, with the motif's warning (booking.md
/// §7 « the user's cancel dialog »), as a page so it works without JavaScript.
public struct UserAppointmentCancelPage: PageModel, Equatable {
    public static let template = "user_rdvs/cancel"
    public let item: UserAppointmentItem
    public let cancelPath: String
    public let cancelWarning: String?

    init(_ appointment: UserAppointment) {
        item = UserAppointmentItem(appointment)
        cancelPath = SiteURL.users(.rdvCancel(id: appointment.id)).path
        cancelWarning = appointment.cancelWarning.flatMap { $0.isEmpty ? nil : $0 }
    }
}

/// `user_rdvs/reschedule`: « Déplacer le rendez-vous » (booking.md §7): the week's free starts
/// for the same motif and place, each a link to its confirmation on the same page.
public struct UserReschedulePage: PageModel, Equatable {
    public static let template = "user_rdvs/reschedule"

    public struct Day: Sendable, Equatable {
        public let label: String
        public let slots: [PublicSearchPage.SlotLink]
        public let isEmpty: Bool
    }

    public let item: UserAppointmentItem
    public let days: [Day]
    public let previousPath: String?
    public let nextPath: String
    public let isEmpty: Bool
    /// The chosen start, with the form that moves the appointment there.
    public let chosen: Chosen?
    public let showPath: String

    public struct Chosen: Sendable, Equatable {
        public let when: String
        public let iso: String
        public let formPath: String
    }
}
