import Domain
import Foundation
import GRDB
import HTTP
import Logging
import Notifications
import Persistence
import Testing

/// The SMS handler in the scheduler, with the HTTP JSON provider talking to a stub provider.
@Suite("SMS delivery through the outbox", .serialized)
struct SMSHandlerTests {
    static let start = Date(timeIntervalSince1970: 1_764_061_200)
    static let key = "rdv_created:12:u7:sms"
    static let text = "RDV PMI vendredi 10/12 à 13h10.\nInfos et annulation: rdv.example.fr/r/12/Ab3dE5gH"

    func plan(_ db: AppDatabase) throws {
        let payload = String(
            decoding: try JSONEncoder().encode(
                RenderedMessage(event: "rdv_created", channel: "sms", recipient: "+33612345678", body: Self.text)),
            as: UTF8.self)
        try db.planMessages([("sms", payload, Self.key, nil)], dueAt: Self.start)
    }

    func scheduler(_ db: AppDatabase, _ clock: ManualClock, provider: (any SMSProvider)?) -> OutboxScheduler {
        let handler = SMSHandler { _ in provider }
        return OutboxScheduler(db: db, clock: clock, handlers: ["sms": handler], logger: Logger(label: "t"))
    }

    func stubProvider(_ base: String) -> HTTPJSONSMSProvider {
        HTTPJSONSMSProvider(url: URL(string: base + "/sms")!, apiKey: "k", sender: "RDV", allowPrivateAddresses: true)
    }

    @Test func aFailingThenAcceptingProviderGetsOneReferenceAndOneDelivery() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.status(503), .status(201, body: #"{"messageId":"m-1"}"#)]) { base, stub in
            // Given an SMS due now and a provider that first answers 503
            try plan(db)
            let clock = ManualClock(Self.start)
            let scheduler = scheduler(db, clock, provider: stubProvider(base))
            // When the scheduler runs, then again after the retry delay, then later again
            #expect(try scheduler.runOnce() == 1)
            clock.advance(by: 30)
            #expect(try scheduler.runOnce() == 1)
            clock.advance(by: 3600)
            #expect(try scheduler.runOnce() == 0)
            // Then the provider saw the same reference twice and accepted it once
            let references = try stub.requests.map {
                try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: String])["reference"]
            }
            #expect(references == [Self.key, Self.key])
            #expect(
                try fetchRows(db, "SELECT status, attempts FROM outbox_messages").map {
                    "\($0["status"] as String)/\($0["attempts"] as Int)"
                } == ["sent/2"])
            let receipts = try fetchRows(db, "SELECT * FROM receipts ORDER BY id")
            #expect(receipts.map { $0["result"] as String } == ["failure", "sent"])
            #expect(receipts.map { $0["error_message"] as String? } == ["the provider answered 503", nil])
            #expect(receipts.allSatisfy { $0["sms_provider"] == "http_json" && $0["channel"] == "sms" })
            #expect(receipts.allSatisfy { $0["content"] == Self.text && $0["sms_phone_number"] == "+33612345678" })
            #expect(receipts.last?["sms_count"] == 1)
            #expect(receipts.allSatisfy { $0["idempotency_key"] == Self.key })
        }
    }

    @Test func aPermanentErrorFailsTheMessageAfterOneAttempt() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.status(400)]) { base, stub in
            try plan(db)
            let clock = ManualClock(Self.start)
            #expect(try scheduler(db, clock, provider: stubProvider(base)).runOnce() == 1)
            clock.advance(by: 86_400)
            let scheduler = scheduler(db, clock, provider: stubProvider(base))
            #expect(try scheduler.runOnce() == 0)
            #expect(stub.requests.count == 1)
            #expect(
                try fetchRows(db, "SELECT status, attempts, last_error FROM outbox_messages").map {
                    "\($0["status"] as String)/\($0["attempts"] as Int)/\($0["last_error"] as String)"
                } == ["failed/1/the provider refused the message (400)"])
            #expect(try fetchRows(db, "SELECT result FROM receipts").map { $0["result"] as String } == ["failure"])
        }
    }

    @Test func withoutAProviderTheMessageIsDroppedUnsent() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try plan(db)
        #expect(try scheduler(db, ManualClock(Self.start), provider: nil).runOnce() == 1)
        #expect(
            try fetchRows(db, "SELECT status, last_error FROM outbox_messages").map {
                "\($0["status"] as String)/\($0["last_error"] as String)"
            } == ["cancelled/sms disabled"])
        #expect(try fetchRows(db, "SELECT * FROM receipts").isEmpty)
    }
}
