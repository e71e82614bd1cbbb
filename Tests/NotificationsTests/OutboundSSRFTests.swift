import Domain
import Foundation
import GRDB
import Glibc
import HTTP
import Logging
@_spi(RawDatabase) import Persistence
import Sockets
import Testing

@testable import Notifications
@testable import Outbound

/// Issue 10 §3: outbound POSTs (webhooks, the `http_json` SMS provider) never reach loopback,
/// private, link-local or reserved addresses unless `RDV_ALLOW_PRIVATE_WEBHOOKS=1`, and never read
/// more than 64 KiB of an answer.
@Suite("Outbound HTTP: SSRF and answer size", .serialized)
struct OutboundSSRFTests {
    let refusing = WebhookSender(timeout: 5, allowPrivateAddresses: false)

    func failure(_ body: () throws -> Void) -> WebhookSender.Failure? {
        do {
            try body()
            return nil
        } catch {
            return error as? WebhookSender.Failure
        }
    }

    @Test func aWebhookToLoopbackIsRefusedAndTheStubReceivesNothing() throws {
        try withStubServer([]) { base, stub in
            let error = failure { try refusing.send(body: "{}", to: base + "/h", secret: "s") }
            #expect(
                error
                    == WebhookSender.Failure(
                        description: "refused: 127.0.0.1 is 127.0.0.1, a loopback address (127.0.0.0/8, RFC 1122)",
                        permanent: true))
            #expect(stub.requests.isEmpty)
        }
        // Not even a TCP connection: the listener's accept queue stays empty.
        let listener = try Socket.listen(on: try SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        let port = try listener.localPort()
        #expect(failure { try refusing.send(body: "{}", to: "http://127.0.0.1:\(port)/h", secret: "s") }?.permanent == true)
        #expect(try listener.accept() == nil)
    }

    @Test(arguments: [
        ("http://10.0.0.1/h", "10.0.0.1 is 10.0.0.1, a private address (10.0.0.0/8, RFC 1918)"),
        (
            "http://169.254.169.254/latest/meta-data/",
            "169.254.169.254 is 169.254.169.254, a link-local address (169.254.0.0/16, RFC 3927)"
        ),
        ("http://[::1]:8080/h", "::1 is ::1, the loopback address (::1, RFC 4291)"),
        (
            "https://[::ffff:192.168.1.1]/h",
            "::ffff:192.168.1.1 is ::ffff:192.168.1.1, an IPv4-mapped address of a private address (192.168.0.0/16, RFC 1918)"
        ),
        ("http://100.64.0.1/h", "100.64.0.1 is 100.64.0.1, a shared CGNAT address (100.64.0.0/10, RFC 6598)"),
        ("http://0.0.0.0:80/h", "0.0.0.0 is 0.0.0.0, a \"this network\" address (0.0.0.0/8, RFC 791)"),
        ("http://[fd00::1]/h", "fd00::1 is fd00::1, a unique local address (fc00::/7, RFC 4193)"),
    ])
    func privateTargetsAreRefusedWithoutAConnection(url: String, reason: String) {
        let started = ContinuousClock.now
        let error = failure { try refusing.send(body: "{}", to: url, secret: "s") }
        #expect(error == WebhookSender.Failure(description: "refused: \(reason)", permanent: true))
        // A connection attempt to 10.0.0.1 would wait for the 5 s timeout.
        #expect(ContinuousClock.now - started < .seconds(2))
    }

    @Test func aNameThatResolvesToLoopbackIsRefused() {
        let error = failure { try refusing.send(body: "{}", to: "http://localhost:9/h", secret: "s") }
        #expect(error?.permanent == true)
        #expect(error?.description.hasPrefix("refused: localhost is ") == true)
    }

    @Test(arguments: [
        "8.8.8.8", "1.1.1.1", "193.51.24.1", "172.32.0.1", "100.128.0.1", "2001:4860:4860::8888", "2a01:e0a::1",
        "::ffff:8.8.8.8",
    ])
    func publicAddressesAreAllowed(address: String) throws {
        #expect(OutboundAddress.refusal(of: try bytes(address)) == nil)
    }

    @Test(arguments: [
        "127.0.0.1", "127.255.255.254", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1", "169.254.169.254",
        "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1", "239.255.255.250", "255.255.255.255", "240.0.0.1",
        "192.0.2.1", "198.18.0.1", "::", "::1", "fc00::1", "fdff::1", "fe80::1", "febf::1", "fec0::1", "ff02::1",
        "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "64:ff9b::a00:1", "2002:a00:1::1",
        "2001:db8::1", "::10.0.0.1", "100::1",
    ])
    func specialAddressesAreRefused(address: String) throws {
        #expect(OutboundAddress.refusal(of: try bytes(address)) != nil)
    }

