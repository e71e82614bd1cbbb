import Domain
import Exports
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Notifications
import Testing

@testable import Persistence
@testable import Web

/// « Exporter » on « Liste des RDV » and « Vos exports » (admin.md §6, §8), on `appointmentFixture`:
/// the request from the list's own form, the job run by the outbox scheduler, the download.
@Suite("Export requests and downloads", .serialized)
struct ExportRequestTests {
    let list = "/admin/organisations/1/rdvs"

    struct Session {
        let browser: Browser
        let db: AppDatabase
        let clock: ManualClock
        let files: URL

        /// Runs the export jobs due now, as `rdv serve`'s scheduler would.
        func runJobs() throws -> Int {
            try OutboxScheduler(
                db: db, clock: clock,
                handlers: ["export": ExportJobHandler(db: db, directory: files, logger: Logger(label: "test.export"))],
                logger: Logger(label: "test.scheduler")
            ).runOnce()
        }
    }

    private func withSession(as email: String = "alice@example.fr", _ body: (Session) throws -> Void) throws {
        let (db, directory) = try makeWebDatabase(fixture: appointmentFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let clock = ManualClock(testNow)
        var settings = WebSettings(developmentOutbox: true)
        let files = directory.appendingPathComponent("exports")
        settings.exportsDirectory = files
        let app = WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: clock, settings: settings)
        let browser = Browser(app: app)
        try signIn(browser, email)
        try body(Session(browser: browser, db: db, clock: clock, files: files))
    }

    private func signIn(_ browser: Browser, _ email: String) throws {
        let csrf = try #require(Browser.token(in: try browser.request("GET", "/agents/sign_in").text))
        let response = try browser.request(
            "POST", "/agents/sign_in",
            form: [("authenticity_token", csrf), ("email", email), ("password", "un mot de passe long")])
        #expect(response.status == 303)
    }

    private func location(_ response: WireResponse) -> String? {
        response.headers.first { $0.0.lowercased() == "location" }?.1
    }

