import Persistence
/// Where a sign-in sends the person back (the chosen slot of the funnel, booking.md §2.2 step
/// 9): a path of this site only, so a crafted link cannot send anyone elsewhere.
enum ReturnPath {
    static func safe(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/"), !raw.hasPrefix("//"), !raw.hasPrefix("/\\"), raw.utf8.count <= 4000,
            !raw.unicodeScalars.contains(where: { $0.value < 0x21 || $0.value == 0x7F })
        else { return nil }
        return raw
    }

    /// `path` with `return_to` carried, for the links between the sign-in pages.
    static func path(_ site: SiteURL, returnTo: String?) -> String {
        guard let returnTo else { return site.path }
        return site.path(pairs: [("return_to", returnTo)])
    }
}

/// `user_sessions/new`: « Se connecter » with an e-mail and a password (booking.md §3.3), and
/// the other ways in: a code by e-mail, or a new account.
public struct UserSignInPage: PageModel, Equatable {
    public static let template = "user_sessions/new"
    public let formPath = SiteURL.users(.signIn).path
    public let returnTo: String?
    public let errorMessage: String?
    public let fields: [FormField]
    public let codePath: String
    public let signUpPath: String
    public let passwordResetPath = SiteURL.users(.passwordNew).path

    init(email: String, errorMessage: String?, returnTo: String?) {
        self.errorMessage = errorMessage
        self.returnTo = returnTo
        let describedBy = errorMessage == nil ? nil : "sign-in-error"
        fields = [
            FormField(
                name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "email",
                required: true, describedBy: describedBy),
            FormField(
                name: "password", label: "Mot de passe", type: "password", autocomplete: "current-password",
                required: true, describedBy: describedBy),
        ]
        codePath = ReturnPath.path(.users(.codeSignIn), returnTo: returnTo)
        signUpPath = ReturnPath.path(.users(.signUp), returnTo: returnTo)
    }
}

/// `user_codes/new`: « Recevoir un code par e-mail » (booking.md §3.3).
public struct UserCodeRequestPage: PageModel, Equatable {
    public static let template = "user_codes/new"
    public let formPath = SiteURL.users(.codeSignIn).path
    public let returnTo: String?
    public let field: FormField
    public let passwordPath: String

    static let invalidEmail = "Saisissez une adresse e-mail valide, par exemple nom@exemple.fr."

    init(email: String = "", error: String? = nil, returnTo: String?) {
        self.returnTo = returnTo
        field = FormField(
            name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "email",
            hint: "Format attendu : nom@exemple.fr", required: true, error: error)
        passwordPath = ReturnPath.path(.users(.signIn), returnTo: returnTo)
    }
}

/// `user_codes/check`: the code field, after « Si cette adresse est valide, un code vient d'y
/// être envoyé. » (always the same sentence).
public struct UserCodeCheckPage: PageModel, Equatable {
    public static let template = "user_codes/check"
    public static let sentMessage = "Si cette adresse est valide, un code vient d'y être envoyé."
    public static let wrongCode = "Ce code est incorrect ou a expiré. Vérifiez-le, ou demandez un nouveau code."
    public let formPath = SiteURL.users(.codeCheck).path
    public let sentMessage = Self.sentMessage
    public let email: String
    public let returnTo: String?
    public let field: FormField
    public let newCodePath: String

    init(email: String, error: String? = nil, returnTo: String?) {
        self.email = email
        self.returnTo = returnTo
        // No `autocomplete="one-time-code"`: the axe-core the accessibility checks run (3.1)
        // predates that token and reports it as invalid.
        field = FormField(
            name: "code", label: "Code reçu par e-mail", value: "", hint: "6 chiffres, valable 10 minutes",
            required: true, error: error)
        newCodePath = ReturnPath.path(.users(.codeSignIn), returnTo: returnTo)
    }
}

/// `user_codes/sign_up`: « Créez votre compte » for a proven address without account.
public struct UserCodeSignUpPage: PageModel, Equatable {
    public static let template = "user_codes/sign_up"
    public let formPath = SiteURL.users(.codeSignUp).path
    public let email: String
    public let proof: String
    public let returnTo: String?
    public let fields: [FormField]
    public let errorCount: Int
    public let hasErrors: Bool

    static let blankFirstName = "Saisissez votre prénom."
    static let blankLastName = "Saisissez votre nom."
    static let invalidPhone = "Saisissez un numéro de téléphone français valide, par exemple 06 12 34 56 78."

