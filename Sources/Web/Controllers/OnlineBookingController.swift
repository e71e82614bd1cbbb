import Domain
import Foundation
import HTTP
import Persistence

/// « Réservation en ligne » of « Configuration » (admin.md §2): organisation admins
/// (`OrganisationPolicy.update`, permissions.md §2 "online booking page").
struct OnlineBookingController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let publicURL: String

    func show(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(OrganisationPolicy.update(agent.principal, organisationID: organisationID))
        guard let organisation = agent.memberships.first(where: { $0.id == organisationID }) else {
            throw WebError.noAccess
        }
        let motifs = try db.onlineBookingMotifs(
            organisationID: organisationID, today: try db.today(organisationID: organisationID, now: clock.now),
            now: clock.now)
        return try responses.page(
            OnlineBookingPage.load(organisation: organisation, motifs: motifs, publicURL: publicURL),
            layout: agent.layout(exchange))
    }
}
