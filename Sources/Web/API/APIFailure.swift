import Domain
import HTTP
import Persistence

/// The errors of the partner API v1, in api.md §4's shapes. Like `WebError`, an
/// `HTTPResponseError`: `ErrorRenderingMiddleware` answers with `response`.
struct APIFailure: HTTPResponseError, Sendable {
    let status: HTTPStatus
    let body: JSONValue
    var headers: HTTPHeaders = [:]

    var publicMessage: String { body.text }

    var response: HTTPResponse {
        var response = APIResponse.json(body, status: status)
        for (name, value) in headers { response.headers[name] = value }
        return response
    }

    static func errors(_ messages: [String], status: HTTPStatus) -> APIFailure {
        APIFailure(status: status, body: .object([("errors", .array(messages.map(JSONValue.string)))]))
    }

    static let unauthenticated = errors(["Vous devez vous connecter ou vous inscrire pour continuer."], status: .unauthorized)
    static let invalidCredentials = APIFailure(
        status: .unauthorized,
        body: .object([("success", .bool(false)), ("errors", .array([.string("Identifiants de connexion invalides.")]))]))

    /// A record out of the caller's scope reads as absent (api.md §4, permissions.md preamble).
    static func notFound(_ model: String, id: String) -> APIFailure {
        errors(["\(model) introuvable (id=\(id))"], status: .notFound)
    }

    static func forbidden(_ reason: String = "Vous n'avez pas accès à cette page.") -> APIFailure {
        APIFailure(
            status: .forbidden,
            body: .object([
                ("errors", .array([.object([("base", .string("forbidden"))])])),
                ("error_messages", .array([.string(reason)])),
            ]))
    }

    /// 400: required query parameters missing.
    static func missing(_ names: [String]) -> APIFailure {
        APIFailure(status: .badRequest, body: .object([("missing", .string(names.joined(separator: ", ")))]))
    }

    /// 422: `{"errors": {"<field>": [{"error": "<code>"}]}, "error_messages": ["<field> <message>"]}`.
    static func invalid(_ issues: [(field: String, code: String, message: String)]) -> APIFailure {
        var byField: [(String, [JSONValue])] = []
        for issue in issues {
            let entry = JSONValue.object([("error", .string(issue.code))])
            if let index = byField.firstIndex(where: { $0.0 == issue.field }) {
                byField[index].1.append(entry)
            } else {
                byField.append((issue.field, [entry]))
            }
        }
        return APIFailure(
            status: HTTPStatus(422),
            body: .object([
                ("errors", .object(byField.map { ($0.0, .array($0.1)) })),
                ("error_messages", .array(issues.map { .string("\($0.field) \($0.message)") })),
            ]))
    }

    /// 422 from the domain's validation: its errors only (api.md §4: benign warnings never block
    /// the API). A field left blank is `blank`, any other refusal `invalid`.
    static func invalid(_ issues: [ValidationIssue]) -> APIFailure {
        invalid(
            issues.filter { $0.severity == .error }.map { issue in
                (issue.field, issue.message.hasPrefix("doit être rempli") ? "blank" : "invalid", issue.message)
            })
    }

    static func tooManyRequests(retryAfter seconds: Int) -> APIFailure {
        var failure = errors(["Trop de requêtes. Réessayez dans \(seconds) secondes."], status: HTTPStatus(429))
        failure.headers["Retry-After"] = String(seconds)
        return failure
    }

    static let internalError = errors(["Unexpected internal error"], status: .internalServerError)
}

/// JSON bodies of the API v1: a record under its singular name, a collection under its plural
/// with the pagination `meta` of api.md §3.
enum APIResponse {
    static func json(_ body: JSONValue, status: HTTPStatus = .ok, headers: HTTPHeaders = [:]) -> HTTPResponse {
        var all = headers
        all["Content-Type"] = "application/json; charset=utf-8"
        // Tokens and personal data: no shared or browser cache keeps them (RFC 9111 §5.2.2.5).
        all["Cache-Control"] = "no-store"
        return HTTPResponse(status: status, headers: all, body: .bytes(body.bytes))
    }

    static func record(_ root: String, _ value: JSONValue) -> HTTPResponse {
        json(.object([(root, value)]))
    }

    static func noContent() -> HTTPResponse {
        HTTPResponse(status: .noContent, headers: [:], body: .bytes([]))
    }

    static func collection(_ root: String, _ page: APIPage, items: [JSONValue]) -> HTTPResponse {
        json(.object([(root, .array(items)), ("meta", page.meta)]))
    }
}

/// api.md §3: `page` (from 1), 100 items a page.
struct APIPage: Sendable, Equatable {
    static let size = AppDatabase.apiPageSize
    /// The last page anyone may ask for (10⁸ records): beyond it the offset is meaningless.
    static let maximum = 1_000_000
    let number: Int
    let totalCount: Int

    var offset: Int { (number - 1) * Self.size }

    /// Page `number` of records filtered in memory (those a policy keeps).
    static func slice<T>(_ all: [T], page number: Int) -> [T] {
        Array(all.dropFirst((number - 1) * size).prefix(size))
    }
    var totalPages: Int { max(1, (totalCount + Self.size - 1) / Self.size) }

    var meta: JSONValue {
        .object([
            ("current_page", .int(Int64(number))),
            ("next_page", number < totalPages ? .int(Int64(number + 1)) : .null),
            ("prev_page", number > 1 ? .int(Int64(number - 1)) : .null),
            ("total_pages", .int(Int64(totalPages))), ("total_count", .int(Int64(totalCount))),
        ])
    }

    /// The `page` parameter: a positive integer, 1 when absent; anything else is a 400.
    static func number(_ text: String?) throws -> Int {
        guard let text else { return 1 }
        guard let number = Int(text), number >= 1, number <= maximum else {
            throw APIFailure.errors(["page doit être un entier positif"], status: .badRequest)
        }
        return number
    }
}
