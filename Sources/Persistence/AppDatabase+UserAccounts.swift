import Cryptography
import Domain
import Foundation
import GRDB

/// What sign-in and the public pages need to know about a user's own account (booking.md §3.3).
public struct UserAccount: Sendable, Equatable {
    public let id: Int64
    public let email: String?
    public let firstName: String
    public let lastName: String
    public let phoneNumber: String?
    public let address: String?
    public let passwordHash: String?
    public let confirmedAt: Date?
    public let failedSignInCount: Int
    public let lockedUntil: Date?

    /// « Camille DURAND ».
    public var displayName: String { firstName + " " + lastName.uppercased() }
}

/// A person the signed-in user books for: themselves or one of their relatives (domain.md §11).
public struct UserHousehold: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let id: Int64
        public let firstName: String
        public let lastName: String
        public let birthDate: String?
        public var displayName: String { firstName + " " + lastName.uppercased() }
    }

    public let selfMember: Member
    public let relatives: [Member]
    public var everyone: [Member] { [selfMember] + relatives }
}

/// The answer to an e-mail code request: the page says the same thing either way
/// (« Si cette adresse est valide… »).
public enum SignInCodeRequest: Sendable, Equatable {
    case sent
    /// One code a minute and five an hour per address (booking.md §3.3).
    case tooSoon
    case invalidAddress
}

/// The answer to a typed code.
public enum SignInCodeCheck: Sendable, Equatable {
    /// The e-mail is proven: the user of that address, or nil when it has no account yet.
    case valid(userID: Int64?)
    /// Wrong: one attempt used; the code is void after five.
    case wrong
    /// No live code for this address (expired, used, voided, or never asked).
    case noLiveCode
}

extension AppDatabase {
    public static let signInCodeLifetime: TimeInterval = 600
    public static let signInCodeMaxAttempts = 5

