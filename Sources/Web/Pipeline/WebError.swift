import Domain
import HTTP

/// The one error a request can end with on purpose. It is an `HTTPResponseError`, and the
/// route's group renders it: a French error page for pages, `{"error": message}` for the API,
/// plain text for feeds (style.md §5).
public struct WebError: HTTPResponseError, Sendable, Hashable {
    public let status: HTTPStatus
    public let heading: String
    public let message: String

    public var publicMessage: String { message }

    public init(status: HTTPStatus, heading: String, message: String) {
        self.status = status
        self.heading = heading
        self.message = message
    }

    /// An API error: only its message is shown (api.md §4).
    public static func api(_ status: HTTPStatus, _ message: String) -> WebError {
        WebError(status: status, heading: status.reasonPhrase, message: message)
    }

    public static let badRequest = WebError(
        status: .badRequest, heading: "Requête invalide", message: "La requête envoyée n'a pas pu être comprise.")
    public static let forbidden = WebError(
        status: .forbidden, heading: "Accès refusé",
        message: "Cette action n'a pas été autorisée. Rechargez la page puis réessayez.")
    public static let notFound = WebError(
        status: .notFound, heading: "Page introuvable",
        message: "La page que vous cherchez n'existe pas ou a été déplacée.")
    /// permissions.md: a record outside the caller's scope is absent (404), a refused action on
    /// a record in scope is a 403, both with this sentence.
    public static let noAccess = WebError(status: .notFound, heading: "Accès refusé", message: Access.message)
    public static let noAccessForbidden = WebError(status: .forbidden, heading: "Accès refusé", message: Access.message)
    public static let unprocessable = WebError(
        status: HTTPStatus(422), heading: "Données invalides", message: "Les informations envoyées ne sont pas valides."
    )
    public static let contentTooLarge = WebError(
        status: .contentTooLarge, heading: "Envoi trop volumineux", message: "Le formulaire envoyé est trop volumineux.")
    /// The `Allow` header is added where the route is known (WebApplication.methodNotAllowed).
    public static let methodNotAllowed = WebError(
        status: .methodNotAllowed, heading: "Méthode non autorisée",
        message: "Cette adresse n'accepte pas cette action.")
    public static let internalError = WebError(
        status: .internalServerError, heading: "Erreur du serveur",
        message: "Une erreur inattendue s'est produite. Nos équipes en ont été informées.")
}
