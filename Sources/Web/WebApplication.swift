import Foundation
import Domain
import Geocoding
import HTTP
import Logging
import Persistence

/// Settings of the web layer.
public struct WebSettings: Sendable {
    /// The site is served over https (behind a TLS proxy): `Secure` cookies and HSTS.
    public var https = false
    /// `RDV_PUBLIC_URL`: absolute links in calendar feeds.
    public var publicURL = "http://localhost:8080"
    /// The origin state-changing requests must come from (`RDV_PUBLIC_URL`'s, when configured);
    /// nil = the request's own `Host`.
    public var publicOrigin: String?
    /// `RDV_TRUSTED_PROXIES`: peers whose `X-Forwarded-For` names the client.
    public var trustedProxies: Set<String> = []
    /// A development or demo instance (no `RDV_SMTP_URL`): organisation admins see the « Boîte
    /// d'envoi » of their organisations (notifications.md §7).
    public var developmentOutbox = false
    /// booking.md §3.4: the password rule, with the common-password list when it is installed
    /// (`CommonPasswords.rule(file:)` on `Data/common-passwords.txt`).
    public var passwordRule = PasswordRule(commonPasswords: [])
    /// `RDV_NOW` drives the clock: every page shows the « Horloge simulée » banner (contracts.md §2).
    public var simulatedClock = false
    /// Where the export job writes its files (admin.md §8), read back by « Vos exports »;
    /// nil: no file can be downloaded.
    public var exportsDirectory: URL?
    /// `RDV_RATE_LIMITS=off` (contracts.md §1): no per-address rate limit (load tests on loopback).
    public var rateLimits = true
    /// `RDV_SHARED_SECRET_FOR_AGENTS_AUTH` (api.md §2): trusted partners sign calls with it;
    /// nil = that authentication is off.
    public var sharedSecretForAgentsAuth: String?

    public init(https: Bool = false, publicURL: String = "http://localhost:8080", developmentOutbox: Bool = false) {
        self.https = https
        self.publicURL = publicURL
        self.developmentOutbox = developmentOutbox
    }

    /// RFC 6454 §6.1 serialisation of a URL's origin: scheme, host and a non-default port.
    public static func origin(of url: String) -> String {
        guard let schemeEnd = url.range(of: "://") else { return url }
        let rest = url[schemeEnd.upperBound...]
        return String(url[..<schemeEnd.upperBound]) + String(rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" })
    }
}

/// The site: the server's responder. Each request is resolved in the route table, then runs
/// through the middlewares (security headers, error rendering, routing checks, session, forms
/// and CSRF) to its route's action (docs/decisions/2026-12-02-pages.md).
public struct WebApplication: HTTPResponder {
    let routes: RouteTable
    let chain: MiddlewareChain
    let sessions: SessionLoader

