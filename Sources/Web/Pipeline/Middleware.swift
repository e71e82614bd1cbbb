import Domain
import Foundation
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

/// Under `RDV_NOW` every page says so, with the simulated instant (contracts.md §2: a simulated
/// clock is never silent). Before error rendering, so error pages show it too.
struct SimulatedClockMiddleware: WebMiddleware {
    let clock: (any Clock)?
    static let zone = TimeZone(identifier: "Europe/Paris")!

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        if let clock {
            exchange.simulatedClock =
                "Horloge simulée : nous sommes le \(NotificationFormat.mailDate(clock.now, in: Self.zone))."
        }
        return try next(&exchange)
    }
}

/// Errors become what the route's group speaks: a French page, a JSON body or plain text.
/// Anything unexpected is a 500 with the request id logged (never the error to the client).
struct ErrorRenderingMiddleware: WebMiddleware {
    let responses: PageResponses

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        do {
            return try next(&exchange)
        } catch let failure as APIFailure {
            return failure.response
        } catch let error as WebError {
            return render(error, exchange, requestID: nil)
        } catch {
            let context = exchange.context
            context.logger.error(
                "request failed", metadata: ["id": "\(context.requestID)", "error": "\(String(reflecting: error))"])
            return render(.internalError, exchange, requestID: context.requestID)
        }
    }

    func render(_ error: WebError, _ exchange: Exchange, requestID: String?) -> HTTPResponse {
        var response: HTTPResponse
        switch exchange.group {
        case .api:
            response = JSONResponse.error(error.message, status: error.status)
        case .partner:
            response = error.status == .internalServerError
                ? APIFailure.internalError.response : APIFailure.errors([error.message], status: error.status).response
        case .page:
            response = responses.errorPage(error, layout: exchange.layout, requestID: requestID)
        case .health, .asset, .feed:
            response = .text("\(error.heading)\n", status: error.status)
        }
        if error.status == .methodNotAllowed, let route = exchange.route {
            response.headers["Allow"] = route.allowedMethods.joined(separator: ", ")
        }
        return response
    }
}

/// Unknown paths are 404; a method the route does not answer is 405 with `Allow` (RFC 9110
/// §15.5.6), before any body is parsed or any session read.
struct RoutingMiddleware: WebMiddleware {
    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard let route = exchange.route else { throw WebError.notFound }
        guard route.accepts(wireMethod: exchange.request.method) else { throw WebError.methodNotAllowed }
        return try next(&exchange)
    }
}

/// Pages: the session, the signed-in agent, the CSRF token and the flash.
struct SessionMiddleware: WebMiddleware {
    let sessions: SessionLoader

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard exchange.group == .page else { return try next(&exchange) }
        try sessions.load(&exchange)
        let response = try next(&exchange)
        sessions.spendFlash(&exchange, response: response)
        return response
    }
}

/// Pages: the query is decoded; on unsafe methods the Origin is checked first, then the form
/// is parsed (multipart only on routes that take files), then its CSRF token is checked.
struct FormMiddleware: WebMiddleware {
    let forgery: ForgeryProtection

    func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
        guard [.page, .api, .partner].contains(exchange.group) else { return try next(&exchange) }
        if let query = exchange.request.query {
            do {
                exchange.query = try FormData(urlEncoded: query)
            } catch {
                throw exchange.group == .page ? WebError.badRequest : WebError.api(.badRequest, "paramètres illisibles")
            }
        }
        if exchange.group == .page, exchange.request.method != "GET", exchange.request.method != "HEAD" {
            try forgery.checkOrigin(exchange)
            try FormDecoding.decode(&exchange)
            try forgery.checkToken(exchange)
        }
        return try next(&exchange)
    }
}
