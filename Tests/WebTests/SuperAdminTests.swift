import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// The instance operator (admin.md §11): the `rdv superadmin` link, sign-in, « Créer un
/// territoire » with its first organisation and invited admin; on `appointmentFixture`
/// (services PMI and Service social, territory 62).
@Suite("Super admin", .serialized)
struct SuperAdminTests {
    static let password = "une phrase de passe assez longue"

    /// A browser with the operator's password set through its link (and so signed in).
    static func withOperator(_ body: (Browser, AppDatabase) throws -> Void) throws {
        let (db, directory) = try makeWebDatabase(fixture: appointmentFixture)
        defer { try? FileManager.default.removeItem(at: directory) }
        let browser = Browser(app: try makeWebApplication(db, clock: ManualClock(testNow)))
        let token = try db.issueSuperAdminSetupLink(email: " Ops@Example.fr ", now: testNow)
        let form = try browser.request("GET", "/super_admins/password/edit?token=\(token)")
        #expect(form.status == 200)
        #expect(form.text.contains("<strong>ops@example.fr</strong>"))
        let csrf = try #require(Browser.token(in: form.text))
        let weak = try browser.request(
            "POST", "/super_admins/password",
            form: [("authenticity_token", csrf), ("token", token), ("password", "court"), ("password_confirmation", "court")])
        #expect(weak.status == 422)
        let set = try browser.request(
            "POST", "/super_admins/password",
            form: [
                ("authenticity_token", csrf), ("token", token), ("password", password),
                ("password_confirmation", password),
            ])
        #expect(set.status == 303)
        #expect(try browser.request("GET", "/super_admins").text.contains("Votre mot de passe a été enregistré."))
        // Single use.
        #expect(try browser.request("GET", "/super_admins/password/edit?token=\(token)").status == 404)
        try body(browser, db)
    }

    @Test func theOperatorCreatesATerritoryWhoseAdminIsInvited() throws {
        try Self.withOperator { browser, db in
            let home = try browser.request("GET", "/super_admins").text
            #expect(home.contains("<tr><td>Pas-de-Calais</td><td>62</td><td>2</td><td>4</td><td><a class=\"fr-link fr-icon-download-line fr-link--icon-left\" href=\"/super_admins/territories/1/export\" download>Exporter<span class=\"fr-sr-only\"> Pas-de-Calais</span></a></td></tr>"))
            try GoldenPageTests.expectGolden("super-admins-home", home)
            let new = try browser.request("GET", "/super_admins/territories/new").text
            try GoldenPageTests.expectGolden("super-admins-territory-new", new)
            let csrf = try #require(Browser.token(in: new))
            var fields: [(String, String)] = [
                ("authenticity_token", csrf), ("name", "Somme"), ("departement_number", "62"), ("service_id", "1"),
                ("organisation_name", "MDS Amiens"), ("admin_email", "alice@example.fr"), ("admin_first_name", "Sophie"),
                ("admin_last_name", "Lefèvre"),
            ]
            // A département already taken and an e-mail already an agent's: said by their fields, values kept.
            let refused = try browser.request("POST", "/super_admins/territories", form: fields)
            #expect(refused.status == 422)
            #expect(refused.text.contains(#"<p id="departement_number-error" class="fr-error-text">Numéro de département est déjà celui d&#39;un autre territoire.</p>"#))
            #expect(refused.text.contains(#"value="MDS Amiens""#))
            fields[2] = ("departement_number", "80")
            let taken = try browser.request("POST", "/super_admins/territories", form: fields)
            #expect(taken.text.contains(#"<p id="admin_email-error" class="fr-error-text">Adresse e-mail de l&#39;administrateur est déjà celle d&#39;un agent.</p>"#))
            fields[5] = ("admin_email", "sophie.lefevre@example.fr")
            let created = try browser.request("POST", "/super_admins/territories", form: fields)
            #expect(created.status == 303)
            #expect(try browser.request("GET", "/super_admins").text.contains("<tr><td>Somme</td><td>80</td><td>1</td><td>1</td><td><a class=\"fr-link fr-icon-download-line fr-link--icon-left\" href=\"/super_admins/territories/2/export\" download>Exporter<span class=\"fr-sr-only\"> Somme</span></a></td></tr>"))
            let row = try #require(
                try db.writer.read {
                    try Row.fetchOne(
                        $0,
                        sql: """
                            SELECT g.id, r.access_level, o.name AS organisation, t.time_zone,
                                (SELECT count(*) FROM territorial_roles x WHERE x.agent_id = g.id AND x.territory_id = t.id) AS ta,
                                (SELECT group_concat(service_id) FROM territory_services s WHERE s.territory_id = t.id) AS services
                            FROM agents g JOIN agent_roles r ON r.agent_id = g.id JOIN organisations o ON o.id = r.organisation_id
                            JOIN territories t ON t.id = o.territory_id WHERE g.email = 'sophie.lefevre@example.fr'
                            """)
                })
            #expect(row["access_level"] as String == "admin" && row["organisation"] as String == "MDS Amiens")
            #expect(row["ta"] as Int == 1 && row["services"] as String == "1" && row["time_zone"] as String == "Europe/Paris")
            let mail = try db.writer.read {
                try String.fetchOne($0, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id DESC LIMIT 1")
            }
            #expect(mail?.contains("sophie.lefevre@example.fr") == true && mail?.contains("invitation_token") == true)
        }
    }

    @Test func signInRefusesWrongPasswordsAndAgentsHaveNoBackOffice() throws {
        try Self.withOperator { browser, db in
            let csrf = try csrfToken(browser, "/super_admins")
            #expect(try browser.request("POST", "/super_admins/sign_out", form: [("authenticity_token", csrf), ("_method", "DELETE")]).status == 303)
            #expect(try browser.request("GET", "/super_admins").status == 303)
            let signIn = try browser.request("GET", "/super_admins/sign_in").text
            try GoldenPageTests.expectGolden("super-admins-sign-in", signIn)
            let token = try #require(Browser.token(in: signIn))
            let wrong = try browser.request(
                "POST", "/super_admins/sign_in", form: [("authenticity_token", token), ("email", "ops@example.fr"), ("password", "non")])
            #expect(wrong.status == 422)
            #expect(wrong.text.contains("E-mail ou mot de passe incorrect."))
            let right = try browser.request(
                "POST", "/super_admins/sign_in",
                form: [("authenticity_token", token), ("email", "ops@example.fr"), ("password", Self.password)])
            #expect(right.status == 303)
            #expect(try browser.request("GET", "/super_admins").status == 200)
            // The operator is no agent: the agents' pages send it to their sign-in.
            #expect(try browser.request("GET", "/admin/organisations/1/motifs").status == 303)
        }
        // An agent's session opens no back office.
        try withAppointmentBrowser { browser, _ in
            let response = try browser.request("GET", "/super_admins/territories/new")
            #expect(response.status == 303)
            #expect(response.headers.first { $0.0.lowercased() == "location" }?.1 == "/super_admins/sign_in")
        }
    }
}
