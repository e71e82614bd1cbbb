import Foundation

// The account e-mails (notifications.md §2 last row, §8 "Account e-mails", booking.md §3). The
// spec words the subjects and the code e-mail's two sentences; the rest is our wording, short
// and addressed with « vous ». `now` is when the link is issued: its version in the key and the
// start of the validity shown.
extension MailPlanner {
    /// « Votre code de connexion <product name> » (booking.md §3.3): the 6-digit code in large
    /// type, « Ce code est valable 10 minutes. » and a warning not to share it. The address may
    /// have no account yet (an unknown e-mail leads to « Créez votre compte »).
    /// - Parameters:
    ///   - codeID, issuedAt: the code's row and when it was issued: the key (row ids are reused
    ///     once old codes are purged), which never holds the code itself.
    ///   - recipient: the user, when the address has an account.
    public static func signInCode(
        address: String, code: String, codeID: Int64, issuedAt: Date, recipient: NotificationRecipient? = nil,
        settings: NotificationSettings
    ) -> PlannedMail? {
        guard EmailAddress.isValid(address) else { return nil }
        let product = settings.productName
        let subject = "Votre code de connexion \(product)"
        let body = MailBody(
            blocks: [
                .paragraph("Voici votre code de connexion à \(product) :"), .code(code),
                .paragraph("Ce code est valable 10 minutes."),
                .paragraph("Ne communiquez ce code à personne : aucun agent ne vous le demandera jamais."),
                .paragraph("Si vous n'avez pas demandé ce code, ignorez ce message."),
            ], productName: product)
        return PlannedMail(
            event: .signInCode, recipient: recipient, address: EmailAddress.normalised(address), subject: subject,
            body: body, key: [String(codeID), PlannedMail.version(issuedAt)])
    }

    /// « Invitation à rejoindre <product name> » to an invited agent (admin.md §4): the link leads
    /// to « Choisissez votre mot de passe »; valid 14 days, single use (booking.md §3.2).
    /// - Parameter inviterName: « Marie DURAND vous invite… » when given.
    public static func agentInvitation(
        to agent: MailAccount, organisationName: String, inviterName: String? = nil, invitationPath: String,
        expiresAt: Date, settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        let product = settings.productName
        let who = inviterName.map { "\($0) vous invite" } ?? "Vous êtes invité(e)"
        return accountMail(
            .agentInvitation, to: agent, subject: "Invitation à rejoindre \(product)",
            intro:
                "\(who) à rejoindre \(product) au sein de l'organisation \(organisationName). "
                + "Pour accepter l'invitation, choisissez votre mot de passe.",
            button: ("Accepter l'invitation", invitationPath), expiresAt: expiresAt, singleUse: true, closing: nil,
            settings: settings, now: now)
    }

    /// « Invitation à rejoindre <product name> » to a user an organisation invites to create an
    /// account (domain.md §11 invitation fields).
    public static func userInvitation(
        to user: MailAccount, organisationName: String, invitationPath: String, expiresAt: Date,
        settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        let product = settings.productName
        return accountMail(
            .userInvitation, to: user, subject: "Invitation à rejoindre \(product)",
            intro:
                "\(organisationName) vous invite à créer votre compte \(product) "
                + "pour retrouver vos rendez-vous en ligne.",
            button: ("Créer mon compte", invitationPath), expiresAt: expiresAt, singleUse: true, closing: nil,
            settings: settings, now: now)
    }

    /// « Réinitialisation de votre mot de passe » (« Mot de passe oublié ? », booking.md §3.2):
    /// valid 2 hours, single use.
    public static func passwordReset(
        to account: MailAccount, resetPath: String, expiresAt: Date, settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        accountMail(
            .passwordReset, to: account, subject: "Réinitialisation de votre mot de passe",
            intro: "Vous avez demandé à réinitialiser votre mot de passe \(settings.productName).",
            button: ("Choisir un nouveau mot de passe", resetPath), expiresAt: expiresAt, singleUse: true,
            closing:
                "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message : "
                + "votre mot de passe reste inchangé.",
            settings: settings, now: now)
    }

    /// « Confirmez votre adresse e-mail »: after a sign-up (valid 3 days, booking.md §3.3) or an
    /// agent's e-mail change (confirmed through the new address, admin.md §6).
    public static func userConfirmation(
        to account: MailAccount, confirmationPath: String, expiresAt: Date, settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        accountMail(
            .userConfirmation, to: account, subject: "Confirmez votre adresse e-mail",
            intro: "Pour utiliser votre compte \(settings.productName), confirmez votre adresse e-mail.",
            button: ("Confirmer mon adresse e-mail", confirmationPath), expiresAt: expiresAt, singleUse: false,
            closing: "Si vous n'êtes pas à l'origine de cette demande, ignorez ce message.", settings: settings,
            now: now)
    }

    /// The shared shape: a sentence, the button, the link's validity, an optional last sentence.
    static func accountMail(
        _ event: MailEvent, to account: MailAccount, subject: String, intro: String, button: (String, String),
        expiresAt: Date, singleUse: Bool, closing: String?, settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        guard let address = account.address else { return nil }
        let validity =
            validity(until: expiresAt, settings: settings, now: now)
            + (singleUse ? " Il ne peut servir qu'une fois." : "")
        let body = MailBody(
            blocks: [
                .paragraph(intro), .button(label: button.0, url: settings.link(button.1)), .paragraph(validity),
                .paragraph(closing ?? ""),
            ], productName: settings.productName)
        return PlannedMail(
            event: event, recipient: account.recipient, address: address, subject: subject, body: body,
            key: [PlannedMail.version(now), account.recipient.key])
    }
}
