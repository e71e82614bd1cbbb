import CPosix
import Glibc

/// The outcome of a non-blocking read or write.
public enum IOResult: Sendable, Equatable {
    /// This many bytes were transferred (never 0).
    case bytes(Int)
    /// The kernel buffer is empty (read) or full (write): wait for readiness.
    case wouldBlock
    /// The peer closed (read returned 0) or reset the connection.
    case closed
}

/// A socket file descriptor with one method per system call.
///
/// A value type on purpose: the owner (listener or connection) decides when to ``close()``.
public struct Socket: Sendable, Hashable {
    public let fd: Int32

    public init(fd: Int32) { self.fd = fd }

    /// Creates a non-blocking listening socket bound to `address`.
    public static func listen(on address: SocketAddress, backlog: Int32 = SOMAXCONN) throws -> Socket {
        let fd = Glibc.socket(
            address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            0)
        guard fd >= 0 else { throw SocketError("socket") }
        let socket = Socket(fd: fd)
        do {
            try socket.setOption(SOL_SOCKET, SO_REUSEADDR, 1)
            let rc = address.withSockaddr { Glibc.bind(fd, $0, $1) }
            guard rc == 0 else { throw SocketError("bind(\(address))") }
            guard Glibc.listen(fd, backlog) == 0 else { throw SocketError("listen") }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Opens a blocking client connection (tests, tools and the SMTP client, not the server).
    ///
    /// With a timeout, the connection is started non-blocking and awaited with `poll` (the
    /// `EINPROGRESS` path of connect(2)), so an unreachable host fails after `timeoutMilliseconds`
    /// with `ETIMEDOUT` instead of the kernel's minutes of SYN retries; -1 waits as long as the kernel.
    public static func connect(to address: SocketAddress, timeoutMilliseconds: Int32 = -1) throws -> Socket {
        let fd = Glibc.socket(
            address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue),
            0)
        guard fd >= 0 else { throw SocketError("socket") }
        let socket = Socket(fd: fd)
        do {
            if address.withSockaddr({ Glibc.connect(fd, $0, $1) }) != 0 {
                guard errno == EINPROGRESS else { throw SocketError("connect(\(address))") }
                try socket.awaitConnection(to: address, timeoutMilliseconds: timeoutMilliseconds)
            }
            guard fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) == 0 else { throw SocketError("fcntl") }
        } catch {
            socket.close()
            throw error
        }
        return socket
    }

