import Foundation
import Glibc
import Sockets

/// Why a message was not accepted; `permanent` failures (5xx, configuration) are not retried.
public struct SMTPError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public let permanent: Bool
    /// A configuration the spec declares hopeless (`starttls=required` without STARTTLS offered,
    /// a password that would travel in clear): permanent even before MAIL FROM.
    public let isConfiguration: Bool

    public init(description: String, permanent: Bool, isConfiguration: Bool = false) {
        self.description = description
        self.permanent = permanent
        self.isConfiguration = isConfiguration
    }
}

/// An SMTP client on our sockets (notifications.md §9, RFC 5321): EHLO (HELO on 5xx), STARTTLS
/// (RFC 3207) or implicit TLS (RFC 8314) through OpenSSL, AUTH PLAIN or LOGIN (RFC 4954),
/// MAIL/RCPT/DATA with dot-stuffing, QUIT. One connection per message: the scheduler sends few,
/// and a fresh connection leaves no half-open state to manage.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) { self.configuration = configuration }

    /// Sends `data` (a complete RFC 5322 message) from `sender` to `recipients`.
    public func send(_ data: [UInt8], from sender: String, to recipients: [String]) throws {
        // RFC 5321 §2.3.8: a command line ends at CRLF; a line break (or NUL) in an address would
        // let it add commands of its own (a second RCPT TO, a DATA). Permanent: nothing is sent.
        for address in [sender] + recipients where MailMessage.containsLineBreakOrNUL(address) {
            throw SMTPError(description: "refused: an envelope address contains CR, LF or NUL", permanent: true)
        }
        let deadline = ContinuousClock.now + .milliseconds(Self.milliseconds(configuration.deliveryTimeout))
        let socket = try connect(deadline: deadline)
        defer { socket.close() }
        var session = Session(socket: socket, commandTimeout: configuration.commandTimeout, deadline: deadline)
        defer { session.endTLS() }
        do {
            try open(&session)
            _ = try session.command("MAIL FROM:<\(sender)>", expect: 250)
        } catch let error as SMTPError where error.permanent && !error.isConfiguration {
            // §9.5 makes a 5xx permanent *for that recipient*. A failure up to MAIL FROM (a
            // refused greeting, password or sender, « 530 authentication required », a
            // certificate that fails verification) concerns the whole server: every message would
            // fail at once and for good. It stays transient, so the retries (about 6.5 days)
            // deliver once an administrator fixed the relay.
            throw SMTPError(description: error.description, permanent: false)
        }
        for recipient in recipients {
            _ = try session.command("RCPT TO:<\(recipient)>", expect: 250, alternatives: [251])
        }
        _ = try session.command("DATA", expect: 354)
        try session.write(Self.dotStuffed(data) + Array("\r\n.\r\n".utf8))
        try session.expect(250, context: "end of data")
        _ = try? session.command("QUIT", expect: 221)
    }

    /// TCP connection within `connectTimeout` (and the delivery deadline); then every read and
    /// write waits `commandTimeout` at most, and never past the deadline (``Session``).
    private func connect(deadline: ContinuousClock.Instant) throws -> Socket {
        let address = try Self.resolve(configuration.host, port: configuration.port)
        let socket: Socket
        do {
            let left = try Session.milliseconds(until: deadline)
            socket = try Socket.connect(
                to: address,
                timeoutMilliseconds: Int32(clamping: min(Self.milliseconds(configuration.connectTimeout), left)))
        } catch {
            throw SMTPError(
                description: "cannot connect to \(configuration.host):\(configuration.port): \(error)", permanent: false
            )
        }
        return socket
    }

    static func milliseconds(_ interval: TimeInterval) -> Int { Int((interval * 1000).rounded()) }

    /// §9.1–3: implicit TLS, greeting, EHLO, STARTTLS and EHLO again, AUTH.
    private func open(_ session: inout Session) throws {
        if configuration.implicitTLS {
            try session.startTLS(host: configuration.host, caFile: configuration.caFile)
        }
        try session.expect(220)
        var extensions = try hello(&session)
        if try secure(&session, extensions: extensions) {
            // RFC 3207 §4.2: the server forgets what it said before TLS; ask again.
            extensions = try hello(&session)
        }
        try authenticate(&session, extensions: extensions)
    }

    /// EHLO, or HELO when the server rejects EHLO with a 5xx (RFC 5321 §4.1.4): returns the
    /// extension lines (none after HELO).
    private func hello(_ session: inout Session) throws -> [String] {
        do {
            return Array(try session.command("EHLO \(configuration.helloName)", expect: 250).dropFirst())
        } catch let error as SMTPError where error.permanent {
            _ = try session.command("HELO \(configuration.helloName)", expect: 250)
            return []
        }
    }

    /// STARTTLS when offered and not turned off; `required` without the offer is a permanent
    /// configuration error (retrying the same server cannot help). Returns whether TLS started.
    private func secure(_ session: inout Session, extensions: [String]) throws -> Bool {
        guard !configuration.implicitTLS, configuration.startTLS != .off else { return false }
        guard Self.keywords(extensions).contains("STARTTLS") else {
            guard configuration.startTLS != .required else {
                throw SMTPError(
                    description: "\(configuration.host) does not offer STARTTLS, which starttls=required demands",
                    permanent: true, isConfiguration: true)
            }
            return false
        }
        _ = try session.command("STARTTLS", expect: 220)
        try session.startTLS(host: configuration.host, caFile: configuration.caFile)
        return true
    }

    /// The first word of each EHLO extension line, upper-cased (RFC 5321 §4.1.1.1).
    static func keywords(_ extensions: [String]) -> Set<String> {
        Set(extensions.compactMap { $0.split(separator: " ").first.map { $0.uppercased() } })
    }

    static func resolve(_ host: String, port: UInt16) throws -> SocketAddress {
        if let numeric = try? SocketAddress(host: host, port: port) { return numeric }
        var hints = addrinfo()
        hints.ai_family = AF_INET
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let info = result, let sockaddr = info.pointee.ai_addr
        else {
            throw SMTPError(description: "cannot resolve \(host)", permanent: false)
        }
        defer { freeaddrinfo(result) }
        var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        guard getnameinfo(sockaddr, info.pointee.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0
        else {
            throw SMTPError(description: "cannot resolve \(host)", permanent: false)
        }
        return try SocketAddress(host: text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }, port: port)
    }

    /// RFC 5321 §4.5.2: a line starting with "." gets another "."; line ends become CRLF.
    static func dotStuffed(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + 64)
        var lineStart = true
        var previous: UInt8 = 0
        for byte in data {
            if byte == 0x0A && previous != 0x0D { out.append(0x0D) }
            if lineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            lineStart = byte == 0x0A
            previous = byte
        }
        if out.suffix(2) == [0x0D, 0x0A] { out.removeLast(2) }
        return out
    }
}
