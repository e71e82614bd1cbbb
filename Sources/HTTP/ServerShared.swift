import Logging
import Sockets
import Synchronization

/// What all event loops of one server share; immutable but for the two atomics.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let logger: Logger
    let listener: Socket
    let workers: WorkerPool
    let connectionCount = Atomic<Int>(0)
    let draining = Atomic<Bool>(false)
    /// Request body bytes reserved by all connections, against ``ServerConfiguration/maxBodyBytesInFlight``.
    let bodyBytesInFlight = Atomic<Int>(0)
    /// How often deadlines are checked: an eighth of the shortest one, between 5 ms and 250 ms.
    let tickMilliseconds: Int32

    init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: Logger, listener: Socket) {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        self.listener = listener
        self.workers = WorkerPool(threads: configuration.workerCount, name: "rdv-worker")
        let c = configuration
        let shortest = [c.headerTimeout, c.bodyTimeout, c.idleTimeout, c.writeTimeout, c.lingerTimeout].min()!
        let eighth = Int(shortest.nanoseconds / 8 / 1_000_000)
        tickMilliseconds = Int32(min(250, max(5, eighth)))
    }

    var isDraining: Bool { draining.load(ordering: .acquiring) }

    /// Takes `bytes` from the body budget if they fit in what is left.
    func reserveBodyBytes(_ bytes: Int) -> Bool {
        var current = bodyBytesInFlight.load(ordering: .relaxed)
        while true {
            guard bytes <= configuration.maxBodyBytesInFlight - current else { return false }
            let (exchanged, original) = bodyBytesInFlight.compareExchange(
                expected: current, desired: current + bytes, ordering: .relaxed)
            if exchanged { return true }
            current = original
        }
    }

    func releaseBodyBytes(_ bytes: Int) {
        if bytes > 0 { bodyBytesInFlight.subtract(bytes, ordering: .relaxed) }
    }
}
