import Cryptography
import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// « Inviter à créer un compte » (booking.md §3.3): `GET /users/invitation/accept?invitation_token=`
/// shows « Choisissez votre mot de passe », `POST /users/invitation` sets it (the rules of
/// booking.md §3.4), confirms the e-mail the link reached and signs the user in. 14 days,
/// single use.
struct UserInvitationsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let passwordRule: PasswordRule
    let responses: PageResponses

    func edit(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.query["invitation_token"] ?? ""
        guard let holder = try db.userInvitation(token: token, now: clock.now) else { return try invalid(exchange) }
        return try responses.page(UserInvitationPage.load(token: token, holder: holder), layout: exchange.layout)
    }

    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        let token = exchange.form["invitation_token"] ?? ""
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        guard let holder = try db.userInvitation(token: token, now: now) else { return try invalid(exchange) }
        let errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
            email: holder.email, firstName: holder.firstName, lastName: holder.lastName)
        guard errors.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                UserInvitationPage.load(token: token, holder: holder, errors: errors), layout: layout,
                status: HTTPStatus(422))
        }
        guard
            let userID = try db.acceptUserInvitation(
                token: token, passwordHash: try PasswordHasher.hash(password), now: now)
        else { return try invalid(exchange) }
        try sessions.openUserSession(
            userID: userID, method: "invitation", confirmsEmail: true, ip: clientAddress.of(exchange), &exchange, now: now)
        sessions.setFlash(.invitationAccepted, &exchange)
        return responses.redirect(.users(.rdvs))
    }

    private func invalid(_ exchange: Exchange) throws -> HTTPResponse {
        try responses.page(UserInvitationPage.invalid, layout: exchange.layout, status: .notFound)
    }
}

/// « Choisissez votre mot de passe » for an invited user: the agents' invitation page, same fields.
public struct UserInvitationPage: PageModel, Equatable {
    public static let template = "agents/invitations/edit"
    public let formPath = SiteURL.users(.invitation).path
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, holder: UserInvitationHolder, errors: [String: String] = [:]) -> UserInvitationPage {
        UserInvitationPage(
            token: token, email: holder.email ?? "",
            fields: NewPasswordFields.fields(
                label: "Mot de passe", confirmationLabel: "Confirmation du mot de passe", errors: errors))
    }

    static let invalid = AgentInvalidLinkPage(
        heading: "Lien d'invitation invalide", message: "Ce lien d'invitation n'est plus valide.",
        advice:
            "Une invitation est valable 14 jours et ne sert qu'une fois. Vous pouvez aussi vous connecter sans mot "
            + "de passe, avec un code reçu par e-mail.",
        actionLabel: "Recevoir un code par e-mail", actionPath: SiteURL.users(.codeSignIn).path)
}