    public init(
        db: AppDatabase, renderer: TemplateRenderer, staticFiles: StaticFiles, clock: any Clock,
        settings: WebSettings = WebSettings(), throttle: SignInThrottle = SignInThrottle(),
        addressService: AddressService? = nil
    ) {
        let responses = PageResponses(templates: renderer)
        let sessions = SessionLoader(db: db, clock: clock, https: settings.https)
        let linkForm = AgentLinkPasswordForm(
            db: db, clock: clock, sessions: sessions,
            clientAddress: ClientAddress(trustedProxies: settings.trustedProxies), passwordRule: settings.passwordRule,
            responses: responses)
        let userLinkForm = UserLinkPasswordForm(
            db: db, clock: clock, clientAddress: ClientAddress(trustedProxies: settings.trustedProxies),
            sessions: sessions, passwordRule: settings.passwordRule, responses: responses)
        let addresses = addressService ?? AddressService(remote: nil, embedded: EmbeddedAddressSearch(db: db))
        let partnerAPI = PartnerAPI(
            db: db, clock: clock, settings: settings, throttle: throttle,
            availability: AvailabilityAPIController(db: db, clock: clock))
        let controllers = Controllers(
            db: db, responses: responses, sessions: sessions, staticFiles: staticFiles,
            agentSessions: AgentSessionsController(
                db: db, clock: clock, throttle: throttle,
                clientAddress: ClientAddress(trustedProxies: settings.trustedProxies), sessions: sessions,
                responses: responses),
            agentHome: AgentHomeController(responses: responses),
            agentAgendas: AgentAgendasController(db: db, clock: clock, responses: responses, sessions: sessions),
            agentInvitations: AgentInvitationsController(form: linkForm),
            agentPasswords: AgentPasswordsController(
                db: db, clock: clock, sessions: sessions, form: linkForm, publicURL: settings.publicURL,
                responses: responses),
            agentAccounts: AgentAccountsController(
                db: db, clock: clock, sessions: sessions, passwordRule: settings.passwordRule,
                publicURL: settings.publicURL, responses: responses),
            agentEmailConfirmations: AgentEmailConfirmationsController(
                db: db, clock: clock, sessions: sessions, responses: responses),
            openingPeriods: OpeningPeriodsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            absences: AbsencesController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            collectiveRdvs: CollectiveAppointmentsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            devOutbox: DevOutboxController(db: db, responses: responses, enabled: settings.developmentOutbox),
            creneauxSearch: CreneauxSearchController(
                db: db, clock: clock, responses: responses, publicURL: settings.publicURL),
            appointmentWizard: AppointmentWizardController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            appointments: AppointmentsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            appointmentStatuses: AppointmentStatusesController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            appointmentReminders: AppointmentRemindersController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            appointmentArrivals: AppointmentArrivalsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            appointmentParticipants: AppointmentParticipantsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            calendarFeeds: CalendarFeedsController(db: db, clock: clock, publicURL: settings.publicURL),
            users: UsersController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            exports: ExportsController(
                db: db, clock: clock, responses: responses, sessions: sessions, directory: settings.exportsDirectory),
            addresses: AddressesController(
                service: addresses,
                // A person types a few letters at a time: 60 at once, then 2 a second.
                limit: ClientRateLimit(burst: 60, perMinute: 120, enabled: settings.rateLimits),
                clientAddress: ClientAddress(trustedProxies: settings.trustedProxies), clock: clock),
            places: PlacesController(
                db: db, clock: clock, responses: responses, sessions: sessions, addresses: addresses),
            motifs: MotifsController(db: db, clock: clock, responses: responses, sessions: sessions),
            superAdmins: SuperAdminsController(
                db: db, clock: clock, throttle: throttle,
                clientAddress: ClientAddress(trustedProxies: settings.trustedProxies), sessions: sessions,
                responses: responses, passwordRule: settings.passwordRule, publicURL: settings.publicURL,
                devOutbox: DevOutboxController(db: db, responses: responses, enabled: settings.developmentOutbox)),
            organisationAgents: OrganisationAgentsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            sectors: SectorsController(
                db: db, clock: clock, responses: responses, sessions: sessions, addresses: addresses),
            onlineBooking: OnlineBookingController(
                db: db, clock: clock, responses: responses, publicURL: settings.publicURL),
            statistics: StatisticsController(db: db, clock: clock, responses: responses),
            publicSearch: PublicSearchController(
                db: db, clock: clock, responses: responses, addresses: addresses, sessions: sessions),
            publicPages: PublicPagesController(db: db, responses: responses),
            userSessions: UserSessionsController(
                db: db, clock: clock, throttle: throttle,
                clientAddress: ClientAddress(trustedProxies: settings.trustedProxies), sessions: sessions,
                publicURL: settings.publicURL, passwordRule: settings.passwordRule, responses: responses),
            userRdvs: UserAppointmentsController(
                db: db, clock: clock, sessions: sessions, publicURL: settings.publicURL, responses: responses),
            userInvitations: UserInvitationsController(form: userLinkForm),
            userPasswords: UserPasswordsController(db: db, clock: clock, responses: responses, form: userLinkForm),
            userRelatives: UserRelativesController(db: db, clock: clock, sessions: sessions, responses: responses),
            userAccounts: UserAccountsController(
                db: db, clock: clock, sessions: sessions, publicURL: settings.publicURL, responses: responses),
            tokenLinks: TokenLinksController(
                db: db, clock: clock, clientAddress: ClientAddress(trustedProxies: settings.trustedProxies),
                sessions: sessions, responses: responses),
            rebook: RebookController(db: db, clock: clock, responses: responses),
            smsSettings: SMSSettingsController(db: db, clock: clock, responses: responses, sessions: sessions),
            webhooks: WebhooksController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            teams: TeamsController(db: db, clock: clock, responses: responses, sessions: sessions),
            territoryAgents: TerritoryAgentsController(
                db: db, clock: clock, responses: responses, sessions: sessions, publicURL: settings.publicURL),
            territoryMotifs: TerritoryMotifsController(db: db, clock: clock, responses: responses, sessions: sessions),
            organisations: OrganisationsController(db: db, clock: clock, responses: responses, sessions: sessions),
            territories: TerritoriesController(db: db, clock: clock, responses: responses, sessions: sessions),
            partnerAPI: partnerAPI,
            apiDocs: APIDocsController(operations: partnerAPI.operations, publicURL: settings.publicURL, responses: responses))
        self.routes = Self.routes(controllers)
        self.sessions = sessions
        self.chain = MiddlewareChain(middlewares: [
            SecurityHeadersMiddleware(https: settings.https),
            SimulatedClockMiddleware(clock: settings.simulatedClock ? clock : nil),
            ErrorRenderingMiddleware(responses: responses),
            RoutingMiddleware(), SessionMiddleware(sessions: sessions),
            FormMiddleware(forgery: ForgeryProtection(publicOrigin: settings.publicOrigin)),
        ])
    }

    /// The route's body limit, asked by the server before it reads a body (a 413 otherwise);
    /// nil = the server's default.
    public func maximumBodySize(method: String, path: String) -> Int? {
        routes.resolve(path)?.route.maxBodyBytes
    }

    /// The health check, and a path no route serves (scanners, typos), skip the worker pool:
    /// neither touches anything that can block. An unrouted path is refused before the session
    /// is read, and its anonymous 404 page is bytes rendered once (`PageResponses`).
    public func canRespondInline(to request: HTTPRequest) -> Bool {
        request.path == SiteURL.health.path || routes.resolve(request.path) == nil
    }

    public func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        var exchange = Exchange(request: request, context: context, routes: routes)
        return try chain.run(&exchange) { exchange in
            guard let action = exchange.route?.actions[exchange.method] else { throw WebError.methodNotAllowed }
            return try action.run(&exchange)
        }
    }

    /// The in-process mode of request tests: the same pipeline without sockets.
    package func respond(to request: HTTPRequest) -> HTTPResponse {
        var logger = Logger(label: "in-process")
        logger.logLevel = .critical
        let context = RequestContext(requestID: "test", logger: logger, remoteAddress: "127.0.0.1")
        return (try? respond(to: request, context: context)) ?? .text("", status: .internalServerError)
    }

    /// Waits for the session slides queued by earlier requests (tests).
    package func flushSessionTouches() { sessions.flushTouches() }
}
