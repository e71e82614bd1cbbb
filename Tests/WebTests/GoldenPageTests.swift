import Foundation
import Testing

@testable import Web

/// Every page rendered from a fixture and compared with `Golden/<name>.html`. To re-record after
/// an intended change: `RDV_RECORD_GOLDEN=1 swift test --filter GoldenPageTests`, then review
/// the diff.
@Suite("Golden HTML pages")
struct GoldenPageTests {
    static let renderer = try! TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates"))
    static let token = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
    static let agent = LayoutModel.SignedInAgent(displayName: "Alice MARTIN")

    static let pages: [(String, any PageModel)] = [
        ("agent-sign-in", AgentSignInPage(email: "", errorMessage: nil, csrfToken: token, flash: nil)),
        (
            "agent-sign-in-error",
            AgentSignInPage(
                email: "alice@example.fr\"><script>", errorMessage: "E-mail ou mot de passe incorrect.",
                csrfToken: token,
                flash: nil)
        ),
        (
            "agent-sign-in-signed-out",
            AgentSignInPage(
                email: "", errorMessage: nil, csrfToken: token,
                flash: .init(kind: "success", message: "Vous êtes déconnecté(e)."))
        ),
        (
            "agent-home",
            AgentHomePage(
                firstName: "Alice",
                organisations: [
                    .init(name: "MDS Arras", path: "/admin/organisations/1"),
                    .init(name: "MDS Lens", path: "/admin/organisations/2"),
                ],
                hasSeveralOrganisations: true,
                currentOrganisation: .init(
                    name: "MDS Arras", territoryName: "Pas-de-Calais", roleLabel: "administrateur de l'organisation",
                    areas: AgentHomeController.areas),
                signedInAgent: agent, csrfToken: token, flash: nil)
        ),
        (
            "agent-home-no-organisation",
            AgentHomePage(
                firstName: "Paul", organisations: [], hasSeveralOrganisations: false, currentOrganisation: nil,
                signedInAgent: .init(displayName: "Paul MOREAU"), csrfToken: token, flash: nil)
        ),
        (
            "dev-outbox",
            DevOutboxPage(
                messages: [
                    .init(
                        channelLabel: "E-mail", recipient: "jean@example.fr",
                        subject: "RDV confirmé le lundi 30 novembre",
                        body: "Votre RDV du lundi 30 novembre 2026 à 10h00 a été confirmé.\n\n<b>non interprété</b>",
                        hasCalendar: true, sentAt: "mercredi 25 novembre 2026 à 10h01"),
                    .init(
                        channelLabel: "SMS", recipient: "+33612345678", subject: nil,
                        body: "RDV PMI lundi 30/11 à 10h00.", hasCalendar: false,
                        sentAt: "mercredi 25 novembre 2026 à 10h00"),
                ], isEmpty: false, signedInAgent: agent, csrfToken: token, flash: nil)
        ),
        (
            "dev-outbox-empty",
            DevOutboxPage(messages: [], isEmpty: true, signedInAgent: agent, csrfToken: token, flash: nil)
        ),
        (
            "error-404",
            ErrorPage(
                heading: WebError.notFound.heading, message: WebError.notFound.message, requestID: nil,
                signedInAgent: nil, csrfToken: token)
        ),
        (
            "error-500",
            ErrorPage(
                heading: "Erreur du serveur", message: "Une erreur inattendue s'est produite.", requestID: "0-2a",
                signedInAgent: agent, csrfToken: token)
        ),
    ]

    @Test(arguments: pages.map(\.0))
    func pageMatchesItsGoldenFile(name: String) throws {
        let model = try #require(Self.pages.first { $0.0 == name }?.1)
        let html = try Self.renderer.render(model)
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

    @Test func userInputIsEscaped() throws {
        let html = try Self.renderer.render(Self.pages[1].1)
        #expect(html.contains("value=\"alice@example.fr&quot;&gt;&lt;script&gt;\""))
        #expect(!html.contains("<script>"))
    }
}
