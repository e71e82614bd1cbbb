/// A path template, written once and used both to match request paths and to print links.
///
/// Segments: a literal (`agents`), `:name` a positive decimal id, `$name` a secret token
/// (`[A-Za-z0-9_-]`, 1–100 characters, so it needs no decoding or escaping), optionally followed
/// by a literal suffix (`$uid.ics`), and a final `*name` that takes the rest of the path as it
/// came (static files check it themselves).
public struct RoutePattern: Sendable, Hashable, CustomStringConvertible {
    enum Segment: Sendable, Hashable {
        case literal(String)
        case id(String)
        case token(String, suffix: String)
        case rest(String)
    }

    let segments: [Segment]
    public let description: String

    public init(_ template: String) {
        precondition(template.hasPrefix("/"), "a route pattern starts with /: \(template)")
        description = template
        let parts = template.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        segments = parts == [""] ? [] : parts.map { part -> Segment in
            switch part.first {
            case ":": return .id(String(part.dropFirst()))
            case "*": return .rest(String(part.dropFirst()))
            case "$":
                let body = part.dropFirst()
                let name = body.prefix { $0 != "." }
                return .token(String(name), suffix: String(body.dropFirst(name.count)))
            default: return .literal(part)
            }
        }
    }

    /// The first literal segment, used to index the route table ("" for `/`).
    var head: String? {
        switch segments.first {
        case .literal(let text): text
        case nil: ""
        default: nil
        }
    }

    /// The parameters of `path` (still percent-encoded, without the query), or nil when it does
    /// not match.
    func match(_ pathSegments: ArraySlice<Substring>) -> RouteParameters? {
        var values: [String: String] = [:]
        var index = pathSegments.startIndex
        for (position, segment) in segments.enumerated() {
            if case .rest(let name) = segment {
                guard position == segments.count - 1, index < pathSegments.endIndex else { return nil }
                values[name] = pathSegments[index...].joined(separator: "/")
                return RouteParameters(values: values)
            }
            guard index < pathSegments.endIndex else { return nil }
            let part = pathSegments[index]
            switch segment {
            case .literal(let text):
                guard part == text else { return nil }
            case .id(let name):
                guard Self.isID(part) else { return nil }
                values[name] = String(part)
            case .token(let name, let suffix):
                guard part.hasSuffix(suffix) else { return nil }
                let token = part.dropLast(suffix.count)
                guard Self.isToken(token) else { return nil }
                values[name] = String(token)
            case .rest:
                return nil
            }
            index += 1
        }
        return index == pathSegments.endIndex ? RouteParameters(values: values) : nil
    }

    /// The path with `values` in place of the parameters. A missing parameter is a programmer
    /// error, caught by the route table's tests.
    func path(_ values: [String: String] = [:]) -> String {
        if segments.isEmpty { return "/" }
        var path = ""
        for segment in segments {
            path += "/"
            switch segment {
            case .literal(let text): path += text
            case .id(let name), .rest(let name): path += values[name] ?? ""
            case .token(let name, let suffix): path += (values[name] ?? "") + suffix
            }
        }
        return path
    }

    /// Positive decimal without sign or leading zero, within Int64.
    static func isID(_ text: Substring) -> Bool {
        guard let first = text.first, first != "0", text.count <= 18 else { return false }
        return text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    static func isToken(_ text: Substring) -> Bool {
        !text.isEmpty && text.count <= 100
            && text.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D
                    || $0 == 0x5F
            }
    }
}

/// The values a route pattern took from the path; ids are validated by the pattern.
public struct RouteParameters: Sendable, Equatable {
    var values: [String: String] = [:]

    public func id(_ name: String) -> Int64 { Int64(values[name] ?? "") ?? 0 }
    public func string(_ name: String) -> String { values[name] ?? "" }
}
