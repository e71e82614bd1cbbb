/// Page models; each mirrors its template's variables. The layout's fields are repeated at the
/// top level because Mustache's parent templates read the page's context.
public struct AgentSignInPage: PageModel {
    public static let template = "agents/sessions/new"
    public let formPath = SiteURL.agentSignIn.path
    public var email: String
    public var errorMessage: String?
    public var csrfToken: String
    public var flash: LayoutModel.Flash?
    public let homePath = SiteURL.home.path
    public let signedInAgent: LayoutModel.SignedInAgent? = nil
}

public struct AgentHomePage: PageModel {
    public static let template = "agents/home"

    public struct OrganisationLink: Sendable {
        public let name: String
        public let path: String
    }

    public struct Area: Sendable {
        public let title: String
        public let description: String
    }

    public struct CurrentOrganisation: Sendable {
        public let name: String
        public let territoryName: String
        public let roleLabel: String
        public let areas: [Area]
    }

    public var firstName: String
    public var organisations: [OrganisationLink]
    public var hasSeveralOrganisations: Bool
    public var currentOrganisation: CurrentOrganisation?
    public var signedInAgent: LayoutModel.SignedInAgent?
    public var csrfToken: String
    public var flash: LayoutModel.Flash?
    public let homePath = SiteURL.home.path
    public let signOutPath = SiteURL.agentSignOut.path
}

public struct ErrorPage: PageModel {
    public static let template = "errors/error"
    public var heading: String
    public var message: String
    public var requestID: String?
    public var signedInAgent: LayoutModel.SignedInAgent?
    public var csrfToken: String
    public let homePath = SiteURL.home.path
    public let signOutPath = SiteURL.agentSignOut.path
    public let flash: LayoutModel.Flash? = nil
}
