/// Every URL of the site, used both to route requests and to write links (style.md §3: no
/// hand-written path in a template or a controller).
public enum SiteURL: Equatable, Sendable {
    case home
    case health
    case agentSignIn
    case agentSignOut
    case agentHome
    case agentOrganisation(id: Int64)
    case asset(path: String)
    case apiSlots
    case apiNextAvailability
    /// « Boîte d'envoi »: what the development providers kept (notifications.md §7).
    case devOutbox
    /// The agent's webcal feed (notifications.md §10): the secret `calendar_uid` is the credential.
    case agentCalendar(uid: String)

    public var path: String {
        switch self {
        case .home: "/"
        case .health: "/health"
        case .agentSignIn: "/agents/sign_in"
        case .agentSignOut: "/agents/sign_out"
        case .agentHome: "/agents"
        case .agentOrganisation(let id): "/admin/organisations/\(id)"
        case .asset(let path): "/" + path
        case .apiSlots: "/api/v1/creneaux"
        case .apiNextAvailability: "/api/v1/prochaine_disponibilite"
        case .agentCalendar(let uid): "/calendrier/\(uid).ics"
        case .devOutbox: "/admin/boite_d_envoi"
        }
    }

    /// Resolves a request path (still percent-encoded); nil for an unknown path (404).
    public init?(path: String) {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map(String.init)
        switch segments {
        case [""]: self = .home
        case ["health"]: self = .health
        case ["agents", "sign_in"]: self = .agentSignIn
        case ["agents", "sign_out"]: self = .agentSignOut
        case ["agents"]: self = .agentHome
        case ["admin", "boite_d_envoi"]: self = .devOutbox
        case ["api", "v1", "creneaux"]: self = .apiSlots
        case ["api", "v1", "prochaine_disponibilite"]: self = .apiNextAvailability
        case let s where s.count == 2 && s[0] == "calendrier" && s[1].hasSuffix(".ics"):
            let uid = String(s[1].dropLast(4))
            // Only the characters a generated uid has: nothing to decode, nothing to escape.
            guard !uid.isEmpty, uid.count <= 100,
                uid.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
            else { return nil }
            self = .agentCalendar(uid: uid)
        case let s where s.count == 3 && s[0] == "admin" && s[1] == "organisations":
            guard let id = Int64(s[2]), id > 0 else { return nil }
            self = .agentOrganisation(id: id)
        case let s where ["css", "js", "images", "vendor", "favicon.ico"].contains(s.first ?? ""):
            self = .asset(path: s.joined(separator: "/"))
        default: return nil
        }
    }

    /// Pages get forms, sessions and CSRF checks; the health check and static files do not.
    public var isPage: Bool {
        switch self {
        case .health, .asset, .apiSlots, .apiNextAvailability, .agentCalendar: false
        default: true
        }
    }

    /// The methods each URL answers; anything else is 405 with `Allow`.
    public var allowedMethods: [String] {
        switch self {
        case .agentSignIn: ["GET", "HEAD", "POST"]
        case .agentSignOut: ["DELETE"]
        default: ["GET", "HEAD"]
        }
    }
}
