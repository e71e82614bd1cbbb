import CPosix
import Glibc

/// Readiness interests and results of ``Poller``.
public struct PollEvents: OptionSet, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let readable = PollEvents(rawValue: EPOLLIN.rawValue)
    public static let writable = PollEvents(rawValue: EPOLLOUT.rawValue)
    /// The peer shut down its write side (EPOLLRDHUP).
    public static let readHangup = PollEvents(rawValue: EPOLLRDHUP.rawValue)
    public static let hangup = PollEvents(rawValue: EPOLLHUP.rawValue)
    public static let error = PollEvents(rawValue: EPOLLERR.rawValue)
    /// Wake only one of the pollers sharing this descriptor (for a shared listener).
    public static let exclusive = PollEvents(rawValue: EPOLLEXCLUSIVE.rawValue)
}

/// One readiness event: the token registered with the descriptor and what is ready.
public struct PollEvent: Sendable {
    public let token: UInt64
    public let events: PollEvents
}

/// A level-triggered epoll instance. Owned and used by one thread.
public final class Poller {
    private let epfd: Int32
    private var buffer: [epoll_event]

    public init(maxEvents: Int = 256) throws {
        epfd = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epfd >= 0 else { throw SocketError("epoll_create1") }
        buffer = [epoll_event](repeating: epoll_event(), count: maxEvents)
    }

    deinit { Glibc.close(epfd) }

    public func add(_ fd: Int32, _ events: PollEvents, token: UInt64) throws {
        try control(EPOLL_CTL_ADD, fd, events, token)
    }

    public func modify(_ fd: Int32, _ events: PollEvents, token: UInt64) throws {
        try control(EPOLL_CTL_MOD, fd, events, token)
    }

    public func remove(_ fd: Int32) {
        _ = epoll_ctl(epfd, EPOLL_CTL_DEL, fd, nil)
    }

    private func control(_ op: Int32, _ fd: Int32, _ events: PollEvents, _ token: UInt64) throws {
        var event = epoll_event()
        event.events = events.rawValue
        event.data.u64 = token
        guard epoll_ctl(epfd, op, fd, &event) == 0 else { throw SocketError("epoll_ctl") }
    }

    /// Waits up to `timeoutMilliseconds` (-1: forever) and calls `body` for each ready descriptor.
    public func wait(timeoutMilliseconds: Int32, _ body: (PollEvent) -> Void) throws {
        let count = buffer.withUnsafeMutableBufferPointer {
            epoll_wait(epfd, $0.baseAddress, Int32($0.count), timeoutMilliseconds)
        }
        if count < 0 {
            if errno == EINTR { return }
            throw SocketError("epoll_wait")
        }
        for i in 0..<Int(count) {
            body(PollEvent(token: buffer[i].data.u64, events: PollEvents(rawValue: buffer[i].events)))
        }
    }
}

/// An eventfd another thread can signal to wake a ``Poller``.
public struct Wakeup: Sendable {
    public let fd: Int32

    public init() throws {
        fd = eventfd(0, Int32(EFD_NONBLOCK) | Int32(EFD_CLOEXEC))
        guard fd >= 0 else { throw SocketError("eventfd") }
    }

    /// Safe from any thread; coalesces: many signals before a drain wake the poller once.
    public func signal() {
        var one: UInt64 = 1
        _ = Glibc.write(fd, &one, MemoryLayout<UInt64>.size)
    }

    public func drain() {
        var value: UInt64 = 0
        _ = Glibc.read(fd, &value, MemoryLayout<UInt64>.size)
    }

    public func close() { Glibc.close(fd) }
}
