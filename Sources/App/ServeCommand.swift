import ArgumentParser
import CPosix
import Exports
import Foundation
import HTTP
import Logging
import Notifications
import Persistence
import Web

/// `rdv serve [--host 127.0.0.1] [--port 8080]`: serves HTTP until SIGTERM or SIGINT, then drains
/// requests in flight and exits 0.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Serve HTTP.")

    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (env RDV_PORT, default 8080).")
    var port: UInt16?

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Do not run the notification scheduler in this process.")
    var noScheduler = false

    @Option(help: "trace, debug, info, notice, warning, error or critical (env RDV_LOG_LEVEL, default info).")
    var logLevel: String?

    func run() throws {
        let environment = ProcessInfo.processInfo.environment
        let level = Logger.Level(rawValue: logLevel ?? environment["RDV_LOG_LEVEL"] ?? "info") ?? .info
        cposix_stdout_line_buffered()
        LoggingSystem.bootstrap { label in
            // Buffered: one write per 64 KiB or 200 ms instead of one per line (access log cost).
            var handler = StreamLogHandler(label: label, stream: BufferedLogOutput.standardOutput.stream)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "rdv")

        // contracts.md §2: a simulated clock is never silent.
        let clock = try reportingFailures { try ProcessClock() }
        if clock.isSimulated { logger.warning("RDV_NOW is set: the clock is simulated, now = \(clock.now)") }
        // contracts.md §1: serve migrates if needed, and opens the pool once.
        let db = try database.open()
        logger.notice("database \(db.path) ready")

        var configuration = try reportingFailures {
            try AppConfiguration(
                templatesDirectory: ResourceLocator.directory("Templates"),
                publicDirectory: ResourceLocator.directory("Public"))
        }
        let notifications = try reportingFailures { try NotificationWiring(environment: environment) }
        configuration.web.developmentOutbox = notifications.usesDevelopmentOutbox
        configuration.web.simulatedClock = clock.isSimulated
        // booking.md §3.4: the common-password list that `make assets` installs; without it the
        // length and name checks still apply, and the log says so.
        if let data = try? ResourceLocator.directory("Data"),
            FileManager.default.fileExists(atPath: data.appendingPathComponent("common-passwords.txt").path)
        {
            configuration.web.passwordRule = CommonPasswords.rule(file: data.appendingPathComponent("common-passwords.txt"))
        } else {
            logger.warning("Data/common-passwords.txt is missing (make assets): common passwords are not refused")
        }
        configuration.web.publicURL = notifications.publicURL
        configuration.web.https = notifications.publicURL.hasPrefix("https://")
        let instance = InstanceEnvironment(environment)
        configuration.web.trustedProxies = Set(instance.trustedProxies)
        configuration.web.publicOrigin = instance.publicURLIsSet ? WebSettings.origin(of: instance.publicURL) : nil
        // admin.md §8: export files live next to the database unless RDV_EXPORTS_DIRECTORY says otherwise.
        let exportsDirectory =
            environment["RDV_EXPORTS_DIRECTORY"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: db.path).deletingLastPathComponent().appendingPathComponent("exports")
        configuration.web.exportsDirectory = exportsDirectory
        configuration.geocoderURL = environment["RDV_GEOCODER_URL"].flatMap { $0.isEmpty ? nil : $0 }
        // contracts.md §1: `RDV_RATE_LIMITS=off` for load tests on loopback.
        configuration.web.rateLimits = environment["RDV_RATE_LIMITS"] != "off"
        if !configuration.web.rateLimits { logger.warning("RDV_RATE_LIMITS=off: no per-address rate limit") }
        // api.md §2: trusted partners may sign API calls with this secret instead of a token.
        if let secret = environment["RDV_SHARED_SECRET_FOR_AGENTS_AUTH"], !secret.isEmpty {
            configuration.web.sharedSecretForAgentsAuth = secret
        }
        configuration.server.host = host
        guard let port = port ?? environment["RDV_PORT"].flatMap(UInt16.init) ?? UInt16?(8080) else {
            throw ValidationError("RDV_PORT must be a port number.")
        }
        configuration.server.port = port

        // Signals: SIGPIPE would kill the process on a write to a closed socket; SIGTERM and
        // SIGINT are blocked in every thread and taken by one waiting thread instead.
        signal(SIGPIPE, SIG_IGN)
        cposix_block_termination_signals()
        let fdLimit = cposix_raise_fd_limit()
        configuration.server.maxConnections = min(configuration.server.maxConnections, max(64, fdLimit - 64))

        let server: HTTPServer
        do {
            server = try buildApplication(configuration, database: db, clock: clock, logger: logger)
        } catch {
            logger.critical("cannot listen on \(host):\(port): \(error)")
            throw ExitCode.failure
        }
        server.start()
        // contracts.md §1: the notification scheduler runs in the same process unless told not to.

        var handlers = notifications.handlers(db: db, clock: clock)
        handlers["export"] = ExportJobHandler(
            db: db, directory: exportsDirectory, logger: Logger(label: "rdv.exports"))
        let scheduler =
            noScheduler
            ? nil
            : OutboxScheduler(
                db: db, clock: clock, handlers: handlers,
                logger: Logger(label: "rdv.scheduler"), interval: 10)
        // notifications.md §1: woken after each commit that planned messages, polled every 10 s.
        if let scheduler { db.observeOutboxCommits { scheduler.wake() } }
        if scheduler != nil { logger.notice("notifications: \(notifications.summary)") }
        // booking.md §8: the waiting list's job plans its own next run; this resumes the chain.
        if scheduler != nil {
            try db.ensureWaitingListRun(now: clock.now)
            try db.ensureDailyJobs(now: clock.now)
        }
        scheduler?.start()
        logger.notice(
            "rdv listening on http://\(host):\(server.port)",
            metadata: ["max_connections": "\(configuration.server.maxConnections)"])
        let signals = Thread {
            let signal = cposix_wait_termination_signal()
            logger.notice("signal \(signal) received, draining requests in flight")
            server.shutdown()
        }
        signals.name = "rdv-signals"
        signals.start()
        server.waitUntilStopped()
        scheduler?.stop()
        logger.notice("rdv stopped")
        BufferedLogOutput.standardOutput.flush()  // every line of the graceful stop, before exit
    }
}
