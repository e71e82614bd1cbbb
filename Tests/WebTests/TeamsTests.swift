import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Espace admin » → « Équipes » (admin.md §3, domain.md §4) on `appointmentFixture`:
/// Alice, Bruno, Carla in MDS Arras, Denis in MDS Lens (territory 62).
@Suite("Teams", .serialized)
struct TeamsTests {
    static let base = "/admin/territories/1/teams"

    @Test func aTeamIsCreatedRenamedWithItsMembersAndDeleted() throws {
        try withAppointmentBrowser { browser, db in
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            let index = try browser.request("GET", Self.base).text
            #expect(index.contains("Aucune équipe dans ce territoire."))
            // Each agent once, by name, whatever their organisations.
            #expect(index.contains(#"<input type="checkbox" id="agent-4" name="agent_ids[]" value="4">"#))
            #expect(!index.contains("Aucun agent dans le territoire."))
            let csrf = try #require(Browser.token(in: index))
            let blank = try browser.request("POST", Self.base, form: [("authenticity_token", csrf), ("name", " "), ("agent_ids[]", "2")])
            #expect(blank.status == 422)
            #expect(blank.text.contains(#"<p id="name-error" class="fr-error-text">Nom doit être rempli(e).</p>"#))
            #expect(blank.text.contains(#"<input type="checkbox" id="agent-2" name="agent_ids[]" value="2" checked>"#))
            let created = try browser.request(
                "POST", Self.base, form: [("authenticity_token", csrf), ("name", "PMI Nord"), ("agent_ids[]", "2"), ("agent_ids[]", "4")])
            #expect(created.status == 303)
            let listed = try browser.request("GET", Self.base).text
            #expect(listed.contains("<tr><td><a href=\"/admin/territories/1/teams/1\">PMI Nord</a></td><td>Denis LEROY, Bruno PETIT</td></tr>"))
            let twice = try browser.request("POST", Self.base, form: [("authenticity_token", csrf), ("name", "pmi nord")])
            #expect(twice.status == 422)
            // An agent without a role in the territory cannot join.
            let stranger = try browser.request(
                "POST", Self.base + "/1", form: [("_method", "PATCH"), ("authenticity_token", csrf), ("name", "PMI"), ("agent_ids[]", "99")])
            #expect(stranger.status == 422)
            let renamed = try browser.request(
                "POST", Self.base + "/1", form: [("_method", "PATCH"), ("authenticity_token", csrf), ("name", "PMI Arras"), ("agent_ids[]", "3")])
            #expect(renamed.status == 303)
            let team = try #require(try db.teams(territoryID: 1).first)
            #expect(team.team.name == "PMI Arras")
            #expect(team.team.agentIDs == [3])
            let deleted = try browser.request("POST", Self.base + "/1", form: [("_method", "DELETE"), ("authenticity_token", csrf)])
            #expect(deleted.status == 303)
            let remaining = try db.teams(territoryID: 1)
            #expect(remaining.isEmpty)
        }
    }

    /// permissions.md §2: TA, or `allow_to_manage_teams`; other members refused.
    @Test func theTeamsRightOpensThePage() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            let refused = try browser.request("GET", Self.base)
            #expect(refused.status == 403)
            try db.writer.write {
                try $0.execute(sql: "UPDATE territorial_access_rights SET allow_to_manage_teams = 1 WHERE agent_id = 2")
            }
            let allowed = try browser.request("GET", Self.base)
            #expect(allowed.status == 200)
            #expect(allowed.text.contains("Espace admin : équipes"))
        }
    }
}
