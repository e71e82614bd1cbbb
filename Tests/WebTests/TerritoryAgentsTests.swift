import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Agents » (admin.md §3, §4; permissions.md §2) on `appointmentFixture`:
/// Alice admin of MDS Arras (o1), Bruno and Carla basic there, Denis basic in MDS Lens (o2);
/// services 1 PMI, 2 Service social; territory 1.
@Suite("Territory agents", .serialized)
struct TerritoryAgentsTests {
    static let list = "/admin/territories/1/agents"

    static func makeAliceTerritorialAdmin(_ db: AppDatabase) throws {
        try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
    }

    @Test func theTerritorialAdminSearchesTheAgentsOfEveryOrganisation() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeAliceTerritorialAdmin(db)
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains(#"<p role="status">4 agents</p>"#))
            #expect(
                index.contains(
                    #"<tr><td><a href="/admin/territories/1/agents/4">Denis LEROY</a></td><td>denis@example.fr</td><td>MDS Lens (Agent)</td><td>PMI (Protection Maternelle Infantile)</td></tr>"#
                ))
            #expect(
                index.contains(
                    #"<a href="/admin/territories/1/agents/1">Alice MARTIN</a> <span class="fr-badge fr-badge--sm fr-badge--success fr-badge--no-icon">Administrateur du territoire</span>"#
                ))
            #expect(index.contains("Espace admin : agents"))
            try GoldenPageTests.expectGolden("territory-agents-index", index)
            // Each word in the name or the e-mail; wildcards are characters.
            let found = try browser.request("GET", Self.list + "?q=leroy+DENIS").text
            #expect(found.contains(#"<p role="status">1 agent</p>"#))
            #expect(found.contains("Denis LEROY"))
            #expect(!found.contains("Bruno PETIT"))
            let none = try browser.request("GET", Self.list + "?q=%25").text
            #expect(none.contains("Aucun agent ne correspond à votre recherche."))
        }
    }

    /// permissions.md §2: TA of the territory, or a holder of a territorial right; an
    /// organisation admin alone is refused, another territory is absent.
    @Test func whoSeesThePage() throws {
        try withAppointmentBrowser { browser, db in
            #expect(try browser.request("GET", Self.list).status == 403)
            #expect(try browser.request("GET", "/admin/territories/2/agents").status == 404)
            try Self.makeAliceTerritorialAdmin(db)
            #expect(try browser.request("GET", Self.list).status == 200)
            #expect(try browser.request("GET", "/admin/territories/2/agents").status == 404)
            // An agent of another territory is absent from this one.
            #expect(try browser.request("GET", Self.list + "/99").status == 404)
        }
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            #expect(try browser.request("GET", Self.list).status == 403)
            #expect(try browser.request("GET", Self.list + "/new").status == 403)
            try db.writer.write {
                try $0.execute(sql: "UPDATE territorial_access_rights SET allow_to_invite_agents = 1 WHERE agent_id = 2")
            }
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains(#"<a class="fr-btn" href="/admin/territories/1/agents/new">Inviter un agent</a>"#))
            #expect(try browser.request("GET", Self.list + "/new").status == 200)
        }
    }

    @Test func theTerritorialAdminInvitesIntoTwoOrganisations() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeAliceTerritorialAdmin(db)
            let new = try browser.request("GET", Self.list + "/new").text
            #expect(new.contains(#"<input type="checkbox" id="organisation_ids-2" name="organisation_ids" value="2">"#))
            let csrf = try #require(Browser.token(in: new))
            let fields: [(String, String)] = [
                ("authenticity_token", csrf), ("email", "emma@example.fr"), ("first_name", "Emma"), ("last_name", "Blanc"),
                ("access_level", "basic"), ("service_ids", "2"),
            ]
            let noOrganisation = try browser.request("POST", Self.list, form: fields)
            #expect(noOrganisation.status == 422)
            #expect(
                noOrganisation.text.contains(
                    #"<p id="organisation_ids-error" class="fr-error-text fr-fieldset__element">Choisissez au moins une organisation.</p>"#))
            #expect(noOrganisation.text.contains(#"value="emma@example.fr""#))
            #expect(noOrganisation.text.contains(#"<input type="checkbox" id="service_ids-2" name="service_ids" value="2" checked>"#))
            let invited = try browser.request(
                "POST", Self.list, form: fields + [("organisation_ids", "1"), ("organisation_ids", "2")])
            #expect(invited.status == 303)
            let roles = try db.writer.read {
                try Row.fetchAll(
                    $0,
                    sql: """
                        SELECT r.organisation_id, r.access_level FROM agent_roles r JOIN agents g ON g.id = r.agent_id
                        WHERE g.email = 'emma@example.fr' ORDER BY r.organisation_id
                        """
                ).map { "\($0["organisation_id"] as Int64):\($0["access_level"] as String)" }
            }
            #expect(roles == ["1:basic", "2:basic"])
            #expect(try OrganisationAgentsTests.invitationMails(db).count == 1)
            // Denis already has a role in MDS Lens: said, nothing written.
            let twice = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("email", "denis@example.fr"), ("access_level", "basic"), ("service_ids", "1"),
                    ("organisation_ids", "1"), ("organisation_ids", "2"),
                ])
            #expect(twice.status == 422)
            #expect(twice.text.contains("Cet agent fait déjà partie de l&#39;organisation « MDS Lens »."))
            let denisRoles = try db.writer.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM agent_roles WHERE agent_id = 4") }
            #expect(denisRoles == 1)
        }
    }

    @Test func servicesTheTerritorialAdminToggleRightsAndTeamsAreSavedWithTheirHistory() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeAliceTerritorialAdmin(db)
            try db.writer.write { try $0.execute(sql: "INSERT INTO teams (id, territory_id, name) VALUES (7, 1, 'PMI Nord')") }
            let page = try browser.request("GET", Self.list + "/2").text
            #expect(page.contains(#"<input type="checkbox" id="territorial_admin-1" name="territorial_admin" value="1">"#))
            #expect(page.contains("Aucune modification enregistrée."))
            try GoldenPageTests.expectGolden("territory-agent-edit", page)
            let csrf = try #require(Browser.token(in: page))
            let saved = try browser.request(
                "POST", Self.list + "/2",
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("service_ids", "1"), ("service_ids", "2"),
                    ("territorial_admin", "1"), ("rights", "allow_to_manage_teams"), ("team_ids", "7"),
                ])
            #expect(saved.status == 303)
            let bruno = try #require(try db.territoryAgent(territoryID: 1, agentID: 2))
            #expect(bruno.serviceIDs == [1, 2])
            #expect(bruno.isTerritorialAdmin)
            #expect(bruno.rights == Principal.TerritorialRights(manageTeams: true))
            #expect(bruno.teamIDs == [7])
            let after = try browser.request("GET", Self.list + "/2").text
            #expect(after.contains("Les droits de l&#39;agent ont été enregistrés."))
            #expect(after.contains("<td data-label=\"Par\">Alice MARTIN</td><td data-label=\"Action\">Modification</td>"))
            #expect(after.contains("Administrateur du territoire : « Non » → « Oui »<br>"))
            #expect(
                after.contains(
                    "Services : « PMI (Protection Maternelle Infantile) » → « PMI (Protection Maternelle Infantile), Service social »<br>"))
            #expect(after.contains("Équipes : (vide) → « PMI Nord »<br>"))
            // No service: refused by its field, the choices kept, nothing saved.
            let empty = try browser.request(
                "POST", Self.list + "/2", form: [("_method", "PATCH"), ("authenticity_token", csrf), ("territorial_admin", "1")])
            #expect(empty.status == 422)
            #expect(empty.text.contains("Choisissez au moins un service."))
            #expect(empty.text.contains(#"<input type="checkbox" id="territorial_admin-1" name="territorial_admin" value="1" checked>"#))
            #expect(try db.territoryAgent(territoryID: 1, agentID: 2)?.teamIDs == [7])
        }
    }

    /// domain.md §4: a territory keeps at least one territorial admin.
    @Test func theLastTerritorialAdminStays() throws {
        try withAppointmentBrowser { browser, db in
            try Self.makeAliceTerritorialAdmin(db)
            let csrf = try csrfToken(browser, Self.list + "/1")
            let refused = try browser.request(
                "POST", Self.list + "/1", form: [("_method", "PATCH"), ("authenticity_token", csrf), ("service_ids", "1")])
            #expect(refused.status == 422)
            #expect(
                refused.text.contains(
                    #"<p id="territorial_admin-error" class="fr-error-text fr-fieldset__element">Le territoire doit garder au moins un administrateur du territoire.</p>"#
                ))
            #expect(try db.territoryAgent(territoryID: 1, agentID: 1)?.isTerritorialAdmin == true)
        }
    }

    /// permissions.md §2: a holder of `allow_to_manage_teams` changes services and teams, not
    /// the territorial admin role nor rights, even with a forged form.
    @Test func aRightHolderChangesOnlyWhatItsRightsAllow() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            try db.writer.write {
                try $0.execute(sql: "UPDATE territorial_access_rights SET allow_to_manage_teams = 1 WHERE agent_id = 2")
            }
            let page = try browser.request("GET", Self.list + "/4").text
            #expect(page.contains(#"id="service_ids""#))
            #expect(page.contains(#"id="team_ids""#))
            #expect(!page.contains(#"id="territorial_admin""#))
            #expect(!page.contains(#"id="rights""#))
            let csrf = try #require(Browser.token(in: page))
            let forged = try browser.request(
                "POST", Self.list + "/4",
                form: [
                    ("_method", "PATCH"), ("authenticity_token", csrf), ("service_ids", "2"), ("territorial_admin", "1"),
                    ("rights", "allow_to_manage_access_rights"),
                ])
            #expect(forged.status == 303)
            let denis = try #require(try db.territoryAgent(territoryID: 1, agentID: 4))
            #expect(denis.serviceIDs == [2])
            #expect(!denis.isTerritorialAdmin)
            #expect(denis.rights == Principal.TerritorialRights())
        }
    }
}
