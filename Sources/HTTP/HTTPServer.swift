import Foundation
import Logging
import Sockets
import Synchronization

/// An HTTP/1.1 server: one listener, ``ServerConfiguration/eventLoopCount`` I/O threads and a
/// pool of handler threads. See docs/decisions/2026-11-25-http-server-design.md.
public final class HTTPServer: Sendable {
    private let shared: ServerShared
    private let loops: [EventLoop]
    private let stopped = DispatchGroup()
    /// Monotonic instant at which the grace period of a shutdown ends (0 before ``shutdown()``).
    private let graceEndsAt = Atomic<UInt64>(0)
    /// The bound port (the kernel's choice when the configuration asked for 0).
    public let port: UInt16

    /// Binds the listening socket; requests are served once ``start()`` is called.
    public init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger) throws {
        let address = try SocketAddress(host: configuration.host, port: configuration.port)
        let listener = try Socket.listen(on: address)
        do {
            port = try listener.localPort()
            let shared = ServerShared(
                configuration: configuration, responder: responder, logger: logger, listener: listener)
            let count = max(1, configuration.eventLoopCount)
            loops = try (0..<count).map { try EventLoop(index: $0, shared: shared) }
            self.shared = shared
        } catch {
            listener.close()
            throw error
        }
    }

    /// Starts the I/O threads.
    public func start() {
        for loop in loops {
            stopped.enter()
            let thread = Thread { [stopped] in
                loop.run()
                stopped.leave()
            }
            thread.name = "rdv-io-\(loop.index)"
            thread.start()
        }
    }

    /// Begins a graceful shutdown: stop accepting, close idle connections, let requests in flight
    /// finish within the grace period. Returns at once; see ``waitUntilStopped()``.
    public func shutdown() {
        guard !shared.draining.exchange(true, ordering: .acquiringAndReleasing) else { return }
        graceEndsAt.store(
            Clock.monotonicNanoseconds() + shared.configuration.shutdownGracePeriod.nanoseconds, ordering: .releasing)
        // On Linux, shutdown(2) of a listening socket stops it: queued and new connection
        // attempts are refused at once, instead of waiting in the backlog until we exit.
        shared.listener.shutdownReadWrite()
        for loop in loops { loop.nudge() }
    }

    /// Blocks until every I/O thread has finished draining, then releases the listener and workers.
    /// The whole wait ends with the grace period: the loops close what is still busy then, jobs
    /// still queued are dropped, and a handler still running (blocked on a locked database, say)
    /// is left to finish on its own thread rather than holding up the exit.
    public func waitUntilStopped() {
        stopped.wait()
        shared.listener.close()
        let now = Clock.monotonicNanoseconds()
        let end = graceEndsAt.load(ordering: .acquiring)
        let remaining = end > now ? end - now : 0
        if !shared.workers.stop(waitingAtMost: .nanoseconds(Int64(min(remaining, UInt64(Int64.max))))) {
            shared.logger.warning("handlers still running at the end of the shutdown grace period")
        }
    }

    /// Request body bytes currently reserved against ``ServerConfiguration/maxBodyBytesInFlight``.
    public var bodyBytesInFlight: Int { shared.bodyBytesInFlight.load(ordering: .relaxed) }

    /// Open connections across all loops (for tests and metrics).
    public var connectionCount: Int { shared.connectionCount.load(ordering: .relaxed) }
}
