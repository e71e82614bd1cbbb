import Domain

/// Every address of the site a page or a redirect links to, by area (style.md §3: no
/// hand-written path in a template or a controller). Each path is printed from the same
/// `RoutePattern` the route table matches (`SiteURL.Pattern`), so a link always has a route.
public enum SiteURL: Hashable, Sendable {
    case home
    case health
    case asset(path: String)
    case agents(Agents)
    /// The areas of one organisation, `/admin/organisations/<id>/…`.
    case organisation(id: Int64, Organisation)
    /// « Boîte d'envoi »: what the development providers kept (notifications.md §7).
    case devOutbox
    /// The agent's webcal feed (notifications.md §10).
    case calendarFeed(uid: String)
    case api(API)

    public enum Agents: Hashable, Sendable {
        case signIn, signOut, home
    }

    public enum Organisation: Hashable, Sendable {
        case show
    }

    public enum API: Hashable, Sendable {
        case slots, nextAvailability
    }

    /// The patterns, written once: the route table and the links both use them.
    public enum Pattern {
        public static let home = RoutePattern("/")
        public static let health = RoutePattern("/health")
        public static let agentSignIn = RoutePattern(SitePath.agentSignIn)
        public static let agentSignOut = RoutePattern("/agents/sign_out")
        public static let agentHome = RoutePattern("/agents")
        public static let organisation = RoutePattern("/admin/organisations/:organisation_id")
        public static let devOutbox = RoutePattern("/admin/boite_d_envoi")
        public static let calendarFeed = RoutePattern(SitePath.calendarFeed)
        public static let apiSlots = RoutePattern("/api/v1/creneaux")
        public static let apiNextAvailability = RoutePattern("/api/v1/prochaine_disponibilite")
        /// The top folders of `Public/`.
        public static let assets = ["css", "js", "images", "vendor"].map { RoutePattern("/\($0)/*path") }
        public static let favicon = RoutePattern("/favicon.ico")
    }

    public var path: String {
        switch self {
        case .home: Pattern.home.path()
        case .health: Pattern.health.path()
        case .asset(let path): "/" + path
        case .agents(.signIn): Pattern.agentSignIn.path()
        case .agents(.signOut): Pattern.agentSignOut.path()
        case .agents(.home): Pattern.agentHome.path()
        case .organisation(let id, .show): Pattern.organisation.path(["organisation_id": "\(id)"])
        case .devOutbox: Pattern.devOutbox.path()
        case .calendarFeed(let uid): Pattern.calendarFeed.path(["uid": uid])
        case .api(.slots): Pattern.apiSlots.path()
        case .api(.nextAvailability): Pattern.apiNextAvailability.path()
        }
    }
}
