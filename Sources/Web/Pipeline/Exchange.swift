import Cryptography
import HTTP
import Persistence

/// One request as the pipeline and the controllers see it: its route and parameters, parsed
/// form, session, signed-in agent, CSRF token, flash, and the cookies to set on the response
/// (style.md §8.6 "typed request context").
public struct Exchange: Sendable {
    public let request: HTTPRequest
    public let context: RequestContext
    public let cookies: [String: String]
    /// The method after the `_method` override of HTML forms (HEAD is served as GET).
    public var method: String
    /// The route of the path; nil for an unknown path (404).
    public let route: Route?
    public let parameters: RouteParameters
    public var form = FormData()
    /// The query string, decoded like a form (an undecodable one is a 400).
    public var query = FormData()
    /// Files of a `multipart/form-data` body (routes that accept files only).
    public var files: [MultipartForm.File] = []
    public var session: SessionRecord?
    public var agent: AgentAccount?
    public var csrfToken = ""
    public var flash: LayoutModel.Flash?
    public var setCookies: [String] = []

    init(request: HTTPRequest, context: RequestContext, routes: RouteTable) {
        self.request = request
        self.context = context
        self.cookies = Cookies.parse(request.headers)
        self.method = request.method == "HEAD" ? "GET" : request.method
        let resolved = routes.resolve(request.path)
        self.route = resolved?.route
        self.parameters = resolved?.parameters ?? RouteParameters()
    }

    /// How errors of this request are rendered; unknown paths under `/api/` answer JSON.
    var group: RouteGroup {
        route?.group ?? (request.path.hasPrefix("/api/") ? .api : .page)
    }

    var isUnsafe: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    /// The layout of a page for this visitor (no organisation switcher: see `AgentContext`).
    var layout: LayoutModel {
        LayoutModel(
            signedInAgent: agent.map { .init(displayName: $0.displayName) }, csrfToken: csrfToken, flash: flash)
    }

    /// The session's token: HMAC of its secret, so the secret itself never reaches a page.
    static func csrfToken(for session: SessionRecord) -> String {
        Digest.hex(Digest.hmacSHA256(key: session.csrfSecret, Array("csrf".utf8)))
    }
}

/// Flash messages travel as a code in a cookie, resolved here: no user text is ever reflected.
enum FlashMessage: String {
    case signedOut = "signed_out"
    case signInRequired = "sign_in_required"

    var flash: LayoutModel.Flash {
        switch self {
        case .signedOut: .init(kind: "success", message: "Vous êtes déconnecté(e).")
        case .signInRequired: .init(kind: "info", message: "Veuillez vous connecter pour continuer.")
        }
    }
}
