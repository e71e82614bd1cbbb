import Domain
import Foundation
import Testing

@Suite("Appointment statuses and transitions (domain.md §9)")
struct AppointmentStatusTests {
    private let now = instant("2026-06-01T10:00:00+02:00")
    private let participations: [Participation] = [
        .make(id: 1, userID: 1, status: .unknown), .make(id: 2, userID: 2, status: .excused),
        .make(id: 3, userID: 3, status: .seen),
    ]

    @Test(arguments: [
        (AppointmentStatus.unknown, [AppointmentStatus.unknown, .unknown, .unknown], NotificationEvent?.none, false),
        (.seen, [.seen, .excused, .seen], nil, false),
        (.noshow, [.noshow, .excused, .seen], nil, true),
        (.excused, [.excused, .excused, .excused], .rdvCancelled, true),
        (.revoked, [.revoked, .excused, .revoked], .rdvCancelled, true),
    ])
    func transitionsPropagateToParticipations(
        to status: AppointmentStatus, expected: [AppointmentStatus], notification: NotificationEvent?,
        setsCancelledAt: Bool
    ) throws {
        // Given an individual appointment in `unknown` with mixed participations
        let appointment = Appointment.make()
        // When
        let change = try #require(
            appointment.changingStatus(to: status, collectif: false, participations: participations, now: now))
        // Then
        #expect(change.appointment.status == status)
        #expect(change.participations.map(\.status) == expected)
        #expect(change.userNotification == notification)
        #expect(change.appointment.cancelledAt == (setsCancelledAt ? now : nil))
        #expect(change.cancelsReminderAndWaitingList == status.isCancelled)
    }

    @Test func resettingACancelledAppointmentNotifiesAgain() throws {
        // Given S35: an appointment revoked by an agent
        var appointment = Appointment.make(status: .revoked)
        appointment.cancelledAt = now
        // When
        let change = try #require(
            appointment.changingStatus(to: .unknown, collectif: false, participations: participations, now: now))
        // Then
        #expect(change.userNotification == .rdvCreated)
        #expect(change.appointment.cancelledAt == nil)
        #expect(change.plansReminder)
        #expect(change.appointment.usersCount == 3)
    }

    @Test func aCollectiveAppointmentRefusesExcusedAndNoshow() {
        let appointment = Appointment.make(name: "Atelier")
        #expect(appointment.changingStatus(to: .excused, collectif: true, participations: [], now: now) == nil)
        #expect(appointment.changingStatus(to: .noshow, collectif: true, participations: [], now: now) == nil)
        #expect(appointment.changingStatus(to: .revoked, collectif: true, participations: [], now: now) != nil)
    }

    @Test(arguments: [
        ([AppointmentStatus.excused, .seen], AppointmentStatus.seen),
        ([.excused, .excused], .excused),
        ([.revoked, .revoked], .revoked),
        ([.noshow, .noshow], .noshow),
        ([.excused, .revoked], .unknown),
        ([.noshow, .unknown], .unknown),
    ])
    func individualStatusDerivesFromParticipations(statuses: [AppointmentStatus], expected: AppointmentStatus) {
        #expect(
            Appointment.derivedStatus(from: statuses, collectif: false, current: .unknown, hasStarted: false)
                == expected)
    }

    @Test func collectiveStatusDerivesOnceStarted() {
        let allCancelled: [AppointmentStatus] = [.excused, .revoked]
        #expect(
            Appointment.derivedStatus(from: allCancelled, collectif: true, current: .unknown, hasStarted: true)
                == .revoked)
        #expect(
            Appointment.derivedStatus(from: allCancelled, collectif: true, current: .unknown, hasStarted: false)
                == .unknown)
        #expect(
            Appointment.derivedStatus(from: [.excused, .unknown], collectif: true, current: .unknown, hasStarted: true)
                == .unknown)
        #expect(
            Appointment.derivedStatus(from: [.excused, .seen], collectif: true, current: .unknown, hasStarted: true)
                == .seen)
    }

    @Test(arguments: [
        (AppointmentStatus.unknown, "2026-06-02", "Rendez-vous à venir"),
        (.unknown, "2026-06-01", "Rendez-vous aujourd'hui"),
        (.unknown, "2026-05-31", "À renseigner"),
        (.seen, "2026-05-31", "Rendez-vous honoré"),
        (.excused, "2026-05-31", "Annulé (excusé)"),
        (.revoked, "2026-05-31", "Annulé (par le service)"),
        (.noshow, "2026-05-31", "Absence non excusée"),
    ])
    func labels(status: AppointmentStatus, day: String, label: String) {
        #expect(status.label(day: ymd(day), today: ymd("2026-06-01")) == label)
    }

    @Test func onlyExcusedAndRevokedAreCancelled() {
        #expect(AppointmentStatus.allCases.filter(\.isCancelled) == [.excused, .revoked])
        #expect(AppointmentStatus.allCases.filter(\.blocksTime) == [.unknown, .seen, .noshow])
    }
}
