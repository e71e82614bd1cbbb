import Domain
import Foundation
import HTTP
import Persistence

/// « Mes proches » (booking.md §2.2 step 11, permissions.md §3): `GET /users/relatives` lists
/// them with the « Ajouter un proche » form, `POST /users/relatives` adds one and goes back
/// (`return_to`, the chosen slot). Not in a token session.
struct UserRelativesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sessions: SessionLoader
    let responses: PageResponses

    func index(_ exchange: inout Exchange, _ actor: UserActor) throws -> HTTPResponse {
        guard case .account(let user) = actor else { throw WebError.forbidden }
        return try responses.page(
            try page(user, returnTo: ReturnPath.safe(exchange.query["return_to"])), layout: exchange.layout)
    }

    func create(_ exchange: inout Exchange, _ actor: UserActor) throws -> HTTPResponse {
        guard case .account(let user) = actor else { throw WebError.forbidden }
        let firstName = (exchange.form["first_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let lastName = (exchange.form["last_name"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        let birth = (exchange.form["birth_date"] ?? "").trimmingCharacters(in: .whitespaces)
        let back = ReturnPath.safe(exchange.form["return_to"])
        let today = LocalDate(clock.now, in: TimeZone(identifier: "Europe/Paris")!)
        var errors: [String: String] = [:]
        if firstName.isEmpty { errors["first_name"] = "Saisissez le prénom de votre proche." }
        if lastName.isEmpty { errors["last_name"] = "Saisissez le nom de votre proche." }
        let birthDate = LocalDate(birth)
        if !birth.isEmpty {
            if let birthDate, birthDate <= today, birthDate.year > today.year - 130 {
            } else {
                errors["birth_date"] = "Saisissez une date de naissance passée, au format JJ/MM/AAAA."
            }
        }
        guard errors.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                try page(user, returnTo: back, firstName: firstName, lastName: lastName, birthDate: birth, errors: errors),
                layout: layout, status: HTTPStatus(422))
        }
        _ = try db.addRelative(
            responsibleID: user.id, firstName: firstName, lastName: lastName, birthDate: birthDate, now: clock.now)
        sessions.setFlash(.relativeAdded, &exchange)
        return responses.redirect(to: back ?? SiteURL.users(.relatives).path)
    }

    private func page(
        _ user: UserAccount, returnTo: String?, firstName: String = "", lastName: String = "", birthDate: String = "",
        errors: [String: String] = [:]
    ) throws -> UserRelativesPage {
        let household = try db.household(userID: user.id)
        return UserRelativesPage(
            relatives: household?.relatives.map(\.displayName) ?? [],
            hasRelatives: !(household?.relatives.isEmpty ?? true), returnTo: returnTo,
            fields: [
                FormField(
                    name: "first_name", label: "Prénom", value: firstName, required: true, error: errors["first_name"]),
                FormField(name: "last_name", label: "Nom", value: lastName, required: true, error: errors["last_name"]),
                FormField(
                    name: "birth_date", label: "Date de naissance (facultatif)", type: "date", value: birthDate,
                    hint: "Format attendu : JJ/MM/AAAA", error: errors["birth_date"]),
            ])
    }
}

/// `user_relatives/index`: « Mes proches » and « Ajouter un proche ».
public struct UserRelativesPage: PageModel, Equatable {
    public static let template = "user_relatives/index"
    public let formPath = SiteURL.users(.relatives).path
    public let relatives: [String]
    public let hasRelatives: Bool
    public let returnTo: String?
    public let fields: [FormField]
}
