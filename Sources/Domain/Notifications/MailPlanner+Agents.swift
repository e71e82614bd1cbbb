import Foundation

extension MailPlanner {
    /// « Votre export est prêt » to the agent who asked for it (admin.md §8): the download link
    /// and when it expires (6 hours after the file is written).
    /// - Parameters:
    ///   - downloadPath: the file's download path (e.g. `/agents/exports/12`), made absolute.
    ///   - expiresAt: when the file is deleted; `now` is when it was written.
    public static func exportReady(
        to agent: MailAccount, exportID: Int64, fileName: String, downloadPath: String, expiresAt: Date,
        settings: NotificationSettings, now: Date
    ) -> PlannedMail? {
        guard let address = agent.address else { return nil }
        let subject = "Votre export est prêt"
        // Our wording around the spec's subject: the file, the button, the expiry.
        let body = MailBody(
            blocks: [
                .paragraph("Votre export « \(fileName) » est prêt."),
                .button(label: "Télécharger l'export", url: settings.link(downloadPath)),
                .paragraph(
                    validity(until: expiresAt, settings: settings, now: now)
                        + " Vous le retrouverez aussi dans « Vos exports »."),
            ], productName: settings.productName)
        return PlannedMail(
            event: .exportReady, recipient: agent.recipient, address: address, subject: subject, body: body,
            key: [String(exportID), PlannedMail.version(now), agent.recipient.key])
    }

    /// « Votre compte <product name> va être supprimé » to an agent without appointment, created
    /// and not signed in for 2 years (booking.md §11, 22:00 job step 4): it is deleted once this
    /// warning is 30 days old without a sign-in. `now` is the warning's instant, the one stored
    /// as `account_deletion_warning_sent_at`.
    public static func accountDeletionWarning(to agent: MailAccount, settings: NotificationSettings, now: Date)
        -> PlannedMail?
    {
        guard let address = agent.address else { return nil }
        let product = settings.productName
        let subject = "Votre compte \(product) va être supprimé"
        // Our wording of the rule: 2 years without sign-in, then 30 days to sign in.
        let body = MailBody(
            blocks: [
                .paragraph("Vous ne vous êtes pas connecté(e) à votre compte \(product) depuis plus de 2 ans."),
                .paragraph(
                    "Sans connexion de votre part dans les 30 jours, votre compte sera supprimé. "
                        + "Pour le conserver, il vous suffit de vous connecter."),
                .button(label: "Se connecter", url: settings.links.agentSignIn),
            ], productName: product)
        return PlannedMail(
            event: .accountDeletionWarning, recipient: agent.recipient, address: address, subject: subject,
            body: body, key: [PlannedMail.version(now), agent.recipient.key])
    }

    /// « Ce lien est valable 6 h, jusqu'au mercredi 1er décembre 2021 à 15h00. »: the validity
    /// counted from `now`, when the link is issued.
    static func validity(until expiresAt: Date, settings: NotificationSettings, now: Date) -> String {
        let length = NotificationFormat.validity(from: now, to: expiresAt)
        return
            "Ce lien est valable \(length), jusqu'au \(NotificationFormat.mailDate(expiresAt, in: settings.timeZone))."
    }
}

extension NotificationSettings {
    /// An absolute link: `publicURL` without its trailing slash, then `path`.
    func link(_ path: String) -> String { links.absolute(path.hasPrefix("/") ? path : "/" + path) }
}
