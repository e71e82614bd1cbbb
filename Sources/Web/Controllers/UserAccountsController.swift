import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// A user's « Mon compte » (permissions.md §3): `GET/PATCH /users/account` edits the profile,
/// `DELETE /users/account` deletes the account, refused while an appointment of the household
/// is to come. Not in a token session.
struct UserAccountsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let publicURL: String
    let responses: PageResponses

    static let futureAppointments =
        "Annulez d'abord vos rendez-vous à venir (et ceux de vos proches) : votre compte pourra ensuite être supprimé."

    func edit(_ exchange: inout Exchange, _ actor: UserActor) throws -> HTTPResponse {
        guard case .account(let user) = actor, let profile = try db.ownProfile(userID: user.id) else {
            throw WebError.forbidden
        }
        return try responses.page(UserAccountPage(email: user.email ?? "", profile: profile), layout: layout(exchange))
    }

    func update(_ exchange: inout Exchange, _ actor: UserActor) throws -> HTTPResponse {
        guard case .account(let user) = actor else { throw WebError.forbidden }
        func text(_ name: String) -> String { (exchange.form[name] ?? "").trimmingCharacters(in: .whitespacesAndNewlines) }
        let phone = text("phone_number")
        let profile = OwnProfile(
            firstName: text("first_name"), lastName: text("last_name"), phoneNumber: phone.isEmpty ? nil : phone,
            notifyBySMS: exchange.form["notify_by_sms"] == "1", notifyByEmail: exchange.form["notify_by_email"] == "1")
        var errors: [String: String] = [:]
        if profile.firstName.isEmpty { errors["first_name"] = UserCodeSignUpPage.blankFirstName }
        if profile.lastName.isEmpty { errors["last_name"] = UserCodeSignUpPage.blankLastName }
        if !phone.isEmpty && PhoneNumber(phone) == nil { errors["phone_number"] = UserCodeSignUpPage.invalidPhone }
        guard errors.isEmpty else {
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                UserAccountPage(email: user.email ?? "", profile: profile, errors: errors), layout: layout,
                status: HTTPStatus(422))
        }
        try db.updateOwnProfile(userID: user.id, profile, now: clock.now)
        sessions.setFlash(.accountUpdated, &exchange)
        return responses.redirect(.users(.account))
    }

    func destroy(_ exchange: inout Exchange, _ actor: UserActor) throws -> HTTPResponse {
        guard case .account(let user) = actor, let profile = try db.ownProfile(userID: user.id) else {
            throw WebError.forbidden
        }
        switch try db.deleteOwnAccount(userID: user.id, publicURL: publicURL, now: clock.now) {
        case .futureAppointments:
            var layout = layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                UserAccountPage(email: user.email ?? "", profile: profile, deletionError: Self.futureAppointments),
                layout: layout, status: HTTPStatus(422))
        case .deleted:
            exchange.context.logger.notice("user deleted their account", metadata: ["user": "\(user.id)"])
            exchange.setCookies.append(Cookies.clear(Cookies.session, secure: sessions.https))
            sessions.setFlash(.ownAccountDeleted, &exchange)
            return responses.redirect(.publicSearch)
        }
    }

    private func layout(_ exchange: Exchange) -> LayoutModel {
        var layout = exchange.layout
        layout.accountMenu = layout.accountMenu.map {
            .init(label: $0.label, path: $0.path, isCurrent: $0.path == SiteURL.users(.account).path)
        }
        return layout
    }
}

/// `user_accounts/edit`: « Mon compte » of a user, and « Supprimer mon compte ».
public struct UserAccountPage: PageModel, Equatable {
    public static let template = "user_accounts/edit"
    public let formPath = SiteURL.users(.account).path
    public let email: String
    public let fields: [FormField]
    public let notifyBySMS: Bool
    public let notifyByEmail: Bool
    public let errorCount: Int
    public let hasErrors: Bool
    public let deletionError: String?

    init(email: String, profile: OwnProfile, errors: [String: String] = [:], deletionError: String? = nil) {
        self.email = email
        fields = [
            FormField(
                name: "first_name", label: "Prénom", value: profile.firstName, autocomplete: "given-name", required: true,
                error: errors["first_name"]),
            FormField(
                name: "last_name", label: "Nom", value: profile.lastName, autocomplete: "family-name", required: true,
                error: errors["last_name"]),
            FormField(
                name: "phone_number", label: "Téléphone (facultatif)", type: "tel", value: profile.phoneNumber ?? "",
                autocomplete: "tel", hint: "Format attendu : 06 12 34 56 78", error: errors["phone_number"]),
        ]
        notifyBySMS = profile.notifyBySMS
        notifyByEmail = profile.notifyByEmail
        errorCount = errors.count
        hasErrors = !errors.isEmpty
        self.deletionError = deletionError
    }
}
