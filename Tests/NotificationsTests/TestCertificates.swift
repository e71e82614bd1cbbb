import Foundation

/// A throw-away CA and two server certificates it signed, made with the `openssl` CLI in a
/// temporary directory removed on deinit: one for `localhost` and 127.0.0.1, one for another name.
final class TestCertificates {
    struct Server {
        let certificate: String
        let key: String
    }

    let directory: URL
    let caFile: String
    /// Names `localhost` and `127.0.0.1`.
    let localhost: Server
    /// Names only `mail.example.org`.
    let otherHost: Server

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-certs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        caFile = directory.appendingPathComponent("ca.pem").path
        try Self.openssl(
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
            "-subj", "/CN=RDV throw-away test CA", "-keyout", directory.appendingPathComponent("ca.key").path, "-out",
            caFile,
            "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign")
        localhost = try Self.issue("localhost", names: "DNS:localhost,IP:127.0.0.1", in: directory)
        otherHost = try Self.issue("other", names: "DNS:mail.example.org", in: directory)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    private static func issue(_ name: String, names: String, in directory: URL) throws -> Server {
        let file = { (suffix: String) in directory.appendingPathComponent(name + suffix).path }
        try "subjectAltName=\(names)\nextendedKeyUsage=serverAuth\n".write(
            toFile: file(".ext"), atomically: true, encoding: .utf8)
        try openssl(
            "req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=\(name)",
            "-keyout", file(".key"), "-out", file(".csr"))
        try openssl(
            "x509", "-req", "-in", file(".csr"), "-CA", directory.appendingPathComponent("ca.pem").path,
            "-CAkey", directory.appendingPathComponent("ca.key").path, "-CAcreateserial", "-days", "2",
            "-extfile", file(".ext"), "-out", file(".pem"))
        return Server(certificate: file(".pem"), key: file(".key"))
    }

    private static func openssl(_ arguments: String...) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments[0]) failed"])
        }
    }
}