    public func userAccount(email: String) throws -> UserAccount? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE email = ? AND deleted_at IS NULL AND responsible_id IS NULL",
                arguments: [EmailAddress.normalised(email)]
            ).map(Self.userAccount)
        }
    }

    public func userAccount(id: Int64) throws -> UserAccount? {
        try writer.read { db in
            try Row.fetchOne(
                db.cachedStatement(sql: "SELECT * FROM users WHERE id = ? AND deleted_at IS NULL AND responsible_id IS NULL"),
                arguments: [id]
            ).map(Self.userAccount)
        }
    }

    static func userAccount(_ row: Row) -> UserAccount {
        UserAccount(
            id: row["id"], email: row["email"], firstName: row["first_name"], lastName: row["last_name"],
            phoneNumber: row["phone_number"], address: row["address"], passwordHash: row["password_hash"],
            confirmedAt: (row["confirmed_at"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) },
            failedSignInCount: row["failed_sign_in_count"],
            lockedUntil: (row["locked_until"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }

    /// The user and their relatives, in the order « Choix de l'usager » lists them.
    public func household(userID: Int64) throws -> UserHousehold? {
        try writer.read { db in
            func member(_ row: Row) -> UserHousehold.Member {
                .init(id: row["id"], firstName: row["first_name"], lastName: row["last_name"], birthDate: row["birth_date"])
            }
            guard
                let me = try Row.fetchOne(
                    db, sql: "SELECT * FROM users WHERE id = ? AND deleted_at IS NULL", arguments: [userID])
            else { return nil }
            let relatives = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM users WHERE responsible_id = ? AND deleted_at IS NULL
                    ORDER BY first_name COLLATE NOCASE, id
                    """, arguments: [userID])
            return UserHousehold(selfMember: member(me), relatives: relatives.map(member))
        }
    }

    // MARK: Password sign-in (same lockout as agents, booking.md §3.2–§3.3)

    public func recordFailedUserSignIn(userID: Int64, now: Date, maxFailures: Int = 10, lockout: TimeInterval = 15 * 60)
        throws
    {
        try writer.write { db in
            try Self.recordFailedSignIn(db, table: "users", id: userID, now: now, maxFailures: maxFailures, lockout: lockout)
        }
    }

    /// A success resets the counter; a code also proves the e-mail (booking.md §3.3).
    public func recordSuccessfulUserSignIn(userID: Int64, confirmsEmail: Bool, now: Date) throws {
        let epoch = Self.epoch(now)
        try writer.write { db in
            try db.execute(
                sql: """
                    UPDATE users SET failed_sign_in_count = 0, locked_until = NULL, last_sign_in_at = ?1, updated_at = ?1,
                        confirmed_at = CASE WHEN ?2 THEN COALESCE(confirmed_at, ?1) ELSE confirmed_at END
                    WHERE id = ?3
                    """,
                arguments: [epoch, confirmsEmail, userID])
        }
    }

    /// A user session: 30 minutes sliding (booking.md §3.3).
    public func createUserSession(userID: Int64, method: String, ip: String?, userAgent: String?, now: Date) throws
        -> String
    {
        try createSession(holder: "user_id", id: userID, method: method, ip: ip, userAgent: userAgent, now: now, policy: .user)
    }

    // MARK: E-mail codes (booking.md §3.3)

    /// Issues a 6-digit code for `email` and plans its e-mail in the same transaction, unless the
    /// address had one in the last 60 s or five in the last hour. Only the code's HMAC under the
    /// instance secret is stored; earlier live codes of the address are voided.
    public func requestSignInCode(
        email raw: String, publicURL: String, now: Date, random: () -> String = AppDatabase.randomSignInCode
    ) throws -> SignInCodeRequest {
        guard EmailAddress.isValid(raw) else { return .invalidAddress }
        let email = EmailAddress.normalised(raw)
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            let lastMinute = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM email_sign_in_codes WHERE email = ? AND created_at > ?",
                arguments: [email, epoch - 60]) ?? 0
            let lastHour = try Int.fetchOne(
                db, sql: "SELECT count(*) FROM email_sign_in_codes WHERE email = ? AND created_at > ?",
                arguments: [email, epoch - 3600]) ?? 0
            guard lastMinute == 0, lastHour < 5 else { return .tooSoon }
            let code = random()
            let secret = try Self.instanceSecret(db, instance: instance)
            try db.execute(
                sql: "UPDATE email_sign_in_codes SET consumed_at = ?, updated_at = ? WHERE email = ? AND consumed_at IS NULL",
                arguments: [epoch, epoch, email])
            try db.execute(
                sql: """
                    INSERT INTO email_sign_in_codes (email, code_hash, expires_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    email, Data(Self.signInCodeHash(code, secret: secret)), epoch + Int64(Self.signInCodeLifetime),
                    epoch, epoch,
                ])
            let codeID = db.lastInsertedRowID
            let userID = try Int64.fetchOne(
                db, sql: "SELECT id FROM users WHERE email = ? AND deleted_at IS NULL", arguments: [email])
            let mail = MailPlanner.signInCode(
                address: email, code: code, codeID: codeID, issuedAt: now, recipient: userID.map { .user($0) },
                settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: nil))
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return .sent
        }
    }

    /// Checks a typed code against the address's live code: a match consumes it, a miss counts
    /// one attempt (five void it). Compared in constant time.
    public func checkSignInCode(email raw: String, code: String, now: Date) throws -> SignInCodeCheck {
        let email = EmailAddress.normalised(raw)
        let epoch = Self.epoch(now)
        let typed = code.filter { !$0.isWhitespace }
        return try immediateWrite { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, code_hash FROM email_sign_in_codes
                        WHERE email = ? AND consumed_at IS NULL AND expires_at > ? AND failed_attempts < ?
                        ORDER BY created_at DESC, id DESC LIMIT 1
                        """, arguments: [email, epoch, Self.signInCodeMaxAttempts])
            else { return .noLiveCode }
            let id: Int64 = row["id"]
            let stored: Data = row["code_hash"]
            let secret = try Self.instanceSecret(db, instance: instance)
            guard Digest.equal(Self.signInCodeHash(typed, secret: secret), Array(stored)) else {
                try db.execute(
                    sql: "UPDATE email_sign_in_codes SET failed_attempts = failed_attempts + 1, updated_at = ? WHERE id = ?",
                    arguments: [epoch, id])
                return .wrong
            }
            try db.execute(
                sql: "UPDATE email_sign_in_codes SET consumed_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, id])
            let userID = try Int64.fetchOne(
                db, sql: "SELECT id FROM users WHERE email = ? AND deleted_at IS NULL AND responsible_id IS NULL",
                arguments: [email])
            return .valid(userID: userID)
        }
    }

    /// Six decimal digits from the CSPRNG, without modulo bias.
    public static func randomSignInCode() -> String {
        while true {
            let bytes = SecureRandom.bytes(4)
            let value = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            // 4,294,000,000 is the largest multiple of 10^6 below 2^32.
            guard value < 4_294_000_000 else { continue }
            let digits = String(value % 1_000_000)
            return String(repeating: "0", count: 6 - digits.count) + digits
        }
    }

    static func signInCodeHash(_ code: String, secret: [UInt8]) -> [UInt8] {
        Digest.hmacSHA256(key: secret, Array(("sign-in-code:" + code).utf8))
    }

    /// A short-lived proof that this browser received the code of `email` (« Créez votre
    /// compte » comes after the code, for an address without account): HMAC of the address and
    /// the proof's end under the instance secret.
    public func emailProof(email: String, until: Date) throws -> String {
        let secret = try instanceSecret()
        let end = Self.epoch(until)
        let mac = Digest.hmacSHA256(key: secret, Array("email-proof:\(EmailAddress.normalised(email)):\(end)".utf8))
        return "\(end)." + Digest.hex(mac)
    }

    public func checkEmailProof(_ proof: String, email: String, now: Date) throws -> Bool {
        let parts = proof.split(separator: ".")
        guard parts.count == 2, let end = Int64(parts[0]), end > Self.epoch(now) else { return false }
        let expected = try emailProof(email: email, until: Date(timeIntervalSince1970: TimeInterval(end)))
        return Digest.equal(Array(expected.utf8), Array(proof.utf8))
    }

    // MARK: Sign-up

    /// « Créez votre compte » after a code: the e-mail is already proven, so the account is
    /// confirmed at once (`created_through = user_sign_up`). An address that meanwhile got an
    /// account returns that account.
    public func createUserFromCode(
        email raw: String, firstName: String, lastName: String, phone: String?, now: Date
    ) throws -> Int64 {
        let email = EmailAddress.normalised(raw)
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            if let existing = try Int64.fetchOne(
                db, sql: "SELECT id FROM users WHERE email = ? AND deleted_at IS NULL", arguments: [email])
            {
                return existing
            }
            let formatted = phone.flatMap(PhoneNumber.init)?.e164
            try db.execute(
                sql: """
                    INSERT INTO users (first_name, last_name, email, phone_number, phone_number_formatted,
                                       created_through, confirmed_at, last_modified_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, 'user_sign_up', ?, ?, ?, ?)
                    """,
                arguments: [firstName, lastName, email, phone, formatted, epoch, epoch, epoch, epoch])
            let id = db.lastInsertedRowID
            try Self.auditCreated(db, .user, id: id, author: "Usager", now: now)
            return id
        }
    }
}

/// The user a live « Inviter à créer un compte » link belongs to (booking.md §3.3).
public struct UserInvitationHolder: Sendable, Equatable {
    public let userID: Int64
    public let email: String?
    public let firstName: String
    public let lastName: String
}

/// The single-use links that let a user choose a password (booking.md §3.3): the agents'
/// « Inviter à créer un compte » (14 days) and « Mot de passe oublié ? » (2 hours).
public enum UserPasswordLink: String, Sendable {
    case invitation = "user_invitation"
    case passwordReset = "user_password_reset"

    public var lifetime: TimeInterval {
        switch self {
        case .invitation: 14 * 86_400
        case .passwordReset: 2 * 3600
        }
    }
}

extension AppDatabase {
    public func userInvitation(token: String, now: Date) throws -> UserInvitationHolder? {
        try userPasswordLink(.invitation, token: token, now: now)
    }

    /// The user of a live link of `purpose`; nil when unknown, used, expired or the user deleted.
    public func userPasswordLink(_ link: UserPasswordLink, token: String, now: Date) throws -> UserInvitationHolder? {
        guard let hash = Self.linkHash(token) else { return nil }
        return try writer.read { db in try Self.liveUserLink(db, link, hash: hash, now: now)?.holder }
    }

    private static func liveUserLink(_ db: Database, _ link: UserPasswordLink, hash: Data, now: Date) throws
        -> (id: Int64, holder: UserInvitationHolder)?
    {
        try Row.fetchOne(
            db,
            sql: """
                SELECT k.id, u.id AS user_id, u.email, u.first_name, u.last_name
                FROM account_tokens k JOIN users u ON u.id = k.user_id
                WHERE k.token_hash = ? AND k.purpose = ? AND k.used_at IS NULL AND k.expires_at > ?
                  AND u.deleted_at IS NULL
                """, arguments: [hash, link.rawValue, epoch(now)]
        ).map {
            ($0["id"], UserInvitationHolder(
                userID: $0["user_id"], email: $0["email"], firstName: $0["first_name"], lastName: $0["last_name"]))
        }
    }

    public func acceptUserInvitation(token: String, passwordHash: String, now: Date) throws -> Int64? {
        try spendUserPasswordLink(.invitation, token: token, passwordHash: passwordHash, now: now)
    }

    /// Spends a live link on a password (checked and hashed by the caller): the e-mail the link
    /// reached is confirmed, the lockout reset, every session of the user ended. nil when the
    /// link died meanwhile.
    public func spendUserPasswordLink(_ link: UserPasswordLink, token: String, passwordHash: String, now: Date) throws
        -> Int64?
    {
        guard let hash = Self.linkHash(token) else { return nil }
        let epoch = Self.epoch(now)
        return try immediateWrite { db -> Int64? in
            guard let live = try Self.liveUserLink(db, link, hash: hash, now: now) else { return nil }
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?, updated_at = ? WHERE id = ? AND used_at IS NULL",
                arguments: [epoch, epoch, live.id])
            guard db.changesCount == 1 else { return nil }
            let accepted = link == .invitation ? "COALESCE(invitation_accepted_at, ?2)" : "invitation_accepted_at"
            try db.execute(
                sql: """
                    UPDATE users SET password_hash = ?1, confirmed_at = COALESCE(confirmed_at, ?2),
                        invitation_accepted_at = \(accepted), failed_sign_in_count = 0,
                        locked_until = NULL, updated_at = ?2
                    WHERE id = ?3
                    """, arguments: [passwordHash, epoch, live.holder.userID])
            // A reset link, once spent, takes the others of the user with it.
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?1 WHERE user_id = ?2 AND purpose = ?3 AND used_at IS NULL",
                arguments: [epoch, live.holder.userID, link.rawValue])
            try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [live.holder.userID])
            return live.holder.userID
        }
    }

    /// « Mot de passe oublié ? » of users (booking.md §3.3): a link valid 2 hours to the address
    /// of a user (not a relative, not deleted; the link proves the address, so an account an
    /// agent created gets its first password this way); at most one a minute. The caller answers the same
    /// whatever happened. Returns the token when a link was sent (for tests).
    @discardableResult
    public func requestUserPasswordReset(
        email: String, publicURL: String? = nil, now: Date, minimumInterval: TimeInterval = 60
    ) throws -> String? {
        let publicURL = publicURL ?? instance.publicURL
        let address = EmailAddress.normalised(email)
        let link = UserPasswordLink.passwordReset
        return try writer.write { db -> String? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT u.id, u.email,
                               (SELECT max(k.created_at) FROM account_tokens k
                                WHERE k.user_id = u.id AND k.purpose = ?) AS last_sent_at
                        FROM users u WHERE u.email = ? AND u.deleted_at IS NULL AND u.responsible_id IS NULL
                        """, arguments: [link.rawValue, address])
            else { return nil }
            if let last = row["last_sent_at"] as Int64?, Double(last) > now.timeIntervalSince1970 - minimumInterval {
                return nil
            }
            let userID: Int64 = row["id"]
            let token = try Self.issueAccountToken(
                db, purpose: link.rawValue, owner: .user(userID), lifetime: link.lifetime, now: now)
            let mail = MailPlanner.passwordReset(
                to: MailAccount(recipient: .user(userID), email: row["email"]),
                resetPath: SitePath.userPasswordEdit + "?reset_password_token=" + token,
                expiresAt: now.addingTimeInterval(link.lifetime),
                settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: nil), now: now)
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return token
        }
    }
}

