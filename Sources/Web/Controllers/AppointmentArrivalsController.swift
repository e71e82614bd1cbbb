import Domain
import Foundation
import HTTP
import Persistence

/// « L'usager est arrivé » (booking.md §1.5 « Salle d'attente »): an `unknown` appointment of
/// today only.
struct AppointmentArrivalsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try AppointmentsController.record(db, exchange, agent, AppointmentPolicy.show)
        let zone = record.timeZone
        guard record.status == .unknown, LocalDate(record.startsAt, in: zone) == LocalDate(clock.now, in: zone) else {
            throw WebError.badRequest
        }
        try db.recordArrival(appointmentID: record.id, author: .agent(agent.account.id), now: clock.now, publicURL: publicURL)
        sessions.setFlash(.rdvArrivalRecorded, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .rdv(id: record.id)))
    }
}
