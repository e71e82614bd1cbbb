import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// The links of SMS and e-mails (booking.md §4, permissions.md §4): `GET/POST /r/<rdv_id>/<tkn>`
/// and `/r/<rdv_id>/cr?tkn=` ask for the first 3 letters of the last name, then open a token
/// session (10 minutes) on that one appointment. A wrong, expired or foreign link says « Ce lien
/// n'est plus valide » and offers to sign in.
struct TokenLinksController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let clientAddress: ClientAddress
    let sessions: SessionLoader
    let responses: PageResponses

    static let wrongLetters = "Ces lettres ne correspondent pas au nom de la personne attendue à ce rendez-vous."
    static let blocked = "Trop d'essais : ce lien est bloqué pendant 15 minutes. Réessayez plus tard."

    /// `cr` (the reschedule link) carries its token in the query.
    private func token(_ exchange: Exchange) -> String {
        let segment = exchange.parameters.string("tkn")
        return segment == "cr" ? (exchange.query["tkn"] ?? "") : segment
    }

    func show(_ exchange: inout Exchange) throws -> HTTPResponse {
        let appointmentID = exchange.parameters.id("rdv_id")
        guard let participation = try db.tokenParticipation(appointmentID: appointmentID, token: token(exchange), now: clock.now)
        else { return try invalid(exchange) }
        if exchange.tokenAccess?.appointmentID == appointmentID || exchange.user?.id == participation.userID {
            return responses.redirect(destination(exchange, appointmentID))
        }
        return try responses.page(TokenCheckPage(formPath: exchange.request.path + querySuffix(exchange)), layout: exchange.layout)
    }

    func check(_ exchange: inout Exchange) throws -> HTTPResponse {
        let appointmentID = exchange.parameters.id("rdv_id")
        let now = clock.now
        guard let participation = try db.tokenParticipation(appointmentID: appointmentID, token: token(exchange), now: now)
        else { return try invalid(exchange) }
        let formPath = exchange.request.path + querySuffix(exchange)
        var layout = exchange.layout
        layout.hasErrors = true
        if let locked = participation.lockedUntil, locked > now {
            return try responses.page(
                TokenCheckPage(formPath: formPath, error: Self.blocked), layout: layout, status: HTTPStatus(429))
        }
        let typed = exchange.form["letters"] ?? ""
        guard participation.lastNames.contains(where: { Self.matches(typed, lastName: $0) }) else {
            try db.recordTokenCheckFailure(participationID: participation.participationID, now: now)
            return try responses.page(
                TokenCheckPage(formPath: formPath, value: typed, error: Self.wrongLetters), layout: layout,
                status: HTTPStatus(422))
        }
        if let old = exchange.session { try db.destroySession(id: old.id) }
        let cookie = try db.createTokenSession(
            participationID: participation.participationID, ip: clientAddress.of(exchange),
            userAgent: exchange.request.headers["User-Agent"], now: now)
        exchange.setCookies.append(Cookies.set(Cookies.session, cookie, secure: sessions.https))
        exchange.context.logger.notice("token link opened", metadata: ["rdv": "\(appointmentID)"])
        return responses.redirect(destination(exchange, appointmentID))
    }

    /// The reschedule link opens the reschedule page (which sends back to the appointment when
    /// moving is no longer allowed), the others the appointment.
    private func destination(_ exchange: Exchange, _ appointmentID: Int64) -> SiteURL {
        exchange.parameters.string("tkn") == "cr" ? .users(.rdvMove(id: appointmentID)) : .users(.rdv(id: appointmentID))
    }

    /// permissions.md §4: the first 3 letters (the whole name if shorter), spaces, case and
    /// accents ignored.
    static func matches(_ typed: String, lastName: String) -> Bool {
        func fold(_ text: String) -> String {
            TextFolding.folded(text).filter { !$0.isWhitespace }
        }
        let expected = String(fold(lastName).prefix(3))
        return !expected.isEmpty && fold(typed) == expected
    }

    private func querySuffix(_ exchange: Exchange) -> String {
        exchange.parameters.string("tkn") == "cr" ? "?tkn=" + SiteURL.encode(token(exchange)) : ""
    }

    private func invalid(_ exchange: Exchange) throws -> HTTPResponse {
        try responses.page(TokenLinkInvalidPage(), layout: exchange.layout, status: .notFound)
    }
}

/// `token_links/check`: the 3-letter check of a link (permissions.md §4).
public struct TokenCheckPage: PageModel, Equatable {
    public static let template = "token_links/check"
    public let formPath: String
    public let field: FormField

    init(formPath: String, value: String = "", error: String? = nil) {
        self.formPath = formPath
        field = FormField(
            name: "letters", label: "Les 3 premières lettres du nom de famille", value: value,
            hint: "Le nom de la personne attendue au rendez-vous (ou de la personne qui en a la charge), par exemple « DUP » pour DUPONT",
            required: true, error: error)
    }
}

/// `token_links/invalid`: « Ce lien n'est plus valide ».
public struct TokenLinkInvalidPage: PageModel, Equatable {
    public static let template = "token_links/invalid"
    public let signInPath = SiteURL.users(.codeSignIn).path
}
