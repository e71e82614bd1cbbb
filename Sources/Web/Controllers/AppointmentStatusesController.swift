import Domain
import Foundation
import HTTP
import Persistence

/// The status dropdown of the appointment page (booking.md §1.5, domain.md §9 transitions):
/// `changeAppointmentStatus` plans what the change sends in the same transaction.
struct AppointmentStatusesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try AppointmentsController.record(db, exchange, agent, AppointmentPolicy.show)
        guard let status = exchange.form["status"].flatMap(AppointmentStatus.init(rawValue:)) else {
            throw WebError.badRequest
        }
        do {
            try db.changeAppointmentStatus(
                appointmentID: record.id, to: status, author: .agent(agent.account.id), now: clock.now,
                publicURL: publicURL)
        } catch AppointmentChangeError.statusNotAllowed {
            throw WebError.badRequest
        }
        sessions.setFlash(.rdvStatusChanged, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .rdv(id: record.id)))
    }
}
