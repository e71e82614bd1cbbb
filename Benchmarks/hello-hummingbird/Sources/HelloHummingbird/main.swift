// HelloHummingbird: GET /health -> 200 "ok" (text/plain; charset=utf-8).
//
// Usage: HelloHummingbird [--host HOST] [--port PORT] [--log-level LEVEL]
// Env fallbacks: HB_HOST, HB_PORT, HB_LOG_LEVEL. Defaults: 127.0.0.1, 8082, warning.
// Baseline for `make bench-http` (Benchmarks/bench-http.sh).
import Foundation
import Hummingbird
import Logging

/// Value of `--name VALUE` / `--name=VALUE`, else environment variable `env`, else `fallback`.
func option(_ name: String, env: String, default fallback: String) -> String {
    let args = CommandLine.arguments
    if let index = args.firstIndex(of: name), index + 1 < args.count {
        return args[index + 1]
    }
    for arg in args where arg.hasPrefix(name + "=") {
        return String(arg.dropFirst(name.count + 1))
    }
    if let value = ProcessInfo.processInfo.environment[env], !value.isEmpty {
        return value
    }
    return fallback
}

func runServer() async throws {
    let host = option("--host", env: "HB_HOST", default: "127.0.0.1")
    let portText = option("--port", env: "HB_PORT", default: "8082")
    guard let port = Int(portText), (1...65535).contains(port) else {
        FileHandle.standardError.write(Data("HelloHummingbird: invalid port \(portText)\n".utf8))
        exit(64)
    }
    let levelText = option("--log-level", env: "HB_LOG_LEVEL", default: "warning")

    var logger = Logger(label: "HelloHummingbird")
    logger.logLevel = Logger.Level(rawValue: levelText) ?? .warning

    let router = Router()
    router.get("health") { _, _ in
        "ok"
    }

    let app = Application(
        router: router,
        configuration: .init(
            address: .hostname(host, port: port),
            serverName: "HelloHummingbird"
        ),
        logger: logger
    )
    try await app.runService()
}

try await runServer()
