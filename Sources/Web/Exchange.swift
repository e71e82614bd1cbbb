import Cryptography
import HTTP
import Persistence

/// One request as the controllers see it: parsed form, session, signed-in agent, CSRF token,
/// flash, and the cookies to set on the response (style.md §8.6 "typed request context").
public struct Exchange: Sendable {
    public let request: HTTPRequest
    public let context: RequestContext
    public let cookies: [String: String]
    /// The method after the `_method` override of HTML forms.
    public var method: String
    /// The site URL of the path; nil for an unknown path (404).
    public let url: SiteURL?
    public var form = FormData()
    /// The query string, decoded like a form (an undecodable one is a 400).
    public var query = FormData()
    /// Files of a `multipart/form-data` body.
    public var files: [MultipartForm.File] = []
    public var session: SessionRecord?
    public var agent: AgentAccount?
    public var csrfToken = ""
    public var flash: LayoutModel.Flash?
    public var setCookies: [String] = []

    init(request: HTTPRequest, context: RequestContext) {
        self.request = request
        self.context = context
        self.cookies = Cookies.parse(request.headers)
        self.method = request.method == "HEAD" ? "GET" : request.method
        self.url = SiteURL(path: request.path)
    }

    var isUnsafe: Bool { !["GET", "HEAD", "OPTIONS"].contains(method) }

    var signedInAgent: LayoutModel.SignedInAgent? { agent.map { .init(displayName: $0.displayName) } }

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
