import Cryptography
import Domain
import Foundation
import GRDB

/// The territory settings a user form and a user file depend on (domain.md §1 optional fields,
/// permissions.md users visibility).
public struct UserFileSettings: Sendable, Equatable {
    public var organisationID: Int64
    public var organisationName: String
    public var territoryID: Int64
    public var timeZone: TimeZone
    public var visibleThroughoutTerritory: Bool
    public var territoryOrganisationIDs: Set<Int64>
    public var notes = false
    public var logement = false
    public var caisseAffiliation = false
    public var affiliationNumber = false
    public var familySituation = false
    public var numberOfChildren = false
    public var caseNumber = false
    public var addressDetails = false
}

/// A user in a list of the file (responsible, relatives, duplicates).
public struct UserSummary: Sendable, Equatable {
    public var id: Int64
    public var firstName: String
    public var lastName: String
    public var birthDate: LocalDate?

    public init(id: Int64, firstName: String, lastName: String, birthDate: LocalDate? = nil) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.birthDate = birthDate
    }
}

/// One appointment of a user's file (booking.md §9 « User file »).
public struct UserFileAppointment: Sendable, Equatable {
    public var id: Int64
    public var startsAt: Date
    public var status: AppointmentStatus
    public var participationStatus: AppointmentStatus
    public var motifName: String
    public var placeName: String?
    public var agentNames: [String]
}

/// Everything the file of one user shows.
public struct UserFile: Sendable, Equatable {
    public var user: User
    /// The organisations where the user has a profile (UserPolicy's scope).
    public var profileOrganisationIDs: Set<Int64>
    /// A password or an external identity: « Inviter à créer un compte » is pointless then.
    public var hasAccount: Bool
    public var responsible: UserSummary?
    /// The responsible's file: a relative's empty contact fields fall back to it (domain.md §11).
    public var responsibleUser: User?
    public var relatives: [UserSummary]
    public var referents: [(id: Int64, name: String)]
    /// In the current organisation only, newest last for upcoming, newest first for past.
    public var upcoming: [UserFileAppointment]
    public var past: [UserFileAppointment]

    public static func == (lhs: UserFile, rhs: UserFile) -> Bool {
        lhs.user == rhs.user && lhs.profileOrganisationIDs == rhs.profileOrganisationIDs
            && lhs.hasAccount == rhs.hasAccount && lhs.responsible == rhs.responsible
            && lhs.responsibleUser == rhs.responsibleUser
            && lhs.relatives == rhs.relatives && lhs.referents.map(\.id) == rhs.referents.map(\.id)
            && lhs.upcoming == rhs.upcoming && lhs.past == rhs.past
    }

    /// UserPolicy's view of the file.
    public var view: UserView { UserView(isDeleted: user.deletedAt != nil, organisationIDs: profileOrganisationIDs) }
}

public enum UserFileError: Error, Equatable, CustomStringConvertible {
    case notFound
    /// domain.md §11: removal fails while the user or their relatives have future non-cancelled
    /// appointments in that organisation.
    case futureAppointments
    /// Full deletion needs every profile to be in an organisation of the agent.
    case profilesElsewhere
    case noEmail
    case alreadyHasAccount

    public var description: String {
        switch self {
        case .notFound: "Cet usager n'existe pas"
        case .futureAppointments:
            "Cet usager ou l'un de ses proches a des rendez-vous à venir dans cette organisation : annulez-les d'abord."
        case .profilesElsewhere:
            "Cet usager est aussi suivi par des organisations dont vous n'êtes pas membre : il ne peut être que retiré de celle-ci."
        case .noEmail: "Cet usager n'a pas d'adresse e-mail"
        case .alreadyHasAccount: "Cet usager a déjà un compte"
        }
    }
}

/// What a removal did (domain.md §11 "Deleting a user from an organisation").
public enum UserRemoval: Sendable, Equatable {
    /// The profile is gone; other organisations still know the user.
    case removedFromOrganisation
    /// No profile was left: the user is anonymised.
    case anonymised
}

/// The user-side invitation page (booking.md §3.3, the original's address). No route answers it
/// yet: the user account pages belong to a later issue.
let userInvitationAcceptPath = SitePath.userInvitationAccept

extension AppDatabase {
    // MARK: Reading

    public func userFileSettings(organisationID: Int64) throws -> UserFileSettings? {
        try writer.read { db in try Self.userFileSettings(db, organisationID: organisationID) }
    }

