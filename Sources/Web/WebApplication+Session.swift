import Cryptography
import Domain
import Foundation
import HTTP
import Persistence

extension WebApplication {
    static let maxFormBytes = 1 << 20

    /// Forms: urlencoded and multipart bodies, then the `_method` override of HTML forms.
    /// Malformed bodies are 400s; size is bounded by the server's body limit and, for
    /// urlencoded forms, by 1 MiB.
    func decodeForm(_ exchange: inout Exchange) throws {
        let request = exchange.request
        if let query = request.query {
            do { exchange.query = try FormData(urlEncoded: query) } catch { throw WebError.badRequest }
        }
        let type = request.headers["Content-Type"]?.lowercased() ?? ""
        if let boundary = MultipartForm.boundary(contentType: request.headers["Content-Type"] ?? "") {
            do {
                let multipart = try MultipartForm(body: request.body, boundary: boundary)
                exchange.form = multipart.fields
                exchange.files = multipart.files
            } catch {
                throw WebError.badRequest
            }
        } else if !request.body.isEmpty && type.hasPrefix("application/x-www-form-urlencoded") {
            guard request.body.count <= Self.maxFormBytes else {
                throw WebError(
                    status: .contentTooLarge, heading: "Envoi trop volumineux",
                    message: "Le formulaire envoyé est trop volumineux.")
            }
            do {
                exchange.form = try FormData(urlEncoded: request.body)
            } catch {
                throw WebError.badRequest
            }
        }
        if request.method == "POST", let override = exchange.form["_method"]?.uppercased(),
            ["PATCH", "PUT", "DELETE"].contains(override)
        {
            exchange.method = override
        }
    }

    /// The session of the cookie, the signed-in agent, and the CSRF token of this visitor.
    func loadSession(_ exchange: inout Exchange) throws {
        if let token = exchange.cookies[Cookies.session], let session = try db.session(token: token, now: clock.now) {
            exchange.session = session
            exchange.csrfToken = Exchange.csrfToken(for: session)
            if let agentID = session.agentID { exchange.agent = try db.agentAccount(id: agentID) }
        } else {
            if exchange.cookies[Cookies.session] != nil {
                exchange.setCookies.append(Cookies.clear(Cookies.session, secure: settings.https))
            }
            // Visitors get a double-submit token, so the sign-in form is protected too.
            if let token = exchange.cookies[Cookies.csrf], token.count == 64, Digest.bytes(hex: token) != nil {
                exchange.csrfToken = token
            } else {
                exchange.csrfToken = Digest.hex(SecureRandom.bytes(32))
                exchange.setCookies.append(Cookies.set(Cookies.csrf, exchange.csrfToken, secure: settings.https))
            }
        }
        if let code = exchange.cookies[Cookies.flash] {
            exchange.flash = FlashMessage(rawValue: code)?.flash
            exchange.setCookies.append(Cookies.clear(Cookies.flash, secure: settings.https))
        }
    }

    /// Every state-changing request carries the token, and comes from this site when the
    /// browser says where it comes from (Origin). Failure is a 403 page, never a redirect.
    func checkCSRF(_ exchange: Exchange) throws {
        if let origin = exchange.request.headers["Origin"], origin != "null" {
            let host = exchange.request.headers["Host"] ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else { throw WebError.forbidden }
        }
        let sent = Array((exchange.form["authenticity_token"] ?? "").utf8)
        guard !exchange.csrfToken.isEmpty, Digest.equal(sent, Array(exchange.csrfToken.utf8)) else {
            throw WebError.forbidden
        }
    }

    func setFlash(_ message: FlashMessage, _ exchange: inout Exchange) {
        exchange.setCookies.append(Cookies.set(Cookies.flash, message.rawValue, secure: settings.https, maxAge: 60))
    }
}
