import Cryptography
import Domain
import Foundation
import GRDB

/// The instance operator (admin.md §11): `rdv superadmin EMAIL` and its single-use link to
/// set the password, sign-in with the agents' lockout, and « Créer un territoire ».
public struct SuperAdminAccount: Sendable, Equatable {
    public let id: Int64
    public let email: String
    public let passwordHash: String?
    public let lockedUntil: Date?
}

/// What « Créer un territoire » asks for.
public struct TerritoryCreation: Sendable, Equatable {
    public var name: String
    public var departementNumber: String
    public var serviceID: Int64?
    public var organisationName: String
    public var adminEmail: String
    public var adminFirstName: String
    public var adminLastName: String

    public init(
        name: String, departementNumber: String, serviceID: Int64?, organisationName: String, adminEmail: String,
        adminFirstName: String, adminLastName: String
    ) {
        self.name = name
        self.departementNumber = departementNumber
        self.serviceID = serviceID
        self.organisationName = organisationName
        self.adminEmail = adminEmail
        self.adminFirstName = adminFirstName
        self.adminLastName = adminLastName
    }
}

/// One territory of the super admin's list.
public struct SuperAdminTerritoryRow: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let departementNumber: String?
    public let organisationsCount: Int
    public let agentsCount: Int
}

extension AppDatabase {
    /// The setup link lives one day (the operator runs the command when about to use it).
    static let superAdminSetupLifetime: TimeInterval = 86_400

    /// `rdv superadmin EMAIL`: the account (created when new) and a fresh single-use link to set
    /// its password; earlier unused links stop working. Returns the link's secret.
    public func issueSuperAdminSetupLink(email: String, now: Date) throws -> String {
        let address = EmailAddress.normalised(email)
        return try writer.write { db in
            let epoch = Self.epoch(now)
            try db.execute(
                sql: "INSERT OR IGNORE INTO super_admins (email, created_at, updated_at) VALUES (?, ?, ?)",
                arguments: [address, epoch, epoch])
            let id = try Int64.fetchOne(db, sql: "SELECT id FROM super_admins WHERE email = ?", arguments: [address]) ?? 0
            return try Self.issueAccountToken(
                db, purpose: "super_admin_password_setup", owner: .superAdmin(id), lifetime: Self.superAdminSetupLifetime,
                now: now)
        }
    }

    /// The e-mail of a live setup link's account (nil: unknown, used or expired).
    public func superAdminSetupLink(token: String, now: Date) throws -> String? {
        guard let hash = Self.linkHash(token) else { return nil }
        return try writer.read { db in
            try String.fetchOne(
                db,
                sql: """
                    SELECT s.email FROM account_tokens k JOIN super_admins s ON s.id = k.super_admin_id
                    WHERE k.token_hash = ? AND k.purpose = 'super_admin_password_setup' AND k.used_at IS NULL
                      AND k.expires_at > ?
                    """, arguments: [hash, Self.epoch(now)])
        }
    }

