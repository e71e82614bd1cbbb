import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// Settings of the web layer.
public struct WebSettings: Sendable {
    /// The site is served over https (behind a TLS proxy): `Secure` cookies and HSTS.
    public var https = false
    /// `RDV_PUBLIC_URL`: absolute links in calendar feeds.
    public var publicURL = "http://localhost:8080"
    /// A development or demo instance (no `RDV_SMTP_URL`): organisation admins see the « Boîte
    /// d'envoi » of their organisations (notifications.md §7).
    public var developmentOutbox = false

    public init(https: Bool = false, publicURL: String = "http://localhost:8080", developmentOutbox: Bool = false) {
        self.https = https
        self.publicURL = publicURL
        self.developmentOutbox = developmentOutbox
    }
}

/// The site: one responder that parses forms, loads the session, checks CSRF, routes by
/// `SiteURL`, renders error pages and adds security headers to every response.
public struct WebApplication: HTTPResponder {
    let db: AppDatabase
    let renderer: TemplateRenderer
    let staticFiles: StaticFiles
    let clock: any Clock
    let settings: WebSettings
    let throttle: SignInThrottle

    public init(
        db: AppDatabase, renderer: TemplateRenderer, staticFiles: StaticFiles, clock: any Clock,
        settings: WebSettings = WebSettings(), throttle: SignInThrottle = SignInThrottle()
    ) {
        self.db = db
        self.renderer = renderer
        self.staticFiles = staticFiles
        self.clock = clock
        self.settings = settings
        self.throttle = throttle
    }

    /// Only the health check skips the worker pool: it touches nothing that can block.
    public func canRespondInline(to request: HTTPRequest) -> Bool { request.path == SiteURL.health.path }

    /// The middlewares, outermost first.
    var chain: MiddlewareChain {
        MiddlewareChain(middlewares: [
            SecurityHeadersMiddleware(https: settings.https), ErrorPagesMiddleware(app: self),
            SessionMiddleware(app: self),
            CSRFMiddleware(app: self),
        ])
    }

    public func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        var exchange = Exchange(request: request, context: context)
        return try chain.run(&exchange) { try route(&$0) }
    }

    /// The endpoint: health, static files, then pages by URL and method.
    func route(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let url = exchange.url else { throw WebError.notFound }
        // HEAD is served as GET (the server drops the body); `_method` applies to pages only.
        guard url.allowedMethods.contains(exchange.method) else { return methodNotAllowed(url, exchange) }
        switch url {
        case .health:
            // contracts.md §1: `GET /health` answers `ok` once requests are accepted.
            return .text("ok")
        case .asset:
            return try staticFiles.response(for: exchange.request.path, request: exchange.request)
        case .apiSlots, .apiNextAvailability:
            guard let query = try? FormData(urlEncoded: exchange.request.query ?? "") else {
                return AvailabilityAPIController(app: self).json(
                    ["error": "paramètres illisibles"], status: .badRequest)
            }
            exchange.query = query
            let controller = AvailabilityAPIController(app: self)
            return url == .apiSlots ? controller.slots(exchange) : controller.nextAvailability(exchange)
        case .agentCalendar(let uid):
            return try agentCalendar(uid: uid)
        default:
            return try dispatch(url, &exchange)
        }
    }

    func dispatch(_ url: SiteURL, _ exchange: inout Exchange) throws -> HTTPResponse {
        switch (url, exchange.method) {
        case (.home, _): return redirect(exchange.agent == nil ? .agentSignIn : .agentHome)
        case (.agentSignIn, "GET"): return try AgentSessionsController(app: self).new(&exchange)
        case (.agentSignIn, "POST"): return try AgentSessionsController(app: self).create(&exchange)
        case (.agentSignOut, "DELETE"): return try AgentSessionsController(app: self).destroy(&exchange)
        case (.agentHome, "GET"): return try AgentHomeController(app: self).show(&exchange, organisationID: nil)
        case (.agentOrganisation(let id), "GET"):
            return try AgentHomeController(app: self).show(&exchange, organisationID: id)
        case (.devOutbox, "GET"): return try DevOutboxController(app: self).index(&exchange)
        default: throw WebError.notFound
        }
    }

    /// `GET /calendrier/<calendar_uid>.ics` (notifications.md §10): unknown uid → 404.
    func agentCalendar(uid: String) throws -> HTTPResponse {
        let now = clock.now
        guard let feed = try db.agentCalendarFeed(calendarUID: uid, now: now) else { throw WebError.notFound }
        let document = AgentCalendarFeed.document(
            entries: feed.entries,
            settings: NotificationSettings(publicURL: settings.publicURL, timeZone: feed.timeZone),
            now: now)
        return HTTPResponse(
            status: .ok,
            headers: ["Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300"],
            body: .bytes(Array(document.utf8)))
    }

    /// 405 with the methods the URL does answer (RFC 9110 §15.5.6).
    func methodNotAllowed(_ url: SiteURL, _ exchange: Exchange) -> HTTPResponse {
        var response = errorPage(.methodNotAllowed, exchange)
        response.headers["Allow"] = url.allowedMethods.joined(separator: ", ")
        return response
    }

    func redirect(_ url: SiteURL) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": url.path])
    }

    func page(_ model: some PageModel, status: HTTPStatus = .ok) throws -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
            body: .bytes(Array(try renderer.render(model).utf8)))
    }

    func errorPage(_ error: WebError, _ exchange: Exchange, requestID: String? = nil) -> HTTPResponse {
        let model = ErrorPage(
            heading: error.heading, message: error.message, requestID: requestID, signedInAgent: exchange.signedInAgent,
            csrfToken: exchange.csrfToken)
        // Should the error template itself fail, plain text still answers with the right status.
        return (try? page(model, status: error.status)) ?? .text("\(error.heading)\n", status: error.status)
    }
}
