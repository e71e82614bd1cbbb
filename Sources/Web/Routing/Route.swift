import HTTP

/// How a route's requests are handled before its action: the group decides sessions, CSRF,
/// forms and how errors are rendered (HTML page or JSON).
public enum RouteGroup: Sendable, Equatable {
    /// `GET /health`: answered inline, touches nothing.
    case health
    /// Files of `Public/`.
    case asset
    /// Machine-read documents (the webcal feed): no session, no form, plain errors.
    case feed
    /// Public JSON endpoints (availability, addresses): no session cookie, `{"error": …}` errors.
    case api
    /// The partner API v1 (api.md): no session cookie, its own authentication, the error
    /// bodies of api.md §4.
    case partner
    /// HTML pages: session, CSRF on unsafe methods, French error pages.
    case page
}

/// What a route does for one method.
public struct RouteAction: Sendable {
    /// Pages only: the request body is a form (urlencoded; multipart only when `acceptsFiles`).
    let acceptsFiles: Bool
    let run: @Sendable (inout Exchange) throws -> HTTPResponse

    public init(acceptsFiles: Bool = false, _ run: @escaping @Sendable (inout Exchange) throws -> HTTPResponse) {
        self.acceptsFiles = acceptsFiles
        self.run = run
    }
}

/// One row of the route table: a path pattern, its group and its actions per method.
public struct Route: Sendable {
    public let pattern: RoutePattern
    public let group: RouteGroup
    /// By method after the `_method` override of HTML forms (GET also answers HEAD).
    let actions: [String: RouteAction]
    /// Largest request body this route reads; nil = the server's default (1 MiB).
    public let maxBodyBytes: Int?

    public init(
        _ pattern: RoutePattern, _ group: RouteGroup, maxBodyBytes: Int? = nil, actions: [String: RouteAction]
    ) {
        self.pattern = pattern
        self.group = group
        self.actions = actions
        self.maxBodyBytes = maxBodyBytes
    }

    /// RFC 9110 §15.5.6: what a 405 lists in `Allow`; HEAD wherever GET is.
    public var allowedMethods: [String] {
        var methods = actions.keys.sorted()
        if actions["GET"] != nil { methods.insert("HEAD", at: methods.firstIndex(of: "GET").map { $0 + 1 } ?? 0) }
        return methods
    }

    /// The wire method may be POST for PATCH/PUT/DELETE actions (HTML forms' `_method`).
    func accepts(wireMethod: String) -> Bool {
        let method = wireMethod == "HEAD" ? "GET" : wireMethod
        if actions[method] != nil { return true }
        return method == "POST" && group == .page && ["PATCH", "PUT", "DELETE"].contains { actions[$0] != nil }
    }
}

/// The route table: resolves a path to its route and parameters. Indexed by first segment, so a
/// lookup compares a handful of patterns whatever the table's size.
public struct RouteTable: Sendable {
    public let routes: [Route]
    private let byHead: [String: [Int]]
    private let wildcardHeads: [Int]

    public init(_ routes: [Route]) {
        self.routes = routes
        var byHead: [String: [Int]] = [:]
        var wildcards: [Int] = []
        for (index, route) in routes.enumerated() {
            if let head = route.pattern.head { byHead[head, default: []].append(index) } else { wildcards.append(index) }
        }
        self.byHead = byHead
        self.wildcardHeads = wildcards
    }

    /// The first route whose pattern matches `path` (percent-encoded, without query).
    public func resolve(_ path: String) -> (route: Route, parameters: RouteParameters)? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let head = segments.count == 1 && segments.first == "" ? "" : String(segments.first ?? "")
        let candidates = (byHead[head] ?? []) + wildcardHeads
        let parts = head.isEmpty ? ArraySlice<Substring>() : segments
        for index in candidates {
            if let parameters = routes[index].pattern.match(parts) { return (routes[index], parameters) }
        }
        return nil
    }
}
