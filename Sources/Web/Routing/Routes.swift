import Domain
import HTTP
import Persistence

/// The route table: every address the site answers, its group, and its action per method.
/// Adding a page is one row here, one controller action, one view model, one template.
extension WebApplication {
    static func routes(_ c: Controllers) -> RouteTable {
        RouteTable([
            Route(SiteURL.Pattern.health, .health, actions: ["GET": RouteAction { _ in .text("ok") }]),
            Route(SiteURL.Pattern.home, .page, actions: ["GET": RouteAction(c.home)]),
            Route(SiteURL.Pattern.agentSignIn, .page, actions: [
                "GET": RouteAction { try c.agentSessions.new(&$0) },
                "POST": RouteAction { try c.agentSessions.create(&$0) },
            ]),
            Route(SiteURL.Pattern.agentSignOut, .page, actions: ["DELETE": RouteAction { try c.agentSessions.destroy(&$0) }]),
            Route(SiteURL.Pattern.agentHome, .page, actions: ["GET": c.signedIn { try c.agentHome.show(&$0, $1) }]),
            Route(SiteURL.Pattern.organisation, .page, actions: ["GET": c.signedIn { try c.agentHome.show(&$0, $1) }]),
            Route(SiteURL.Pattern.devOutbox, .page, actions: ["GET": c.signedIn { try c.devOutbox.index(&$0, $1) }]),
            Route(SiteURL.Pattern.calendarFeed, .feed, actions: ["GET": RouteAction { try c.calendarFeeds.show(&$0) }]),
            Route(SiteURL.Pattern.apiSlots, .api, actions: ["GET": RouteAction { try c.availability.slots($0) }]),
            Route(SiteURL.Pattern.apiNextAvailability, .api, actions: [
                "GET": RouteAction { try c.availability.nextAvailability($0) }
            ]),
            Route(SiteURL.Pattern.favicon, .asset, actions: ["GET": RouteAction(c.asset)]),
        ] + SiteURL.Pattern.assets.map { Route($0, .asset, actions: ["GET": RouteAction(c.asset)]) })
    }
}

/// A policy's answer as the response: hidden → 404, refused → 403, both « Vous n'avez pas accès
/// à cette page. » (permissions.md).
func authorize(_ access: Access) throws {
    switch access {
    case .allowed: return
    case .refused: throw WebError.noAccessForbidden
    case .hidden: throw WebError.noAccess
    }
}

/// The controllers with their dependencies, built once by `WebApplication.init`.
struct Controllers: Sendable {
    let db: AppDatabase
    let responses: PageResponses
    let sessions: SessionLoader
    let staticFiles: StaticFiles
    let agentSessions: AgentSessionsController
    let agentHome: AgentHomeController
    let devOutbox: DevOutboxController
    let calendarFeeds: CalendarFeedsController
    let availability: AvailabilityAPIController

    /// `/`: the agent's home when signed in, else the sign-in page.
    @Sendable func home(_ exchange: inout Exchange) throws -> HTTPResponse {
        responses.redirect(exchange.agent == nil ? .agents(.signIn) : .agents(.home))
    }

    @Sendable func asset(_ exchange: inout Exchange) throws -> HTTPResponse {
        try staticFiles.response(for: exchange.request.path, request: exchange.request)
    }

    /// An action for signed-in agents: anonymous visitors are sent to the sign-in page, and an
    /// organisation in the path must be one of the agent's (permissions.md: a record out of
    /// scope is absent, 404).
    func signedIn(
        _ action: @escaping @Sendable (inout Exchange, AgentContext) throws -> HTTPResponse
    ) -> RouteAction {
        RouteAction { [db, responses, sessions] exchange in
            guard let account = exchange.agent else {
                sessions.setFlash(.signInRequired, &exchange)
                return responses.redirect(.agents(.signIn))
            }
            let principal = try db.principal(agentID: account.id)
            let memberships = try db.agentOrganisations(agentID: account.id)
            var current = memberships.first
            if exchange.parameters.values["organisation_id"] != nil {
                let id = exchange.parameters.id("organisation_id")
                try authorize(OrganisationPolicy.show(principal, organisationID: id))
                current = memberships.first { $0.id == id }
            }
            return try action(
                &exchange,
                AgentContext(
                    account: account, principal: principal, memberships: memberships, currentOrganisation: current))
        }
    }
}
