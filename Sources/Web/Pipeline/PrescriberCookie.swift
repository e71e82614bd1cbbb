import Cryptography
import Domain
import Foundation
import Persistence

/// booking.md §5.1 steps 3 and 7: an external prescriber has no account, so « the session » that
/// remembers their details for the next booking, and the booking their confirmation page shows,
/// is this cookie. It is sealed (AES-256-GCM under a key derived from the instance secret), so
/// its personal data is neither readable nor forgeable, and it ends after `lifetime`.
struct PrescriberCookie: Codable, Equatable {
    var prescriber: Prescriber
    /// The last booking: the confirmation page shows it, and only it.
    var appointmentID: Int64?
    var beneficiaryUserID: Int64?
    var expiresAt: Int64

    static let name = "rdv_prescripteur"
    /// Half a working day: long enough for the next booking of the same desk, short enough
    /// for a shared computer.
    static let lifetime: TimeInterval = 4 * 3600
}

/// Reads and writes the prescriber's cookie.
struct PrescriberCookies: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let https: Bool

    private func box() throws -> SecretBox {
        SecretBox(secret: try db.instanceSecret(), context: "rdv prescriber cookie v1")
    }

    /// nil when absent, altered, or past its end.
    func read(_ exchange: Exchange) -> PrescriberCookie? {
        guard let sealed = exchange.cookies[PrescriberCookie.name], !sealed.isEmpty,
            let box = try? box(), let plain = try? box.open(sealed),
            let cookie = try? JSONDecoder().decode(PrescriberCookie.self, from: Data(plain)),
            cookie.expiresAt > Int64(clock.now.timeIntervalSince1970)
        else { return nil }
        return cookie
    }

    func write(_ cookie: PrescriberCookie, _ exchange: inout Exchange) throws {
        var cookie = cookie
        cookie.expiresAt = Int64(clock.now.addingTimeInterval(PrescriberCookie.lifetime).timeIntervalSince1970)
        let sealed = try box().seal(Array(try JSONEncoder().encode(cookie)))
        exchange.setCookies.append(
            Cookies.set(PrescriberCookie.name, sealed, secure: https, maxAge: Int(PrescriberCookie.lifetime)))
    }
}
