import Cryptography
import Domain
import Foundation
import HTTP
import Persistence

/// `GET /agents/invitation/accept?invitation_token=`, `POST /agents/invitation`: « Choisissez
/// votre mot de passe » from the invitation e-mail (booking.md §3.2: 14 days, single use), then
/// signed in on the home.
struct AgentInvitationsController: Sendable {
    let form: AgentLinkPasswordForm

    func edit(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.show(&exchange, .invitation, tokenName: "invitation_token", page: AgentInvitationPage.load)
    }

    func update(_ exchange: inout Exchange) throws -> HTTPResponse {
        try form.submit(
            &exchange, .invitation, tokenName: "invitation_token", sessionMethod: "invitation",
            flash: .invitationAccepted, page: AgentInvitationPage.load)
    }
}

/// The two pages behind an account link (invitation, password reset): the form of a live link,
/// then the new password checked by `PasswordRule`, the link spent, the agent signed in. A
/// dead link (unknown, used, expired) is one 404 page that says what to do.
struct AgentLinkPasswordForm: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let clientAddress: ClientAddress
    let passwordRule: PasswordRule
    let responses: PageResponses

    typealias PageBuilder<Page: PageModel> = (String, AgentAccountLinkHolder, [String: String]) -> Page

    /// The form of a live link, whose secret is in the query.
    func show<Page: PageModel>(
        _ exchange: inout Exchange, _ link: AgentAccountLink, tokenName: String, page: PageBuilder<Page>
    ) throws -> HTTPResponse {
        let token = exchange.query[tokenName] ?? ""
        guard let holder = try db.agentAccountLink(link, token: token, now: clock.now) else {
            return try invalid(exchange, link)
        }
        return try responses.page(page(token, holder, [:]), layout: exchange.layout)
    }

    /// The new password: 422 with the rule's messages by their fields, or signed in on the
    /// agent's landing page with `flash` (every other session of the agent has ended).
    func submit<Page: PageModel>(
        _ exchange: inout Exchange, _ link: AgentAccountLink, tokenName: String, sessionMethod: String,
        flash: FlashMessage, page: PageBuilder<Page>
    ) throws -> HTTPResponse {
        let token = exchange.form[tokenName] ?? ""
        let password = exchange.form["password"] ?? ""
        let now = clock.now
        guard let holder = try db.agentAccountLink(link, token: token, now: now) else {
            return try invalid(exchange, link)
        }
        let errors = NewPasswordFields.errors(
            password, confirmation: exchange.form["password_confirmation"] ?? "", rule: passwordRule,
            email: holder.email, firstName: holder.firstName, lastName: holder.lastName)
        if !errors.isEmpty {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(page(token, holder, errors), layout: layout, status: HTTPStatus(422))
        }
        // Spent meanwhile (a second tab): the same page as any dead link.
        guard
            let agentID = try db.useAgentAccountLink(
                link, token: token, passwordHash: try PasswordHasher.hash(password), now: now)
        else { return try invalid(exchange, link) }
        try sessions.openAgentSession(
            agentID: agentID, method: sessionMethod, ip: clientAddress.of(exchange), &exchange, now: now)
        sessions.setFlash(flash, &exchange)
        return responses.redirect(try landing(agentID: agentID))
    }

    /// Where the home would send the agent (its agenda in its first organisation), reached
    /// directly: the home's own redirect would spend the flash before any page shows it.
    private func landing(agentID: Int64) throws -> SiteURL {
        guard let organisation = try db.agentOrganisations(agentID: agentID).first else { return .agents(.home) }
        return .organisation(id: organisation.id, .agenda(agentID: agentID))
    }

    private func invalid(_ exchange: Exchange, _ link: AgentAccountLink) throws -> HTTPResponse {
        let page: AgentInvalidLinkPage = link == .invitation ? .invitation : .passwordReset
        return try responses.page(page, layout: exchange.layout, status: .notFound)
    }
}
