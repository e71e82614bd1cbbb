import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// Every page state, as the controllers really answer it (in process, on the web fixture), or
/// as its view model's `load` builds it where the state needs data the fixture lacks; compared
/// with `Golden/<name>.html`. CSRF tokens are random: they are replaced by a placeholder. To
/// re-record after an intended change: `RDV_RECORD_GOLDEN=1 swift test --filter GoldenPageTests`,
/// then review the diff.
@Suite("Golden HTML pages", .serialized)
struct GoldenPageTests {
    static let renderer = try! TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates"))
    static let token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

    /// A browser on a fresh web fixture, signed in as Alice when asked.
    static func withBrowser(signedIn: Bool, _ body: (Browser) throws -> String) throws -> String {
        try withBrowser(
            fixture: webFixture, signedIn: signedIn ? ("alice@example.fr", "un mot de passe long") : nil, body)
    }

    /// A browser on a fresh database holding `fixture` (rdv-import/1), signed in with
    /// `signedIn` (e-mail, password) when given.
    static func withBrowser(
        fixture: String, signedIn: (email: String, password: String)?, clock: any Clock = ManualClock(testNow),
        _ body: (Browser) throws -> String
    ) throws -> String {
        let (db, directory) = try makeWebDatabase(fixture: fixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: clock))
        if let signedIn {
            let csrf = try token(in: try browser.request("GET", "/agents/sign_in").text)
            let response = try browser.request(
                "POST", "/agents/sign_in",
                form: [("authenticity_token", csrf), ("email", signedIn.email), ("password", signedIn.password)])
            #expect(response.status == 303)
        }
        return try body(browser)
    }

    static func token(in html: String) throws -> String {
        guard let token = Browser.token(in: html) else { throw TestClientError(description: "no CSRF token") }
        return token
    }

    static func get(_ path: String, signedIn: Bool, status: Int = 200) throws -> String {
        try withBrowser(signedIn: signedIn) { browser in
            let response = try browser.request("GET", path)
            #expect(response.status == status, "\(path)")
            return response.text
        }
    }

    /// The page `path` redirects a signed-in Alice to (303), as the browser shows it.
    static func landing(_ path: String) throws -> String {
        try withBrowser(signedIn: true) { browser in
            let response = try browser.request("GET", path)
            #expect(response.status == 303, "\(path)")
            let location = try #require(response.headers.first { $0.0 == "Location" }?.1)
            return try browser.request("GET", location).text
        }
    }

    static let layout = LayoutModel(signedInAgent: .init(displayName: "Alice MARTIN"), csrfToken: token)

    static let pages: [String: @Sendable () throws -> String] = [
        "agent-sign-in": { try get("/agents/sign_in", signedIn: false) },
        "agent-sign-in-error": {
            try withBrowser(signedIn: false) { visitor in
                let csrf = try token(in: try visitor.request("GET", "/agents/sign_in").text)
                let response = try visitor.request(
                    "POST", "/agents/sign_in",
                    form: [("authenticity_token", csrf), ("email", "alice@example.fr\"><script>"), ("password", "faux")])
                #expect(response.status == 422)
                return response.text
            }
        },
        "agent-sign-in-signed-out": {
            try withBrowser(signedIn: false) { visitor in
                visitor.cookies["rdv_flash"] = "signed_out"
                return try visitor.request("GET", "/agents/sign_in").text
            }
        },
        // The home page is the agent's agenda (issue 11): both redirect to it.
        "agent-home": { try landing("/agents") },
        "agent-home-second-organisation": { try landing("/admin/organisations/2") },
        "agent-home-no-organisation": {
            let account = AgentAccount(
                id: 9, email: "paul@example.fr", firstName: "Paul", lastName: "Moreau", passwordHash: nil,
                failedSignInCount: 0, lockedUntil: nil)
            let context = AgentContext(
                account: account, principal: Principal(agentID: 9, memberships: [], serviceIDs: [], isSecretary: false),
                memberships: [], currentOrganisation: nil)
            return try renderer.render(
                AgentHomePage.load(context),
                layout: LayoutModel(signedInAgent: .init(displayName: "Paul MOREAU"), csrfToken: token))
        },
        "dev-outbox-empty": { try get("/admin/boite_d_envoi", signedIn: true) },
        "dev-outbox": {
            try renderer.render(
                DevOutboxPage.load([
                    DevOutboxMessage(
                        id: 2, channel: "mail", recipient: "jean@example.fr", subject: "RDV confirmé le lundi 30 novembre",
                        body: "Votre RDV du lundi 30 novembre 2026 à 10h00 a été confirmé.\n\n<b>non interprété</b>",
                        hasCalendar: true, createdAt: testNow.addingTimeInterval(60)),
                    DevOutboxMessage(
                        id: 1, channel: "sms", recipient: "+33612345678", subject: nil,
                        body: "RDV PMI lundi 30/11 à 10h00.", hasCalendar: false, createdAt: testNow),
                ]), layout: layout)
        },
        "error-404": { try get("/nope", signedIn: false, status: 404) },
        "error-404-other-organisation": { try get("/admin/organisations/999", signedIn: true, status: 404) },
        "error-500": {
            let response = PageResponses(templates: renderer).errorPage(.internalError, layout: layout, requestID: "0-2a")
            guard case .bytes(let bytes) = response.body else { return "" }
            return String(decoding: bytes, as: UTF8.self)
        },
    ]

    /// Random CSRF tokens become the fixed placeholder.
    static func normalised(_ html: String) -> String {
        html.replacing(/value="[0-9a-f]{64}"/, with: "value=\"\(token)\"")
    }

    @Test(arguments: pages.keys.sorted())
    func pageMatchesItsGoldenFile(name: String) throws {
        let render = try #require(Self.pages[name])
        try Self.expectGolden(name, try render())
    }

    /// Compares `html` (normalised) with `Golden/<name>.html`, or records it under
    /// `RDV_RECORD_GOLDEN=1`. Other suites call it for their own pages.
    static func expectGolden(_ name: String, _ html: String) throws {
        let html = normalised(html)
        let file = packageRoot.appendingPathComponent("Tests/WebTests/Golden/\(name).html")
        if ProcessInfo.processInfo.environment["RDV_RECORD_GOLDEN"] == "1" {
            try html.write(to: file, atomically: true, encoding: .utf8)
            return
        }
        let golden = try String(contentsOf: file, encoding: .utf8)
        let (got, want) = (
            html.split(separator: "\n", omittingEmptySubsequences: false),
            golden.split(separator: "\n", omittingEmptySubsequences: false)
        )
        if let line = zip(got, want).enumerated().first(where: { $0.element.0 != $0.element.1 }) {
            Issue.record(
                "\(name).html differs at line \(line.offset + 1):\n  got:  \(line.element.0)\n  want: \(line.element.1)"
            )
        } else {
            #expect(got.count == want.count, "\(name).html: \(got.count) lines, golden has \(want.count)")
        }
    }

    @Test func userInputIsEscapedAndKept() throws {
        let render = try #require(Self.pages["agent-sign-in-error"])
        let html = try render()
        #expect(html.contains("value=\"alice@example.fr&quot;&gt;&lt;script&gt;\""))
        #expect(!html.contains("<script>"))
        #expect(html.contains("<title>Erreur : Connexion agent"))
        #expect(html.contains("aria-describedby=\"sign-in-error\""))
    }
}
