import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Persistence
import Testing

@testable import Web

@Suite("Agent sign-in over real sockets", .serialized)
struct AgentSignInTests {
    /// Behind the TLS proxy (`RDV_PUBLIC_URL` in https): every cookie is `Secure` and HSTS is sent
    /// (ASVS 3.4.1, 9.1.1; on plain HTTP, as in the scanners' loopback runs, neither is).
    @Test func overHTTPSCookiesAreSecureAndHSTSIsSent() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = WebSettings(developmentOutbox: true)
        settings.https = true
        settings.publicURL = "https://rdv.example.fr"
        let app = WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: ManualClock(testNow),
            settings: settings)
        let browser = Browser(app: app)
        let page = try browser.request("GET", "/agents/sign_in")
        #expect(page.header("Strict-Transport-Security") == "max-age=63072000; includeSubDomains")
        let csrf = try #require(page.headers.first { $0.name == "Set-Cookie" && $0.value.hasPrefix("rdv_csrf=") }?.value)
        #expect(csrf.contains("; Secure"))
        let signIn = try browser.request(
            "POST", "/agents/sign_in",
            form: [
                ("authenticity_token", try #require(Browser.token(in: page.text))), ("email", "alice@example.fr"),
                ("password", "un mot de passe long"),
            ])
        #expect(signIn.status == 303)
        let session = try #require(
            signIn.headers.first { $0.name == "Set-Cookie" && $0.value.hasPrefix("rdv_session=") }?.value)
        #expect(session.contains("; Secure") && session.contains("HttpOnly"))
    }

    @Test func theAgentSignsInReachesTheHomeAndSignsOut() throws {
        try withWebServer { port, _ in
            let browser = Browser(port: port)
            // Given the sign-in page
            let page = try browser.request("GET", "/agents/sign_in")
            #expect(page.status == 200)
            let token = try #require(Browser.token(in: page.text))
            // When the agent signs in
            let signIn = try browser.request(
                "POST", "/agents/sign_in",
                form: [
                    ("authenticity_token", token), ("email", "Alice@Example.fr "), ("password", "un mot de passe long"),
                ])
            // Then a session cookie is set and the home lists both organisations
            #expect(signIn.status == 303)
            #expect(signIn.header("Location") == "/agents")
            let cookie = try #require(
                signIn.headers.first { $0.name == "Set-Cookie" && $0.value.hasPrefix("rdv_session=") }?.value)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/"))
            // The home is the agent's own agenda in its first organisation
            let landing = try browser.request("GET", "/agents")
            #expect(landing.status == 303)
            #expect(landing.header("Location") == "/admin/organisations/1/agent_agendas/1")
            let home = try browser.request("GET", "/admin/organisations/1/agent_agendas/1")
            #expect(home.status == 200)
            #expect(home.text.contains("MDS Arras") && home.text.contains("MDS Lens"))
            #expect(home.text.contains("Alice MARTIN"))
            // And signing out ends the session
            let homeToken = try #require(Browser.token(in: home.text))
            let signOut = try browser.request(
                "POST", "/agents/sign_out", form: [("_method", "DELETE"), ("authenticity_token", homeToken)])
            #expect(signOut.status == 303)
            #expect(signOut.header("Location") == "/agents/sign_in")
            #expect(try browser.request("GET", "/agents/sign_in").text.contains("Vous êtes déconnecté(e)."))
            let after = try browser.request("GET", "/agents")
            #expect(after.status == 303)
            #expect(after.header("Location") == "/agents/sign_in")
        }
    }

    @Test func signingInAgainReplacesTheSessionIDNoFixation() throws {
        try withWebServer { port, db in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            let form = [
                ("authenticity_token", token), ("email", "alice@example.fr"), ("password", "un mot de passe long"),
            ]
            _ = try browser.request("POST", "/agents/sign_in", form: form)
            let first = try #require(browser.cookies["rdv_session"])
            // Signing in again from the same browser (with its session cookie) gives a new id
            let page = try browser.request("GET", "/agents/sign_in")
            #expect(page.status == 303)  // already signed in: sent home
            let home = try browser.request("GET", "/admin/organisations/1/agent_agendas/1")
            let csrf = try #require(Browser.token(in: home.text))
            _ = try browser.request(
                "POST", "/agents/sign_in", form: [("authenticity_token", csrf)] + form.dropFirst())
            let second = try #require(browser.cookies["rdv_session"])
            #expect(first != second)
            // and the first id is dead
            #expect(try db.session(token: first, now: testNow) == nil)
            #expect(try db.session(token: second, now: testNow) != nil)
        }
    }

    @Test func anUnexpectedFailureIsA500WithTheRequestIDAndNoInternals() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        // A template directory without templates: rendering fails inside the handler.
        let empty = directory.appendingPathComponent("no-templates")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let app = WebApplication(
            db: db, renderer: try TemplateRenderer(directory: empty),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: ManualClock(testNow))
        let response = try app.respond(
            to: HTTPRequest(method: "GET", target: "/agents/sign_in", headers: ["Host": "x"]),
            context: RequestContext(requestID: "0-9", logger: .init(label: "t")))
        #expect(response.status.code == 500)
        let body = try #require(response.body.bytes)
        let text = String(decoding: body, as: UTF8.self)
        #expect(!text.contains("MissingTemplate") && !text.contains("agents/sessions/new"))
        #expect(response.headers["Content-Security-Policy"] != nil)
    }

    @Test func aWrongPasswordShowsAFrenchErrorAndKeepsTheEmail() throws {
        try withWebServer { port, _ in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            for email in ["alice@example.fr", "nobody@example.fr"] {
                let response = try browser.request(
                    "POST", "/agents/sign_in",
                    form: [("authenticity_token", token), ("email", email), ("password", "faux")])
                // The same answer whether or not the e-mail exists (booking.md §3.2)
                #expect(response.status == 422)
                #expect(response.text.contains("E-mail ou mot de passe incorrect."))
                #expect(response.text.contains(#"value="\#(email)""#))
                #expect(browser.cookies["rdv_session"] == nil)
            }
        }
    }

    @Test func tenFailuresLockTheAccountEvenForTheRightPassword() throws {
        let clock = ManualClock(testNow)
        try withWebServer(clock: clock) { port, db in
            for _ in 1...10 { try db.recordFailedSignIn(agentID: 1, now: clock.now) }
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            let form = [
                ("authenticity_token", token), ("email", "alice@example.fr"), ("password", "un mot de passe long"),
            ]
            let locked = try browser.request("POST", "/agents/sign_in", form: form)
            #expect(locked.status == 422)
            #expect(locked.text.contains("Compte verrouillé pendant 15 minutes après trop d&#39;essais."))
            // After 15 minutes the right password works again
            clock.advance(by: 15 * 60 + 1)
            #expect(try browser.request("POST", "/agents/sign_in", form: form).status == 303)
        }
    }

    /// Failures on made-up e-mails from one address (or one proxy) no longer lock out an agent
    /// who types the right password there.
    @Test func failuresOnOtherAccountsFromOneAddressDoNotBlockTheRightPassword() throws {
        try withWebServer { port, _ in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            for i in 1...12 {
                _ = try browser.request(
                    "POST", "/agents/sign_in",
                    form: [("authenticity_token", token), ("email", "x\(i)@example.fr"), ("password", "x")])
            }
            let response = try browser.request(
                "POST", "/agents/sign_in",
                form: [
                    ("authenticity_token", token), ("email", "alice@example.fr"), ("password", "un mot de passe long"),
                ])
            #expect(response.status == 303)
        }
    }

    /// One address trying a new e-mail each time gets 30 scrypt verifications at once, then one
    /// per 2 s; other addresses are unaffected.
    @Test func oneAddressCannotMakeTheServerHashWithoutEnd() {
        let throttle = SignInThrottle()
        let start = testNow
        let allowed = (0..<40).filter { _ in throttle.allowAttempt(address: "203.0.113.7", now: start) }.count
        #expect(allowed == 30)
        #expect(throttle.allowAttempt(address: "198.51.100.1", now: start))
        #expect(!throttle.allowAttempt(address: "203.0.113.7", now: start.addingTimeInterval(1)))
        #expect(throttle.allowAttempt(address: "203.0.113.7", now: start.addingTimeInterval(2)))
    }

    /// Repeated failures on one (address, account) pair must wait, with a doubling delay.
    @Test func repeatedFailuresOnOnePairWaitGrowingDelays() throws {
        let clock = ManualClock(testNow)
        try withWebServer(clock: clock) { port, _ in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            let wrong = [("authenticity_token", token), ("email", "nobody@example.fr"), ("password", "x")]
            for _ in 1...3 {
                #expect(try browser.request("POST", "/agents/sign_in", form: wrong).text.contains("incorrect"))
            }
            // The fourth try within the second waits
            #expect(try browser.request("POST", "/agents/sign_in", form: wrong).text.contains("Trop de tentatives"))
            clock.advance(by: 1.5)
            #expect(try browser.request("POST", "/agents/sign_in", form: wrong).text.contains("incorrect"))
            // Now 2 s
            clock.advance(by: 1.5)
            #expect(try browser.request("POST", "/agents/sign_in", form: wrong).text.contains("Trop de tentatives"))
        }
    }

    @Test func theThrottleKeysOnTheForwardedClientOnlyBehindATrustedProxy() {
        let throttle = SignInThrottle(freeFailures: 0)
        let proxy = ClientAddress(trustedProxies: ["10.0.0.5"])
        func exchange(peer: String, forwarded: String) -> Exchange {
            Exchange(
                request: HTTPRequest(method: "POST", target: "/agents/sign_in", headers: ["X-Forwarded-For": forwarded]),
                context: RequestContext(requestID: "t", logger: .init(label: "t"), remoteAddress: peer),
                routes: RouteTable([]))
        }
        #expect(proxy.of(exchange(peer: "10.0.0.5", forwarded: "203.0.113.7, 10.0.0.5")) == "203.0.113.7")
        // A client cannot pick its address by sending the header itself
        #expect(proxy.of(exchange(peer: "198.51.100.2", forwarded: "203.0.113.7")) == "198.51.100.2")
        throttle.recordFailure(address: "203.0.113.7", email: "a@b.fr", now: testNow)
        #expect(throttle.delay(address: "203.0.113.7", email: "A@b.fr ", now: testNow) == 2)
        #expect(throttle.delay(address: "203.0.113.8", email: "a@b.fr", now: testNow) == 0)
    }

    /// With `RDV_PUBLIC_URL` configured, the Origin must be its origin, whatever `Host` says.
    @Test func theOriginIsComparedWithThePublicURL() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        var settings = WebSettings(publicURL: "https://rdv.example.fr/")
        settings.publicOrigin = WebSettings.origin(of: settings.publicURL)
        #expect(settings.publicOrigin == "https://rdv.example.fr")
        let app = WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: ManualClock(testNow),
            settings: settings)
        let browser = Browser(app: app)
        let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        let form = [("authenticity_token", token), ("email", "alice@example.fr"), ("password", "un mot de passe long")]
        // Host is 127.0.0.1:0 in process: an Origin matching Host is refused, the public one accepted
        #expect(try browser.request("POST", "/agents/sign_in", form: form, headers: ["Origin": "http://127.0.0.1:0"])
            .status == 403)
        #expect(try browser.request("POST", "/agents/sign_in", form: form, headers: ["Origin": "https://rdv.example.fr"])
            .status == 303)
    }

    @Test(arguments: [
        ("missing token", [("email", "alice@example.fr"), ("password", "x")], [String: String]()),
        ("wrong token", [("authenticity_token", "00"), ("email", "a"), ("password", "x")], [:]),
        ("foreign origin", [("email", "a"), ("password", "x")], ["Origin": "https://evil.example"]),
    ])
    func forgedRequestsGet403(name: String, form: [(String, String)], headers: [String: String]) throws {
        try withWebServer { port, _ in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            let fields = name == "foreign origin" ? form + [("authenticity_token", token)] : form
            let response = try browser.request("POST", "/agents/sign_in", form: fields, headers: headers)
            #expect(response.status == 403, "\(name)")
            #expect(response.text.contains("Accès refusé"))
        }
    }

    @Test func anotherAgentsOrganisationIsForbidden() throws {
        try withWebServer { port, _ in
            let browser = Browser(port: port)
            let token = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
            _ = try browser.request(
                "POST", "/agents/sign_in",
                form: [
                    ("authenticity_token", token), ("email", "alice@example.fr"), ("password", "un mot de passe long"),
                ])
            #expect(try browser.request("GET", "/admin/organisations/2/agent_agendas/1").text.contains("MDS Lens"))
            // permissions.md: an organisation out of the agent's scope is absent
            let other = try browser.request("GET", "/admin/organisations/99")
            #expect(other.status == 404)
            #expect(other.text.contains("Vous n&#39;avez pas accès à cette page."))
        }
    }

    @Test(arguments: ["/agents/sign_in", "/nulle-part", "/css/app.css", "/health", "/agents"])
    func everyResponseCarriesTheSecurityHeaders(path: String) throws {
        try withWebServer { port, _ in
            let response = try Browser(port: port).request("GET", path)
            #expect(response.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
            #expect(response.header("Content-Security-Policy")?.contains("script-src 'self'") == true)
            #expect(response.header("X-Content-Type-Options") == "nosniff")
            #expect(response.header("Referrer-Policy") != nil)
            #expect(response.header("Permissions-Policy") != nil)
        }
    }

    @Test func anIPv6ClientIsLimitedByItsSlash64() {
        #expect(ClientRateLimit.key("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(ClientRateLimit.key("2001:DB8:1:2:bbbb:cccc:dddd:eeee") == "2001:db8:1:2::/64")
        #expect(ClientRateLimit.key("2001:db8::1") == "2001:db8:0:0::/64")
        #expect(ClientRateLimit.key("::1") == "0:0:0:0::/64")
        #expect(ClientRateLimit.key("::ffff:192.0.2.1") == "192.0.2.1")
        #expect(ClientRateLimit.key("192.0.2.1") == "192.0.2.1")
        let limit = ClientRateLimit(burst: 2, perMinute: 1)
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(limit.allow("2001:db8:1:2::a", now: now) && limit.allow("2001:db8:1:2::b", now: now))
        #expect(!limit.allow("2001:db8:1:2::c", now: now))
        #expect(limit.allow("2001:db8:1:3::c", now: now))
    }
}
