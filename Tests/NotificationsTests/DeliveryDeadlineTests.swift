import Domain
import Foundation
import GRDB
import Glibc
import HTTPTestSupport
import Logging
@_spi(RawDatabase) import Persistence
import Sockets
import Synchronization
import Testing

@testable import Notifications
import Outbound

/// Issue 10 §3: one slow relay or receiver must not hold up every notification. Each delivery has
/// a total deadline, and each channel its own worker.
@Suite("Delivery deadlines and one worker per channel", .serialized)
struct DeliveryDeadlineTests {
    static let start = Date(timeIntervalSince1970: 1_764_061_200)

    /// A relay that keeps its greeting going ("220-" continuation lines, RFC 5321 §4.2.1), each
    /// line well within the command timeout: only the delivery deadline ends the wait.
    @Test func aRelayThatTricklesItsRepliesIsCutAtTheDeliveryDeadline() throws {
        let listener = try Socket.listen(on: try SocketAddress(host: "127.0.0.1", port: 0))
        let port = try listener.localPort()
        let finished = DispatchSemaphore(value: 0)
        let stop = Mutex(false)
        Thread {
            defer { finished.signal() }
            var descriptor = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 5000) == 1, let client = try? listener.accept() else { return }
            defer { client.close() }
            // At most 10 s of trickle, so the old client (no deadline) fails this test instead of hanging.
            for _ in 0..<200 where !stop.withLock({ $0 }) {
                guard (try? client.writeAll(Array("220-wait\r\n".utf8))) != nil else { return }
                usleep(50_000)  // the relay's pace, not a wait for our work
            }
        }.start()
        defer {
            stop.withLock { $0 = true }
            finished.wait()
            listener.close()
        }
        var configuration = SMTPConfiguration(host: "127.0.0.1", port: port, startTLS: .off)
        configuration.commandTimeout = 5
        configuration.deliveryTimeout = 0.5
        let started = ContinuousClock.now
        let error = #expect(throws: SMTPError.self) {
            try SMTPClient(configuration: configuration).send(Array("x".utf8), from: "a@localhost", to: ["b@localhost"])
        }
        #expect(error?.permanent == false)
        #expect(error?.description.contains("deadline") == true)
        #expect(ContinuousClock.now - started < .seconds(3))
    }

    /// Records the e-mails it is handed and signals each one.
    final class RecordingHandler: OutboxHandler {
        let handled = DispatchSemaphore(value: 0)
        private let keys = Mutex<[String]>([])
        var seen: [String] { keys.withLock { $0 } }

        func handle(_ message: OutboxMessage, now: Date) -> HandlingResult {
            keys.withLock { $0.append(message.idempotencyKey) }
            handled.signal()
            return .sent(nil)
        }
    }

    /// A webhook receiver that never answers (held by the stub until the end) holds its own worker;
    /// the e-mail planned after it is delivered at once by the mail worker.
    @Test func aStuckWebhookReceiverDoesNotDelayEmails() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        try withStubServer([.hold]) { base, stub in
            try db.writer.write { db in
                try db.execute(sql: "INSERT INTO territories (id, name) VALUES (1, 'Pas-de-Calais')")
                try db.execute(sql: "INSERT INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras')")
                try db.execute(
                    sql: "INSERT INTO webhook_endpoints (id, organisation_id, target_url, secret) VALUES (7, 1, ?, 's')",
                    arguments: [base + "/h"])
            }
            // Given a webhook row, then an e-mail row planned after it
            try db.planWebhookDelivery(
                WebhookPayload(endpointID: 7, body: "{}"), key: "webhook:7:e1", orderingKey: "webhook:7:Rdv:1",
                dueAt: Self.start)
            let mail = RenderedMessage(event: "rdv_created", channel: "mail", recipient: "jean@example.fr", body: "x")
            try db.planMessages(
                [("email", String(decoding: try JSONEncoder().encode(mail), as: UTF8.self), "rdv_created:1:u1:mail", nil)],
                dueAt: Self.start)
            let email = RecordingHandler()
            let scheduler = OutboxScheduler(
                db: db, clock: ManualClock(Self.start),
                handlers: [
                    "webhook": WebhookHandler(sender: WebhookSender(timeout: 60, allowPrivateAddresses: true)) { _ in
                        (url: base + "/h", secret: "s")
                    },
                    "email": email,
                ], logger: Logger(label: "t"), interval: 3600)
            scheduler.start()
            defer {
                stub.releaseHeld()
                scheduler.stop()
            }
            // Then the e-mail goes out while the webhook is still waiting for its receiver, which
            // answers nothing before the test ends
            #expect(email.handled.wait(timeout: .now() + 5) == .success)
            #expect(email.seen == ["rdv_created:1:u1:mail"])
            #expect(waitFor(timeoutMilliseconds: 5000) { stub.requests.count == 1 })
            // The handler signals before the scheduler records its outcome: wait for the row.
            let statuses = {
                try fetchRows(db, "SELECT kind, status FROM outbox_messages ORDER BY id").map {
                    "\($0["kind"] as String)/\($0["status"] as String)"
                }
            }
            #expect(waitFor(timeoutMilliseconds: 5000) { (try? statuses()) == ["webhook/in_flight", "email/sent"] })
            #expect(try statuses() == ["webhook/in_flight", "email/sent"])
            #expect(stub.requests.count == 1)
        }
    }

    @Test func eachHandlerKindHasItsOwnLane() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(Self.start),
            handlers: [
                "email": RecordingHandler(), "sms": RecordingHandler(), "webhook": RecordingHandler(),
                "reminder": RecordingHandler(),
            ], logger: Logger(label: "t"))
        #expect(scheduler.lanes == [["email"], ["reminder"], ["sms"], ["webhook"]])
    }

    @Test func theDefaultDeadlinesEndBeforeTheLease() {
        let smtp = SMTPConfiguration(host: "smtp.example.fr", port: 587)
        #expect(smtp.deliveryTimeout == 90)
        #expect(smtp.deliveryTimeout < 120)
        #expect(WebhookSender().http.timeout == 10)
    }
}
