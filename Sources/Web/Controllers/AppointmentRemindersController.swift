import Domain
import Foundation
import HTTP
import Persistence

/// « Envoyer un rappel » (notifications.md §4): the reminder goes now.
struct AppointmentRemindersController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let record = try AppointmentsController.record(db, exchange, agent, AppointmentPolicy.show)
        let planned: Int
        do {
            planned = try db.sendReminderNow(
                appointmentID: record.id, author: .agent(agent.account.id), now: clock.now, publicURL: publicURL)
        } catch AppointmentChangeError.reminderNotAllowed {
            // The button is only offered for an upcoming, non-cancelled appointment.
            throw WebError.badRequest
        }
        sessions.setFlash(planned > 0 ? .rdvReminderSent : .rdvReminderNobody, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .rdv(id: record.id)))
    }
}
