/// The paths the product writes outside its pages (e-mails, SMS, webhooks, calendar feeds).
/// Web's route table is built on the same templates, so a link sent out always has a route.
/// Syntax (shared with Web's `RoutePattern`): `:name` a numeric id, `$name` a secret token.
public enum SitePath {
    public static let agentSignIn = "/agents/sign_in"
    /// booking.md §3.2: the invitation link (`?invitation_token=`) and the password-reset link
    /// (`?reset_password_token=`) of agents' account e-mails.
    public static let agentInvitationAccept = "/agents/invitation/accept"
    public static let agentPasswordEdit = "/agents/password/edit"
    /// admin.md §6: the link (`?confirmation_token=`) that confirms an agent's new e-mail address.
    public static let agentEmailConfirmation = "/agents/account/email_confirmation"
    /// booking.md §3.3: « Inviter à créer un compte » (`?invitation_token=`).
    public static let userInvitationAccept = "/users/invitation/accept"
    /// booking.md §3.3 « Mot de passe oublié ? » of users (`?reset_password_token=`, 2 hours).
    public static let userPasswordEdit = "/users/password/edit"
    /// booking.md §3.3: the sign-up's « Confirmez votre adresse e-mail » link (`?confirmation_token=`).
    public static let userConfirmation = "/users/confirmation"
    /// booking.md §4: the token link of a participation.
    public static let userAppointment = "/r/:rdv_id/$tkn"
    /// booking.md §7 reschedule from a link (`?tkn=`).
    public static let userReschedule = "/r/:rdv_id/cr"
    /// booking.md §4: book again from a cancelled appointment's link (`?tkn=`).
    public static let rebook = "/prdv"
    public static let agentAppointment = "/admin/organisations/:organisation_id/rdvs/:id"
    public static let openingPeriod = "/admin/organisations/:organisation_id/plage_ouvertures/:id"
    public static let absence = "/admin/organisations/:organisation_id/absences/:id"
    /// admin.md §8: an export's file, by its uuid (only its owner may download it).
    public static let agentExport = "/agents/exports/$uuid"
    /// notifications.md §10: the secret `calendar_uid` is the credential.
    public static let calendarFeed = "/calendrier/$uid.ics"

    /// `template` with each `:name` / `$name` segment (up to a `.` suffix) replaced by its value.
    public static func fill(_ template: String, _ values: [String: String]) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment -> String in
            guard let first = segment.first, first == ":" || first == "$" else { return String(segment) }
            let name = segment.dropFirst().prefix { $0 != "." }
            return (values[String(name)] ?? "") + segment.dropFirst(1 + name.count)
        }.joined(separator: "/")
    }
}

/// Absolute links from `RDV_PUBLIC_URL` (one link builder for every message).
public struct SiteLinks: Sendable, Equatable {
    /// The public URL without its trailing slashes.
    public let baseURL: String

    public init(publicURL: String) {
        var text = publicURL
        while text.hasSuffix("/") { text.removeLast() }
        baseURL = text
    }

    /// "rdv.example.fr": without the scheme, for SMS where every character counts.
    public var host: String {
        var text = baseURL
        for scheme in ["https://", "http://"] where text.hasPrefix(scheme) { text.removeFirst(scheme.count) }
        return text
    }

    public func absolute(_ path: String) -> String { baseURL + path }

    public func userAppointment(id: Int64, token: String, withScheme: Bool = true) -> String {
        prefix(withScheme) + SitePath.fill(SitePath.userAppointment, ["rdv_id": "\(id)", "tkn": token])
    }

    public func userReschedule(id: Int64, token: String, withScheme: Bool = true) -> String {
        prefix(withScheme) + SitePath.fill(SitePath.userReschedule, ["rdv_id": "\(id)"]) + "?tkn=" + token
    }

    public func rebook(token: String, withScheme: Bool = true) -> String {
        prefix(withScheme) + SitePath.rebook + "?tkn=" + token
    }

    public func agentAppointment(organisationID: Int64, appointmentID: Int64) -> String {
        absolute(SitePath.fill(SitePath.agentAppointment, ["organisation_id": "\(organisationID)", "id": "\(appointmentID)"]))
    }

    public func openingPeriod(organisationID: Int64, id: Int64) -> String {
        absolute(SitePath.fill(SitePath.openingPeriod, ["organisation_id": "\(organisationID)", "id": "\(id)"]))
    }

    public func absence(organisationID: Int64, id: Int64) -> String {
        absolute(SitePath.fill(SitePath.absence, ["organisation_id": "\(organisationID)", "id": "\(id)"]))
    }

    public var agentSignIn: String { absolute(SitePath.agentSignIn) }

    public func calendarFeed(uid: String) -> String { absolute(SitePath.fill(SitePath.calendarFeed, ["uid": uid])) }

    private func prefix(_ withScheme: Bool) -> String { withScheme ? baseURL : host }
}
