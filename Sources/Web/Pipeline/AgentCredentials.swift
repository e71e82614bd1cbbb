import Cryptography
import Domain
import Foundation
import Logging
import Persistence

/// The password check of an agent sign-in (booking.md §3.2), shared by the sign-in page and the
/// API's `auth/sign_in` (api.md §2: the lockout applies there too): the per-address throttle,
/// scrypt against a decoy when there is no hash (every refusal costs the same time), the
/// account lockout and `AgentPolicy.maySignIn`.
struct AgentCredentialCheck: Sendable {
    enum Outcome {
        case verified(AgentAccount)
        case slowDown, wrongCredentials, locked
    }

    let db: AppDatabase
    let clock: any Clock
    let throttle: SignInThrottle

    /// Verified when there is no hash to check (unknown e-mail, account without a password).
    static let decoyHash = "scrypt$15$8$1$00000000000000000000000000000000$" + String(repeating: "0", count: 64)

    /// Checks `email` and `password` from `address`; a refusal is recorded (throttle, failed
    /// attempts toward the lockout), a success clears the pair's throttle.
    func check(email: String, password: String, address: String, logger: Logger) throws -> Outcome {
        let now = clock.now
        if throttle.delay(address: address, email: email, now: now) > 0 || !throttle.allowAttempt(address: address, now: now) {
            return .slowDown
        }
        let account = try db.agentAccount(email: email)
        let verified = PasswordHasher.verify(password, against: account?.passwordHash ?? Self.decoyHash)
        guard let account, account.passwordHash != nil else {
            throttle.recordFailure(address: address, email: email, now: now)
            return .wrongCredentials
        }
        if let lockedUntil = account.lockedUntil, lockedUntil > now { return .locked }
        guard verified, AgentPolicy.maySignIn(try db.principal(agentID: account.id)) else {
            try db.recordFailedSignIn(agentID: account.id, now: now)
            throttle.recordFailure(address: address, email: email, now: now)
            logger.notice("agent sign-in refused", metadata: ["agent": "\(account.id)"])
            return .wrongCredentials
        }
        throttle.recordSuccess(address: address, email: email)
        return .verified(account)
    }
}
