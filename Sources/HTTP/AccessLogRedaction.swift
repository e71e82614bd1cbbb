/// Removes secrets from request targets before they are logged: capability URLs (a calendar
/// feed, a token link) and token query parameters grant access to whoever reads the log.
///
/// A path pattern is a list of `/`-separated segments: a literal segment must be equal, `*`
/// matches any one segment and keeps it, and a segment holding `{secret}` (with an optional
/// literal prefix and suffix, e.g. `{secret}.ics`) matches a non-empty value there and replaces
/// it with `[redacted]`. A pattern matches the start of a path, so trailing segments (or a
/// trailing slash) cannot carry a secret past it.
public struct AccessLogRedaction: Sendable, Equatable {
    public static let marker = "[redacted]"

    /// Query parameters whose values are replaced (names compare exactly, as sent).
    public var queryKeys: Set<String>
    public var pathPatterns: [String] {
        didSet { compiled = pathPatterns.map(Self.compile) }
    }
    private var compiled: [[Segment]]

    private enum Segment: Equatable {
        case literal(Substring)
        case any
        case secret(prefix: Substring, suffix: Substring)
    }

    /// RDV's defaults: the agents' calendar feed, the token links of e-mails and SMS, and the
    /// token parameters of invitation, password-reset and confirmation links.
    public init(
        queryKeys: Set<String> = ["tkn", "invitation_token", "reset_password_token", "confirmation_token", "token"],
        pathPatterns: [String] = ["/calendrier/{secret}.ics", "/r/*/{secret}"]
    ) {
        self.queryKeys = queryKeys
        self.pathPatterns = pathPatterns
        self.compiled = pathPatterns.map(Self.compile)
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.queryKeys == b.queryKeys && a.pathPatterns == b.pathPatterns
    }

    /// `path` with the secrets of the first matching pattern replaced, then `?query` (if any)
    /// with the values of ``queryKeys`` replaced.
    public func redact(path: String, query: String? = nil) -> String {
        var result = redactPath(path)
        if let query {
            result += "?" + redactQuery(query)
        }
        return result
    }

    func redactPath(_ path: String) -> String {
        guard !compiled.isEmpty else { return path }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        patterns: for pattern in compiled where pattern.count <= segments.count {
            var output = segments.map(String.init)
            for (i, segment) in pattern.enumerated() {
                let actual = segments[i]
                switch segment {
                case .literal(let literal):
                    guard actual == literal else { continue patterns }
                case .any:
                    continue
                case .secret(let prefix, let suffix):
                    guard actual.count > prefix.count + suffix.count, actual.hasPrefix(prefix), actual.hasSuffix(suffix)
                    else { continue patterns }
                    output[i] = prefix + Self.marker + suffix
                }
            }
            return output.joined(separator: "/")
        }
        return path
    }

    func redactQuery(_ query: String) -> String {
        guard !queryKeys.isEmpty else { return query }
        // WHATWG URL / HTML forms: `&`-separated `name=value` pairs.
        return query.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            guard let equals = pair.firstIndex(of: "="), queryKeys.contains(String(pair[..<equals])) else {
                return String(pair)
            }
            return pair[...equals] + Self.marker
        }.joined(separator: "&")
    }

    private static func compile(_ pattern: String) -> [Segment] {
        pattern.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            if segment == "*" { return .any }
            if let range = segment.firstRange(of: "{secret}") {
                return .secret(prefix: segment[..<range.lowerBound], suffix: segment[range.upperBound...])
            }
            return .literal(segment)
        }
    }
}
