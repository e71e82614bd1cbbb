import Outbound
import Foundation
import Glibc
import Sockets

extension SMTPClient {
    /// One SMTP conversation: command lines out, replies in (RFC 5321 §4.2), in clear on the
    /// socket or, once ``startTLS(host:caFile:)`` succeeded, through TLS.
    struct Session {
        let socket: Socket
        private(set) var tls: TLSClientStream?
        private var buffer: [UInt8] = []
        let commandTimeout: TimeInterval
        /// The end of the whole delivery (`deliveryTimeout`).
        let deadline: ContinuousClock.Instant

        init(socket: Socket, commandTimeout: TimeInterval, deadline: ContinuousClock.Instant) {
            self.socket = socket
            self.commandTimeout = commandTimeout
            self.deadline = deadline
        }

        /// Milliseconds left before `deadline`; a transient error once it passed.
        static func milliseconds(until deadline: ContinuousClock.Instant) throws -> Int {
            let left = (deadline - ContinuousClock.now).components
            let milliseconds = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
            guard milliseconds > 0 else {
                throw SMTPError(description: "the delivery did not finish within its deadline", permanent: false)
            }
            return Int(milliseconds)
        }

        /// Before each read or write: the socket waits `commandTimeout` at most, and never past
        /// the delivery deadline.
        private func arm() throws {
            let wait = min(SMTPClient.milliseconds(commandTimeout), try Self.milliseconds(until: deadline))
            do {
                try socket.setReceiveTimeout(milliseconds: wait)
                try socket.setSendTimeout(milliseconds: wait)
            } catch {
                throw SMTPError(description: "\(error)", permanent: false)
            }
        }

        /// Handshake with certificate and host name verification. A verification failure is
        /// permanent: retrying cannot make an untrusted or misnamed certificate valid, an
        /// administrator must fix the server or `ca_file`. Other handshake failures are transient.
        mutating func startTLS(host: String, caFile: String?) throws {
            // RFC 3207 §5 (the STARTTLS command-injection bugs): bytes the server sent in clear
            // after its 220 must not be read as replies under TLS.
            guard buffer.isEmpty else {
                throw SMTPError(description: "the server sent data after its STARTTLS reply", permanent: false)
            }
            try arm()
            do {
                tls = try TLSClientStream(socket: socket, host: host, caFile: caFile)
            } catch let error as TLSError {
                switch error {
                case .configuration, .verification: throw SMTPError(description: "\(error)", permanent: true)
                case .failed, .timedOut, .closed: throw SMTPError(description: "\(error)", permanent: false)
                }
            }
        }

        /// Ends TLS politely when it is up; the caller closes the socket.
        func endTLS() { tls?.close() }

        func write(_ bytes: [UInt8]) throws {
            try arm()
            do {
                if let tls { try tls.write(bytes) } else { try socket.writeAll(bytes) }
            } catch {
                throw SMTPError(description: "connection lost while sending: \(error)", permanent: false)
            }
        }

        /// Sends `line`; with `redact`, error messages say "AUTH" instead of the line (credentials).
        mutating func command(_ line: String, expect code: Int, alternatives: [Int] = [], redact: Bool = false) throws
            -> [String]
        {
            try write(Array((line + "\r\n").utf8))
            return try expect(code, alternatives: alternatives, context: redact ? "AUTH" : line)
        }

        /// Reads one reply, `NNN-text` lines continuing and `NNN text` ending it; returns the texts.
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

        private mutating func readLine() throws -> String {
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
                let count = try chunk.withUnsafeMutableBytes { try read(into: $0) }
                buffer.append(contentsOf: chunk[0..<count])
            }
        }

        /// At least one byte; the end of the stream and the command timeout are transient errors.
        private func read(into raw: UnsafeMutableRawBufferPointer) throws -> Int {
            let failure = "the server closed the connection or did not answer in time"
            try arm()
            guard let tls else {
                let count = Glibc.recv(socket.fd, raw.baseAddress, raw.count, 0)
                guard count > 0 else {
                    // A receive timeout armed with the time left: past the deadline, say so.
                    _ = try Self.milliseconds(until: deadline)
                    throw SMTPError(description: failure, permanent: false)
                }
                return count
            }
            do { return try tls.read(into: raw) } catch {
                _ = try Self.milliseconds(until: deadline)
                throw SMTPError(description: "\(failure): \(error)", permanent: false)
            }
        }
    }
}
