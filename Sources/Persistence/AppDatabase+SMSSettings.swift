import Domain
import Foundation
import GRDB

/// A territory's SMS choice (notifications.md §7): its provider (nil = the instance's
/// `RDV_SMS_PROVIDER`) and its credentials, sealed with the instance secret (domain.md §1).
public struct TerritorySMSSettings: Sendable, Equatable {
    public var provider: String?
    public var sealedConfiguration: String?
}

extension AppDatabase {
    /// The SMS settings of the territory of an appointment; nil when the appointment is gone.
    public func smsSettings(appointmentID: Int64) throws -> TerritorySMSSettings? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT t.sms_provider, t.sms_configuration FROM appointments a
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    WHERE a.id = ?
                    """, arguments: [appointmentID]
            ).map { TerritorySMSSettings(provider: $0["sms_provider"], sealedConfiguration: $0["sms_configuration"]) }
        }
    }
}