extension AppDatabase {
    /// « Ajouter un proche » (domain.md §11): a relative of the user, without login, with the
    /// profiles of its responsible (`created_through = user_relative_creation`).
    public func addRelative(
        responsibleID: Int64, firstName: String, lastName: String, birthDate: LocalDate?, now: Date
    ) throws -> Int64 {
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            try db.execute(
                sql: """
                    INSERT INTO users (first_name, last_name, birth_date, responsible_id, created_through,
                                       last_modified_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, 'user_relative_creation', ?, ?, ?)
                    """,
                arguments: [firstName, lastName, birthDate?.description, responsibleID, epoch, epoch, epoch])
            let id = db.lastInsertedRowID
            try Self.auditCreated(db, .user, id: id, author: "Usager", now: now)
            let organisations = try Int64.fetchAll(
                db, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = ?", arguments: [responsibleID])
            for organisation in organisations {
                try Self.linkFamilyProfiles(db, userID: id, organisationID: organisation, author: "Usager", now: now)
            }
            return id
        }
    }
}

/// What a password sign-up did (booking.md §3.3); the page says the same in every case.
public enum UserSignUpOutcome: Sendable, Equatable {
    /// A new unconfirmed account, and its confirmation link sent.
    case created(userID: Int64)
    /// The address had an unconfirmed account: the link is sent again, nothing else changes.
    case linkResent(userID: Int64)
    /// The address already has a confirmed account: nothing is sent or changed.
    case alreadyConfirmed
}