    /// Spends the link and sets the password; the account's id, or nil when the link is dead.
    public func useSuperAdminSetupLink(token: String, passwordHash: String, now: Date) throws -> Int64? {
        guard let hash = Self.linkHash(token) else { return nil }
        return try writer.write { db in
            let epoch = Self.epoch(now)
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, super_admin_id FROM account_tokens
                        WHERE token_hash = ? AND purpose = 'super_admin_password_setup' AND used_at IS NULL AND expires_at > ?
                        """, arguments: [hash, epoch])
            else { return nil }
            let id: Int64 = row["super_admin_id"]
            try db.execute(
                sql: "UPDATE account_tokens SET used_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, row["id"] as Int64])
            try db.execute(
                sql: """
                    UPDATE super_admins SET password_hash = ?, failed_sign_in_count = 0, locked_until = NULL, updated_at = ?
                    WHERE id = ?
                    """, arguments: [passwordHash, epoch, id])
            try db.execute(sql: "DELETE FROM sessions WHERE super_admin_id = ?", arguments: [id])
            return id
        }
    }

    public func superAdminAccount(email: String) throws -> SuperAdminAccount? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM super_admins WHERE email = ?", arguments: [EmailAddress.normalised(email)]
            ).map(Self.superAdmin)
        }
    }

    public func superAdminAccount(id: Int64) throws -> SuperAdminAccount? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM super_admins WHERE id = ?", arguments: [id]).map(Self.superAdmin)
        }
    }

    /// booking.md §3.2 lockout, as for agents: 10 failures lock the account 15 minutes.
    public func recordSuperAdminSignIn(id: Int64, succeeded: Bool, now: Date) throws {
        try writer.write { db in
            let epoch = Self.epoch(now)
            if succeeded {
                try db.execute(
                    sql: "UPDATE super_admins SET failed_sign_in_count = 0, locked_until = NULL, last_sign_in_at = ? WHERE id = ?",
                    arguments: [epoch, id])
            } else {
                try db.execute(
                    sql: """
                        UPDATE super_admins SET failed_sign_in_count = failed_sign_in_count + 1,
                            locked_until = CASE WHEN failed_sign_in_count + 1 >= 10 THEN ? ELSE locked_until END
                        WHERE id = ?
                        """, arguments: [epoch + 15 * 60, id])
            }
        }
    }

    public func superAdminTerritories() throws -> [SuperAdminTerritoryRow] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT t.id, t.name, t.departement_number,
                        (SELECT count(*) FROM organisations o WHERE o.territory_id = t.id) AS organisations,
                        (SELECT count(DISTINCT r.agent_id) FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                         WHERE o.territory_id = t.id) AS agents
                    FROM territories t ORDER BY t.name, t.id
                    """
            ).map {
                SuperAdminTerritoryRow(
                    id: $0["id"], name: $0["name"], departementNumber: $0["departement_number"],
                    organisationsCount: $0["organisations"], agentsCount: $0["agents"])
            }
        }
    }

    /// The service catalogue (admin.md §11), by name.
    public func serviceCatalogue() throws -> [NamedOption] {
        try writer.read { db in
            try Row.fetchAll(db, sql: "SELECT id, name FROM services ORDER BY name, id").map {
                NamedOption(id: $0["id"], name: $0["name"])
            }
        }
    }

    /// « Services » of the back office (admin.md §11, domain.md §3): adds a catalogue entry, both
    /// names unique case-insensitively. Returns its id or the issues.
    public func addCatalogueService(name: String, shortName: String, now: Date) throws -> Result<Int64, ValidationRefusal> {
        try writer.write { db in
            let others = try Row.fetchAll(db, sql: "SELECT id, name, short_name FROM services").map {
                Service(id: $0["id"], name: $0["name"], shortName: $0["short_name"])
            }
            let service = Service(name: name, shortName: shortName)
            let issues = service.validate(others: others)
            guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
            try db.execute(
                sql: "INSERT INTO services (name, short_name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                arguments: [name, shortName, Self.epoch(now), Self.epoch(now)])
            return .success(db.lastInsertedRowID)
        }
    }

    /// « Créer un territoire » (admin.md §11): the territory with its one active service, its
    /// first organisation, and its first admin (organisation admin and territorial admin),
    /// invited; all or nothing. Returns the territory's id.
    public func createTerritory(_ request: TerritoryCreation, author: String, publicURL: String, now: Date) throws
        -> Result<Int64, ValidationRefusal>
    {
        let departement = request.departementNumber.trimmingCharacters(in: .whitespaces).uppercased()
        let email = EmailAddress.normalised(request.adminEmail)
        var issues: [ValidationIssue] = []
        let territory = Territory(name: request.name, departementNumber: departement.isEmpty ? nil : departement)
        issues += territory.validate()
        // The CHECK of `territories.departement_number`: 2 or 3 digits, or Corsica's 2A / 2B.
        if !departement.isEmpty && departement.wholeMatch(of: /[0-9]{2,3}|2[AB]/) == nil {
            issues.append(.error("departement_number", "doit être un numéro de département, par exemple 62, 2A ou 974"))
        }
        if request.serviceID == nil { issues.append(.error("service_id", "doit être choisi")) }
        if request.organisationName.trimmingCharacters(in: .whitespaces).isEmpty {
            issues.append(.error("organisation_name", "doit être rempli(e)"))
        }
        let admin = Agent(
            email: email, firstName: request.adminFirstName, lastName: request.adminLastName, serviceIDs: [request.serviceID ?? 0])
        issues += admin.validate().map { .error("admin_" + $0.field, $0.message) }.filter { $0.field != "admin_services" }
        guard issues.errors.isEmpty else { return .failure(ValidationRefusal(issues: issues)) }
        do {
            return .success(
                try writer.write { db in
                    let epoch = Self.epoch(now)
                    if !departement.isEmpty,
                        try Bool.fetchOne(
                            db, sql: "SELECT 1 FROM territories WHERE departement_number = ?", arguments: [departement]) != nil
                    {
                        throw ValidationRefusal(issues: [.error("departement_number", "est déjà celui d'un autre territoire")])
                    }
                    if try Bool.fetchOne(db, sql: "SELECT 1 FROM agents WHERE email = ?", arguments: [email]) != nil {
                        throw ValidationRefusal(issues: [.error("admin_email", "est déjà celle d'un agent")])
                    }
                    guard let serviceID = request.serviceID,
                        try Bool.fetchOne(db, sql: "SELECT 1 FROM services WHERE id = ?", arguments: [serviceID]) != nil
                    else { throw ValidationRefusal(issues: [.error("service_id", "doit être choisi")]) }
                    try db.execute(
                        sql: "INSERT INTO territories (name, departement_number, time_zone, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [request.name, departement.isEmpty ? nil : departement, territory.timeZoneIdentifier, epoch, epoch])
                    let territoryID = db.lastInsertedRowID
                    try db.execute(
                        sql: "INSERT INTO territory_services (territory_id, service_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        arguments: [territoryID, serviceID, epoch, epoch])
                    try db.execute(
                        sql: "INSERT INTO organisations (territory_id, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        arguments: [territoryID, request.organisationName, epoch, epoch])
                    let organisationID = db.lastInsertedRowID
                    try db.execute(
                        sql: "INSERT INTO agents (email, first_name, last_name, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                        arguments: [email, request.adminFirstName, request.adminLastName, epoch, epoch])
                    let agentID = db.lastInsertedRowID
                    try Self.addRole(
                        db, agentID: agentID, organisationID: organisationID, level: .admin, serviceIDs: [serviceID],
                        territoryID: territoryID, author: author, now: now)
                    try db.execute(
                        sql: "INSERT INTO territorial_roles (agent_id, territory_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
                        arguments: [agentID, territoryID, epoch, epoch])
                    try Self.recordVersion(
                        db, itemType: "Organisation", itemID: organisationID, before: nil,
                        after: [("name", request.organisationName)], author: author, organisationID: organisationID, now: now)
                    _ = try Self.inviteAgent(
                        db, agentID: agentID, organisationID: organisationID, invitedByID: nil, instance: instance,
                        publicURL: publicURL, now: now)
                    return territoryID
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }

    static func superAdmin(_ row: Row) -> SuperAdminAccount {
        SuperAdminAccount(
            id: row["id"], email: row["email"], passwordHash: row["password_hash"],
            lockedUntil: (row["locked_until"] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) })
    }
}
