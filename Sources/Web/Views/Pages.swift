/// `agents/sessions/new`: the sign-in form, its e-mail kept when refused.
public struct AgentSignInPage: PageModel, Equatable {
    public static let template = "agents/sessions/new"
    public let formPath = SiteURL.agents(.signIn).path
    /// « Mot de passe oublié ? » (booking.md §3.2).
    public let passwordNewPath = SiteURL.agents(.passwordNew).path
    public let errorMessage: String?
    public let fields: [FormField]

    /// The form-level message describes both fields: it may concern either.
    public init(email: String, errorMessage: String?) {
        self.errorMessage = errorMessage
        let describedBy = errorMessage == nil ? nil : "sign-in-error"
        fields = [
            FormField(
                name: "email", label: "Adresse e-mail", type: "email", value: email, autocomplete: "username",
                required: true, describedBy: describedBy),
            FormField(
                name: "password", label: "Mot de passe", type: "password", autocomplete: "current-password",
                required: true, describedBy: describedBy),
        ]
    }
}

/// `errors/error`: every error page.
public struct ErrorPage: PageModel, Equatable {
    public static let template = "errors/error"
    public var heading: String
    public var message: String
    public var requestID: String?
}