extension AppDatabase {
    public static let userConfirmationLifetime: TimeInterval = 3 * 86_400

    /// Sign-up by password (booking.md §3.3): first name, last name, e-mail, optional phone and
    /// a password (checked and hashed by the caller); « Confirmez votre adresse e-mail » with a
    /// link valid 3 days, planned in the same transaction.
    public func signUpUser(
        email raw: String, firstName: String, lastName: String, phone: String?, passwordHash: String, publicURL: String,
        now: Date
    ) throws -> UserSignUpOutcome {
        let email = EmailAddress.normalised(raw)
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            let userID: Int64
            let outcome: UserSignUpOutcome
            if let existing = try Row.fetchOne(
                db, sql: "SELECT id, confirmed_at FROM users WHERE email = ? AND deleted_at IS NULL", arguments: [email])
            {
                guard existing["confirmed_at"] as Int64? == nil else { return .alreadyConfirmed }
                userID = existing["id"]
                outcome = .linkResent(userID: userID)
                // At most one link a minute: a new one would kill the one just sent.
                let recent = try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM account_tokens
                        WHERE user_id = ? AND purpose = 'user_confirmation' AND used_at IS NULL AND created_at > ?
                        """, arguments: [userID, epoch - 60]) ?? false
                if recent { return outcome }
            } else {
                try db.execute(
                    sql: """
                        INSERT INTO users (first_name, last_name, email, phone_number, phone_number_formatted, password_hash,
                                           created_through, last_modified_at, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?, 'user_sign_up', ?, ?, ?)
                        """,
                    arguments: [
                        firstName, lastName, email, phone, phone.flatMap(PhoneNumber.init)?.e164, passwordHash, epoch,
                        epoch, epoch,
                    ])
                userID = db.lastInsertedRowID
                try Self.auditCreated(db, .user, id: userID, author: "Usager", now: now)
                outcome = .created(userID: userID)
            }
            let token = try Self.issueAccountToken(
                db, purpose: "user_confirmation", owner: .user(userID), lifetime: Self.userConfirmationLifetime, now: now)
            let mail = MailPlanner.userConfirmation(
                to: MailAccount(recipient: .user(userID), email: email),
                confirmationPath: SitePath.userConfirmation + "?confirmation_token=" + token,
                expiresAt: now.addingTimeInterval(Self.userConfirmationLifetime),
                settings: Self.mailSettings(instance: instance, publicURL: publicURL, timeZone: nil), now: now)
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return outcome
        }
    }

    /// The confirmation link, once: the e-mail is confirmed and the caller signs the user in.
    /// nil when unknown, used or expired.
    public func confirmUserEmail(token: String, now: Date) throws -> Int64? {
        guard let hash = Self.linkHash(token) else { return nil }
        let epoch = Self.epoch(now)
        return try immediateWrite { db -> Int64? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT k.id, k.user_id FROM account_tokens k JOIN users u ON u.id = k.user_id
                        WHERE k.token_hash = ? AND k.purpose = 'user_confirmation' AND k.expires_at > ?
                          AND k.used_at IS NULL AND u.deleted_at IS NULL
                        """, arguments: [hash, epoch])
            else { return nil }
            let userID: Int64 = row["user_id"]
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, row["id"] as Int64])
            try db.execute(
                sql: "UPDATE users SET confirmed_at = COALESCE(confirmed_at, ?1), updated_at = ?1 WHERE id = ?2",
                arguments: [epoch, userID])
            return userID
        }
    }
}
