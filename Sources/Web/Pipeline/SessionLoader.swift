import HTTP
import Cryptography
import Dispatch
import Domain
import Foundation
import Persistence
import Synchronization

/// Loads the session of a page request: the signed-in agent, its CSRF token, the flash. Reads
/// only: the sliding expiry is written later, off the request's path, at most once a minute per
/// session, and a failure to write it (a locked or full database) costs nothing but the slide.
public final class SessionLoader: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let https: Bool
    private let touches = DispatchQueue(label: "rdv.session-touches")
    private let pending = Mutex<Set<Int64>>([])

    public init(db: AppDatabase, clock: any Clock, https: Bool) {
        self.db = db
        self.clock = clock
        self.https = https
    }

    func load(_ exchange: inout Exchange) throws {
        let now = clock.now
        if let token = exchange.cookies[Cookies.session], let session = try db.session(token: token, now: now) {
            exchange.session = session
            exchange.csrfToken = Exchange.csrfToken(for: session)
            if let agentID = session.agentID { exchange.agent = try db.agentAccount(id: agentID) }
            if let superAdminID = session.superAdminID { exchange.superAdmin = try db.superAdminAccount(id: superAdminID) }
            if let userID = session.userID { exchange.user = try db.userAccount(id: userID) }
            if let participationID = session.participationID {
                exchange.tokenAccess = try db.sessionParticipation(id: participationID)
            }
            if session.needsTouch { touchLater(session.id, policy: session.policy, now: now) }
        } else {
            if exchange.cookies[Cookies.session] != nil {
                exchange.setCookies.append(Cookies.clear(Cookies.session, secure: https))
            }
            // Visitors get a double-submit token, so the sign-in form is protected too.
            if let token = exchange.cookies[Cookies.csrf], token.count == 64, Digest.bytes(hex: token) != nil {
                exchange.csrfToken = token
            } else {
                exchange.csrfToken = Digest.hex(SecureRandom.bytes(32))
                exchange.setCookies.append(Cookies.set(Cookies.csrf, exchange.csrfToken, secure: https))
            }
        }
        if let code = exchange.cookies[Cookies.flash] {
            exchange.flash = FlashMessage(rawValue: code)?.flash
        }
    }

    /// The flash is spent by the page that shows it: a redirect (`/` → the agenda) passes it on.
    func spendFlash(_ exchange: inout Exchange, response: HTTPResponse) {
        guard exchange.cookies[Cookies.flash] != nil, !(300..<400).contains(response.status.code) else { return }
        let replaced = exchange.setCookies.contains { $0.hasPrefix(Cookies.flash + "=") }
        if !replaced { exchange.setCookies.append(Cookies.clear(Cookies.flash, secure: https)) }
    }

    /// One pending slide per session: a burst of requests writes once.
    private func touchLater(_ id: Int64, policy: SessionPolicy, now: Date) {
        guard pending.withLock({ $0.insert(id).inserted }) else { return }
        touches.async { [self] in
            try? db.touchSession(id: id, now: now, policy: policy)
            _ = pending.withLock { $0.remove(id) }
        }
    }

    /// Waits for the slides already queued (tests).
    package func flushTouches() { touches.sync {} }

    func setFlash(_ message: FlashMessage, _ exchange: inout Exchange) {
        exchange.setCookies.append(Cookies.set(Cookies.flash, message.rawValue, secure: https, maxAge: 60))
    }
}

/// CSRF (OWASP "verify origin with standard headers" + synchronizer token): a state-changing
/// request must come from this site when the browser says where it comes from, and carry this
/// visitor's token. Failure is a 403 page, never a redirect.
struct ForgeryProtection: Sendable {
    /// `RDV_PUBLIC_URL`'s origin when it is configured; otherwise the request's own `Host`.
    let publicOrigin: String?

    func checkOrigin(_ exchange: Exchange) throws {
        guard let origin = exchange.request.headers["Origin"], origin != "null" else { return }
        if let publicOrigin {
            guard origin == publicOrigin else { throw WebError.forbidden }
        } else {
            let host = exchange.request.headers["Host"] ?? ""
            guard origin == "http://\(host)" || origin == "https://\(host)" else { throw WebError.forbidden }
        }
    }

    func checkToken(_ exchange: Exchange) throws {
        let sent = Array((exchange.form["authenticity_token"] ?? "").utf8)
        guard !exchange.csrfToken.isEmpty, Digest.equal(sent, Array(exchange.csrfToken.utf8)) else {
            throw WebError.forbidden
        }
    }
}
