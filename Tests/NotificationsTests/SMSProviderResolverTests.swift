import Cryptography
import Domain
import Foundation
import GRDB
import HTTP
import Logging
import Notifications
@_spi(RawDatabase) import Persistence
import Testing

/// notifications.md §7: the territory's provider, else the instance's `RDV_SMS_PROVIDER`; the
/// credentials are sealed with the instance secret (domain.md §1).
@Suite("SMS provider per territory", .serialized)
struct SMSProviderResolverTests {
    let setUp = ReminderHandlerTests().setUp

    /// Plans the contract example's cancellation (one e-mail, one SMS) and runs the SMS handler.
    func sendCancellationSMS(
        _ db: AppDatabase, instanceDefault: SMSProviderResolver.InstanceDefault = .dev
    ) throws -> [Row] {
        try db.changeAppointmentStatus(
            appointmentID: 1, to: .revoked, author: .agent(1), now: AppointmentChangeTests.now,
            publicURL: AppointmentChangeTests.url)
        let clock = ManualClock(AppointmentChangeTests.now)
        let resolver = SMSProviderResolver(
            db: db, instanceDefault: instanceDefault, smtp: nil, clock: clock, allowPrivateAddresses: true)
        let scheduler = OutboxScheduler(
            db: db, clock: clock, handlers: ["sms": SMSHandler(resolveProvider: resolver.provider(for:))],
            logger: Logger(label: "t"))
        try scheduler.runOnce()
        return try fetchRows(db, "SELECT status, last_error FROM outbox_messages WHERE kind = 'sms'")
    }

    func setTerritory(_ db: AppDatabase, provider: String?, configuration: String? = nil) throws {
        try db.writer.write {
            try $0.execute(
                sql: "UPDATE territories SET sms_provider = ?, sms_configuration = ?",
                arguments: [provider, configuration])
        }
    }

    @Test func byDefaultTheDevelopmentProviderKeepsTheSMSAsDelivered() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(try sendCancellationSMS(db).map { $0["status"] as String } == ["sent"])
        let receipt = try #require(try fetchRows(db, "SELECT * FROM receipts WHERE channel = 'sms'").first)
        #expect(receipt["result"] == "delivered")
        #expect(receipt["sms_provider"] == "dev")
        #expect(
            try fetchRows(db, "SELECT recipient FROM dev_outbox_messages").map { $0["recipient"] as String } == [
                "+33612345678"
            ])
    }

    @Test func aTerritoryWithoutSMSGetsNoneAndTheInstanceDefaultNoneToo() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try setTerritory(db, provider: "none")
        // The planner already leaves SMS out when the effective provider is none.
        #expect(try sendCancellationSMS(db).isEmpty)
        let (other, otherDirectory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: otherDirectory) }
        // A row planned while SMS were on, sent after the instance turned them off: dropped.
        #expect(
            try sendCancellationSMS(other, instanceDefault: .none).map { $0["last_error"] as String? } == [
                "sms disabled"
            ])
    }

    @Test func theTerritorysSealedHTTPJSONCredentialsAreUsed() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.status(201, body: #"{"messageId":"m-1"}"#)]) { base, stub in
            let json = try SMSProviderConfiguration.httpJSON(
                .init(url: base + "/sms", apiKey: "secret-key", sender: "RDVPDC")
            ).json()
            let sealed = try SecretBox(secret: try db.instanceSecret()).seal(json)
            #expect(!sealed.contains("secret-key"))
            try setTerritory(db, provider: "http_json", configuration: sealed)
            #expect(try sendCancellationSMS(db).map { $0["status"] as String } == ["sent"])
            let request = try #require(stub.requests.first)
            #expect(request.headers["api-key"] == "secret-key")
            let body = try #require(try JSONSerialization.jsonObject(with: Data(request.body)) as? [String: Any])
            #expect(body["recipient"] as? String == "33612345678")
            #expect(body["sender"] as? String == "RDVPDC")
            #expect(body["tag"] as? String == "rdv_cancelled")
            #expect(body["reference"] as? String == "rdv_cancelled:1:2021-05-03T07:00:00Z:s1:user-1:sms")
            let receipt = try #require(try fetchRows(db, "SELECT * FROM receipts WHERE channel = 'sms'").first)
            #expect(receipt["sms_provider"] == "http_json")
            #expect(receipt["result"] == "sent")
        }
    }

    @Test func aTerritoryProviderWithoutCredentialsFailsPermanently() throws {
        let (db, directory) = try setUp { _ in }
        defer { try? FileManager.default.removeItem(at: directory) }
        try setTerritory(db, provider: "http_json")
        let rows = try sendCancellationSMS(db)
        #expect(rows.map { $0["status"] as String } == ["failed"])
    }
}
