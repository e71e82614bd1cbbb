import Foundation

/// A real SMTP server for tests: Python's aiosmtpd (installed in `.venv` by `make test`) run by
/// `Tests/NotificationsTests/Fixtures/smtp_server.py`, storing what it accepts in a Maildir. It
/// listens on an ephemeral port it prints on stdout, so nothing polls for readiness, and is
/// killed with SIGKILL (aiosmtpd's event loop ignores SIGTERM).
public final class SMTPTestServer {
    public static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's Python, else `python3` from the PATH (through /usr/bin/env).
    public static var python: String {
        let venv = packageRoot.appendingPathComponent(".venv/bin/python").path
        return FileManager.default.isExecutableFile(atPath: venv) ? venv : "/usr/bin/env"
    }

    public static func pythonArguments(_ arguments: [String]) -> [String] {
        python.hasSuffix("env") ? ["python3"] + arguments : arguments
    }

    let process = Process()
    public let directory: URL
    public let port: UInt16
    public var maildir: URL { directory.appendingPathComponent("maildir") }

    /// `options`: the script's flags (`--tls starttls`, `--data-delay 0.05`…).
    public init(options: [String] = []) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-smtp-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let script = Self.packageRoot.appendingPathComponent("Tests/NotificationsTests/Fixtures/smtp_server.py").path
        process.executableURL = URL(fileURLWithPath: Self.python)
        process.arguments = Self.pythonArguments([script, directory.appendingPathComponent("maildir").path] + options)
        let output = Pipe()
        let log = directory.appendingPathComponent("stderr.txt")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: log)
        try process.run()
        var line = Data()
        while !line.contains(0x0A) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = UInt16(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let reason = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw TestClientError(description: "aiosmtpd did not start (make test installs it in .venv): \(reason)")
        }
        self.port = port
    }

    deinit {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }
}
