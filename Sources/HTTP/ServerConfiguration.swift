import Glibc

/// Every limit and deadline of the server in one value; the defaults are documented in
/// docs/decisions/2026-11-25-http-server-design.md.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the kernel for a free port (tests); ``HTTPServer/port`` tells which.
    public var port: UInt16 = 8080
    public var parserLimits = HTTPParserLimits()
    /// Open connections beyond which new ones get a 503 and are closed. Each costs one file
    /// descriptor; `rdv serve` raises its descriptor limit to the hard limit at start.
    public var maxConnections = 16_000
    /// The whole request head must arrive within this time of its first byte (or of the
    /// connection's opening): slow-header ("slowloris") clients are cut off with 408.
    public var headerTimeout: Duration = .seconds(10)
    /// Longest pause between two reads of a request body before 408.
    public var bodyTimeout: Duration = .seconds(30)
    /// Slowest body accepted, in bytes per second: the whole body must arrive within
    /// max(``bodyTimeout``, size / this rate) of its head (of the announced limit when chunked),
    /// so a client trickling bytes cannot hold a connection and its buffer forever. 32 KiB/s is a
    /// poor mobile link; 1 MiB gets 32 s. 0 turns the total deadline off.
    public var minimumBodyBytesPerSecond = 32 * 1024
    /// Request body bytes all connections together may hold in memory. A request whose declared
    /// Content-Length (or chunked body so far) does not fit in what is left gets 503 with
    /// `Retry-After` and a close; a request's share is returned when its response is written or
    /// its connection closes.
    public var maxBodyBytesInFlight = 64 * 1024 * 1024
    /// Secrets removed from the paths written to the access log.
    public var accessLogRedaction = AccessLogRedaction()
    /// How long a keep-alive connection may stay idle between requests.
    public var idleTimeout: Duration = .seconds(60)
    /// Longest pause in writing a response (the client does not read) before the connection is dropped.
    public var writeTimeout: Duration = .seconds(30)
    /// After a refusal, how long unread request bytes are drained before closing, so the client
    /// reads the error response instead of a reset (lingering close).
    public var lingerTimeout: Duration = .seconds(2)
    /// On shutdown, how long in-flight requests may take before their connections are closed.
    public var shutdownGracePeriod: Duration = .seconds(10)
    /// I/O threads, each with its own epoll set; defaults to the number of cores.
    public var eventLoopCount = max(1, System.activeProcessorCount)
    /// Threads that run handlers, which may block on SQLite; bounds concurrent handler work.
    public var workerCount = 16
    public var serverName = "rdv"

    public init() {}
}

/// Small system facts, without Foundation.
public enum System {
    public static var activeProcessorCount: Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

extension Duration {
    var nanoseconds: UInt64 {
        let (seconds, attoseconds) = components
        return UInt64(max(0, seconds)) * 1_000_000_000 + UInt64(max(0, attoseconds) / 1_000_000_000)
    }
}
