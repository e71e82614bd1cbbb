import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// « Configuration » → « Agents » (admin.md §2, §4; domain.md §4; permissions.md §2) on
/// `appointmentFixture`: Alice is the only admin of MDS Arras (o1), Bruno and Carla basic there,
/// Denis basic in MDS Lens (o2). Services: 1 PMI, 2 Service social.
@Suite("Organisation agents", .serialized)
struct OrganisationAgentsTests {
    static let list = "/admin/organisations/1/agents"

    static func invitationMails(_ db: AppDatabase) throws -> [String] {
        try db.writer.read {
            try String.fetchAll($0, sql: "SELECT payload FROM outbox_messages WHERE kind = 'email' ORDER BY id")
        }.filter { $0.contains("invitation_token") }
    }

    @Test func anAdminInvitesANewAgentWhoAcceptsTheInvitation() throws {
        try withAppointmentBrowser { browser, db in
            let index = try browser.request("GET", Self.list).text
            #expect(index.contains("<caption>Agents de l'organisation (3)</caption>"))
            // Alice just signed in; Bruno never did (« Inactif »).
            #expect(index.contains("<tr><td>Alice MARTIN</td><td>alice@example.fr</td><td>Administrateur</td><td>PMI (Protection Maternelle Infantile)</td>"))
            #expect(index.contains(#"<tr><td>Bruno PETIT <span class="fr-badge fr-badge--sm fr-badge--no-icon">Inactif</span></td><td>bruno@example.fr</td><td>Agent</td>"#))
            try GoldenPageTests.expectGolden("organisation-agents-index", index)
            let new = try browser.request("GET", Self.list + "/new").text
            try GoldenPageTests.expectGolden("organisation-agents-new", new)
            let csrf = try #require(Browser.token(in: new))
            // Missing services and a bad e-mail: said by their fields, values kept.
            let bad = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("email", "emma@"), ("first_name", "Emma"), ("last_name", "Blanc"),
                    ("access_level", "basic"),
                ])
            #expect(bad.status == 422)
            #expect(bad.text.contains(#"<p id="email-error" class="fr-error-text">Adresse e-mail n&#39;est pas valide.</p>"#))
            #expect(bad.text.contains(#"value="Emma""#))
            let noService = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("email", "Emma.Blanc@example.fr"), ("first_name", "Emma"),
                    ("last_name", "Blanc"), ("access_level", "basic"),
                ])
            #expect(noService.status == 422)
            #expect(noService.text.contains("Choisissez au moins un service."))
            let invited = try browser.request(
                "POST", Self.list,
                form: [
                    ("authenticity_token", csrf), ("email", "Emma.Blanc@example.fr"), ("first_name", "Emma"),
                    ("last_name", "Blanc"), ("access_level", "admin"), ("service_ids", "2"),
                ])
            #expect(invited.status == 303)
            let listed = try browser.request("GET", Self.list).text
            #expect(listed.contains("L&#39;invitation a été envoyée."))
            #expect(listed.contains(#"<td>Emma BLANC <span class="fr-badge fr-badge--sm fr-badge--info fr-badge--no-icon">Invitation en attente</span> <span class="fr-badge fr-badge--sm fr-badge--no-icon">Inactif</span></td><td>emma.blanc@example.fr</td><td>Administrateur</td><td>Service social</td>"#))
            let mails = try Self.invitationMails(db)
            #expect(mails.count == 1)
            let mail = try #require(mails.first)
            #expect(mail.contains("emma.blanc@example.fr") && mail.contains("MDS Arras"))
            // The territory's rights row, all false (domain.md §4).
            let rights = try db.writer.read {
                try Row.fetchOne($0, sql: "SELECT * FROM territorial_access_rights WHERE agent_id = 5")
            }
            let row = try #require(rights)
            #expect(row["allow_to_invite_agents"] as Bool == false && row["territory_id"] as Int64 == 1)
        }
    }

    @Test func anAgentOfAnotherOrganisationIsAddedOnlyByATerritorialAdmin() throws {
        try withAppointmentBrowser { browser, db in
            let csrf = try csrfToken(browser, Self.list + "/new")
            let form: [(String, String)] = [
                ("authenticity_token", csrf), ("email", "denis@example.fr"), ("access_level", "basic"), ("service_ids", "2"),
            ]
            let refused = try browser.request("POST", Self.list, form: form)
            #expect(refused.status == 422)
            #expect(refused.text.contains("Cet agent appartient déjà à une autre organisation. Seul un administrateur de territoire peut l&#39;associer à plusieurs organisations."))
            try db.writer.write { try $0.execute(sql: "INSERT INTO territorial_roles (agent_id, territory_id) VALUES (1, 1)") }
            // Different services: the benign warning, then « Enregistrer quand même » merges them.
            let warned = try browser.request("POST", Self.list, form: form)
            #expect(warned.status == 422)
            #expect(warned.text.contains("Cet agent a déjà un compte, avec les services « PMI (Protection Maternelle Infantile) ». Les services choisis (« Service social ») lui seront ajoutés."))
            #expect(warned.text.contains(#"name="ignore_benign_errors" value="1">Enregistrer quand même</button>"#))
            #expect(!warned.text.contains("<title>Erreur : "))
            let added = try browser.request("POST", Self.list, form: form + [("ignore_benign_errors", "1")])
            #expect(added.status == 303)
            let services = try db.writer.read { try Int64.fetchAll($0, sql: "SELECT service_id FROM agent_services WHERE agent_id = 4 ORDER BY service_id") }
            #expect(services == [1, 2])
            #expect(try db.organisationAgents(organisationID: 1, now: testNow).contains { $0.agentID == 4 && $0.level == .basic })
            #expect(try Self.invitationMails(db).isEmpty)
            // Already a member: said so.
            let twice = try browser.request("POST", Self.list, form: form + [("ignore_benign_errors", "1")])
            #expect(twice.text.contains("Cet agent fait déjà partie de l&#39;organisation."))
        }
    }

    @Test func theLastAdminStaysAndAnIntervenantGetsAccessWithAnEmail() throws {
        try withAppointmentBrowser { browser, db in
            let alice = try #require(try db.organisationAgents(organisationID: 1, now: testNow).first { $0.agentID == 1 })
            let edit = try browser.request("GET", "/admin/organisations/1/agent_roles/\(alice.roleID)/edit").text
            let csrf = try #require(Browser.token(in: edit))
            // No « Retirer » for oneself as organisation admin (permissions.md §2).
            #expect(!edit.contains("Retirer de l&#39;organisation"))
            let demoted = try browser.request(
                "POST", "/admin/organisations/1/agent_roles/\(alice.roleID)",
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("access_level", "basic")])
            #expect(demoted.status == 422)
            #expect(demoted.text.contains("Il doit toujours y avoir au moins un agent Admin par organisation"))
            #expect(try db.organisationRole(id: alice.roleID, organisationID: 1)?.level == .admin)
            // « Ajouter un intervenant », then give it access.
            let form = try browser.request("GET", "/admin/organisations/1/intervenants/new").text
            try GoldenPageTests.expectGolden("organisation-agents-intervenant", form)
            let added = try browser.request(
                "POST", "/admin/organisations/1/intervenants",
                form: [("authenticity_token", csrf), ("last_name", "Vasseur"), ("first_name", ""), ("service_ids", "1")])
            #expect(added.status == 303)
            let intervenant = try #require(try db.organisationAgents(organisationID: 1, now: testNow).first { $0.lastName == "Vasseur" })
            #expect(intervenant.level == .intervenant && intervenant.email == nil && !intervenant.isInactive)
            let path = "/admin/organisations/1/agent_roles/\(intervenant.roleID)"
            let noEmail = try browser.request(
                "POST", path, form: [("authenticity_token", csrf), ("_method", "PATCH"), ("access_level", "basic"), ("email", "")])
            #expect(noEmail.status == 422)
            #expect(noEmail.text.contains("Adresse e-mail est obligatoire pour donner un accès à un intervenant."))
            let taken = try browser.request(
                "POST", path,
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("access_level", "basic"), ("email", "bruno@example.fr")])
            #expect(taken.status == 422)
            #expect(taken.text.contains(#"<p id="email-error" class="fr-error-text">Adresse e-mail est déjà utilisé.</p>"#))
            let promoted = try browser.request(
                "POST", path,
                form: [("authenticity_token", csrf), ("_method", "PATCH"), ("access_level", "basic"), ("email", "Vasseur@example.fr")])
            #expect(promoted.status == 303)
            #expect(try db.organisationRole(id: intervenant.roleID, organisationID: 1)?.level == .basic)
            #expect(try Self.invitationMails(db).count == 1)
            let row = try #require(try db.organisationAgents(organisationID: 1, now: testNow).first { $0.lastName == "Vasseur" })
            #expect(row.email == "vasseur@example.fr" && row.invitationPending)
            // « Renvoyer l'invitation »: a new link replaces the first (same clock second, same mail key).
            func links() throws -> [Data] {
                try db.writer.read {
                    try Data.fetchAll(
                        $0, sql: "SELECT token_hash FROM account_tokens WHERE agent_id = ? AND purpose = 'agent_invitation'",
                        arguments: [row.agentID])
                }
            }
            let first = try links()
            let resent = try browser.request(
                "POST", "/admin/organisations/1/agents/\(row.agentID)/invitation", form: [("authenticity_token", csrf)])
            #expect(resent.status == 303)
            let second = try links()
            #expect(first.count == 1 && second.count == 1 && first != second)
        }
    }

    @Test func anAgentWithFutureAppointmentsStaysAndOneWithoutIsRemoved() throws {
        try withAppointmentBrowser { browser, db in
            let agents = try db.organisationAgents(organisationID: 1, now: testNow)
            let bruno = try #require(agents.first { $0.agentID == 2 })
            let csrf = try csrfToken(browser, Self.list)
            let kept = try browser.request(
                "POST", "/admin/organisations/1/agent_roles/\(bruno.roleID)", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(kept.status == 422)
            #expect(kept.text.contains("Cet agent a encore des RDV à venir dans cette organisation."))
            // Carla's only appointment (the 26th) cancelled: she can go, and without any role she is soft-deleted.
            try db.writer.write { try $0.execute(sql: "UPDATE appointments SET status = 'revoked', cancelled_at = 1764000000 WHERE id = 4") }
            let carla = try #require(agents.first { $0.agentID == 3 })
            let removed = try browser.request(
                "POST", "/admin/organisations/1/agent_roles/\(carla.roleID)", form: [("authenticity_token", csrf), ("_method", "DELETE")])
            #expect(removed.status == 303)
            let gone = try db.writer.read { try Row.fetchOne($0, sql: "SELECT email, deleted_at FROM agents WHERE id = 3") }
            let row = try #require(gone)
            #expect(row["email"] as String == "agent_3@deleted.invalid" && row["deleted_at"] != nil)
            #expect(try !db.organisationAgents(organisationID: 1, now: testNow).contains { $0.agentID == 3 })
        }
    }

    @Test func aBasicAgentIsRefusedEveryAgentScreen() throws {
        try withAppointmentBrowser(as: "bruno@example.fr") { browser, db in
            #expect(try browser.request("GET", Self.list).status == 403)
            #expect(try browser.request("GET", Self.list + "/new").status == 403)
            #expect(try browser.request("GET", "/admin/organisations/1/intervenants/new").status == 403)
            let csrf = try csrfToken(browser, "/admin/organisations/1/lieux")
            let invite = try browser.request(
                "POST", Self.list,
                form: [("authenticity_token", csrf), ("email", "x@example.fr"), ("access_level", "admin"), ("service_ids", "1")])
            #expect(invite.status == 403)
            #expect(try browser.request("GET", "/admin/organisations/2/agents").status == 404)
            #expect(try db.organisationAgents(organisationID: 1, now: testNow).count == 3)
        }
    }
}
