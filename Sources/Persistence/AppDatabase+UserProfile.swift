import Domain
import Foundation
import GRDB

/// What « Mon compte » of a user shows and edits (permissions.md §3 "Edit own profile").
public struct OwnProfile: Sendable, Equatable {
    public var firstName: String
    public var lastName: String
    public var phoneNumber: String?
    public var notifyBySMS: Bool
    public var notifyByEmail: Bool

    public init(firstName: String, lastName: String, phoneNumber: String?, notifyBySMS: Bool, notifyByEmail: Bool) {
        self.firstName = firstName
        self.lastName = lastName
        self.phoneNumber = phoneNumber
        self.notifyBySMS = notifyBySMS
        self.notifyByEmail = notifyByEmail
    }
}

/// permissions.md §3 "Delete own account".
public enum OwnAccountDeletion: Sendable, Equatable {
    case deleted
    /// « Annulez d'abord vos rendez-vous à venir »: self or a relative still has one.
    case futureAppointments
}

extension AppDatabase {
    public func ownProfile(userID: Int64) throws -> OwnProfile? {
        try writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM users WHERE id = ? AND deleted_at IS NULL AND responsible_id IS NULL",
                arguments: [userID]
            ).map {
                OwnProfile(
                    firstName: $0["first_name"], lastName: $0["last_name"], phoneNumber: $0["phone_number"],
                    notifyBySMS: $0["notify_by_sms"], notifyByEmail: $0["notify_by_email"])
            }
        }
    }

    /// The user's own edit (checked by the caller), versioned and counted as a modification
    /// (`last_modified_at`, booking.md §11).
    public func updateOwnProfile(userID: Int64, _ profile: OwnProfile, now: Date) throws {
        let epoch = Self.epoch(now)
        try immediateWrite { db in
            try Self.audited(db, .user, id: userID, author: "Usager", now: now) {
                try db.execute(
                    sql: """
                        UPDATE users SET first_name = ?, last_name = ?, phone_number = ?, phone_number_formatted = ?,
                            notify_by_sms = ?, notify_by_email = ?, last_modified_at = ?, updated_at = ?
                        WHERE id = ? AND deleted_at IS NULL
                        """,
                    arguments: [
                        profile.firstName, profile.lastName, profile.phoneNumber,
                        profile.phoneNumber.flatMap(PhoneNumber.init)?.e164, profile.notifyBySMS, profile.notifyByEmail,
                        epoch, epoch, userID,
                    ])
            }
        }
    }

    /// « Supprimer mon compte »: refused while self or a relative has an upcoming appointment;
    /// otherwise the relatives and the account are anonymised (domain.md §11), their profiles
    /// removed with their webhooks, every session ended.
    public func deleteOwnAccount(userID: Int64, publicURL: String, now: Date) throws -> OwnAccountDeletion {
        let epoch = Self.epoch(now)
        return try immediateWrite { db in
            let relatives = try Int64.fetchAll(
                db, sql: "SELECT id FROM users WHERE responsible_id = ? AND deleted_at IS NULL", arguments: [userID])
            let family = [userID] + relatives
            let busy =
                try Bool.fetchOne(
                    db,
                    sql: """
                        SELECT 1 FROM participations p JOIN appointments a ON a.id = p.appointment_id
                        WHERE p.user_id IN (\(family.map(String.init).joined(separator: ","))) AND a.ends_at > ?
                          AND a.status NOT IN ('excused', 'revoked') AND p.status NOT IN ('excused', 'revoked')
                        LIMIT 1
                        """, arguments: [epoch]) ?? false
            if busy { return .futureAppointments }
            for member in relatives + [userID] {
                try Self.planUserWebhooks(db, userID: member, event: .destroyed, publicURL: publicURL, now: now)
                let profiles = try Row.fetchAll(
                    db, sql: "SELECT id, organisation_id FROM user_profiles WHERE user_id = ?", arguments: [member])
                for profile in profiles {
                    try Self.planUserProfileWebhooks(
                        db, profileID: profile["id"], userID: member, organisationID: profile["organisation_id"],
                        event: .destroyed, now: now)
                    try Self.audited(db, .userProfile, id: profile["id"], author: "Usager", now: now) {
                        try db.execute(sql: "DELETE FROM user_profiles WHERE id = ?", arguments: [profile["id"] as Int64])
                    }
                }
                try Self.anonymiseUser(
                    db, userID: member, planWebhooks: false, author: "Usager", organisationID: nil, publicURL: publicURL,
                    now: now)
            }
            return .deleted
        }
    }
}