    init(
        email: String, proof: String, returnTo: String?, firstName: String = "", lastName: String = "",
        phone: String = "", errors: [String: String] = [:]
    ) {
        self.email = email
        self.proof = proof
        self.returnTo = returnTo
        fields = [
            FormField(
                name: "first_name", label: "Prénom", value: firstName, autocomplete: "given-name", required: true,
                error: errors["first_name"]),
            FormField(
                name: "last_name", label: "Nom", value: lastName, autocomplete: "family-name", required: true,
                error: errors["last_name"]),
            FormField(
                name: "phone_number", label: "Téléphone (facultatif)", type: "tel", value: phone, autocomplete: "tel",
                hint: "Pour recevoir les rappels par SMS. Format attendu : 06 12 34 56 78", error: errors["phone_number"]),
        ]
        errorCount = errors.count
        hasErrors = !errors.isEmpty
    }
}

/// `user_sign_ups/new`: « Créer un compte » with a password (booking.md §3.3).
public struct UserSignUpPage: PageModel, Equatable {
    public static let template = "user_sign_ups/new"
    public let formPath = SiteURL.users(.signUp).path
    public let returnTo: String?
    public let fields: [FormField]
    public let errorCount: Int
    public let hasErrors: Bool
    public let codePath: String

    init(values: [String: String] = [:], errors: [String: String] = [:], returnTo: String?) {
        self.returnTo = returnTo
        fields =
            [
                FormField(
                    name: "first_name", label: "Prénom", value: values["first_name"] ?? "", autocomplete: "given-name",
                    required: true, error: errors["first_name"]),
                FormField(
                    name: "last_name", label: "Nom", value: values["last_name"] ?? "", autocomplete: "family-name",
                    required: true, error: errors["last_name"]),
                FormField(
                    name: "email", label: "Adresse e-mail", type: "email", value: values["email"] ?? "",
                    autocomplete: "email", hint: "Format attendu : nom@exemple.fr", required: true, error: errors["email"]),
                FormField(
                    name: "phone_number", label: "Téléphone (facultatif)", type: "tel", value: values["phone_number"] ?? "",
                    autocomplete: "tel", hint: "Pour recevoir les rappels par SMS. Format attendu : 06 12 34 56 78",
                    error: errors["phone_number"]),
            ]
            + NewPasswordFields.fields(
                label: "Mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors)
        errorCount = errors.count
        hasErrors = !errors.isEmpty
        codePath = ReturnPath.path(.users(.codeSignIn), returnTo: returnTo)
    }
}

/// `user_sign_ups/sent`: « Vérifiez votre boîte e-mail », the same after every sign-up.
public struct UserSignUpSentPage: PageModel, Equatable {
    public static let template = "user_sign_ups/sent"
    public let email: String
}

extension UserSignUpPage {
    static let invalidLink = AgentInvalidLinkPage(
        heading: "Lien de confirmation invalide", message: "Ce lien de confirmation n'est plus valide.",
        advice:
            "Un lien de confirmation est valable 3 jours et ne sert qu'une fois. Si votre adresse est déjà confirmée, "
            + "connectez-vous ; sinon, un code reçu par e-mail la confirme aussi.",
        actionLabel: "Recevoir un code par e-mail", actionPath: SiteURL.users(.codeSignIn).path)
}

/// `user_passwords/new`: « Mot de passe oublié ? » (booking.md §3.3).
public struct UserPasswordRequestPage: PageModel, Equatable {
    public static let template = "user_passwords/new"
    public let formPath = SiteURL.users(.password).path
    public let field: FormField
    public let codePath = SiteURL.users(.codeSignIn).path

    init(email: String = "", error: String? = nil) {
        field = FormField(
            name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "email",
            hint: "Format attendu : nom@exemple.fr", required: true, error: error)
    }
}

/// `user_passwords/sent`: the same answer whether or not the address has an account.
public struct UserPasswordSentPage: PageModel, Equatable {
    public static let template = "user_passwords/sent"
    public static let message =
        "Si un compte existe pour cette adresse, un lien pour choisir un nouveau mot de passe vient d'y être envoyé."
    public let message = Self.message
    public let codePath = SiteURL.users(.codeSignIn).path
}

/// `user_passwords/edit`: « Choisissez un nouveau mot de passe » from the e-mail's link.
public struct UserPasswordEditPage: PageModel, Equatable {
    public static let template = "user_passwords/edit"
    public let formPath = SiteURL.users(.password).path
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, holder: UserInvitationHolder, errors: [String: String]) -> UserPasswordEditPage {
        UserPasswordEditPage(
            token: token, email: holder.email ?? "",
            fields: NewPasswordFields.fields(
                label: "Nouveau mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors))
    }

    static let invalid = AgentInvalidLinkPage(
        heading: "Lien invalide", message: "Ce lien pour choisir un mot de passe n'est plus valide.",
        advice:
            "Ce lien est valable 2 heures et ne sert qu'une fois. Demandez-en un nouveau, ou connectez-vous sans mot "
            + "de passe avec un code reçu par e-mail.",
        actionLabel: "Recevoir un code par e-mail", actionPath: SiteURL.users(.codeSignIn).path)
}
