import Domain
import Persistence

/// The pages of an agent's account (booking.md §3.2, §10; admin.md §6): the link pages a
/// visitor reaches from an e-mail, and « Mon compte » with its three sections.

/// The side menu of « Mon compte » (admin.md §1: the name menu's entries).
public struct AgentAccountMenu: Sendable, Equatable {
    public struct Item: Sendable, Equatable {
        public let label: String
        public let path: String
        public let isCurrent: Bool
    }

    public let items: [Item]

    init(current: SiteURL.Agents) {
        items = [
            (SiteURL.Agents.account, "Mon compte"), (.preferences, "Préférences de notifications"),
            (.calendarSync, "Synchronisation calendrier"), (.exports, "Vos exports"),
        ].map { Item(label: $0.1, path: SiteURL.agents($0.0).path, isCurrent: $0.0 == current) }
    }
}

/// The two password fields of every form that sets one, with the rule's messages by their
/// field and a confirmation that must match (booking.md §3.4).
struct NewPasswordFields {
    static let mismatch = "La confirmation ne correspond pas au mot de passe."

    /// The issues of `password` / `confirmation` for this person, by field name.
    static func errors(
        _ password: String, confirmation: String, rule: PasswordRule, email: String?, firstName: String?,
        lastName: String?
    ) -> [String: String] {
        var errors: [String: String] = [:]
        let issues = rule.validate(password, email: email, firstName: firstName, lastName: lastName)
        if !issues.isEmpty { errors["password"] = issues.map(\.message).joined(separator: " ") }
        if password != confirmation { errors["password_confirmation"] = mismatch }
        return errors
    }

    static func fields(label: String, confirmationLabel: String, errors: [String: String]) -> [FormField] {
        [
            FormField(
                name: "password", label: label, type: "password", autocomplete: "new-password",
                hint: "Au moins 12 caractères. Une phrase de plusieurs mots est facile à retenir.", required: true,
                error: errors["password"]),
            FormField(
                name: "password_confirmation", label: confirmationLabel, type: "password",
                autocomplete: "new-password", required: true, error: errors["password_confirmation"]),
        ]
    }
}

