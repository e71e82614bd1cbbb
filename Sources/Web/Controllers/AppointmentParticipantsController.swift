import Domain
import Foundation
import HTTP
import Persistence

/// The participants of an appointment (booking.md §1.5 "Participants can be added or
/// removed"): POST adds a user found by the edit page's search, DELETE removes one.
struct AppointmentParticipantsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let publicURL: String

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try change(&exchange, agent, flash: .rdvParticipantAdded) { record, userID in
            try db.addParticipant(
                appointmentID: record.id, userID: userID, agentID: agent.account.id, now: clock.now, publicURL: publicURL)
        }
    }

    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try change(&exchange, agent, flash: .rdvParticipantRemoved) { record, userID in
            try db.removeParticipant(
                appointmentID: record.id, userID: userID, agentID: agent.account.id, now: clock.now, publicURL: publicURL)
        }
    }

    /// Back to the edit page, where the participants are managed; a refused change (last
    /// participant, unknown user) is a 422 with the edit page and the message.
    private func change(
        _ exchange: inout Exchange, _ agent: AgentContext, flash: FlashMessage,
        _ body: (AppointmentPageRecord, Int64) throws -> Void
    ) throws -> HTTPResponse {
        let record = try AppointmentsController.record(db, exchange, agent, AppointmentPolicy.show)
        guard let userID = exchange.form["user_id"].flatMap({ Int64($0) }) else { throw WebError.badRequest }
        do {
            try body(record, userID)
        } catch let error as AppointmentParticipantError {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let page = try AppointmentEditPage.load(
                db: db, record: record,
                choices: try AppointmentEditPage.agentChoices(db: db, record: record, principal: agent.principal),
                form: nil, issues: [], userSearch: nil, participantError: error.description, now: clock.now)
            return try responses.page(page, layout: layout, status: HTTPStatus(422))
        }
        sessions.setFlash(flash, &exchange)
        return responses.redirect(.organisation(id: record.organisationID, .editRdv(id: record.id)))
    }
}
