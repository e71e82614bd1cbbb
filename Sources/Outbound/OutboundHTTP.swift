import Foundation
import Glibc
import Sockets

/// A blocking JSON POST for the SMS provider and webhooks, and the geocoder's GET: HTTP/1.1 on our sockets, TLS through
/// OpenSSL (``TLSClientStream``: system CA store, certificate and host name verification, SNI).
/// See docs/decisions/2026-11-25-outbound-http.md and 2026-12-02-outbound-ssrf.md.
///
/// The URLs come from administrators, so the request must not become a way into the machine or
/// its network (SSRF, issue 10 §3): the host is resolved here, once; every address it resolves to
/// must be globally reachable (``OutboundAddress``) unless `allowPrivateAddresses`
/// (`RDV_ALLOW_PRIVATE_WEBHOOKS=1`); the connection goes to the address that was checked, never
/// through a second resolution. The answer's body is read up to 64 KiB, never decompressed.
public struct OutboundHTTP: Sendable {
    public struct Answer: Sendable, Equatable {
        public let status: Int
        /// At most ``bodyLimit`` bytes: the rest is not read.
        public let body: Data
        /// The server had more to send than ``bodyLimit``.
        public let truncated: Bool
        /// The final answer's header fields, names lower-cased, repeated ones joined by ", ".
        public var headers: [String: String] = [:]
    }

    public enum Failure: Error, Equatable {
        case timedOut
        /// Connection refused, DNS, TLS, reset… (never includes the request body).
        case transport(String)
        /// The server redirected; it is not followed (nothing is sent twice, no header leaves the host).
        case redirected(Int)
        /// The URL is not an `http(s)://host…` URL we can POST to.
        case invalidURL(String)
        /// The host resolves to an address we may not reach: permanent, nothing was sent.
        case refused(String)
    }

    /// A whole-exchange deadline: connection, TLS handshake, request and answer (DNS excepted,
    /// see the decision note).
    public let timeout: TimeInterval
    /// `RDV_ALLOW_PRIVATE_WEBHOOKS=1`: loopback, private and link-local targets are allowed (a
    /// receiver on the same network, the tests' stubs).
    public let allowPrivateAddresses: Bool

    /// 64 KiB: more than any provider's JSON answer; a bigger body is cut, not buffered.
    public static let bodyLimit = 64 * 1024
    /// The status line and headers of an answer.
    static let headLimit = 16 * 1024

    /// The most of an answer's body that is read (``bodyLimit`` unless a caller needs pages of
    /// JSON, as `rdv import-api` does).
    public let maxBodyBytes: Int

    public init(timeout: TimeInterval, allowPrivateAddresses: Bool, maxBodyBytes: Int = OutboundHTTP.bodyLimit) {
        self.timeout = timeout
        self.allowPrivateAddresses = allowPrivateAddresses
        self.maxBodyBytes = maxBodyBytes
    }

    public func post(_ url: URL, headers: [(name: String, value: String)], body: Data) throws(Failure) -> Answer {
        try send("POST", url, headers: headers, body: body)
    }

    /// A GET (the geocoder's search): no body, the same guard, deadline and limits.
    public func get(_ url: URL, headers: [(name: String, value: String)] = []) throws(Failure) -> Answer {
        try send("GET", url, headers: headers, body: nil)
    }

    private func send(_ method: String, _ url: URL, headers: [(name: String, value: String)], body: Data?)
        throws(Failure) -> Answer
    {
        let deadline = ContinuousClock.now + .milliseconds(Int64((timeout * 1000).rounded()))
        let target = try Target(url)
        for header in headers where !Self.isSafe(header.name) || !Self.isSafe(header.value) {
            throw .invalidURL("the \(header.name) header contains CR, LF or NUL")
        }
        let addresses = try checkedAddresses(of: target)
        let connection = try Connection.open(to: addresses, target: target, deadline: deadline)
        defer { connection.close() }
        var head = "\(method) \(target.requestPath) HTTP/1.1\r\nHost: \(target.hostHeader)\r\n"
        // Identity only (RFC 9110 §12.5.3): an answer is never a compressed bomb to inflate.
        head += "Accept-Encoding: identity\r\nConnection: close\r\nUser-Agent: rdv\r\n"
        if let body { head += "Content-Length: \(body.count)\r\n" }
        for header in headers { head += "\(header.name): \(header.value)\r\n" }
        try connection.write(Array((head + "\r\n").utf8) + Array(body ?? Data()))
        var reader = AnswerReader(connection: connection, limit: maxBodyBytes)
        let answer = try reader.read()
        if (300..<400).contains(answer.status) { throw .redirected(answer.status) }
        return answer
    }