    private func header(_ response: WireResponse, _ name: String) -> String? {
        response.headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// The hidden fields of the « Exporter » form, in order, as the browser would send them.
    private func exportForm(_ html: String) throws -> [(String, String)] {
        let start = try #require(html.range(of: #"<form method="post" action="/agents/exports""#))
        let form = html[start.lowerBound...]
        let end = try #require(form.range(of: "</form>"))
        return form[..<end.upperBound].matches(of: /<input type="hidden" name="([^"]+)" value="([^"]*)">/).map {
            (String($0.output.1), String($0.output.2).replacingOccurrences(of: "&amp;", with: "&"))
        }
    }

    @Test func theListsFormExportsItsFiltersAndTheOwnerDownloadsTheFile() throws {
        try withSession { s in
            let page = try s.browser.request("GET", list + "?agent_id=1&status=unknown_past&page=1")
            let hidden = try exportForm(page.text)
            // The filters travel, not the page number.
            #expect(hidden.map(\.0) == ["authenticity_token", "organisation_id", "agent_id", "status"])
            #expect(page.text.contains(#"<input type="radio" id="export_type-rdv_export" name="export_type" value="rdv_export" checked>"#))
            #expect(page.text.contains(#"<label class="fr-label" for="export_format-csv">CSV</label>"#))

            let response = try s.browser.request(
                "POST", "/agents/exports", form: hidden + [("export_type", "rdv_export"), ("export_format", "csv")])
            #expect(response.status == 303)
            #expect(location(response) == "/agents/exports")
            let pending = try s.browser.request("GET", "/agents/exports")
            #expect(pending.status == 200)
            #expect(pending.text.contains("L&#39;export est en préparation : vous recevrez un e-mail dès qu&#39;il sera prêt."))
            #expect(pending.text.contains("<td>export-rdv-2025-11-25-org-000001.csv</td><td>RDV</td><td>CSV</td>"))
            #expect(pending.text.contains(">En préparation</span>"))

            // The job: exactly the list's filtered rows (appointment 3), every page at once.
            let export = try #require(try s.db.exports(agentID: 1, now: s.clock.now).first)
            #expect(try s.db.appointmentListIDs(export.query) == [3])
            #expect(try s.runJobs() == 1)
            let ready = try s.browser.request("GET", "/agents/exports").text
            let download = "/agents/exports/\(export.uuid)"
            #expect(ready.contains(#"<a class="fr-link fr-link--sm" href="\#(download)" download>Télécharger"#))
            #expect(ready.contains(#"<span class="fr-hint-text">jusqu'au 25/11/2025 16h00</span>"#))
            try GoldenPageTests.expectGolden("agents-exports-index", ready.replacingOccurrences(of: export.uuid, with: "UUID"))

            let file = try s.browser.request("GET", download)
            #expect(file.status == 200)
            #expect(header(file, "Content-Type") == "text/csv; charset=utf-8")
            #expect(header(file, "Content-Disposition") == #"attachment; filename="export-rdv-2025-11-25-org-000001.csv""#)
            #expect(header(file, "Cache-Control") == "private, no-store")
            let lines = file.text.split(separator: "\r\n", omittingEmptySubsequences: true)
            #expect(lines.count == 2)
            #expect(lines.last?.contains("Consultation prénatale") == true)

            // 6 hours after it was computed: « Expiré », and the file is gone.
            s.clock.advance(by: ExportRules.validity)
            #expect(try s.runJobs() == 1)
            let expired = try s.browser.request("GET", "/agents/exports").text
            #expect(expired.contains(">Expiré</span>"))
            #expect(!expired.contains(download))
            #expect(try s.browser.request("GET", download).status == 404)
        }
    }

    @Test func rowsFollowTheRequestersScopeAndOnlyTheOwnerDownloads() throws {
        var download = ""
        try withSession(as: "carla@example.fr") { s in
            let hidden = try exportForm(try s.browser.request("GET", list).text)
            let response = try s.browser.request(
                "POST", "/agents/exports",
                form: hidden + [("export_type", "participations_export"), ("export_format", "xlsx")])
            #expect(response.status == 303)
            let export = try #require(try s.db.exports(agentID: 3, now: s.clock.now).first)
            // Carla (Social, basic) sees her own appointment only.
            #expect(try s.db.appointmentListIDs(export.query) == [4])
            #expect(export.type == .participations && export.format == .xlsx)
            #expect(try s.runJobs() == 1)
            download = "/agents/exports/\(export.uuid)"
            let file = try s.browser.request("GET", download)
            #expect(file.status == 200)
            #expect(Array(file.body.prefix(4)) == [0x50, 0x4B, 0x03, 0x04])  // a ZIP local file header
            #expect(
                header(file, "Content-Disposition")
                    == #"attachment; filename="export-participations-2025-11-25-org-000001.xlsx""#)

            // Alice, admin of the organisation, is told the file does not exist.
            let alice = Browser(app: try #require(appOf(s)))
            try signIn(alice, "alice@example.fr")
            #expect(try alice.request("GET", download).status == 404)
            #expect(!(try alice.request("GET", "/agents/exports").text.contains(export.uuid)))
        }
        #expect(!download.isEmpty)
    }

    /// The same application object, for a second browser.
    private func appOf(_ s: Session) -> WebApplication? {
        if case .inProcess(let app) = s.browser.transport { return app }
        return nil
    }

    @Test func forgedOrIncompleteRequestsAreRefused() throws {
        try withSession(as: "bruno@example.fr") { s in
            let hidden = try exportForm(try s.browser.request("GET", list).text)
            let choices = [("export_type", "rdv_export"), ("export_format", "xlsx")]
            // No CSRF token.
            #expect(
                try s.browser.request("POST", "/agents/exports", form: hidden.filter { $0.0 != "authenticity_token" } + choices)
                    .status == 403)
            // An organisation Bruno is not a member of.
            let elsewhere = hidden.map { $0.0 == "organisation_id" ? ($0.0, "2") : $0 }
            #expect(try s.browser.request("POST", "/agents/exports", form: elsewhere + choices).status == 404)
            // A type or format the form never offers.
            #expect(
                try s.browser.request("POST", "/agents/exports", form: hidden + [("export_type", "users"), ("export_format", "xlsx")])
                    .status == 422)
            #expect(
                try s.browser.request("POST", "/agents/exports", form: hidden + [("export_type", "rdv_export")]).status == 422)
            #expect(try s.db.exports(agentID: 2, now: s.clock.now).isEmpty)
            // Nobody's export: 404; signed out: to the sign-in page.
            #expect(try s.browser.request("GET", "/agents/exports/00000000-0000-0000-0000-000000000000").status == 404)
            let anonymous = Browser(app: try #require(appOf(s)))
            #expect(location(try anonymous.request("GET", "/agents/exports")) == "/agents/sign_in")
            let empty = try s.browser.request("GET", "/agents/exports").text
            #expect(empty.contains("Vous n'avez demandé aucun export ces deux dernières semaines."))
            #expect(empty.contains(#"<a class="fr-nav__link" href="/agents/exports" aria-current="page">Vos exports</a>"#))
        }
    }
}
