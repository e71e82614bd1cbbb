import DatabaseTestSupport
import Domain
import Foundation
import HTTP
import Logging
import Testing

@testable import Web

@Suite("Middleware chain")
struct MiddlewareTests {
    /// Appends its name on the way in (to a request-scoped list) and on the way out (to a header).
    struct Tracer: WebMiddleware {
        let name: String
        var answers = false

        func respond(to exchange: inout Exchange, next: Next) throws -> HTTPResponse {
            exchange.setCookies.append("in:\(name)")
            if answers { return .text("answered by \(name)") }
            var response = try next(&exchange)
            response.headers.add(name: "X-Trace", value: "out:\(name)")
            return response
        }
    }

    func exchange() -> Exchange {
        Exchange(
            request: HTTPRequest(method: "GET", target: "/"),
            context: RequestContext(requestID: "t", logger: .init(label: "t")), routes: RouteTable([]))
    }

    @Test func middlewaresRunInRegistrationOrderAroundTheEndpoint() throws {
        var ex = exchange()
        let chain = MiddlewareChain(middlewares: [Tracer(name: "a"), Tracer(name: "b")])
        let response = try chain.run(&ex) { _ in .text("endpoint") }
        #expect(ex.setCookies == ["in:a", "in:b"])
        #expect(response.headers.values(for: "X-Trace") == ["out:b", "out:a"])
    }

    @Test func aMiddlewareMayAnswerWithoutCallingTheRest() throws {
        var ex = exchange()
        var endpointRan = false
        let chain = MiddlewareChain(middlewares: [Tracer(name: "a", answers: true), Tracer(name: "b")])
        let response = try chain.run(&ex) { _ in
            endpointRan = true
            return .text("endpoint")
        }
        #expect(!endpointRan)
        #expect(ex.setCookies == ["in:a"])
        let body = try #require(response.body.bytes)
        #expect(String(decoding: body, as: UTF8.self) == "answered by a")
    }
}

@Suite("What runs on the I/O thread")
struct InlineResponseTests {
    /// Only what cannot block skips the worker pool: the health check, and a path no route serves
    /// (refused before any session is read, its page rendered once).
    @Test func theHealthCheckAndUnroutedPathsOnly() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try makeWebApplication(db, clock: ManualClock(testNow))
        let inline = ["/health", "/nulle-part", "/wp-login.php", "/admin/nulle-part/1"]
        let onWorkers = ["/", "/agents/sign_in", "/api/v1/creneaux?motif_id=1", "/css/app.css", "/admin/organisations/1/rdvs"]
        for path in inline {
            #expect(app.canRespondInline(to: HTTPRequest(method: "GET", target: path)), "\(path)")
        }
        for path in onWorkers {
            #expect(!app.canRespondInline(to: HTTPRequest(method: "GET", target: path)), "\(path)")
        }
    }

    @Test func anUnroutedPathIsTheAnonymousNotFoundPageEvenWithASessionCookie() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try makeWebApplication(db, clock: ManualClock(testNow))
        let response = app.respond(
            to: HTTPRequest(method: "GET", target: "/nulle-part", headers: ["Cookie": "rdv_session=\(String(repeating: "a", count: 64))"]))
        #expect(response.status.code == 404)
        #expect(response.headers["Set-Cookie"] == nil)
    }
}
