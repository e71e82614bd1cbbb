import Cryptography
import Domain
import Foundation
import GRDB

/// A territory's SMS choice (notifications.md §7): its provider (nil = the instance's
/// `RDV_SMS_PROVIDER`) and its credentials, sealed with the instance secret (domain.md §1).
public struct TerritorySMSSettings: Sendable, Equatable {
    public var provider: String?
    public var sealedConfiguration: String?
}

/// One « Envoyer un SMS de test » of « Espace admin » → « SMS »: still in the outbox (`result`
/// nil) or sent, with the receipt's result.
public struct TestSMSAttempt: Sendable, Equatable {
    public let recipient: String
    public let at: Date
    /// `processed`, `sent`, `delivered`, `failure`; nil while in the outbox.
    public let result: String?
    public let provider: String?
    public let errorMessage: String?
}

extension AppDatabase {
    /// The event of test SMS, in the outbox payload and in their receipts.
    public static let testSMSEvent = "sms_test"

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

    public func smsSettings(territoryID: Int64) throws -> TerritorySMSSettings? {
        try writer.read { db in
            try Row.fetchOne(db, sql: "SELECT sms_provider, sms_configuration FROM territories WHERE id = ?", arguments: [territoryID])
                .map { TerritorySMSSettings(provider: $0["sms_provider"], sealedConfiguration: $0["sms_configuration"]) }
        }
    }

    /// The stored configuration, opened (for the form: it shows all but the API key).
    public func smsConfiguration(territoryID: Int64) throws -> SMSProviderConfiguration? {
        try smsSettings(territoryID: territoryID)?.sealedConfiguration.map(openSMSConfiguration)
    }

    public func openSMSConfiguration(_ sealed: String) throws -> SMSProviderConfiguration {
        try SMSProviderConfiguration(json: try SecretBox(secret: try instanceSecret()).openText(sealed))
    }

    /// Saves the provider (nil: the instance's) and, for `http_json` and `mail_to_sms`, its
    /// configuration sealed with the instance secret; other providers keep no credentials.
    /// Territories are not among the audited records (domain.md §0): no version is written.
    public func saveSMSSettings(
        territoryID: Int64, provider: Territory.SMSProvider?, configuration: SMSProviderConfiguration?, now: Date
    ) throws {
        let sealed = try configuration.map { try SecretBox(secret: try instanceSecret()).seal(try $0.json()) }
        try writer.write { db in
            try db.execute(
                sql: "UPDATE territories SET sms_provider = ?, sms_configuration = ?, updated_at = ? WHERE id = ?",
                arguments: [provider?.rawValue, sealed, Int64(now.timeIntervalSince1970), territoryID])
        }
    }

    /// « Envoyer un SMS de test »: an outbox row like any SMS, so the scheduler sends it through
    /// the territory's effective provider, retries it, and writes its receipt.
    public func planTestSMS(territoryID: Int64, to e164: String, text: String, now: Date) throws {
        let message = RenderedMessage(
            event: Self.testSMSEvent, channel: "sms", recipient: e164, body: text, territoryID: territoryID)
        try writer.write { db in
            try Self.insertRenderedMessage(
                db, message, key: "\(Self.testSMSEvent):\(territoryID):\(UUID().uuidString.lowercased())", dueAt: now)
        }
    }

    /// The territory's last test SMS, newest first: those still in the outbox, then the receipts.
    public func testSMSAttempts(territoryID: Int64, limit: Int = 5) throws -> [TestSMSAttempt] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT json_extract(payload, '$.recipient') AS recipient, due_at AS at, NULL AS result, NULL AS provider,
                           NULL AS error_message, id AS ordering
                    FROM outbox_messages
                    WHERE kind = 'sms' AND status IN ('pending', 'in_flight') AND json_extract(payload, '$.event') = ?1
                      AND json_extract(payload, '$.territory_id') = ?2
                    UNION ALL
                    SELECT sms_phone_number, created_at, result, sms_provider, error_message, -id
                    FROM receipts WHERE territory_id = ?2 AND event = ?1 AND channel = 'sms'
                    ORDER BY at DESC, ordering DESC LIMIT ?3
                    """, arguments: [Self.testSMSEvent, territoryID, limit]
            ).map {
                TestSMSAttempt(
                    recipient: $0["recipient"] ?? "", at: Date(timeIntervalSince1970: TimeInterval($0["at"] as Int64)),
                    result: $0["result"], provider: $0["provider"], errorMessage: $0["error_message"])
            }
        }
    }
}
