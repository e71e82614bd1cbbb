import HTTP
import Logging

/// The rest of the chain, as seen by a middleware.
public typealias Next = (inout Exchange) throws -> HTTPResponse

/// A step around every request, as (request, context, next) (style.md §8.6). Middlewares run in
/// registration order; each may answer by itself or call `next` and adjust the response.
public protocol WebMiddleware: Sendable {
    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse
}

/// Runs `middlewares` in order around `endpoint`.
struct MiddlewareChain: Sendable {
    let middlewares: [any WebMiddleware]

    func run(_ exchange: inout Exchange, from index: Int = 0, endpoint: Next) throws -> HTTPResponse {
        guard index < middlewares.count else { return try endpoint(&exchange) }
        return try middlewares[index].respond(to: &exchange) { inner in
            try run(&inner, from: index + 1, endpoint: endpoint)
        }
    }
}

/// Outermost: every response, error pages included, gets the security headers and the cookies.
struct SecurityHeadersMiddleware: WebMiddleware {
    let https: Bool

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        var response = try next(&exchange)
        for cookie in exchange.setCookies { response.headers.add(name: "Set-Cookie", value: cookie) }
        SecurityHeaders.apply(to: &response, https: https)
        return response
    }
}

/// Errors become French error pages; anything unexpected is a 500 with the request id logged.
struct ErrorPagesMiddleware: WebMiddleware {
    let app: WebApplication

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        do {
            return try next(&exchange)
        } catch let error as WebError {
            return app.errorPage(error, exchange)
        } catch {
            let context = exchange.context
            context.logger.error(
                "request failed", metadata: ["id": "\(context.requestID)", "error": "\(String(reflecting: error))"])
            return app.errorPage(
                WebError(
                    status: .internalServerError, heading: "Erreur du serveur",
                    message: "Une erreur inattendue s'est produite. Nos équipes en ont été informées."),
                exchange, requestID: context.requestID)
        }
    }
}

/// Parses form bodies, and loads the session, agent, CSRF token and flash (pages only).
struct SessionMiddleware: WebMiddleware {
    let app: WebApplication

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        if exchange.url?.isPage ?? false {
            try app.decodeForm(&exchange)
            try app.loadSession(&exchange)
        }
        return try next(&exchange)
    }
}

/// Refuses state-changing requests without this visitor's token, or from another origin.
struct CSRFMiddleware: WebMiddleware {
    let app: WebApplication

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        if exchange.url?.isPage ?? false, exchange.isUnsafe { try app.checkCSRF(exchange) }
        return try next(&exchange)
    }
}
