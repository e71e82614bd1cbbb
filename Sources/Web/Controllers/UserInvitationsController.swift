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
    let form: UserLinkPasswordForm

    func edit(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.show(&exchange, .invitation, tokenName: "invitation_token", page: UserInvitationPage.load)
    }

    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.submit(
            &exchange, .invitation, tokenName: "invitation_token", sessionMethod: "invitation",
            flash: .invitationAccepted, page: UserInvitationPage.load)
    }
}

/// The password form behind a user's single-use link (booking.md §3.3: the invitation, the
/// reset), as `AgentLinkPasswordForm` is the agents': the rules of §3.4, then the link is spent,
/// the e-mail it reached confirmed, the user's other sessions ended and this browser signed in.
struct UserLinkPasswordForm: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let passwordRule: PasswordRule
    let responses: PageResponses

    typealias PageBuilder<Page: PageModel> = (String, UserInvitationHolder, [String: String]) -> Page

    /// The form of a live link, whose secret is in the query.
    func show<Page: PageModel>(
        _ exchange: inout Exchange, _ link: UserPasswordLink, tokenName: String, page: PageBuilder<Page>
    ) throws -> HTTPResponse {
        let token = exchange.query[tokenName] ?? ""
        guard let holder = try db.userPasswordLink(link, token: token, now: clock.now) else {
            return try invalid(exchange, link)
        }
        return try responses.page(page(token, holder, [:]), layout: exchange.layout)
    }

    func submit<Page: PageModel>(
        _ exchange: inout Exchange, _ link: UserPasswordLink, tokenName: String, sessionMethod: String,
        flash: FlashMessage, page: PageBuilder<Page>
    ) throws -> HTTPResponse {
        let token = exchange.form[tokenName] ?? ""
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        guard let holder = try db.userPasswordLink(link, token: token, now: now) else {
            return try invalid(exchange, link)
        }
        let errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
            email: holder.email, firstName: holder.firstName, lastName: holder.lastName)
        guard errors.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(page(token, holder, errors), layout: layout, status: HTTPStatus(422))
        }
        // Spent meanwhile (a second tab): the same page as any dead link.
        guard
            let userID = try db.spendUserPasswordLink(
                link, token: token, passwordHash: try PasswordHasher.hash(password), now: now)
        else { return try invalid(exchange, link) }
        try sessions.openUserSession(
            userID: userID, method: sessionMethod, confirmsEmail: true, ip: clientAddress.of(exchange), &exchange,
            now: now)
        sessions.setFlash(flash, &exchange)
        return responses.redirect(.users(.rdvs))
    }

    private func invalid(_ exchange: Exchange, _ link: UserPasswordLink) throws -> HTTPResponse {
        let page = link == .invitation ? UserInvitationPage.invalid : UserPasswordEditPage.invalid
        return try responses.page(page, layout: exchange.layout, status: .notFound)
    }
}

/// « Choisissez votre mot de passe » for an invited user: the agents' invitation page, same fields.
public struct UserInvitationPage: PageModel, Equatable {
    public static let template = "agents/invitations/edit"
    public let formPath = SiteURL.users(.invitation).path
    public let token: String
    public let email: String
    public let fields: [FormField]

    static func load(token: String, holder: UserInvitationHolder, errors: [String: String]) -> UserInvitationPage {
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
