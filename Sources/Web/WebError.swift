import HTTP

/// An error that becomes a French error page with its status (style.md §5, issue #4).
public struct WebError: Error, Sendable {
    public let status: HTTPStatus
    public let heading: String
    public let message: String

    public static let badRequest = WebError(
        status: .badRequest, heading: "Requête invalide", message: "La requête envoyée n'a pas pu être comprise.")
    public static let forbidden = WebError(
        status: .forbidden, heading: "Accès refusé",
        message: "Cette action n'a pas été autorisée. Rechargez la page puis réessayez.")
    public static let notFound = WebError(
        status: .notFound, heading: "Page introuvable",
        message: "La page que vous cherchez n'existe pas ou a été déplacée.")
    public static let unprocessable = WebError(
        status: HTTPStatus(422), heading: "Données invalides", message: "Les informations envoyées ne sont pas valides."
    )

    /// The `Allow` header is added where the URL is known (WebApplication.methodNotAllowed).
    public static let methodNotAllowed = WebError(
        status: .methodNotAllowed, heading: "Méthode non autorisée",
        message: "Cette adresse n'accepte pas cette action.")
}
