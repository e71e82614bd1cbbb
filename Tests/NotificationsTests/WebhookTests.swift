import Cryptography
import Domain
import Foundation
import GRDB
import HTTP
import Logging
import Notifications
@_spi(RawDatabase) import Persistence
import Testing

@Suite("Webhooks", .serialized)
struct WebhookTests {
    static let start = Date(timeIntervalSince1970: 1_764_061_200)
    static let secret = "wh-s3cret"
    /// The stubs listen on 127.0.0.1: allowed as with `RDV_ALLOW_PRIVATE_WEBHOOKS=1`.
    static let stubSender = WebhookSender(allowPrivateAddresses: true)

    static func body() -> String {
        WebhookBody.make(
            dataJSON: #"{"id":12,"status":"unknown","motif":{"name":"Consultation / suivi"}}"#, model: "Rdv",
            event: .created, timestamp: Date(timeIntervalSince1970: 1_780_300_800),
            timeZone: TimeZone(identifier: "Europe/Paris")!)
    }

    /// The endpoint row the outbox row refers to (its URL and secret come from the resolver).
    func insertEndpoint(_ db: AppDatabase, id: Int64) throws {
        try db.writer.write { db in
            try db.execute(sql: "INSERT OR IGNORE INTO territories (id, name) VALUES (1, 'Pas-de-Calais')")
            try db.execute(
                sql: "INSERT OR IGNORE INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras')")
            try db.execute(
                sql: "INSERT INTO webhook_endpoints (id, organisation_id, target_url, secret) VALUES (?, 1, ?, 's')",
                arguments: [id, "https://example.fr/hook/\(id)"])
        }
    }