    static func userFileSettings(_ db: Database, organisationID: Int64) throws -> UserFileSettings? {
        guard
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT o.id, o.name, t.id AS territory_id, t.time_zone, t.visible_users_throughout_the_territory,
                        t.enable_notes_field, t.enable_logement_field, t.enable_caisse_affiliation_field,
                        t.enable_affiliation_number_field, t.enable_family_situation_field,
                        t.enable_number_of_children_field, t.enable_case_number, t.enable_address_details
                    FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?
                    """, arguments: [organisationID])
        else { return nil }
        let territoryID: Int64 = row["territory_id"]
        var settings = UserFileSettings(
            organisationID: organisationID, organisationName: row["name"], territoryID: territoryID,
            timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
            visibleThroughoutTerritory: row["visible_users_throughout_the_territory"],
            territoryOrganisationIDs: Set(
                try Int64.fetchAll(db, sql: "SELECT id FROM organisations WHERE territory_id = ?", arguments: [territoryID])))
        settings.notes = row["enable_notes_field"]
        settings.logement = row["enable_logement_field"]
        settings.caisseAffiliation = row["enable_caisse_affiliation_field"]
        settings.affiliationNumber = row["enable_affiliation_number_field"]
        settings.familySituation = row["enable_family_situation_field"]
        settings.numberOfChildren = row["enable_number_of_children_field"]
        settings.caseNumber = row["enable_case_number"]
        settings.addressDetails = row["enable_address_details"]
        return settings
    }

    /// The file of `userID` as seen from `organisationID` (its appointments there only).
    public func userFile(id userID: Int64, organisationID: Int64, now: Date) throws -> UserFile? {
        try writer.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [userID]) else {
                return nil
            }
            let user = Self.user(row)
            let profiles = try Int64.fetchAll(
                db, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = ?", arguments: [userID])
            let hasIdentity =
                try Bool.fetchOne(db, sql: "SELECT 1 FROM identities WHERE user_id = ?", arguments: [userID]) ?? false
            // Family members out of this organisation's scope are not shown (permissions.md users).
            let summary = """
                SELECT id, first_name, last_name, birth_date FROM users
                WHERE deleted_at IS NULL AND id IN (\(Self.visibleUserIDsSQL))
                """
            let responsible = try user.responsibleID.flatMap {
                try Row.fetchOne(
                    db, sql: summary + " AND id = ?", arguments: [organisationID, organisationID, $0]
                ).map(Self.userSummary)
            }
            let relatives = try Row.fetchAll(
                db, sql: summary + " AND responsible_id = ? ORDER BY first_name, id",
                arguments: [organisationID, organisationID, userID]
            ).map(Self.userSummary)
            let referents = try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.first_name, g.last_name FROM referents r JOIN agents g ON g.id = r.agent_id
                    WHERE r.user_id = ? ORDER BY g.last_name, g.first_name, g.id
                    """, arguments: [userID]
            ).map { (id: $0["id"] as Int64, name: Self.agentName($0)) }
            let appointments = try Self.userFileAppointments(db, userID: userID, organisationID: organisationID)
            return UserFile(
                user: user, profileOrganisationIDs: Set(profiles),
                hasAccount: user.passwordHash != nil || hasIdentity, responsible: responsible,
                responsibleUser: try user.responsibleID.flatMap {
                    try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [$0]).map(Self.user)
                },
                relatives: relatives,
                referents: referents,
                upcoming: appointments.filter { $0.startsAt >= now }.reversed(),
                past: appointments.filter { $0.startsAt < now })
        }
    }

    /// Newest first.
    static func userFileAppointments(_ db: Database, userID: Int64, organisationID: Int64) throws
        -> [UserFileAppointment]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT a.id, a.starts_at, a.status, p.status AS participation_status, m.name AS motif_name,
                    l.name AS place_name,
                    (SELECT group_concat(name, char(31)) FROM (
                        SELECT coalesce(g.first_name || ' ', '') || upper(g.last_name) AS name
                        FROM appointment_agents aa JOIN agents g ON g.id = aa.agent_id
                        WHERE aa.appointment_id = a.id ORDER BY g.last_name, g.id)) AS agent_names
                FROM participations p JOIN appointments a ON a.id = p.appointment_id
                JOIN motifs m ON m.id = a.motif_id LEFT JOIN places l ON l.id = a.place_id
                WHERE p.user_id = ? AND a.organisation_id = ?
                ORDER BY a.starts_at DESC, a.id DESC
                """, arguments: [userID, organisationID])
        return rows.map { row in
            UserFileAppointment(
                id: row["id"], startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                status: AppointmentStatus(rawValue: row["status"]) ?? .unknown,
                participationStatus: AppointmentStatus(rawValue: row["participation_status"]) ?? .unknown,
                motifName: row["motif_name"], placeName: row["place_name"],
                agentNames: ((row["agent_names"] as String?) ?? "").split(separator: "\u{1F}").map(String.init))
        }
    }

    /// « Prénom NOM » of an agent or user row (first_name, last_name).
    static func agentName(_ row: Row) -> String {
        [row["first_name"] as String?, (row["last_name"] as String).uppercased()].compactMap { $0 }.joined(
            separator: " ")
    }

    static func userSummary(_ row: Row) -> UserSummary {
        UserSummary(
            id: row["id"], firstName: row["first_name"], lastName: row["last_name"],
            birthDate: (row["birth_date"] as String?).flatMap(LocalDate.init))
    }

    static func user(_ row: Row) -> User {
        func date(_ column: String) -> Date? {
            (row[column] as Int64?).map { Date(timeIntervalSince1970: TimeInterval($0)) }
        }
        var user = User(
            id: row["id"], firstName: row["first_name"], lastName: row["last_name"], birthName: row["birth_name"],
            birthDate: (row["birth_date"] as String?).flatMap(LocalDate.init), email: row["email"],
            phoneNumber: row["phone_number"], responsibleID: row["responsible_id"],
            createdThrough: User.CreatedThrough(rawValue: row["created_through"]) ?? .unknown)
        user.address = row["address"]
        user.addressDetails = row["address_details"]
        user.postCode = row["post_code"]
        user.cityName = row["city_name"]
        user.cityCode = row["city_code"]
        user.latitude = row["latitude"]
        user.longitude = row["longitude"]
        user.caisseAffiliation = (row["caisse_affiliation"] as String?).flatMap(User.CaisseAffiliation.init)
        user.affiliationNumber = row["affiliation_number"]
        user.familySituation = row["family_situation"]
        user.numberOfChildren = row["number_of_children"]
        user.caseNumber = row["case_number"]
        user.notes = row["notes"]
        user.logement = (row["logement"] as String?).flatMap(User.Logement.init)
        user.antsPreDemandeNumber = row["ants_pre_demande_number"]
        user.notifyBySMS = row["notify_by_sms"]
        user.notifyByEmail = row["notify_by_email"]
        user.rdvInvitationToken = row["rdv_invitation_token"]
        user.rdvInvitationTokenCreatedAt = date("rdv_invitation_token_created_at")
        user.passwordHash = row["password_hash"]
        user.confirmedAt = date("confirmed_at")
        user.failedSignInCount = row["failed_sign_in_count"]
        user.lockedUntil = date("locked_until")
        user.invitationCreatedAt = date("invitation_created_at")
        user.invitationAcceptedAt = date("invitation_accepted_at")
        user.lastModifiedAt = date("last_modified_at")
        user.deletedAt = date("deleted_at")
        return user
    }

    /// A user by id (any organisation), for a form's responsible check.
    public func user(id: Int64) throws -> User? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM users WHERE id = ?", arguments: [id]).map(Self.user)
        }
    }

    /// The users `user.duplicateIssues(among:)` must compare with (domain.md §11 "Duplicate
    /// detection"): same e-mail anywhere (it is unique), same phone or same birth date.
    public func duplicateCandidates(of user: User) throws -> [User] {
        let email = user.email.map(EmailAddress.normalised).flatMap { $0.isEmpty ? nil : $0 }
        let phone = user.phoneNumber.flatMap(PhoneNumber.init)?.e164
        guard email != nil || phone != nil || user.birthDate != nil else { return [] }
        return try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM users WHERE deleted_at IS NULL AND id IS NOT ?
                    AND (email = ? OR phone_number_formatted = ? OR birth_date = ?)
                    ORDER BY id LIMIT 50
                    """, arguments: [user.id, email, phone, user.birthDate?.description]
            ).map(Self.user)
        }
    }

    /// How many live relatives `userID` is responsible for.
    public func relativesCount(userID: Int64) throws -> Int {
        try writer.read { db in
            try Int.fetchOne(
                db, sql: "SELECT count(*) FROM users WHERE responsible_id = ? AND deleted_at IS NULL",
                arguments: [userID]) ?? 0
        }
    }

    /// Which of `ids` are visible from `organisationID` (a duplicate is linked only then).
    public func visibleUserIDs(_ ids: [Int64], organisationID: Int64) throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        return try writer.read { db in
            let (list, arguments) = Self.inList(ids)
            var all = arguments
            all += [organisationID, organisationID]
            return Set(
                try Int64.fetchAll(
                    db,
                    sql: "SELECT id FROM users WHERE id IN (\(list)) AND id IN (\(Self.visibleUserIDsSQL))",
                    arguments: all))
        }
    }

    // MARK: Writing

    /// Creates a user with a profile in `organisationID` and in `otherOrganisationIDs` (domain.md
    /// §11; a relative also gets the profiles of its responsible there), its referents, and plans
    /// the `User` and `UserProfile` webhooks, all in one transaction.
    public func createUser(
        _ user: User, organisationID: Int64, otherOrganisationIDs: [Int64] = [], referentAgentIDs: [Int64] = [],
        through: User.CreatedThrough = .agentCreation, author: String?, publicURL: String, now: Date
    ) throws -> Int64 {
        try immediateWrite { db in
            var user = user
            user.createdThrough = through
            user.lastModifiedAt = now
            try db.execute(
                sql: """
                    INSERT INTO users (\(Self.userColumns.joined(separator: ", ")), created_through, created_at, updated_at)
                    VALUES (\(Array(repeating: "?", count: Self.userColumns.count + 3).joined(separator: ", ")))
                    """,
                arguments: Self.userArguments(user) + [user.createdThrough.rawValue, Self.epoch(now), Self.epoch(now)])
            let id = db.lastInsertedRowID
            try Self.auditCreated(db, .user, id: id, author: author, organisationID: organisationID, now: now)
            for organisation in [organisationID] + otherOrganisationIDs {
                try Self.addProfile(db, userID: id, organisationID: organisation, author: author, publicURL: publicURL, now: now)
                if let responsible = user.responsibleID {
                    try Self.addProfile(
                        db, userID: responsible, organisationID: organisation, author: author, publicURL: publicURL,
                        now: now)
                }
            }
            for agentID in referentAgentIDs {
                try db.execute(
                    sql: """
                        INSERT INTO referents (user_id, agent_id, created_at, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_id, agent_id) DO NOTHING
                        """, arguments: [id, agentID, Self.epoch(now), Self.epoch(now)])
            }
            try Self.planUserWebhooks(db, userID: id, event: .created, publicURL: publicURL, now: now)
            return id
        }
    }

    /// Saves an agent's edit of the editable fields (the account fields are kept).
    public func updateUser(_ user: User, organisationID: Int64, author: String?, publicURL: String, now: Date) throws {
        guard let id = user.id else { throw UserFileError.notFound }
        try immediateWrite { db in
            var user = user
            user.lastModifiedAt = now
            let assignments = Self.userColumns.map { "\($0) = ?" }.joined(separator: ", ")
            let changed = try Self.audited(db, .user, id: id, author: author, organisationID: organisationID, now: now) {
                try db.execute(
                    sql: "UPDATE users SET \(assignments), updated_at = ? WHERE id = ? AND deleted_at IS NULL",
                    arguments: Self.userArguments(user) + [Self.epoch(now), id])
                return db.changesCount
            }
            guard changed == 1 else { throw UserFileError.notFound }
            if let responsible = user.responsibleID {
                try Self.addProfile(
                    db, userID: responsible, organisationID: organisationID, author: author, publicURL: publicURL, now: now)
            }
            try Self.planUserWebhooks(db, userID: id, event: .updated, publicURL: publicURL, now: now)
        }
    }

    /// The columns an agent's form writes, in `userArguments` order.
    static let userColumns = [
        "first_name", "last_name", "birth_name", "birth_date", "email", "phone_number", "phone_number_formatted",
        "address", "address_details", "post_code", "city_name", "city_code", "caisse_affiliation",
        "affiliation_number", "family_situation", "number_of_children", "case_number", "notes", "logement",
        "notify_by_sms", "notify_by_email", "responsible_id", "last_modified_at",
    ]

    static func userArguments(_ user: User) -> StatementArguments {
        func text(_ value: String?) -> String? {
            guard let value = value?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
            return value
        }
        let email = text(user.email).map(EmailAddress.normalised)
        let phone = text(user.phoneNumber)
        let values: [(any DatabaseValueConvertible)?] = [
            user.firstName.trimmingCharacters(in: .whitespacesAndNewlines),
            user.lastName.trimmingCharacters(in: .whitespacesAndNewlines), text(user.birthName),
            user.birthDate?.description, email, phone, phone.flatMap(PhoneNumber.init)?.e164, text(user.address),
            text(user.addressDetails), text(user.postCode), text(user.cityName), text(user.cityCode),
            user.caisseAffiliation?.rawValue, text(user.affiliationNumber), text(user.familySituation),
            user.numberOfChildren, text(user.caseNumber), text(user.notes), user.logement?.rawValue,
            user.notifyBySMS, user.notifyByEmail, user.responsibleID, user.lastModifiedAt.map(Self.epoch),
        ]
        return StatementArguments(values)
    }

    /// A profile (domain.md §11 UserProfile) and its `UserProfile` webhook, unless it exists.
    static func addProfile(
        _ db: Database, userID: Int64, organisationID: Int64, author: String?, publicURL: String, now: Date
    ) throws {
        try db.execute(
            sql: """
                INSERT INTO user_profiles (user_id, organisation_id, created_at, updated_at) VALUES (?, ?, ?, ?)
                ON CONFLICT (user_id, organisation_id) DO NOTHING
                """, arguments: [userID, organisationID, epoch(now), epoch(now)])
        guard db.changesCount == 1 else { return }
        let profileID = db.lastInsertedRowID
        try auditCreated(db, .userProfile, id: profileID, author: author, organisationID: organisationID, now: now)
        try planUserProfileWebhooks(
            db, profileID: profileID, userID: userID, organisationID: organisationID, event: .created,
            now: now)
    }

    /// domain.md §11 "Deleting a user from an organisation": that profile only goes (refused while
    /// the user or a relative has future appointments there); with no profile left the user is
    /// anonymised. `everywhere`: every profile
    /// of the user, which must all be in `agentOrganisationIDs`.
    public func removeUser(
        id userID: Int64, organisationID: Int64, everywhere: Bool, agentOrganisationIDs: Set<Int64>,
        author: String?, publicURL: String, now: Date
    ) throws -> UserRemoval {
        try immediateWrite { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM users WHERE id = ? AND deleted_at IS NULL", arguments: [userID])
                    ?? false
            else { throw UserFileError.notFound }
            let profiles = try Row.fetchAll(
                db, sql: "SELECT id, organisation_id FROM user_profiles WHERE user_id = ? ORDER BY id",
                arguments: [userID])
            let targets = everywhere ? profiles : profiles.filter { ($0["organisation_id"] as Int64) == organisationID }
            if everywhere,
                profiles.contains(where: { !agentOrganisationIDs.contains($0["organisation_id"] as Int64) })
            {
                throw UserFileError.profilesElsewhere
            }
            let family = [userID] + (try Int64.fetchAll(
                db, sql: "SELECT id FROM users WHERE responsible_id = ? AND deleted_at IS NULL", arguments: [userID]))
            let (familyList, familyArguments) = Self.inList(family)
            for target in targets {
                let organisation: Int64 = target["organisation_id"]
                var arguments = familyArguments
                arguments += [organisation, Self.epoch(now)]
                let busy =
                    try Bool.fetchOne(
                        db,
                        sql: """
                            SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id
                            WHERE p.user_id IN (\(familyList)) AND a.organisation_id = ? AND a.starts_at >= ?
                              AND a.status NOT IN ('excused', 'revoked') AND p.status NOT IN ('excused', 'revoked')
                            LIMIT 1
                            """, arguments: arguments) ?? false
                if busy { throw UserFileError.futureAppointments }
            }
            for target in targets {
                try Self.planUserProfileWebhooks(
                    db, profileID: target["id"], userID: userID, organisationID: target["organisation_id"],
                    event: .destroyed, now: now)
            }
            let anonymises = targets.count == profiles.count
            // The `User` destroyed payload is built before the profiles that route it go.
            if anonymises { try Self.planUserWebhooks(db, userID: userID, event: .destroyed, publicURL: publicURL, now: now) }
            for target in targets {
                try Self.audited(db, .userProfile, id: target["id"], author: author, now: now) {
                    try db.execute(sql: "DELETE FROM user_profiles WHERE id = ?", arguments: [target["id"] as Int64])
                }
            }
            guard anonymises else { return .removedFromOrganisation }
            try Self.anonymiseUser(
                db, userID: userID, planWebhooks: false, author: author, organisationID: organisationID,
                publicURL: publicURL, now: now)
            return .anonymised
        }
    }

    /// domain.md §11: names « Usager supprimé », e-mail `user_<id>@deleted.invalid`, personal data
    /// blanked in the file, the receipts and the versions; account and links revoked.
    /// Its version is a destroy without changes: what it erased must not survive in the history.
    static func anonymiseUser(
        _ db: Database, userID: Int64, planWebhooks: Bool = true, author: String?, organisationID: Int64?,
        publicURL: String, now: Date
    ) throws {
        if planWebhooks { try planUserWebhooks(db, userID: userID, event: .destroyed, publicURL: publicURL, now: now) }
        try recordVersion(
            db, itemType: AuditedTable.user.rawValue, itemID: userID, before: [], after: nil, author: author,
            organisationID: organisationID, now: now)
        try db.execute(
            sql: """
                UPDATE users SET first_name = 'Usager supprimé', last_name = 'Usager supprimé', birth_name = NULL,
                    birth_date = NULL, email = 'user_' || id || '@deleted.invalid', phone_number = NULL,
                    phone_number_formatted = NULL, address = NULL, address_details = NULL, post_code = NULL,
                    city_name = NULL, city_code = NULL, latitude = NULL, longitude = NULL, caisse_affiliation = NULL,
                    affiliation_number = NULL, family_situation = NULL, number_of_children = NULL, case_number = NULL,
                    notes = NULL, logement = NULL, ants_pre_demande_number = NULL, rdv_invitation_token = NULL,
                    rdv_invitation_token_created_at = NULL, password_hash = NULL, notify_by_sms = 0,
                    notify_by_email = 0, deleted_at = ?, updated_at = ?
                WHERE id = ?
                """, arguments: [epoch(now), epoch(now), userID])
        try db.execute(
            sql: "UPDATE receipts SET content = NULL, sms_phone_number = NULL, email_address = NULL WHERE user_id = ?",
            arguments: [userID])
        try db.execute(
            sql: "UPDATE versions SET changes = '{}' WHERE item_type = 'User' AND item_id = ?", arguments: [userID])
        try db.execute(sql: "DELETE FROM referents WHERE user_id = ?", arguments: [userID])
        try db.execute(sql: "DELETE FROM sessions WHERE user_id = ?", arguments: [userID])
        try db.execute(sql: "DELETE FROM identities WHERE user_id = ?", arguments: [userID])
        try db.execute(
            sql: "DELETE FROM account_tokens WHERE user_id = ? AND used_at IS NULL", arguments: [userID])
    }

    /// « Inviter à créer un compte » (booking.md §3.3): a single-use link valid 14 days, the
    /// invitation e-mail planned in the same transaction. Returns the link's secret.
    @discardableResult
    public func inviteUser(id userID: Int64, organisationID: Int64, publicURL: String, now: Date) throws -> String {
        try immediateWrite { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT u.email, u.password_hash, o.name AS organisation_name, t.time_zone,
                            EXISTS (SELECT 1 FROM identities i WHERE i.user_id = u.id) AS has_identity
                        FROM users u JOIN organisations o ON o.id = ? JOIN territories t ON t.id = o.territory_id
                        WHERE u.id = ? AND u.deleted_at IS NULL
                        """, arguments: [organisationID, userID])
            else { throw UserFileError.notFound }
            guard let email = row["email"] as String? else { throw UserFileError.noEmail }
            guard row["password_hash"] as String? == nil, !(row["has_identity"] as Bool) else {
                throw UserFileError.alreadyHasAccount
            }
            let lifetime: TimeInterval = 14 * 24 * 3600
            let epoch = Self.epoch(now)
            let token = try Self.issueAccountToken(
                db, purpose: "user_invitation", owner: .user(userID), lifetime: lifetime, now: now)
            try db.execute(
                sql: "UPDATE users SET invitation_created_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, userID])
            let mail = MailPlanner.userInvitation(
                to: MailAccount(recipient: .user(userID), email: email), organisationName: row["organisation_name"],
                invitationPath: userInvitationAcceptPath + "?invitation_token=" + token,
                expiresAt: now.addingTimeInterval(lifetime),
                settings: NotificationSettings(
                    publicURL: publicURL,
                    timeZone: TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!,
                    noReplyAddress: instance.noReplyAddress),
                now: now)
            try Self.planMails(db, mail.map { [$0] } ?? [], now: now)
            return token
        }
    }

    // MARK: Merge (domain.md §11 « Fusionner deux usagers »)

    /// The fields an agent picks one by one when merging, in form order.
    public static let mergeableUserColumns = [
        "first_name", "last_name", "birth_name", "birth_date", "email", "phone_number", "address",
        "address_details", "caisse_affiliation", "affiliation_number", "family_situation", "number_of_children",
        "case_number", "notes", "logement",
    ]

    /// Merges `removedID` into `keptID`: the columns of `takenColumns` come from the removed
    /// file; its participations, waiting-list entries, profiles, referents, relatives, receipts
    /// and identities move to the kept file, then the removed file is anonymised. All in one
    /// transaction.
    public func mergeUsers(
        keptID: Int64, removedID: Int64, takenColumns: Set<String>, organisationID: Int64, author: String?,
        publicURL: String, now: Date
    ) throws {
        guard keptID != removedID else { throw UserFileError.notFound }
        try immediateWrite { db in
            let live = try Row.fetchAll(
                db, sql: "SELECT id, responsible_id FROM users WHERE id IN (?, ?) AND deleted_at IS NULL",
                arguments: [keptID, removedID])
            guard live.count == 2 else { throw UserFileError.notFound }
            let keptBefore = try Self.auditedRow(db, .user, id: keptID)
            let epoch = Self.epoch(now)
            let columns = Self.mergeableUserColumns.filter(takenColumns.contains)
            if columns.contains("email") {
                // users.email is unique: free it before the kept file takes it.
                let email = try String.fetchOne(db, sql: "SELECT email FROM users WHERE id = ?", arguments: [removedID])
                try db.execute(sql: "UPDATE users SET email = NULL WHERE id = ?", arguments: [removedID])
                try db.execute(sql: "UPDATE users SET email = ? WHERE id = ?", arguments: [email, keptID])
            }
            for column in columns where column != "email" {
                let extra = column == "phone_number" ? ", phone_number_formatted = r.phone_number_formatted" : ""
                try db.execute(
                    sql: """
                        UPDATE users SET \(column) = r.\(column)\(extra)
                        FROM (SELECT * FROM users WHERE id = ?) AS r WHERE users.id = ?
                        """, arguments: [removedID, keptID])
            }
            // A relative of the removed file stays a relative, of the kept one; the kept file
            // cannot be its own responsible.
            try db.execute(
                sql: "UPDATE users SET responsible_id = NULL WHERE id = ? AND responsible_id = ?",
                arguments: [keptID, removedID])
            try db.execute(
                sql: "UPDATE users SET responsible_id = ? WHERE responsible_id = ? AND id <> ?",
                arguments: [keptID, removedID, keptID])
            let affected = try Int64.fetchAll(
                db, sql: "SELECT appointment_id FROM participations WHERE user_id = ?", arguments: [removedID])
            for table in ["participations", "waiting_list_entries"] {
                try db.execute(
                    sql: """
                        UPDATE \(table) SET user_id = ?, updated_at = ? WHERE user_id = ?
                          AND appointment_id NOT IN (SELECT appointment_id FROM \(table) WHERE user_id = ?)
                        """, arguments: [keptID, epoch, removedID, keptID])
                try db.execute(sql: "DELETE FROM \(table) WHERE user_id = ?", arguments: [removedID])
            }
            for appointment in affected {
                try db.execute(
                    sql: """
                        UPDATE appointments SET users_count = (SELECT count(*) FROM participations
                            WHERE appointment_id = ? AND status NOT IN ('excused', 'revoked'))
                        WHERE id = ?
                        """, arguments: [appointment, appointment])
            }
            let organisations = try Int64.fetchAll(
                db, sql: "SELECT organisation_id FROM user_profiles WHERE user_id = ?", arguments: [removedID])
            for organisation in organisations {
                try Self.addProfile(
                    db, userID: keptID, organisationID: organisation, author: author, publicURL: publicURL, now: now)
            }
            try db.execute(
                sql: """
                    INSERT INTO referents (user_id, agent_id, created_at, updated_at)
                    SELECT ?, agent_id, ?, ? FROM referents WHERE user_id = ?
                    ON CONFLICT (user_id, agent_id) DO NOTHING
                    """, arguments: [keptID, epoch, epoch, removedID])
            try db.execute(sql: "UPDATE receipts SET user_id = ? WHERE user_id = ?", arguments: [keptID, removedID])
            let keptIsRelative =
                try Bool.fetchOne(
                    db, sql: "SELECT responsible_id IS NOT NULL FROM users WHERE id = ?", arguments: [keptID]) ?? false
            if !keptIsRelative {
                try db.execute(sql: "UPDATE identities SET user_id = ? WHERE user_id = ?", arguments: [keptID, removedID])
            }
            try db.execute(
                sql: "UPDATE users SET last_modified_at = ?, updated_at = ? WHERE id = ?",
                arguments: [epoch, epoch, keptID])
            for organisation in organisations {
                let profile = try Int64.fetchOne(
                    db, sql: "SELECT id FROM user_profiles WHERE user_id = ? AND organisation_id = ?",
                    arguments: [removedID, organisation])
                if let profile {
                    try Self.planUserProfileWebhooks(
                        db, profileID: profile, userID: removedID, organisationID: organisation, event: .destroyed,
                        now: now)
                }
            }
            try Self.recordVersion(
                db, itemType: AuditedTable.user.rawValue, itemID: keptID, before: keptBefore,
                after: try Self.auditedRow(db, .user, id: keptID), author: author, organisationID: organisationID, now: now)
            try Self.anonymiseUser(
                db, userID: removedID, author: author, organisationID: organisationID, publicURL: publicURL, now: now)
            for profile in try Int64.fetchAll(db, sql: "SELECT id FROM user_profiles WHERE user_id = ?", arguments: [removedID]) {
                try Self.audited(db, .userProfile, id: profile, author: author, now: now) {
                    try db.execute(sql: "DELETE FROM user_profiles WHERE id = ?", arguments: [profile])
                }
            }
            try Self.planUserWebhooks(db, userID: keptID, event: .updated, publicURL: publicURL, now: now)
        }
    }

    // MARK: Referents (domain.md §4)

    /// The live agents of `organisationID`, « Prénom NOM », by name: who may become a referent.
    public func referentCandidates(organisationID: Int64) throws -> [(id: Int64, name: String)] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT g.id, g.first_name, g.last_name FROM agent_roles r JOIN agents g ON g.id = r.agent_id
                    WHERE r.organisation_id = ? AND g.deleted_at IS NULL ORDER BY g.last_name, g.first_name, g.id
                    """, arguments: [organisationID]
            ).map { (id: $0["id"] as Int64, name: Self.agentName($0)) }
        }
    }

    /// The territories where `agentID` has a role (UserPolicy.assignReferent).
    public func agentTerritoryIDs(agentID: Int64) throws -> Set<Int64> {
        try writer.read { db in
            Set(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT o.territory_id FROM agent_roles r JOIN organisations o ON o.id = r.organisation_id
                        JOIN agents g ON g.id = r.agent_id WHERE r.agent_id = ? AND g.deleted_at IS NULL
                        """, arguments: [agentID]))
        }
    }

    /// Assigns (or unassigns) `agentID` as a referent of `userID`; (user, agent) is unique, so a
    /// second assignment changes nothing.
    public func setReferent(userID: Int64, agentID: Int64, assigned: Bool, now: Date) throws {
        try writer.write { db in
            if assigned {
                try db.execute(
                    sql: """
                        INSERT INTO referents (user_id, agent_id, created_at, updated_at) VALUES (?, ?, ?, ?)
                        ON CONFLICT (user_id, agent_id) DO NOTHING
                        """, arguments: [userID, agentID, Self.epoch(now), Self.epoch(now)])
                if db.changesCount == 1 { try Self.planReferentWebhooks(db, userID: userID, agentID: agentID, event: .created, now: now) }
            } else {
                // The body is built before the delete (notifications.md §13 `destroyed`).
                let exists = try Bool.fetchOne(
                    db, sql: "SELECT 1 FROM referents WHERE user_id = ? AND agent_id = ?", arguments: [userID, agentID]) ?? false
                if exists { try Self.planReferentWebhooks(db, userID: userID, agentID: agentID, event: .destroyed, now: now) }
                try db.execute(
                    sql: "DELETE FROM referents WHERE user_id = ? AND agent_id = ?", arguments: [userID, agentID])
            }
        }
    }

    // MARK: Webhooks (notifications.md §13)

    /// `User` to the endpoints of every organisation where the user has a profile.
    static func planUserWebhooks(
        _ db: Database, userID: Int64, event: WebhookBody.Event, reason: WebhookBody.Reason? = nil, publicURL: String,
        now: Date
    ) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.id AS endpoint_id, p.organisation_id, t.time_zone FROM user_profiles p
                JOIN webhook_endpoints e ON e.organisation_id = p.organisation_id
                JOIN organisations o ON o.id = p.organisation_id JOIN territories t ON t.id = o.territory_id
                WHERE p.user_id = ? AND EXISTS (SELECT 1 FROM json_each(e.subscriptions) WHERE value = 'user')
                ORDER BY e.id
                """, arguments: [userID])
        let eventID = UUID().uuidString.lowercased()
        for row in rows {
            let organisationID: Int64 = row["organisation_id"]
            let zone = TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
            let data = try APIShapes.user(db, id: userID, scope: [organisationID], zone: zone) ?? .null
            try planRecordWebhook(
                db, endpointID: row["endpoint_id"], model: "User", record: "user:\(userID)", data: data, event: event,
                reason: reason, eventID: eventID, zone: zone, now: now)
        }
    }

    /// `UserProfile` to the endpoints of its organisation.
    static func planUserProfileWebhooks(
        _ db: Database, profileID: Int64, userID: Int64, organisationID: Int64, event: WebhookBody.Event,
        reason: WebhookBody.Reason? = nil, now: Date
    ) throws {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT e.id AS endpoint_id, t.time_zone FROM webhook_endpoints e
                JOIN organisations o ON o.id = e.organisation_id JOIN territories t ON t.id = o.territory_id
                WHERE e.organisation_id = ? AND EXISTS (SELECT 1 FROM json_each(e.subscriptions) WHERE value = 'user_profile')
                ORDER BY e.id
                """, arguments: [organisationID])
        guard !rows.isEmpty else { return }
        let eventID = UUID().uuidString.lowercased()
        for row in rows {
            let zone = TimeZone(identifier: row["time_zone"]) ?? TimeZone(identifier: "Europe/Paris")!
            let data = try APIShapes.userProfile(db, userID: userID, organisationID: organisationID, zone: zone)
            try planRecordWebhook(
                db, endpointID: row["endpoint_id"], model: "UserProfile", record: "user_profile:\(profileID)",
                data: data, event: event, reason: reason, eventID: eventID, zone: zone, now: now)
        }
    }

    static func planRecordWebhook(
        _ db: Database, endpointID: Int64, model: String, record: String, data: JSONValue,
        event: WebhookBody.Event, reason: WebhookBody.Reason? = nil, eventID: String, zone: TimeZone, now: Date
    ) throws {
        let body = WebhookBody.make(
            dataJSON: data.text, model: model, event: event, reason: reason, timestamp: now, timeZone: zone)
        try planWebhookDelivery(
            db, WebhookPayload(endpointID: endpointID, body: body), key: "webhook:\(endpointID):\(eventID)",
            orderingKey: "webhook:\(endpointID):\(record)", appointmentID: nil, dueAt: now)
    }
}
