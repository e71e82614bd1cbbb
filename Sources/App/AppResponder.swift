import HTTP

/// The application's routes. The web layer (routing table, controllers, templates) replaces this
/// switch in a later issue; for now the product answers its health check.
struct AppResponder: HTTPResponder {
    func respond(to request: HTTPRequest, context: RequestContext) throws -> HTTPResponse {
        switch request.path {
        case "/health":
            // contracts.md §1: `GET /health` answers 200 with body `ok` once requests are accepted.
            guard request.method == "GET" || request.method == "HEAD" else {
                var response = HTTPResponse.text("Méthode non autorisée\n", status: .methodNotAllowed)
                response.headers["Allow"] = "GET, HEAD"
                return response
            }
            return .text("ok")
        default:
            return .text("Page introuvable\n", status: .notFound)
        }
    }

    /// The health check never blocks: it is answered on the I/O thread.
    func canRespondInline(to request: HTTPRequest) -> Bool {
        request.path == "/health"
    }
}
