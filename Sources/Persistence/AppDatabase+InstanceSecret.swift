import Cryptography
import Foundation
import GRDB

extension AppDatabase {
    /// The instance secret (`RDV_SECRET_KEY`, else generated once and kept in the database): the
    /// key of link tokens and of the sealed SMS credentials.
    public func instanceSecret() throws -> [UInt8] {
        try writer.write { db in try Self.instanceSecret(db, instance: instance) }
    }

    /// The same inside the caller's transaction.
    static func instanceSecret(_ db: Database, instance: InstanceEnvironment) throws -> [UInt8] {
        if let key = instance.secretKey { return Array(key.utf8) }
        if let stored = try String.fetchOne(db, sql: "SELECT value FROM instance_settings WHERE key = 'secret_key'"),
            let bytes = Digest.bytes(hex: stored)
        {
            return bytes
        }
        let fresh = SecureRandom.bytes(32)
        try db.execute(
            sql: "INSERT OR REPLACE INTO instance_settings (key, value) VALUES ('secret_key', ?)",
            arguments: [Digest.hex(fresh)])
        return fresh
    }
}
