import Cryptography
import Foundation
import GRDB

/// The API's `access-token` credentials (api.md §2): one token per (agent, `client`), 24 hours;
/// only its SHA-256 is stored, so a leaked database gives no usable token.
public struct APIToken: Sendable, Equatable {
    public let accessToken: String
    public let client: String
    public let expiresAt: Date
}

/// How an API call proved who it is (the `api_calls.authentication_type` values).
public enum APIAuthenticationType: String, Sendable {
    case accessToken = "access_token"
    case sharedSecret = "shared_secret"
}

extension AppDatabase {
    public static let apiTokenLifetime: TimeInterval = 24 * 3600

    /// Issues a token for `client` (a fresh one when nil), replacing the client's previous token.
    public func issueAPIToken(agentID: Int64, client: String?, now: Date) throws -> APIToken {
        let client = client.flatMap { $0.isEmpty || $0.count > 64 ? nil : $0 } ?? Self.urlSafeRandom(16)
        let token = Self.urlSafeRandom(16)
        let expires = now.addingTimeInterval(Self.apiTokenLifetime)
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_tokens (agent_id, client, token_hash, expires_at, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (agent_id, client) DO UPDATE SET token_hash = excluded.token_hash,
                        expires_at = excluded.expires_at, created_at = excluded.created_at, updated_at = excluded.updated_at,
                        last_used_at = NULL
                    """,
                arguments: [
                    agentID, client, Data(Digest.sha256(Array(token.utf8))), Self.epoch(expires), Self.epoch(now),
                    Self.epoch(now),
                ])
        }
        return APIToken(accessToken: token, client: client, expiresAt: expires)
    }

    /// The agent whose live token for `client` is `accessToken` (compared in constant time).
    public func apiTokenAgent(uid: String, client: String, accessToken: String, now: Date) throws -> (agentID: Int64, expiresAt: Date)? {
        try writer.read { db -> (agentID: Int64, expiresAt: Date)? in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT t.agent_id, t.token_hash, t.expires_at FROM api_tokens t JOIN agents a ON a.id = t.agent_id
                        WHERE a.email = ? AND t.client = ? AND a.deleted_at IS NULL
                        """, arguments: [uid.lowercased(), client])
            else { return nil }
            let stored: Data = row["token_hash"]
            let expires: Int64 = row["expires_at"]
            guard expires > Self.epoch(now), Digest.equal(Array(stored), Digest.sha256(Array(accessToken.utf8)))
            else { return nil }
            return (row["agent_id"], Date(timeIntervalSince1970: TimeInterval(expires)))
        }
    }

    /// `DELETE /auth/sign_out`: the client's token stops working.
    public func revokeAPIToken(agentID: Int64, client: String) throws {
        try writer.write { db in
            try db.execute(sql: "DELETE FROM api_tokens WHERE agent_id = ? AND client = ?", arguments: [agentID, client])
        }
    }

    /// The agent an e-mail names (the `uid` header), not deleted.
    public func apiAgentID(uid: String) throws -> Int64? {
        try writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT id FROM agents WHERE email = ? AND deleted_at IS NULL", arguments: [uid.lowercased()])
        }
    }

    /// domain.md §13 `ApiCall`: every authenticated call, kept one year (booking.md §11).
    public func recordAPICall(
        method: String, path: String, host: String, controller: String, action: String, agentID: Int64,
        authentication: APIAuthenticationType, status: Int, now: Date
    ) throws {
        try writer.write { db in
            try db.execute(
                sql: """
                    INSERT INTO api_calls (method, path, host, controller, action, agent_id, authentication_type,
                                           response_status, called_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [method, path, host, controller, action, agentID, authentication.rawValue, status, Self.epoch(now)])
        }
    }

    /// `n` random bytes in URL-safe base64 without padding (devise_token_auth's token form).
    static func urlSafeRandom(_ count: Int) -> String {
        Data(SecureRandom.bytes(count)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
