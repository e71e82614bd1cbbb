import Mustache
import HTTP
import Synchronization

/// What the layout shows around every page: the signed-in agent and its organisations (the
/// switcher of admin.md §1), the CSRF token of the sign-out form, the flash message.
public struct LayoutModel: Sendable {
    public struct SignedInAgent: Sendable, Equatable {
        public let displayName: String

        public init(displayName: String) { self.displayName = displayName }
    }

    public struct Flash: Sendable, Equatable {
        /// DSFR alert kind: success, info, warning, error.
        public let kind: String
        public let message: String
        /// Errors are announced at once (`role="alert"`), the others politely (`role="status"`).
        public let isError: Bool

        public init(kind: String, message: String) {
            self.kind = kind
            self.message = message
            self.isError = kind == "error"
        }
    }

    /// An entry of the organisation switcher.
    public struct OrganisationLink: Sendable, Equatable {
        public let name: String
        public let path: String
        public let isCurrent: Bool
    }

    /// An entry of the main menu or of the name menu (admin.md §1); the current one carries
    /// `aria-current="page"`.
    public struct MenuLink: Sendable, Equatable {
        public let label: String
        public let path: String
        public let isCurrent: Bool
    }

    public var signedInAgent: SignedInAgent?
    /// Templates read stored properties only (Mirror), hence the stored flag.
    public var organisations: [OrganisationLink] = [] {
        didSet { hasSeveralOrganisations = organisations.count > 1 }
    }
    public private(set) var hasSeveralOrganisations = false
    /// The organisation the page is in, named on the switcher's button.
    public var currentOrganisationName: String?
    /// « Agenda », « Trouver un RDV », « Liste des RDV », « Usagers » of the current
    /// organisation (admin.md §1).
    public var mainMenu: [MenuLink] = [] {
        didSet { hasMainMenu = !mainMenu.isEmpty }
    }
    public private(set) var hasMainMenu = false
    /// Under the agent's name: « Mon compte », « Préférences de notifications »,
    /// « Synchronisation calendrier ».
    public var accountMenu: [MenuLink] = []
    /// « Paramètres » (admin.md §1): « Configuration » for organisation admins.
    public var settingsMenu: [MenuLink] = [] {
        didSet { hasSettingsMenu = !settingsMenu.isEmpty }
    }
    public private(set) var hasSettingsMenu = false
    /// « Horloge simulée » banner text when `RDV_NOW` sets the clock (contracts.md §2).
    public var simulatedClock: String?
    /// Shown on every page of an agent session the instance operator opened (admin.md §11).
    public var impersonationNotice: String?
    public var csrfToken: String
    public var flash: Flash?
    /// « Erreur : » starts the title of a form page that did not save (RGAA 11.10).
    public var hasErrors = false
    public let homePath = SiteURL.home.path
    public let statisticsPath = SiteURL.statistics.path
    public let agentSignInPath = SiteURL.agents(.signIn).path
    public let accessibilityPath = SiteURL.accessibility.path
    public let privacyPath = SiteURL.privacy.path
    public let legalNoticePath = SiteURL.legalNotice.path
    public let helpPath = SiteURL.help.path
    /// The agents' sign-out, or the super admin's on its pages.
    public var signOutPath = SiteURL.agents(.signOut).path

    public init(
        signedInAgent: SignedInAgent? = nil, organisations: [OrganisationLink] = [], csrfToken: String,
        flash: Flash? = nil
    ) {
        self.signedInAgent = signedInAgent
        self.organisations = organisations
        self.hasSeveralOrganisations = organisations.count > 1
        self.csrfToken = csrfToken
        self.flash = flash
    }
}

/// The layout envelope: templates read the page under `page` and the layout under `layout`,
/// so page models carry only their own fields.
struct PageEnvelope<Page: PageModel>: Sendable {
    let layout: LayoutModel
    let page: Page
}

extension TemplateRenderer {
    /// The page inside the layout (`Templates/<resource>/<action>.mustache`).
    public func render<Page: PageModel>(_ page: Page, layout: LayoutModel) throws -> String {
        guard let html = library.render(PageEnvelope(layout: layout, page: page), withTemplate: Page.template) else {
            throw MissingTemplate(name: Page.template)
        }
        return html
    }
}

/// What controllers answer with: pages in the layout, redirects, error pages.
public struct PageResponses: Sendable {
    let templates: TemplateRenderer
    /// Error pages for anonymous visitors depend on nothing but the error (the CSRF token only
    /// appears in the signed-in menu), so each is rendered once: unknown paths are the most
    /// common error and cost a template walk each otherwise.
    private let anonymousErrorPages = ErrorPageCache()

    public init(templates: TemplateRenderer) { self.templates = templates }

    /// 200, or 422 for a form that did not save (its values kept by the page model).
    func page(_ page: some PageModel, layout: LayoutModel, status: HTTPStatus = .ok) throws -> HTTPResponse {
        Self.html(Array(try templates.render(page, layout: layout).utf8), status: status)
    }

    static func html(_ bytes: [UInt8], status: HTTPStatus) -> HTTPResponse {
        HTTPResponse(
            status: status, headers: ["Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store"],
            body: .bytes(bytes))
    }

    /// 303: after a POST the browser GETs the target (RFC 9110 §15.4.4).
    func redirect(_ url: SiteURL) -> HTTPResponse {
        redirect(to: url.path)
    }

    /// A path printed from a `SiteURL` with its query (`SiteURL.path(pairs:)`).
    func redirect(to path: String) -> HTTPResponse {
        HTTPResponse(status: .seeOther, headers: ["Location": path])
    }

    func errorPage(_ error: WebError, layout: LayoutModel, requestID: String? = nil) -> HTTPResponse {
        let cacheable =
            layout.signedInAgent == nil && layout.flash == nil && layout.simulatedClock == nil && requestID == nil
        if cacheable, let bytes = anonymousErrorPages.bytes(for: error) {
            return Self.html(bytes, status: error.status)
        }
        let model = ErrorPage(heading: error.heading, message: error.message, requestID: requestID)
        if cacheable, let html = try? templates.render(model, layout: LayoutModel(csrfToken: "")) {
            let bytes = Array(html.utf8)
            anonymousErrorPages.store(bytes, for: error)
            return Self.html(bytes, status: error.status)
        }
        // Should the error template itself fail, plain text still answers with the right status.
        return (try? page(model, layout: layout, status: error.status)) ?? .text("\(error.heading)\n", status: error.status)
    }
}

/// Rendered anonymous error pages by error (a handful of fixed values).
final class ErrorPageCache: Sendable {
    private let pages = Mutex<[WebError: [UInt8]]>([:])

    func bytes(for error: WebError) -> [UInt8]? { pages.withLock { $0[error] } }

    func store(_ bytes: [UInt8], for error: WebError) {
        pages.withLock { if $0.count < 64 { $0[error] = bytes } }
    }
}