    private static func isSafe(_ text: String) -> Bool {
        !text.unicodeScalars.contains { $0 == "\r" || $0 == "\n" || $0 == "\u{0}" }
    }

    /// The URL's parts as they go on the wire.
    struct Target {
        let isHTTPS: Bool
        /// The name (or literal, without brackets) to resolve and to verify the certificate against.
        let host: String
        let port: UInt16
        let hostHeader: String
        let requestPath: String

        init(_ url: URL) throws(Failure) {
            guard let parts = URLComponents(url: url, resolvingAgainstBaseURL: false),
                let scheme = parts.scheme?.lowercased(), scheme == "http" || scheme == "https",
                var host = parts.host, !host.isEmpty
            else { throw .invalidURL("not an http(s) URL") }
            // Credentials in the URL would have to travel as Basic auth; not part of the contract.
            guard parts.user == nil, parts.password == nil else { throw .invalidURL("credentials in the URL") }
            if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
            isHTTPS = scheme == "https"
            self.host = host
            guard let port = UInt16(exactly: parts.port ?? (isHTTPS ? 443 : 80)), port > 0 else {
                throw .invalidURL("bad port")
            }
            self.port = port
            let literal = host.contains(":") ? "[\(host)]" : host
            hostHeader = parts.port == nil ? literal : "\(literal):\(port)"
            let path = parts.percentEncodedPath.isEmpty ? "/" : parts.percentEncodedPath
            requestPath = path + (parts.percentEncodedQuery.map { "?" + $0 } ?? "")
        }
    }