    func bytes(_ address: String) throws -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: 16)
        if inet_pton(AF_INET, address, &buffer) == 1 { return Array(buffer.prefix(4)) }
        try #require(inet_pton(AF_INET6, address, &buffer) == 1)
        return buffer
    }

    @Test func aRefusedWebhookFailsPermanentlyWithAReceipt() throws {
        let (db, directory) = try makeTestDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let start = Date(timeIntervalSince1970: 1_764_061_200)
        try db.writer.write { db in
            try db.execute(sql: "INSERT INTO territories (id, name) VALUES (1, 'Pas-de-Calais')")
            try db.execute(sql: "INSERT INTO organisations (id, territory_id, name) VALUES (1, 1, 'MDS Arras')")
            try db.execute(
                sql: "INSERT INTO webhook_endpoints (id, organisation_id, target_url, secret) VALUES (7, 1, ?, 's')",
                arguments: ["http://169.254.169.254/latest"])
        }
        try db.planWebhookDelivery(
            WebhookPayload(endpointID: 7, body: "{}"), key: "webhook:7:e1", orderingKey: "webhook:7:Rdv:1", dueAt: start)
        let scheduler = OutboxScheduler(
            db: db, clock: ManualClock(start),
            handlers: [
                "webhook": WebhookHandler(sender: refusing) { _ in (url: "http://169.254.169.254/latest", secret: "s") }
            ], logger: Logger(label: "t"))
        #expect(try scheduler.runOnce() == 1)
        let reason =
            "refused: 169.254.169.254 is 169.254.169.254, a link-local address (169.254.0.0/16, RFC 3927)"
        #expect(
            try fetchRows(db, "SELECT status, attempts, last_error FROM outbox_messages").map {
                "\($0["status"] as String)/\($0["attempts"] as Int)/\($0["last_error"] as String)"
            } == ["failed/1/\(reason)"])
        #expect(try fetchRows(db, "SELECT error_message FROM receipts").map { $0["error_message"] as String } == [reason])
    }

    @Test func anSMSProviderOnAPrivateAddressIsAPermanentError() throws {
        let provider = HTTPJSONSMSProvider(
            url: URL(string: "http://192.168.1.10/sms")!, apiKey: "k", sender: "RDV", allowPrivateAddresses: false)
        #expect(throws: SMSError.permanent("refused: 192.168.1.10 is 192.168.1.10, a private address (192.168.0.0/16, RFC 1918)")) {
            try provider.send(to: "+33612345678", text: "x", tag: "t", idempotencyKey: "k")
        }
    }

    @Test func aBigAnswerIsCutAt64KiBAndNoCompressionIsAskedFor() throws {
        let big = String(repeating: "a", count: 200_000)
        try withStubServer([.status(200, body: big)]) { base, stub in
            let answer = try OutboundHTTP(timeout: 5, allowPrivateAddresses: true).post(
                URL(string: base + "/h")!, headers: [], body: Data("{}".utf8))
            #expect(answer.status == 200)
            #expect(answer.body == Data(big.utf8.prefix(65536)))
            #expect(answer.truncated)
            #expect(stub.requests.first?.headers["Accept-Encoding"] == "identity")
        }
    }

    /// A server that never stops sending (chunked, or delimited by the close): the client stops
    /// reading at 64 KiB instead of buffering it all or waiting for the end.
    @Test(arguments: [true, false])
    func anEndlessAnswerIsCutAt64KiB(chunked: Bool) throws {
        let server = try EndlessServer(chunked: chunked)
        defer { server.stop() }
        let answer = try OutboundHTTP(timeout: 5, allowPrivateAddresses: true).post(
            URL(string: "http://127.0.0.1:\(server.port)/h")!, headers: [], body: Data())
        #expect(answer.status == 200)
        #expect(answer.body == Data(repeating: UInt8(ascii: "z"), count: 65536))
        #expect(answer.truncated)
    }

    @Test func aHeaderWithALineBreakIsNotSent() throws {
        try withStubServer([]) { base, stub in
            #expect(throws: OutboundHTTP.Failure.invalidURL("the api-key header contains CR, LF or NUL")) {
                try OutboundHTTP(timeout: 5, allowPrivateAddresses: true).post(
                    URL(string: base + "/h")!, headers: [("api-key", "k\r\nX-Evil: 1")], body: Data())
            }
            #expect(stub.requests.isEmpty)
        }
    }
}

/// Answers one request with 200 and an endless body of "z", until the client hangs up.
final class EndlessServer: @unchecked Sendable {
    let listener: Socket
    let port: UInt16
    private let done = DispatchSemaphore(value: 0)

    init(chunked: Bool) throws {
        listener = try Socket.listen(on: try SocketAddress(host: "127.0.0.1", port: 0))
        port = try listener.localPort()
        let listener = listener
        let done = done
        Thread {
            defer { done.signal() }
            var descriptor = pollfd(fd: listener.fd, events: Int16(POLLIN), revents: 0)
            guard poll(&descriptor, 1, 5000) == 1, let client = try? listener.accept() else { return }
            defer { client.close() }
            _ = fcntl(client.fd, F_SETFL, fcntl(client.fd, F_GETFL) & ~O_NONBLOCK)
            try? client.setSendTimeout(milliseconds: 5000)
            var request = [UInt8](repeating: 0, count: 4096)
            _ = recv(client.fd, &request, request.count, 0)
            let head = "HTTP/1.1 200 OK\r\n" + (chunked ? "Transfer-Encoding: chunked\r\n" : "Connection: close\r\n") + "\r\n"
            guard (try? client.writeAll(Array(head.utf8))) != nil else { return }
            let data = [UInt8](repeating: UInt8(ascii: "z"), count: 4096)
            let chunk = chunked ? Array("1000\r\n".utf8) + data + Array("\r\n".utf8) : data
            // 100 MiB at most, in case the client kept reading; it stops at 64 KiB and closes.
            for _ in 0..<25_600 {
                guard (try? client.writeAll(chunk)) != nil else { return }
            }
        }.start()
    }

    func stop() {
        done.wait()
        listener.close()
    }
}
