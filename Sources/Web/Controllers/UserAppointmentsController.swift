import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Mes rendez-vous » (booking.md §2.2, §7; permissions.md §3): `GET /users/rdvs`, `GET
/// /users/rdvs/<id>`, `GET/POST /users/rdvs/<id>/cancel`,. A signed-in user only: others go to the code sign-in and come
/// back. An appointment outside the household is absent (404).
/// Who acts on the users' side: a signed-in user for their household, or a token link's
/// session for its one appointment (permissions.md §3–§4).
enum UserActor: Sendable {
    case account(UserAccount)
    case token(userID: Int64, appointmentID: Int64)

    var userID: Int64 {
        switch self {
        case .account(let user): user.id
        case .token(let userID, _): userID
        }
    }
}

struct UserAppointmentsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let publicURL: String
    let responses: PageResponses
    /// slots.md §6: the least-busy free agent at the new start, ties broken at random.
    let random = RandomSource.system()

    func index(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        // A token session cannot list appointments: it sees its own.
        if case .token(_, let appointmentID) = user { return responses.redirect(.users(.rdv(id: appointmentID))) }
        let appointments = try db.userAppointments(household: try household(user))
        return try responses.page(UserAppointmentsPage.load(appointments, now: clock.now), layout: layout(exchange))
    }

    func show(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        let onWaitingList = try db.isOnWaitingList(appointmentID: appointment.id, household: try household(user))
        return try responses.page(
            UserAppointmentPage.load(appointment, onWaitingList: onWaitingList, now: clock.now), layout: layout(exchange))
    }

    /// « Être prévenu si un créneau se libère plus tôt » (booking.md §8), for the household's
    /// participant; `DELETE` leaves the list.
    func joinWaitingList(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        guard UserAppointmentPolicy.mayJoinWaitingList(appointment.rules, now: clock.now),
            let participant = appointment.rules.participantIDs.intersection(try household(user)).min()
        else { throw WebError.forbidden }
        try db.joinWaitingList(appointmentID: appointment.id, userID: participant, now: clock.now)
        sessions.setFlash(.waitingListJoined, &exchange)
        return responses.redirect(.users(.rdv(id: appointment.id)))
    }

    func leaveWaitingList(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        try db.leaveWaitingList(appointmentID: appointment.id, household: try household(user))
        sessions.setFlash(.waitingListLeft, &exchange)
        return responses.redirect(.users(.rdv(id: appointment.id)))
    }

    func confirmCancel(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        guard mayCancel(appointment) else { return responses.redirect(.users(.rdv(id: appointment.id))) }
        return try responses.page(UserAppointmentCancelPage(appointment), layout: layout(exchange))
    }

    /// `excused` (« à la demande de l'usager »): `rdv_cancelled` goes out and the reminder and
    /// waiting-list entries go, in the status change's transaction (booking.md §7).
    func cancel(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        guard mayCancel(appointment) else { throw WebError.forbidden }
        if appointment.rules.collectif {
            // The own seat only: the household's participant in it.
            try db.cancelOwnParticipation(
                appointmentID: appointment.id, household: try household(user), now: clock.now, publicURL: publicURL)
        } else {
            try db.changeAppointmentStatus(
                appointmentID: appointment.id, to: .excused, author: .user(user.userID), now: clock.now,
                publicURL: publicURL)
        }
        exchange.context.logger.notice("user cancelled", metadata: ["rdv": "\(appointment.id)"])
        sessions.setFlash(.rdvCancelledByUser, &exchange)
        return responses.redirect(.users(.rdv(id: appointment.id)))
    }

    /// « Déplacer le rendez-vous » (booking.md §7): the week from `date` (today at the
    /// earliest) of the same motif and place; `starts_at` shows the chosen one's button.
    func reschedule(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        let now = clock.now
        guard UserAppointmentPolicy.mayReschedule(appointment.rules, now: now),
            let motif = try db.slotMotif(id: appointment.motifID)
        else { return responses.redirect(.users(.rdv(id: appointment.id))) }
        let zone = motif.timeZone
        let today = LocalDate(now, in: zone)
        let start = max(exchange.query["date"].flatMap(LocalDate.init) ?? today, today)
        let end = start.adding(days: 6) ?? start
        let query = SlotQuery(motif: motif, placeID: appointment.placeID, agents: nil, agentMode: false)
        let found = try SlotSearch(db: db, clock: clock).slots(query, from: start, to: end)
            .filter { $0.startsAt != appointment.rules.startsAt }
        let base = SiteURL.users(.rdvMove(id: appointment.id))
        let days = start.through(end).map { day in
            let slots = found.filter { LocalDate($0.startsAt, in: zone) == day }.map { slot in
                let time = NotificationFormat.time(slot.startsAt, in: zone)
                let iso = AppointmentFormat.iso(slot.startsAt, in: zone)
                return PublicSearchPage.SlotLink(
                    time: time, iso: iso,
                    path: base.path(pairs: [("date", start.description), ("starts_at", iso)]),
                    name: "\(NotificationFormat.mailDay(day)) à \(time)")
            }
            let heading = NotificationFormat.weekdayAndDay(day)
            return UserReschedulePage.Day(
                label: heading.weekday.capitalizedFirst + " " + heading.day, slots: slots, isEmpty: slots.isEmpty)
        }
        // The chosen start is checked on its own day, whatever week is shown.
        var chosen: UserReschedulePage.Chosen?
        if let wanted = exchange.query["starts_at"].flatMap(PublicSlotRequest.instant), wanted != appointment.rules.startsAt {
            let day = LocalDate(wanted, in: zone)
            if try SlotSearch(db: db, clock: clock).slots(query, from: day, to: day).contains(where: { $0.startsAt == wanted }) {
                chosen = .init(
                    when: AppointmentFormat.long(wanted, in: zone), iso: AppointmentFormat.iso(wanted, in: zone),
                    formPath: base.path)
            }
        }
        let page = UserReschedulePage(
            item: UserAppointmentItem(appointment), days: days,
            previousPath: start > today ? base.path(pairs: [("date", (start.adding(days: -7) ?? today).description)]) : nil,
            nextPath: base.path(pairs: [("date", (start.adding(days: 7) ?? start).description)]),
            isEmpty: found.isEmpty, chosen: chosen, showPath: SiteURL.users(.rdv(id: appointment.id)).path)
        return try responses.page(page, layout: layout(exchange))
    }

    func move(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        guard UserAppointmentPolicy.mayReschedule(appointment.rules, now: clock.now) else { throw WebError.forbidden }
        guard let startsAt = exchange.form["starts_at"].flatMap(PublicSlotRequest.instant) else {
            throw WebError.badRequest
        }
        do {
            try db.rescheduleByUser(
                appointmentID: appointment.id, to: startsAt, userID: user.userID, random: random, now: clock.now,
                publicURL: publicURL)
        } catch BookingError.slotTaken {
            sessions.setFlash(.slotGone, &exchange)
            return responses.redirect(.users(.rdvMove(id: appointment.id)))
        }
        exchange.context.logger.notice("user rescheduled", metadata: ["rdv": "\(appointment.id)"])
        sessions.setFlash(.rdvMovedByUser, &exchange)
        return responses.redirect(.users(.rdv(id: appointment.id)))
    }

    private func mayCancel(_ appointment: UserAppointment) -> Bool {
        UserAppointmentPolicy.mayCancel(appointment.rules, now: clock.now)
    }

    private func household(_ user: UserActor) throws -> Set<Int64> {
        switch user {
        case .account(let account): Set(try db.household(userID: account.id)?.everyone.map(\.id) ?? [])
        case .token(let userID, _): [userID]
        }
    }

    private func appointment(_ exchange: Exchange, _ user: UserActor) throws -> UserAppointment {
        let id = exchange.parameters.id("id")
        if case .token(_, let appointmentID) = user, appointmentID != id { throw WebError.notFound }
        guard let found = try db.userAppointment(id: id, household: try household(user)) else {
            throw WebError.notFound
        }
        return found
    }

    private func layout(_ exchange: Exchange) -> LayoutModel {
        var layout = exchange.layout
        layout.accountMenu = [.init(label: "Mes rendez-vous", path: SiteURL.users(.rdvs).path, isCurrent: true)]
        return layout
    }
}