    /// The host's addresses (getaddrinfo, numeric literals included), each checked; one refused
    /// address refuses the host: a name that points inside the network is not a receiver.
    func checkedAddresses(of target: Target) throws(Failure) -> [SocketAddress] {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(target.host, nil, &hints, &list)
        guard status == 0 else {
            throw .transport("cannot resolve \(target.host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var addresses: [SocketAddress] = []
        var seen: Set<String> = []
        var entry = list
        while let info = entry?.pointee {
            entry = info.ai_next
            guard let sockaddr = info.ai_addr, info.ai_family == AF_INET || info.ai_family == AF_INET6 else { continue }
            // Printed then parsed back (MemberImportVisibility: see the notifications decision note).
            var text = [CChar](repeating: 0, count: Int(NI_MAXHOST))
            guard getnameinfo(sockaddr, info.ai_addrlen, &text, socklen_t(text.count), nil, 0, NI_NUMERICHOST) == 0
            else { continue }
            let numeric = text.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            guard seen.insert(numeric).inserted else { continue }
            var bytes = [UInt8](repeating: 0, count: 16)
            let count = info.ai_family == AF_INET ? 4 : 16
            // A link-local result carries "%scope"; it is refused below anyway.
            let bare = String(numeric.prefix { $0 != "%" })
            guard inet_pton(info.ai_family, bare, &bytes) == 1 else { continue }
            if !allowPrivateAddresses, let reason = OutboundAddress.refusal(of: Array(bytes.prefix(count))) {
                throw .refused("\(target.host) is \(bare), \(reason)")
            }
            guard let address = try? SocketAddress(host: bare, port: target.port) else { continue }
            addresses.append(address)
        }
        guard !addresses.isEmpty else { throw .transport("cannot resolve \(target.host): no address") }
        return addresses
    }

    /// One connection, plain or TLS, whose every read and write waits until the deadline at most.
    final class Connection {
        let socket: Socket
        let tls: TLSClientStream?
        let deadline: ContinuousClock.Instant

        private init(socket: Socket, tls: TLSClientStream?, deadline: ContinuousClock.Instant) {
            self.socket = socket
            self.tls = tls
            self.deadline = deadline
        }

        /// Tries the checked addresses in order; TLS verifies the certificate against the URL's
        /// host name (and sends it as SNI), not against the address connected to.
        static func open(to addresses: [SocketAddress], target: Target, deadline: ContinuousClock.Instant)
            throws(Failure) -> Connection
        {
            var lastError = "no address"
            for address in addresses {
                let left = try remaining(until: deadline)
                let socket: Socket
                do {
                    socket = try Socket.connect(to: address, timeoutMilliseconds: Int32(clamping: left))
                } catch let error as SocketError where error.errno == ETIMEDOUT {
                    throw .timedOut
                } catch {
                    lastError = "\(error)"
                    continue
                }
                guard target.isHTTPS else { return Connection(socket: socket, tls: nil, deadline: deadline) }
                do {
                    try arm(socket, until: deadline)
                    let tls = try TLSClientStream(socket: socket, host: target.host, caFile: nil)
                    return Connection(socket: socket, tls: tls, deadline: deadline)
                } catch TLSError.timedOut {
                    socket.close()
                    throw .timedOut
                } catch let error as Failure {
                    socket.close()
                    throw error
                } catch {
                    socket.close()
                    throw .transport("\(error)")
                }
            }
            throw .transport(lastError)
        }

        /// Milliseconds left, at least 1; `.timedOut` once the deadline passed.
        static func remaining(until deadline: ContinuousClock.Instant) throws(Failure) -> Int {
            let left = (deadline - ContinuousClock.now).components
            let milliseconds = left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000
            guard milliseconds > 0 else { throw .timedOut }
            return Int(milliseconds)
        }

        /// SO_RCVTIMEO/SO_SNDTIMEO set to what is left: a server that trickles one byte at a
        /// time still cannot outlast the deadline.
        static func arm(_ socket: Socket, until deadline: ContinuousClock.Instant) throws(Failure) {
            let left = try remaining(until: deadline)
            do {
                try socket.setReceiveTimeout(milliseconds: left)
                try socket.setSendTimeout(milliseconds: left)
            } catch {
                throw .transport("\(error)")
            }
        }

        func write(_ bytes: [UInt8]) throws(Failure) {
            try Self.arm(socket, until: deadline)
            do {
                if let tls {
                    try tls.write(bytes)
                    return
                }
                var offset = 0
                while offset < bytes.count {
                    let result = try bytes.withUnsafeBytes { raw in
                        try socket.write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
                    }
                    switch result {
                    case .bytes(let count): offset += count
                    // A blocking socket says "would block" only once SO_SNDTIMEO expired.
                    case .wouldBlock: throw Failure.timedOut
                    case .closed: throw Failure.transport("the server closed the connection while we were sending")
                    }
                }
            } catch TLSError.timedOut {
                throw .timedOut
            } catch let error as Failure {
                throw error
            } catch {
                throw .transport("connection lost while sending: \(error)")
            }
        }

        /// Some bytes into `buffer`, or 0 at the end of the stream.
        func read(into buffer: UnsafeMutableRawBufferPointer) throws(Failure) -> Int {
            try Self.arm(socket, until: deadline)
            if let tls {
                do { return try tls.read(into: buffer) } catch TLSError.closed {
                    return 0
                } catch TLSError.timedOut {
                    throw .timedOut
                } catch {
                    throw .transport("\(error)")
                }
            }
            while true {
                let count = Glibc.recv(socket.fd, buffer.baseAddress, buffer.count, 0)
                if count >= 0 { return count }
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
                throw .transport("connection lost while reading: \(String(cString: strerror(errno)))")
            }
        }

        func close() {
            tls?.close()
            socket.close()
        }
    }

    /// Reads one answer (RFC 9112): interim 1xx answers skipped, then the body by
    /// Content-Length, chunked coding or the end of the connection, up to ``bodyLimit``.
    struct AnswerReader {
        let connection: Connection
        private var buffer: [UInt8] = []
        private var ended = false

        let limit: Int

        init(connection: Connection, limit: Int = OutboundHTTP.bodyLimit) {
            self.connection = connection
            self.limit = limit
        }

        mutating func read() throws(Failure) -> Answer {
            while true {
                let (status, fields) = try readHead()
                // RFC 9110 §15.2: a 1xx is interim, the final answer follows (101 is not asked for).
                if (100..<200).contains(status) && status != 101 { continue }
                // RFC 9112 §6.3: no body after 1xx, 204 or 304.
                if status == 204 || status == 304 || (100..<200).contains(status) {
                    return Answer(status: status, body: Data(), truncated: false, headers: fields)
                }
                let (body, truncated) = try readBody(fields)
                return Answer(status: status, body: Data(body), truncated: truncated, headers: fields)
            }
        }

        /// More bytes into `buffer`; false at the end of the stream.
        private mutating func fill() throws(Failure) -> Bool {
            if ended { return false }
            var chunk = [UInt8](repeating: 0, count: 8192)
            let count: Int
            do {
                count = try chunk.withUnsafeMutableBytes { try connection.read(into: $0) }
            } catch let error as Failure {
                throw error
            } catch {
                throw .transport("\(error)")
            }
            if count == 0 {
                ended = true
                return false
            }
            buffer += chunk[0..<count]
            return true
        }

        private mutating func readLine(limit: Int) throws(Failure) -> String {
            while true {
                if let lf = buffer.firstIndex(of: 0x0A) {
                    let end = lf > 0 && buffer[lf - 1] == 0x0D ? lf - 1 : lf
                    let line = String(decoding: buffer[..<end], as: UTF8.self)
                    buffer.removeSubrange(...lf)
                    return line
                }
                guard buffer.count <= limit else { throw .transport("answer line too long") }
                guard try fill() else { throw .transport("the connection closed before the end of the answer") }
            }
        }

        private mutating func readHead() throws(Failure) -> (Int, [String: String]) {
            let statusLine = try readLine(limit: OutboundHTTP.headLimit)
            let parts = statusLine.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: false)
            guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), parts[1].count == 3, let status = Int(parts[1])
            else { throw .transport("not an HTTP/1.1 answer") }
            var fields: [String: String] = [:]
            var size = statusLine.utf8.count
            while true {
                let line = try readLine(limit: OutboundHTTP.headLimit)
                size += line.utf8.count + 2
                guard size <= OutboundHTTP.headLimit else { throw .transport("answer headers too large") }
                if line.isEmpty { return (status, fields) }
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = line[..<colon].lowercased()
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                fields[name] = fields[name].map { "\($0), \(value)" } ?? value
            }
        }

        private mutating func readBody(_ fields: [String: String]) throws(Failure) -> ([UInt8], Bool) {
            if let coding = fields["transfer-encoding"]?.lowercased(), coding.contains("chunked") {
                var body: [UInt8] = []
                while true {
                    let sizeLine = try readLine(limit: 1024)
                    guard let size = Int(sizeLine.prefix { $0 != ";" }.trimmingCharacters(in: .whitespaces), radix: 16),
                        size >= 0
                    else { throw .transport("malformed chunked answer") }
                    if size == 0 { return (body, false) }
                    // Past the cap, only what fits is kept and nothing more is read.
                    let kept = min(size, limit - body.count)
                    while buffer.count < kept {
                        guard try fill() else { throw .transport("the connection closed inside a chunk") }
                    }
                    body += buffer[..<kept]
                    buffer.removeFirst(kept)
                    if kept < size { return (body, true) }
                    _ = try readLine(limit: 2)  // the CRLF after the chunk data
                }
            }
            if let text = fields["content-length"] {
                guard let length = Int(text), length >= 0 else { throw .transport("bad Content-Length") }
                while buffer.count < min(length, limit) {
                    guard try fill() else { throw .transport("the connection closed inside the body") }
                }
                return (Array(buffer.prefix(min(length, limit))), length > limit)
            }
            // Delimited by the end of the connection (RFC 9112 §6.3 item 8).
            while buffer.count <= limit, try fill() {}
            return (Array(buffer.prefix(limit)), buffer.count > limit)
        }
    }
}
