import Cryptography
import Domain
import Foundation
import GRDB

extension AppDatabase {
    /// `rdv import`: validates the whole document, then writes it in one transaction and returns
    /// the id of every ref (contracts.md §1, admin.md §9). On any error nothing is written.
    public func importDocument(_ document: InterchangeDocument, clock: any Clock) throws -> [String: Int64] {
        let errors = InterchangeValidator.validate(document, clock: clock)
        guard errors.isEmpty else { throw InterchangeErrors(errors: errors) }
        // Hashing is slow on purpose (scrypt): done before taking the write lock.
        var hashes: [String: String] = [:]
        for agent in document.agents {
            if let password = agent.password { hashes[agent.ref] = try PasswordHasher.hash(password) }
        }
        do {
            return try writer.write { db in
                var writer = InterchangeWriter(db: db, document: document, now: clock.now, passwordHashes: hashes)
                let ids = try writer.run()
                // contracts.md §6: the new zones and places are known to the address service.
                try Self.rebuildLocalAddresses(db)
                return ids
            }
        } catch let error as InterchangeErrors {
            throw error
        } catch {
            throw PersistenceError.writeFailed(PersistenceError.reason(for: error))
        }
    }

    public func territoryCount() throws -> Int {
        try writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM territories") ?? 0 }
    }
}
