import Domain
import Foundation
import Testing

@Suite("Account e-mails: sign-in code, invitations, password reset, confirmation (notifications.md §8)")
struct AccountMailTests {
    static let now = NF.now
    static let settings = NF.settings

    static func user(email: String? = "Jeanne@Example.fr", deletedAt: Date? = nil) -> MailAccount {
        MailAccount(recipient: .user(1), email: email, isDeleted: deletedAt != nil)
    }

    static let agent = MailAccount(
        agent: Agent(email: "marie.durand@example.fr", firstName: "Marie", lastName: "Durand", serviceIDs: [1]), id: 7)

    static func days(_ count: Double) -> Date { now.addingTimeInterval(count * 86400) }

    @Test("Event codes are usable as receipt events: lower case, digits, _ and . only")
    func eventCodes() {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789_.")
        #expect(MailEvent.allCases.allSatisfy { !$0.rawValue.isEmpty && $0.rawValue.allSatisfy(allowed.contains) })
        #expect(
            MailEvent.allCases.map(\.rawValue) == [
                "prescriber_confirmation", "user_arrived", "export_ready", "account_deletion_warning", "sign_in_code",
                "agent_invitation", "password_reset", "user_confirmation", "user_invitation",
            ])
    }

    @Test("Sign-in code: the code alone on its line and in large type, valid 10 minutes, not to share")
    func signInCode() {
        // Given a code for an address without account
        let mail = MailPlanner.signInCode(
            address: " Jeanne@Example.fr", code: "482913", codeID: 55, issuedAt: Self.now, settings: Self.settings)
        // Then
        #expect(mail?.event == .signInCode)
        #expect(mail?.recipient == nil)
        #expect(mail?.address == "jeanne@example.fr")
        #expect(mail?.subject == "Votre code de connexion RDV Service Public")
        #expect(mail?.idempotencyKey == "sign_in_code:55:\(PlannedMail.version(Self.now)):mail")
        #expect(mail?.idempotencyKey.contains("482913") == false)
        #expect(
            mail?.text == """
                Voici votre code de connexion à RDV Service Public :

                482913

                Ce code est valable 10 minutes.

                Ne communiquez ce code à personne : aucun agent ne vous le demandera jamais.

                Si vous n'avez pas demandé ce code, ignorez ce message.

                L'équipe RDV Service Public

                """)
        #expect(
            mail?.html.contains(
                "\n<p style=\"font-size:32px;font-weight:bold;letter-spacing:6px;margin:16px 0\">482913</p>\n") == true)
        // And a known user is named as the recipient
        let known = MailPlanner.signInCode(
            address: "jeanne@example.fr", code: "482913", codeID: 56, issuedAt: Self.now, recipient: .user(1),
            settings: Self.settings)
        #expect(known?.recipient == .user(1))
    }

    @Test("Sign-in code: nothing for an invalid address")
    func signInCodeInvalid() {
        #expect(
            MailPlanner.signInCode(address: "jeanne", code: "1", codeID: 1, issuedAt: Self.now, settings: Self.settings)
                == nil)
        #expect(
            MailPlanner.signInCode(address: "", code: "1", codeID: 1, issuedAt: Self.now, settings: Self.settings)
                == nil)
    }

    @Test("Agent invitation: who invites, the organisation, the link valid 14 days and single use")
    func agentInvitation() {
        let mail = MailPlanner.agentInvitation(
            to: Self.agent, organisationName: "MDS Arras", inviterName: "Paul MARTIN",
            invitationPath: "/agents/invitation/accept?invitation_token=abc", expiresAt: Self.days(14),
            settings: Self.settings, now: Self.now)
        #expect(mail?.event == .agentInvitation)
        #expect(mail?.recipient == .agent(7))
        #expect(mail?.subject == "Invitation à rejoindre RDV Service Public")
        #expect(mail?.idempotencyKey == "agent_invitation:1638345600:agent-7:mail")
        #expect(
            mail?.text == """
                Paul MARTIN vous invite à rejoindre RDV Service Public au sein de l'organisation MDS Arras. Pour accepter l'invitation, choisissez votre mot de passe.

                Accepter l'invitation : https://rdv.example.fr/agents/invitation/accept?invitation_token=abc

                Ce lien est valable 14 jours, jusqu'au mercredi 15 décembre 2021 à 09h00. Il ne peut servir qu'une fois.

                L'équipe RDV Service Public

                """)
        // And the link's & is escaped in the href
        let html = mail?.html ?? ""
        #expect(html.contains("<a href=\"https://rdv.example.fr/agents/invitation/accept?invitation_token=abc\""))
        let escaped = MailPlanner.agentInvitation(
            to: Self.agent, organisationName: "MDS <Arras> & Co", invitationPath: "/i?a=1&b=2",
            expiresAt: Self.days(14),
            settings: Self.settings, now: Self.now)
        #expect(
            escaped?.text.hasPrefix(
                "Vous êtes invité(e) à rejoindre RDV Service Public au sein de l'organisation MDS <Arras> & Co.")
                == true)
        #expect(escaped?.html.contains("l&#39;organisation MDS &lt;Arras&gt; &amp; Co.") == true)
        #expect(escaped?.html.contains("href=\"https://rdv.example.fr/i?a=1&amp;b=2\"") == true)
    }

    @Test("User invitation: the organisation invites to create an account")
    func userInvitation() {
        let mail = MailPlanner.userInvitation(
            to: Self.user(), organisationName: "MDS Arras",
            invitationPath: "/users/invitation/accept?invitation_token=u",
            expiresAt: Self.days(7), settings: Self.settings, now: Self.now)
        #expect(mail?.event == .userInvitation)
        #expect(mail?.recipient == .user(1))
        #expect(mail?.address == "jeanne@example.fr")
        #expect(mail?.subject == "Invitation à rejoindre RDV Service Public")
        #expect(mail?.idempotencyKey == "user_invitation:1638345600:user-1:mail")
        #expect(
            mail?.text == """
                MDS Arras vous invite à créer votre compte RDV Service Public pour retrouver vos rendez-vous en ligne.

                Créer mon compte : https://rdv.example.fr/users/invitation/accept?invitation_token=u

                Ce lien est valable 7 jours, jusqu'au mercredi 8 décembre 2021 à 09h00. Il ne peut servir qu'une fois.

                L'équipe RDV Service Public

                """)
    }

    @Test("Password reset: the link valid 2 hours, single use; ignore if not asked")
    func passwordReset() {
        let mail = MailPlanner.passwordReset(
            to: Self.agent, resetPath: "agents/password/edit?reset_password_token=xyz",
            expiresAt: Self.now.addingTimeInterval(2 * 3600), settings: Self.settings, now: Self.now)
        #expect(mail?.event == .passwordReset)
        #expect(mail?.subject == "Réinitialisation de votre mot de passe")
        #expect(mail?.idempotencyKey == "password_reset:1638345600:agent-7:mail")
        #expect(
            mail?.text == """
                Vous avez demandé à réinitialiser votre mot de passe RDV Service Public.

                Choisir un nouveau mot de passe : https://rdv.example.fr/agents/password/edit?reset_password_token=xyz

                Ce lien est valable 2 h, jusqu'au mercredi 1er décembre 2021 à 11h00. Il ne peut servir qu'une fois.

                Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : votre mot de passe reste inchangé.

                L'équipe RDV Service Public

                """)
    }

    @Test("E-mail confirmation: the link valid 3 days")
    func userConfirmation() {
        let mail = MailPlanner.userConfirmation(
            to: Self.user(), confirmationPath: "/users/confirmation?confirmation_token=t", expiresAt: Self.days(3),
            settings: NotificationSettings(publicURL: "https://rdv.example.fr/", timeZone: paris), now: Self.now)
        #expect(mail?.event == .userConfirmation)
        #expect(mail?.subject == "Confirmez votre adresse e-mail")
        #expect(mail?.idempotencyKey == "user_confirmation:1638345600:user-1:mail")
        #expect(
            mail?.text == """
                Pour utiliser votre compte RDV Service Public, confirmez votre adresse e-mail.

                Confirmer mon adresse e-mail : https://rdv.example.fr/users/confirmation?confirmation_token=t

                Ce lien est valable 3 jours, jusqu'au samedi 4 décembre 2021 à 09h00.

                Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.

                L'équipe RDV Service Public

                """)
    }

    @Test("Account e-mails: nothing without a valid e-mail or for a deleted account; notify_by_email is not asked")
    func accountMailsSkipped() {
        let accounts = [
            Self.user(email: nil), Self.user(email: "jeanne@example"), Self.user(deletedAt: Self.now),
            MailAccount(agent: Agent(email: nil, firstName: nil, lastName: "Accueil", serviceIDs: [1]), id: 9),
        ]
        for account in accounts {
            #expect(
                MailPlanner.passwordReset(
                    to: account, resetPath: "/r", expiresAt: Self.days(1), settings: Self.settings, now: Self.now)
                    == nil)
            #expect(
                MailPlanner.userConfirmation(
                    to: account, confirmationPath: "/c", expiresAt: Self.days(1), settings: Self.settings,
                    now: Self.now) == nil)
            #expect(
                MailPlanner.agentInvitation(
                    to: account, organisationName: "MDS", invitationPath: "/i", expiresAt: Self.days(1),
                    settings: Self.settings, now: Self.now) == nil)
            #expect(
                MailPlanner.userInvitation(
                    to: account, organisationName: "MDS", invitationPath: "/i", expiresAt: Self.days(1),
                    settings: Self.settings, now: Self.now) == nil)
        }
        // A user who opted out of notification e-mails still gets the e-mail they asked for
        var user = User(firstName: "Jeanne", lastName: "Dupont", email: "jeanne@example.fr")
        user.notifyByEmail = false
        #expect(
            MailPlanner.passwordReset(
                to: MailAccount(user: user, id: 1), resetPath: "/r", expiresAt: Self.days(1), settings: Self.settings,
                now: Self.now)?.address == "jeanne@example.fr")
    }

    @Test("Validity wording: whole days, else the duration format")
    func validity() {
        let start = Self.now
        #expect(NotificationFormat.validity(from: start, to: start.addingTimeInterval(600)) == "10 minutes")
        #expect(NotificationFormat.validity(from: start, to: start.addingTimeInterval(5400)) == "1 h 30")
        #expect(NotificationFormat.validity(from: start, to: start.addingTimeInterval(86400)) == "1 jour")
        #expect(NotificationFormat.validity(from: start, to: start.addingTimeInterval(86400 * 14)) == "14 jours")
        #expect(NotificationFormat.time(NF.start, in: paris) == "13h10")
    }
}