/// `agents/invitations/edit`: « Choisissez votre mot de passe » (booking.md §3.2).
public struct AgentInvitationPage: PageModel, Equatable {
    public static let template = "agents/invitations/edit"
    public let formPath = SiteURL.Pattern.agentInvitation.path()
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, holder: AgentAccountLinkHolder, errors: [String: String] = [:])
        -> AgentInvitationPage
    {
        AgentInvitationPage(
            token: token, email: holder.email,
            fields: NewPasswordFields.fields(
                label: "Mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors))
    }
}

/// `agents/invitations/invalid`: an invitation or reset link that is unknown, used or expired.
public struct AgentInvalidLinkPage: PageModel, Equatable {
    public static let template = "agents/invitations/invalid"
    public let heading: String
    public let message: String
    public let advice: String
    public let actionLabel: String
    public let actionPath: String

    public static let invitation = AgentInvalidLinkPage(
        heading: "Lien d'invitation invalide", message: "Ce lien d'invitation n'est plus valide.",
        advice:
            "Une invitation est valable 14 jours et ne sert qu'une fois. Demandez à un administrateur de votre "
            + "organisation de vous en renvoyer une. Si vous avez déjà choisi votre mot de passe, connectez-vous.",
        actionLabel: "Se connecter", actionPath: SiteURL.agents(.signIn).path)
    public static let passwordReset = AgentInvalidLinkPage(
        heading: "Lien de réinitialisation invalide", message: "Ce lien de réinitialisation n'est plus valide.",
        advice: "Un lien de réinitialisation est valable 2 heures et ne sert qu'une fois. Demandez-en un nouveau.",
        actionLabel: "Mot de passe oublié ?", actionPath: SiteURL.agents(.passwordNew).path)
}

extension AgentInvalidLinkPage {
    public static let emailChange = AgentInvalidLinkPage(
        heading: "Lien de confirmation invalide", message: "Ce lien de confirmation n'est plus valide.",
        advice:
            "Un lien de confirmation est valable 3 jours et ne sert qu'une fois. Pour changer d'adresse e-mail, "
            + "refaites la demande depuis « Mon compte ».",
        actionLabel: "Se connecter", actionPath: SiteURL.agents(.signIn).path)
    public static let emailTaken = AgentInvalidLinkPage(
        heading: "Adresse e-mail déjà utilisée",
        message: "Cette adresse e-mail est devenue celle d'un autre compte depuis votre demande.",
        advice: "Votre compte garde son adresse actuelle. Choisissez-en une autre depuis « Mon compte ».",
        actionLabel: "Se connecter", actionPath: SiteURL.agents(.signIn).path)
}

/// `agents/email_confirmations/show`: « Confirmer votre nouvelle adresse e-mail » — a button, so
/// that a mail scanner following the link changes nothing.
public struct AgentEmailConfirmationPage: PageModel, Equatable {
    public static let template = "agents/email_confirmations/show"
    public let formPath = SiteURL.agents(.emailConfirmation).path
    public let token: String
    public let email: String
}

/// `agents/passwords/new`: « Mot de passe oublié ? ».
public struct AgentPasswordRequestPage: PageModel, Equatable {
    public static let template = "agents/passwords/new"
    public static let sent = "Si cette adresse correspond à un compte, un lien vient d'y être envoyé."
    public static let blank = "Saisissez votre adresse e-mail."
    public let formPath = SiteURL.Pattern.agentPassword.path()
    public let signInPath = SiteURL.agents(.signIn).path
    public let fields: [FormField]

    static func load(email: String = "", error: String? = nil) -> AgentPasswordRequestPage {
        AgentPasswordRequestPage(fields: [
            FormField(
                name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "username",
                hint: "Nous y enverrons un lien valable 2 heures pour choisir un nouveau mot de passe.",
                required: true, error: error)
        ])
    }
}

/// `agents/passwords/edit`: « Nouveau mot de passe » from a reset link.
public struct AgentPasswordEditPage: PageModel, Equatable {
    public static let template = "agents/passwords/edit"
    public let formPath = SiteURL.Pattern.agentPassword.path()
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, holder: AgentAccountLinkHolder, errors: [String: String] = [:])
        -> AgentPasswordEditPage
    {
        AgentPasswordEditPage(
            token: token, email: holder.email,
            fields: NewPasswordFields.fields(
                label: "Nouveau mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors))
    }
}

/// `agents/account/show`: « Mon compte » (admin.md §6): names, e-mail, password change.
public struct AgentAccountPage: PageModel, Equatable {
    public static let template = "agents/account/show"
    public static let firstNameRequired = "Le prénom est obligatoire."
    public static let lastNameRequired = "Le nom est obligatoire."
    public static let wrongCurrentPassword = "Le mot de passe actuel est incorrect."
    public static let invalidEmail = "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."
    public static let sameEmail = "C'est déjà l'adresse e-mail de votre compte."
    public static let emailTaken = "Cette adresse e-mail est déjà celle d'un autre compte."
    public let menu = AgentAccountMenu(current: .account)
    public let formPath = SiteURL.agents(.account).path
    public let email: String
    /// The new address waiting for its confirmation link to be followed.
    public let pendingEmail: String?
    public let profileFields: [FormField]
    public let emailFields: [FormField]
    public let passwordFields: [FormField]
    public let profileHasErrors: Bool
    public let emailHasErrors: Bool
    public let passwordHasErrors: Bool

    static func load(
        _ settings: AgentAccountSettings, pendingEmail: String? = nil, firstName: String? = nil,
        lastName: String? = nil, newEmail: String = "", profileErrors: [String: String] = [:],
        emailErrors: [String: String] = [:], passwordErrors: [String: String] = [:]
    ) -> AgentAccountPage {
        AgentAccountPage(
            email: settings.email ?? "", pendingEmail: pendingEmail,
            profileFields: [
                FormField(
                    name: "first_name", label: "Prénom", value: firstName ?? settings.firstName ?? "",
                    autocomplete: "given-name", required: true, error: profileErrors["first_name"]),
                FormField(
                    name: "last_name", label: "Nom", value: lastName ?? settings.lastName, autocomplete: "family-name",
                    required: true, error: profileErrors["last_name"]),
            ],
            // The current password too: a session left open must not be enough to take the account
            // over (new address, then « Mot de passe oublié ? » to it).
            emailFields: [
                FormField(
                    name: "new_email", label: "Nouvelle adresse e-mail", type: "email", value: newEmail,
                    autocomplete: "email", required: true, error: emailErrors["new_email"]),
                FormField(
                    id: "email_current_password", name: "current_password", label: "Mot de passe actuel",
                    type: "password", autocomplete: "current-password", required: true,
                    error: emailErrors["current_password"]),
            ],
            passwordFields: [
                FormField(
                    name: "current_password", label: "Mot de passe actuel", type: "password",
                    autocomplete: "current-password", required: true, error: passwordErrors["current_password"])
            ]
                + NewPasswordFields.fields(
                    label: "Nouveau mot de passe", confirmationLabel: "Confirmation du nouveau mot de passe",
                    errors: passwordErrors),
            profileHasErrors: !profileErrors.isEmpty, emailHasErrors: !emailErrors.isEmpty,
            passwordHasErrors: !passwordErrors.isEmpty)
    }
}

/// `agents/preferences/show`: « Préférences de notifications » (admin.md §6, notifications.md §3)
/// and the agenda's display toggles.
public struct AgentPreferencesPage: PageModel, Equatable {
    public static let template = "agents/preferences/show"

    public struct Choice: Sendable, Equatable {
        public let id: String
        public let value: String
        public let label: String
        public let isChecked: Bool
    }

    public struct Group: Sendable, Equatable {
        public let name: String
        public let legend: String
        public let hint: String?
        public let choices: [Choice]
    }

    public struct Toggle: Sendable, Equatable {
        public let name: String
        public let label: String
        public let isChecked: Bool
    }

    public let menu = AgentAccountMenu(current: .preferences)
    public let formPath = SiteURL.agents(.preferences).path
    public let groups: [Group]
    public let toggles: [Toggle]

    static let rdvLabels: [(Agent.RdvNotificationsLevel, String)] = [
        (.all, "Tous les RDV, y compris ceux que je crée ou modifie"),
        (.others, "Les RDV créés ou modifiés par d'autres que moi"),
        (.soon, "Seulement les RDV d'aujourd'hui et de demain modifiés par d'autres"),
        (.none, "Aucune notification"),
    ]
    static let levelLabels: [(Agent.NotificationLevel, String)] = [(.all, "Toutes"), (.none, "Aucune")]

    static func load(_ preferences: AgentNotificationPreferences) -> AgentPreferencesPage {
        func group<Level: RawRepresentable & Equatable>(
            _ name: String, _ legend: String, hint: String?, _ labels: [(Level, String)], _ current: Level
        ) -> Group where Level.RawValue == String {
            Group(
                name: name, legend: legend, hint: hint,
                choices: labels.map {
                    Choice(
                        id: "\(name)-\($0.0.rawValue)", value: $0.0.rawValue, label: $0.1, isChecked: $0.0 == current)
                })
        }
        return AgentPreferencesPage(
            groups: [
                group(
                    "rdv_notifications_level", "Rendez-vous",
                    hint: "Les e-mails sur les RDV de votre agenda, avec l'événement pour votre calendrier.",
                    rdvLabels, preferences.rdv),
                group(
                    "plage_ouverture_notification_level", "Plages d'ouverture", hint: nil, levelLabels,
                    preferences.openingPeriods),
                group("absence_notification_level", "Indisponibilités", hint: nil, levelLabels, preferences.absences),
            ],
            toggles: [
                Toggle(
                    name: "display_saturdays", label: "Afficher les samedis", isChecked: preferences.displaySaturdays),
                Toggle(
                    name: "display_cancelled_rdv", label: "Afficher les RDV annulés",
                    isChecked: preferences.displayCancelledRdv),
            ])
    }

    /// The form's values; nil when a level is missing or unknown (a forged form).
    static func preferences(from form: FormData) -> AgentNotificationPreferences? {
        guard let rdv = form["rdv_notifications_level"].flatMap(Agent.RdvNotificationsLevel.init(rawValue:)),
            let openingPeriods = form["plage_ouverture_notification_level"].flatMap(
                Agent.NotificationLevel.init(rawValue:)),
            let absences = form["absence_notification_level"].flatMap(Agent.NotificationLevel.init(rawValue:))
        else { return nil }
        return AgentNotificationPreferences(
            rdv: rdv, openingPeriods: openingPeriods, absences: absences,
            displaySaturdays: form.values("display_saturdays").contains("1"),
            displayCancelledRdv: form.values("display_cancelled_rdv").contains("1"))
    }
}

/// `agents/calendar_sync/show`: « Synchronisation calendrier » (booking.md §10).
public struct AgentCalendarSyncPage: PageModel, Equatable {
    public static let template = "agents/calendar_sync/show"
    public static let delays =
        "Google Agenda peut mettre jusqu'à 12 heures à afficher les changements ; Outlook les affiche généralement dans l'heure."
    public let menu = AgentAccountMenu(current: .calendarSync)
    public let feedURL: String
    public let regeneratePath = SiteURL.agents(.calendarSyncRegenerate).path
    public let delays = Self.delays
    /// « Copier le lien », shown by the script only.
    public let scriptPath = SiteURL.asset(path: "js/copy-link.js").path

    /// `webcal://<host>/calendrier/<uid>.ics`: the host of `RDV_PUBLIC_URL`, whatever its scheme.
    static func load(calendarUID: String, publicURL: String) -> AgentCalendarSyncPage {
        let links = SiteLinks(publicURL: publicURL)
        return AgentCalendarSyncPage(feedURL: "webcal://" + links.host + SiteURL.calendarFeed(uid: calendarUID).path)
    }
}
