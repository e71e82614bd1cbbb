import HTTP

/// Cookie parsing and `Set-Cookie` values (RFC 6265 §4.1, §5.4).
enum Cookies {
    static let session = "rdv_session"
    /// Double-submit CSRF secret for visitors without a session (the sign-in form).
    static let csrf = "rdv_csrf"
    /// A flash message code for the next page (never free text: nothing to inject).
    static let flash = "rdv_flash"

    static func parse(_ headers: HTTPHeaders) -> [String: String] {
        var cookies: [String: String] = [:]
        for header in headers.values(for: "Cookie") {
            for pair in header.split(separator: ";") {
                let kv = pair.split(separator: "=", maxSplits: 1)
                guard kv.count == 2 else { continue }
                let name = kv[0].trimmingOWS()
                if cookies[String(name)] == nil { cookies[String(name)] = String(kv[1].trimmingOWS()) }
            }
        }
        return cookies
    }

    /// `HttpOnly; SameSite=Lax; Path=/`, plus `Secure` behind TLS (issue #4).
    static func set(_ name: String, _ value: String, secure: Bool, maxAge: Int? = nil) -> String {
        var cookie = "\(name)=\(value); Path=/; HttpOnly; SameSite=Lax"
        if let maxAge { cookie += "; Max-Age=\(maxAge)" }
        if secure { cookie += "; Secure" }
        return cookie
    }

    static func clear(_ name: String, secure: Bool) -> String { set(name, "", secure: secure, maxAge: 0) }
}