    /// Waits until a non-blocking connect completes, then reads its outcome from `SO_ERROR`.
    private func awaitConnection(to address: SocketAddress, timeoutMilliseconds: Int32) throws {
        let deadline = ContinuousClock.now + .milliseconds(timeoutMilliseconds)
        var descriptor = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
        while true {
            var wait = timeoutMilliseconds
            if timeoutMilliseconds >= 0 {
                let left = (deadline - ContinuousClock.now).components
                wait = Int32(clamping: max(0, left.seconds * 1000 + left.attoseconds / 1_000_000_000_000_000))
            }
            let ready = Glibc.poll(&descriptor, 1, wait)
            if ready > 0 { break }
            if ready == 0 { throw SocketError("connect(\(address))", errno: ETIMEDOUT) }
            guard errno == EINTR else { throw SocketError("poll") }
        }
        var failure: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &failure, &length) == 0 else { throw SocketError("getsockopt") }
        guard failure == 0 else { throw SocketError("connect(\(address))", errno: failure) }
    }

    /// Accepts one pending connection as a non-blocking socket, or returns nil when none is pending.
    /// Throws for resource exhaustion (EMFILE, ENFILE, ENOBUFS, ENOMEM), which the caller must handle.
    public func accept() throws -> Socket? {
        while true {
            let client = cposix_accept4(fd, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            if client >= 0 { return Socket(fd: client) }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue  // accept(2): retry on a connection that died in the queue
            case EAGAIN, EWOULDBLOCK: return nil
            default: throw SocketError("accept4")
            }
        }
    }

    /// Reads at most `buffer.count` bytes.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> IOResult {
        while true {
            let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
            if n > 0 { return .bytes(n) }
            if n == 0 { return .closed }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET, ENOTCONN, ETIMEDOUT, EPIPE: return .closed
            default: throw SocketError("read")
            }
        }
    }

    /// Writes at most `buffer.count` bytes; never raises SIGPIPE (MSG_NOSIGNAL).
    public func write(_ buffer: UnsafeRawBufferPointer) throws -> IOResult {
        guard buffer.count > 0 else { return .bytes(0) }
        while true {
            let n = Glibc.send(fd, buffer.baseAddress, buffer.count, Int32(MSG_NOSIGNAL))
            if n >= 0 { return .bytes(n) }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EPIPE, ECONNRESET, ENOTCONN, ETIMEDOUT: return .closed
            default: throw SocketError("send")
            }
        }
    }

    /// Writes all of `bytes`, blocking; for blocking client sockets in tests and tools.
    public func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let result = try bytes.withUnsafeBytes { (raw) throws -> IOResult in
                try write(UnsafeRawBufferPointer(rebasing: raw[offset...]))
            }
            guard case .bytes(let n) = result else { throw SocketError("send", errno: EPIPE) }
            offset += n
        }
    }

    public func setOption(_ level: Int32, _ name: Int32, _ value: Int32) throws {
        var value = value
        guard setsockopt(fd, level, name, &value, socklen_t(MemoryLayout<Int32>.size)) == 0 else {
            throw SocketError("setsockopt(\(name))")
        }
    }

    /// Disables Nagle's algorithm: responses are written whole, so delaying them only adds latency.
    public func setNoDelay() {
        try? setOption(Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Sets a receive timeout on a blocking socket: a read waiting longer fails with `EAGAIN`.
    public func setReceiveTimeout(milliseconds: Int) throws {
        try setTimeout(SO_RCVTIMEO, "SO_RCVTIMEO", milliseconds: milliseconds)
    }

    /// Sets a send timeout on a blocking socket: a write blocked longer on a full buffer fails with `EAGAIN`.
    public func setSendTimeout(milliseconds: Int) throws {
        try setTimeout(SO_SNDTIMEO, "SO_SNDTIMEO", milliseconds: milliseconds)
    }

    private func setTimeout(_ option: Int32, _ name: String, milliseconds: Int) throws {
        var tv = timeval(tv_sec: milliseconds / 1000, tv_usec: (milliseconds % 1000) * 1000)
        guard setsockopt(fd, SOL_SOCKET, option, &tv, socklen_t(MemoryLayout<timeval>.size)) == 0 else {
            throw SocketError("setsockopt(\(name))")
        }
    }

    /// The port the socket is bound to (useful after binding port 0).
    public func localPort() throws -> UInt16 {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard rc == 0 else { throw SocketError("getsockname") }
        return withUnsafePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { UInt16(bigEndian: $0.pointee.sin_port) }
        }
    }

    /// The numeric address of the peer (`127.0.0.1`, `::1`), or nil if unknown.
    public func peerAddress() -> String? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let rc = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getpeername(fd, $0, &length) }
        }
        guard rc == 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
        let family = Int32(storage.ss_family)
        let ok: Bool = withUnsafePointer(to: &storage) { pointer in
            if family == AF_INET {
                return pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) {
                    var address = $0.pointee.sin_addr
                    return inet_ntop(AF_INET, &address, &buffer, socklen_t(buffer.count)) != nil
                }
            }
            return pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) {
                var address = $0.pointee.sin6_addr
                return inet_ntop(AF_INET6, &address, &buffer, socklen_t(buffer.count)) != nil
            }
        }
        guard ok else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Half-closes the write side: the peer reads end-of-file after the data already sent.
    public func shutdownWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_WR))
    }

    /// Shuts both directions; on a listening socket this stops accepting.
    public func shutdownReadWrite() {
        _ = Glibc.shutdown(fd, Int32(SHUT_RDWR))
    }

    public func close() {
        // close(2): never retry on EINTR on Linux, the descriptor is released either way.
        _ = Glibc.close(fd)
    }
}
