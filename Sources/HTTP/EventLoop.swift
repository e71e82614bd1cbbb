import Glibc
import Logging
import Sockets
import Synchronization

/// One I/O thread: an epoll set with the shared listener, its connections and a wakeup eventfd.
///
/// All connection state is confined to the loop's thread; other threads reach it only through
/// ``post(_:)`` (worker completions) and the shared draining flag, both followed by a wakeup.
final class EventLoop: @unchecked Sendable {
    struct Completion: Sendable {
        let connectionID: UInt64
        let response: HTTPResponse
    }

    static let listenerToken: UInt64 = 0
    static let wakeupToken: UInt64 = 1

    let index: Int
    let shared: ServerShared
    let poller: Poller
    let wakeup: Wakeup
    private let inbox = Mutex<[Completion]>([])

    var connections: [UInt64: Connection] = [:]
    private var nextID: UInt64 = 2
    private var requestCounter: UInt64 = 0
    /// One read buffer per loop: idle connections hold no buffer of their own.
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 16)
    var now: UInt64 = Clock.monotonicNanoseconds()
    private var lastSweep: UInt64 = 0
    private var cachedDate = (second: 0, text: "")
    private var acceptPausedUntil: UInt64?
    private var graceDeadline: UInt64?

    var configuration: ServerConfiguration { shared.configuration }
    var logger: Logger { shared.logger }

    init(index: Int, shared: ServerShared) throws {
        self.index = index
        self.shared = shared
        self.poller = try Poller()
        self.wakeup = try Wakeup()
        // EPOLLEXCLUSIVE: a new connection wakes one loop, not all of them.
        try poller.add(shared.listener.fd, [.readable, .exclusive], token: Self.listenerToken)
        try poller.add(wakeup.fd, .readable, token: Self.wakeupToken)
    }

    deinit {
        scratch.deallocate()
        wakeup.close()
    }

    /// Called from worker threads.
    func post(_ completion: Completion) {
        inbox.withLock { $0.append(completion) }
        wakeup.signal()
    }

    /// Called from any thread to make the loop notice the draining flag.
    func nudge() { wakeup.signal() }

    /// The thread body; returns once draining is complete.
    func run() {
        while true {
            do {
                try poller.wait(timeoutMilliseconds: shared.tickMilliseconds) { handle($0) }
            } catch {
                logger.critical("epoll_wait failed", metadata: ["error": "\(error)"])
                break
            }
            now = Clock.monotonicNanoseconds()
            if shared.isDraining && graceDeadline == nil { beginDraining() }
            if now &- lastSweep >= UInt64(shared.tickMilliseconds) * 1_000_000 { sweep() }
            if let graceDeadline, connections.isEmpty || now >= graceDeadline { break }
        }
        for connection in Array(connections.values) { close(connection) }
    }

    private func handle(_ event: PollEvent) {
        switch event.token {
        case Self.listenerToken: acceptConnections()
        case Self.wakeupToken:
            wakeup.drain()
            now = Clock.monotonicNanoseconds()
            for completion in inbox.withLock({ (pending: inout [Completion]) in pending.swap() }) {
                complete(completion)
            }
        default:
            guard let connection = connections[event.token] else { return }
            now = Clock.monotonicNanoseconds()
            handle(event.events, on: connection)
        }
    }

    private func handle(_ events: PollEvents, on connection: Connection) {
        switch connection.phase {
        case .reading:
            readAndProcess(connection)
        case .writing:
            if events.contains(.writable) {
                flush(connection)
            } else if !events.isDisjoint(with: [.hangup, .error]) {
                close(connection)
            }
        case .handling:
            // The peer reset or hung up: no response can reach it. Closing now frees the
            // descriptor and cancels the handler's job if a worker has not taken it yet.
            if !events.isDisjoint(with: [.hangup, .error]) { close(connection) }
        case .lingering:
            linger(connection)
        }
    }

    // MARK: Accepting

    private func acceptConnections() {
        let c = configuration
        if shared.isDraining {
            poller.remove(shared.listener.fd)  // the listener is shut; beginDraining follows
            return
        }
        for _ in 0..<64 {
            let socket: Socket
            do {
                guard let accepted = try shared.listener.accept() else { return }
                socket = accepted
            } catch {
                // Out of descriptors or memory: stop accepting for a moment instead of spinning.
                logger.warning("accept failed, pausing accepts for 100 ms", metadata: ["error": "\(error)"])
                poller.remove(shared.listener.fd)
                acceptPausedUntil = now + 100_000_000
                return
            }
            if shared.isDraining {
                socket.close()
                continue
            }
            let count = shared.connectionCount.add(1, ordering: .relaxed).newValue
            guard count <= c.maxConnections else {
                shared.connectionCount.subtract(1, ordering: .relaxed)
                Self.busyResponse.withUnsafeBytes { _ = try? socket.write($0) }
                socket.close()
                continue
            }
            socket.setNoDelay()
            let connection = Connection(id: nextID, socket: socket, limits: c.parserLimits)
            connection.remoteAddress = socket.peerAddress() ?? ""
            nextID += 1
            connection.headStartedAt = now
            connection.deadline = now + c.headerTimeout.nanoseconds
            connections[connection.id] = connection
            setInterest(connection, [.readable, .readHangup])
        }
    }

    static let busyResponse = Array(
        "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n".utf8)

    // MARK: Bookkeeping

    func setInterest(_ connection: Connection, _ events: PollEvents) {
        do {
            if !connection.registered {
                try poller.add(connection.socket.fd, events, token: connection.id)
                connection.registered = true
            } else if connection.interest != events {
                try poller.modify(connection.socket.fd, events, token: connection.id)
            }
            connection.interest = events
        } catch {
            logger.error("epoll_ctl failed", metadata: ["error": "\(error)"])
            close(connection)
        }
    }

    func close(_ connection: Connection) {
        guard connections.removeValue(forKey: connection.id) != nil else { return }
        connection.job?.cancel()
        connection.job = nil
        releaseBody(of: connection)
        if connection.registered { poller.remove(connection.socket.fd) }
        connection.socket.close()
        shared.connectionCount.subtract(1, ordering: .relaxed)
    }

    func nextRequestID() -> String {
        requestCounter += 1
        return "\(index)-\(String(requestCounter, radix: 16))"
    }

    func httpDate() -> String {
        let second = Clock.wallSeconds()
        if second != cachedDate.second { cachedDate = (second, HTTPDate.format(secondsSinceEpoch: second)) }
        return cachedDate.text
    }

    // MARK: Deadlines and shutdown

    private func sweep() {
        lastSweep = now
        if let until = acceptPausedUntil, now >= until, !shared.isDraining {
            acceptPausedUntil = nil
            try? poller.add(shared.listener.fd, [.readable, .exclusive], token: Self.listenerToken)
        }
        let expired = connections.values.filter { $0.deadline <= now }
        for connection in expired {
            switch connection.phase {
            case .reading where connection.parser.isMidRequest:
                // RFC 9110 §15.5.9: 408 for a request that did not arrive in time.
                refuse(connection, status: .requestTimeout, reason: "timeout")
            case .reading, .writing, .lingering:
                close(connection)
            case .handling:
                break
            }
        }
    }

    private func beginDraining() {
        graceDeadline = now + configuration.shutdownGracePeriod.nanoseconds
        poller.remove(shared.listener.fd)
        for connection in Array(connections.values) {
            switch connection.phase {
            case .reading where !connection.parser.isMidRequest: close(connection)
            case .lingering: close(connection)
            default: connection.closeAfterResponse = true
            }
        }
    }
}

extension Array {
    /// Returns the contents and leaves the array empty.
    fileprivate mutating func swap() -> [Element] {
        let contents = self
        self = []
        return contents
    }
}
