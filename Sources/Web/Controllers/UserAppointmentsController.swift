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

    func index(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        // A token session cannot list appointments: it sees its own.
        if case .token(_, let appointmentID) = user { return responses.redirect(.users(.rdv(id: appointmentID))) }
        let appointments = try db.userAppointments(household: try household(user))
        return try responses.page(UserAppointmentsPage.load(appointments, now: clock.now), layout: layout(exchange))
    }

    func show(_ exchange: inout Exchange, _ user: UserActor) throws -> HTTPResponse {
        let appointment = try appointment(exchange, user)
        return try responses.page(UserAppointmentPage.load(appointment, now: clock.now), layout: layout(exchange))
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
