import Foundation
import Glibc
import Sockets

/// Why a message was not accepted; `permanent` failures (5xx) are not retried.
public struct SMTPError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public let permanent: Bool

    public init(description: String, permanent: Bool) {
        self.description = description
        self.permanent = permanent
    }
}

/// A plain SMTP client on our sockets (RFC 5321): EHLO, AUTH PLAIN (RFC 4616), MAIL/RCPT/DATA
/// with dot-stuffing, QUIT. One connection per message: the scheduler sends few, and a fresh
/// connection leaves no half-open state to manage.
public struct SMTPClient: Sendable {
    public let configuration: SMTPConfiguration

    public init(configuration: SMTPConfiguration) { self.configuration = configuration }

    /// Sends `data` (a complete RFC 5322 message) from `sender` to `recipients`.
    public func send(_ data: [UInt8], from sender: String, to recipients: [String]) throws {
        let address = try Self.resolve(configuration.host, port: configuration.port)
        let socket: Socket
        do { socket = try Socket.connect(to: address) } catch {
            throw SMTPError(
                description: "cannot connect to \(configuration.host):\(configuration.port): \(error)", permanent: false
            )
        }
        defer { socket.close() }
        try? socket.setReceiveTimeout(milliseconds: Int(configuration.timeout * 1000))
        var session = Session(socket: socket)
        try session.expect(220)
        let extensions = try session.command("EHLO \(configuration.helloName)", expect: 250)
        let offersTLS = extensions.contains { $0.uppercased().hasPrefix("STARTTLS") }
        if configuration.startTLS == .required {
            // STARTTLS through OpenSSL is not wired yet: refuse rather than send in clear.
            throw SMTPError(
                description: offersTLS
                    ? "STARTTLS is required but not supported by this build" : "the server does not offer STARTTLS",
                permanent: true)
        }
        if let user = configuration.username, let password = configuration.password {
            let token = Data(([0] + Array(user.utf8) + [0] + Array(password.utf8))).base64EncodedString()
            _ = try session.command("AUTH PLAIN \(token)", expect: 235, redact: true)
        }
        _ = try session.command("MAIL FROM:<\(sender)>", expect: 250)
        for recipient in recipients {
            _ = try session.command("RCPT TO:<\(recipient)>", expect: 250, alternatives: [251])
        }
        _ = try session.command("DATA", expect: 354)
        try session.write(Self.dotStuffed(data) + Array("\r\n.\r\n".utf8))
        try session.expect(250)
        _ = try? session.command("QUIT", expect: 221)
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
        let v4 = sockaddr.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee }
        var text = [CChar](repeating: 0, count: Int(INET_ADDRSTRLEN))
        var address = v4.sin_addr
        inet_ntop(AF_INET, &address, &text, socklen_t(text.count))
        return try SocketAddress(
            host: String(decoding: text.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), port: port)
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

    /// Reply reading: `NNN-text` continues, `NNN text` ends (RFC 5321 §4.2).
    struct Session {
        let socket: Socket
        var buffer: [UInt8] = []

        init(socket: Socket) { self.socket = socket }

        func write(_ bytes: [UInt8]) throws {
            do { try socket.writeAll(bytes) } catch {
                throw SMTPError(description: "connection lost while sending", permanent: false)
            }
        }

        mutating func command(_ line: String, expect code: Int, alternatives: [Int] = [], redact: Bool = false) throws
            -> [String]
        {
            try write(Array((line + "\r\n").utf8))
            return try expect(code, alternatives: alternatives, context: redact ? "AUTH" : line)
        }

        @discardableResult
        mutating func expect(_ code: Int, alternatives: [Int] = [], context: String = "greeting") throws -> [String] {
            var lines: [String] = []
            while true {
                let line = try readLine()
                guard line.count >= 3, let reply = Int(line.prefix(3)) else {
                    throw SMTPError(description: "malformed reply to \(context): \(line)", permanent: false)
                }
                lines.append(String(line.dropFirst(4)))
                if line.count == 3 || line[line.index(line.startIndex, offsetBy: 3)] == " " {
                    guard reply == code || alternatives.contains(reply) else {
                        throw SMTPError(description: "\(context): \(line)", permanent: (500..<600).contains(reply))
                    }
                    return lines
                }
            }
        }

        mutating func readLine() throws -> String {
            while true {
                if let lf = buffer.firstIndex(of: 0x0A) {
                    let end = lf > 0 && buffer[lf - 1] == 0x0D ? lf - 1 : lf
                    let line = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeSubrange(...lf)
                    return line
                }
                guard buffer.count < 65536 else {
                    throw SMTPError(description: "reply line too long", permanent: false)
                }
                var chunk = [UInt8](repeating: 0, count: 4096)
                let n = chunk.withUnsafeMutableBytes { Glibc.recv(socket.fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else {
                    throw SMTPError(description: "the server closed the connection or timed out", permanent: false)
                }
                buffer.append(contentsOf: chunk[0..<n])
            }
        }
    }
}