    @Test func planningTwiceWithTheSameKeyPlansOnce() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try insertEndpoint(db, id: 7)
        for _ in 1...2 {
            try db.planWebhookDelivery(
                WebhookPayload(endpointID: 7, body: Self.body()), key: "webhook:7:e1", orderingKey: "webhook:7:Rdv:12",
                dueAt: Self.start)
        }
        let rows = try fetchRows(db, "SELECT payload, webhook_endpoint_id FROM outbox_messages")
        #expect(rows.count == 1)
        let payload = try JSONDecoder().decode(WebhookPayload.self, from: Data((rows[0]["payload"] as String).utf8))
        #expect(payload == WebhookPayload(endpointID: 7, body: Self.body()))
    }

    @Test func theBodyHasDataThenMetaWithTheTimestampInTheTerritoryZone() {
        // 1_780_300_800 = 2026-06-01T08:00:00Z, summer time in Paris
        #expect(
            Self.body()
                == #"{"data":{"id":12,"status":"unknown","motif":{"name":"Consultation / suivi"}},"meta":{"model":"Rdv","event":"created","webhook_reason":null,"timestamp":"2026-06-01T10:00:00+02:00"}}"#
        )
        let rgpd = WebhookBody.make(
            dataJSON: "{}", model: "PlageOuverture", event: .destroyed, reason: .rgpd,
            timestamp: Date(timeIntervalSince1970: 1_780_300_800), timeZone: TimeZone(identifier: "Indian/Reunion")!)
        #expect(
            rgpd
                == #"{"data":{},"meta":{"model":"PlageOuverture","event":"destroyed","webhook_reason":"rgpd","timestamp":"2026-06-01T12:00:00+04:00"}}"#
        )
    }

    @Test func theSignatureIsTheHexHMACOfTheRawBody() {
        // RFC 4231 test case 2 (key "Jefe").
        #expect(
            WebhookSender.signature(of: Array("what do ya want for nothing?".utf8), secret: "Jefe")
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test func aFailedDeliveryIsRetriedAndEveryRequestIsSignedOverItsExactBytes() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.status(500), .status(204)]) { base, stub in
            // Given a webhook row for endpoint 7, whose receiver first fails
            try insertEndpoint(db, id: 7)
            try db.planWebhookDelivery(
                WebhookPayload(endpointID: 7, body: Self.body()), key: "webhook:7:rdv-12-created",
                orderingKey: "webhook:7:Rdv:12", dueAt: Self.start)
            let handler = WebhookHandler(sender: Self.stubSender) { id in id == 7 ? (url: base + "/hooks/rdv", secret: Self.secret) : nil }
            let clock = ManualClock(Self.start)
            let scheduler = OutboxScheduler(
                db: db, clock: clock, handlers: ["webhook": handler], logger: Logger(label: "t"))
            // When the scheduler runs twice, 30 s apart
            #expect(try scheduler.runOnce() == 1)
            clock.advance(by: 30)
            #expect(try scheduler.runOnce() == 1)
            // Then the receiver got the same bytes twice, each with a valid signature
            #expect(stub.requests.count == 2)
            for request in stub.requests {
                #expect(request.path == "/hooks/rdv")
                #expect(request.body == Array(Self.body().utf8))
                #expect(request.headers["Content-Type"] == "application/json; charset=utf-8")
                let expected = Digest.hex(Digest.hmacSHA256(key: Array(Self.secret.utf8), request.body))
                #expect(request.headers["X-Lapin-Signature"] == expected)
            }
            #expect(try fetchRows(db, "SELECT status FROM outbox_messages").first?["status"] == "sent")
            let receipts = try fetchRows(db, "SELECT * FROM receipts ORDER BY id")
            #expect(receipts.map { $0["result"] as String } == ["failure", "sent"])
            #expect(receipts.first?["error_message"] == "the endpoint answered 500")
            #expect(receipts.allSatisfy { $0["channel"] == "webhook" && $0["event"] == "rdv_created" })
            #expect(receipts.allSatisfy { $0["webhook_endpoint_id"] == 7 })
        }
    }

    @Test func aRecordsLaterEventWaitsUntilTheEarlierOneIsSettled() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.status(503), .status(200), .status(200)]) { base, stub in
            // Given "created" then "updated" for the same record and endpoint, the first one failing
            try insertEndpoint(db, id: 7)
            for (key, body) in [("webhook:7:e1", "{\"n\":1}"), ("webhook:7:e2", "{\"n\":2}")] {
                try db.planWebhookDelivery(
                    WebhookPayload(endpointID: 7, body: body), key: key, orderingKey: "webhook:7:Rdv:12",
                    dueAt: Self.start)
            }
            let clock = ManualClock(Self.start)
            let scheduler = OutboxScheduler(
                db: db, clock: clock,
                handlers: ["webhook": WebhookHandler(sender: Self.stubSender) { _ in (url: base + "/h", secret: Self.secret) }],
                logger: Logger(label: "t"))
            // When the first attempt fails, the second event is not sent before it
            #expect(try scheduler.runOnce() == 1)
            #expect(stub.requests.count == 1)
            clock.advance(by: 30)
            #expect(try scheduler.runOnce() == 2)
            // Then the receiver saw them in order
            #expect(
                stub.requests.map { String(decoding: $0.body, as: UTF8.self) } == [
                    #"{"n":1}"#, #"{"n":1}"#, #"{"n":2}"#,
                ])
        }
    }

    @Test func aTimeoutIsAFailureToRetry() throws {
        try withStubServer([.hold]) { base, stub in
            #expect(throws: WebhookSender.Failure(description: "the endpoint did not answer in time")) {
                try WebhookSender(timeout: 0.3, allowPrivateAddresses: true).send(body: "{}", to: base + "/h", secret: "s")
            }
            stub.releaseHeld()
        }
    }

    @Test func aDeletedEndpointDropsItsDeliveries() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try insertEndpoint(db, id: 9)
        try db.planWebhookDelivery(
            WebhookPayload(endpointID: 9, body: Self.body()), key: "webhook:9:x", orderingKey: "webhook:9:Rdv:12",
            dueAt: Self.start)
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(Self.start), handlers: ["webhook": WebhookHandler { _ in nil }],
            logger: Logger(label: "t"))
        #expect(try scheduler.runOnce() == 1)
        #expect(
            try fetchRows(db, "SELECT status, last_error FROM outbox_messages").map {
                "\($0["status"] as String)/\($0["last_error"] as String)"
            } == ["cancelled/endpoint deleted"])
    }
}
