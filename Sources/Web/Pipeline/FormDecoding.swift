import HTTP

/// Request bodies of pages: urlencoded forms, and multipart ones only where the route's action
/// takes files; then the `_method` override of HTML forms. The size was bounded by the server
/// with the route's limit before the body was read (`WebApplication.maximumBodySize`).
enum FormDecoding {
    static func decode(_ exchange: inout Exchange) throws {
        let request = exchange.request
        let contentType = request.headers["Content-Type"] ?? ""
        if let boundary = MultipartForm.boundary(contentType: contentType) {
            // The action is known once `_method` is: a multipart body may only override to an
            // action that takes files too, so the wire method's action decides.
            guard exchange.route?.actions[exchange.method]?.acceptsFiles == true else {
                throw WebError(
                    status: HTTPStatus(415), heading: "Envoi non accepté",
                    message: "Cette adresse n'accepte pas de fichiers.")
            }
            do {
                let multipart = try MultipartForm(body: request.body, boundary: boundary)
                exchange.form = multipart.fields
                exchange.files = multipart.files
            } catch {
                throw WebError.badRequest
            }
        } else if !request.body.isEmpty && contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            do { exchange.form = try FormData(urlEncoded: request.body) } catch { throw WebError.badRequest }
        }
        if request.method == "POST", let override = exchange.form["_method"]?.uppercased(),
            ["PATCH", "PUT", "DELETE"].contains(override)
        {
            exchange.method = override
        }
    }
}
