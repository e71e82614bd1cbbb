import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Testing

@testable import Persistence
@testable import Web

/// admin.md §1: the organisation switcher, the main menu and the name menu; contracts.md §2:
/// the « Horloge simulée » banner under `RDV_NOW`.
@Suite("Navigation and the simulated clock banner")
struct NavigationTests {
    static func application(_ db: AppDatabase, simulatedClock: Bool) throws -> WebApplication {
        var settings = WebSettings(developmentOutbox: true)
        settings.simulatedClock = simulatedClock
        return WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: ManualClock(testNow),
            settings: settings)
    }

    static func signIn(_ browser: Browser) throws {
        let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        let response = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", csrf), ("email", "alice@example.fr"), ("password", "un mot de passe long")])
        #expect(response.status == 303)
    }

    @Test func theMainMenuLinksTheCurrentOrganisationsAreas() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try Self.application(db, simulatedClock: false))
        try Self.signIn(browser)
        let html = try browser.request("GET", "/admin/organisations/2/agent_agendas/1").text
        for link in [
            // The page is Alice's agenda in MDS Lens: its menu entry is the current one.
            #"<a class="fr-nav__link" href="/admin/organisations/2/agent_agendas/1" aria-current="page">Agenda</a>"#,
            #"<a class="fr-nav__link" href="/admin/organisations/2/creneaux_search">Trouver un RDV</a>"#,
            #"<a class="fr-nav__link" href="/admin/organisations/2/rdvs">Liste des RDV</a>"#,
            #"<a class="fr-nav__link" href="/admin/organisations/2/users">Usagers</a>"#,
            #"<a class="fr-nav__link" href="/agents/account">Mon compte</a>"#,
            #"<a class="fr-nav__link" href="/agents/preferences">Préférences de notifications</a>"#,
            #"<a class="fr-nav__link" href="/agents/calendar_sync">Synchronisation calendrier</a>"#,
            #"<a class="fr-nav__link" href="/admin/organisations/2" aria-current="true">MDS Lens</a>"#,
        ] {
            #expect(html.contains(link), "\(link)")
        }
        #expect(html.contains(#"aria-label="Changer d'organisation (actuelle : MDS Lens)">MDS Lens</summary>"#))
        #expect(!html.contains("Horloge simulée"))
    }

    @Test func aSimulatedClockIsShownOnEveryPageWithItsInstant() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try Self.application(db, simulatedClock: true))
        // 2025-11-25T09:00:00Z is 10h00 in Paris.
        let banner = "Horloge simulée : nous sommes le mardi 25 novembre 2025 à 10h00."
        #expect(try browser.request("GET", "/agents/sign_in").text.contains(banner))
        let missing = try browser.request("GET", "/nulle-part")
        #expect(missing.status == 404)
        #expect(missing.text.contains(banner))
        try Self.signIn(browser)
        #expect(try browser.request("GET", "/admin/organisations/1/agent_agendas/1").text.contains(banner))
    }

    /// The flash is spent by the page that shows it: a redirect (here the public search's
    /// chosen address) passes it on.
    @Test func aRedirectPassesTheFlashOnToThePageThatShowsIt() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try Self.application(db, simulatedClock: false))
        browser.cookies["rdv_flash"] = "signed_out"
        let redirect = try browser.request("GET", "/prendre_rdv?address_choice=Arras%7C62041%7C%7C%7C")
        #expect(redirect.status == 303)
        #expect(!redirect.headers.contains { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("rdv_flash=") })
        let page = try browser.request("GET", "/agents/sign_in")
        #expect(page.text.contains("Vous êtes déconnecté(e)."))
        #expect(page.headers.contains { $0.0.lowercased() == "set-cookie" && $0.1.hasPrefix("rdv_flash=;") })
    }
}
