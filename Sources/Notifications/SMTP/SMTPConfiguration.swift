import Foundation

/// Where and how e-mails are sent (notifications.md §9), read from `RDV_SMTP_URL` (contracts.md §1):
///
///     smtp://[user:password@]host:port[?starttls=required|optional|off][&ca_file=/path/ca.pem]
///     smtps://[user:password@]host:465[?ca_file=/path/ca.pem]
///
/// - `starttls`: `required` refuses to go on without STARTTLS, `optional` upgrades when the
///   server offers it, `off` never upgrades. The default is `required` for every host except a
///   loopback relay (`localhost`, 127.0.0.0/8, `::1`), which may stay `optional`: with `optional`
///   a network attacker strips the STARTTLS offer and reads every e-mail (RFC 3207 §6, RFC 8314
///   §5: "MUAs SHOULD NOT" fall back to clear text), while a relay on the same machine has no
///   network in between.
/// - `smtps://`, or port 465 with either scheme: implicit TLS from the first byte (RFC 8314 §3.3);
///   `starttls` does not apply then.
/// - `ca_file`: a PEM file of CA certificates trusted in addition to the system store (a private
///   CA, the tests' throw-away CA). Certificates and host names are always verified.
/// - User and password are percent-decoded; without both, no AUTH is attempted.
///
/// The EHLO name is not part of the URL: the app passes the host of `RDV_PUBLIC_URL`.
public struct SMTPConfiguration: Sendable, Equatable, CustomStringConvertible {
    public enum StartTLS: String, Sendable {
        case required, optional, off
    }

    public var host: String
    public var port: UInt16
    public var username: String?
    public var password: String?
    public var startTLS: StartTLS
    /// TLS from the first byte (port 465, `smtps://`), instead of STARTTLS.
    public var implicitTLS: Bool
    /// A PEM file of CA certificates trusted in addition to the system store.
    public var caFile: String?
    /// The name we give in EHLO/HELO.
    public var helloName: String
    /// §9: 10 s to establish the TCP connection.
    public var connectTimeout: TimeInterval = 10
    /// §9: 60 s per command, applied to every read and write of the conversation (including the
    /// TLS handshake and the end of DATA).
    public var commandTimeout: TimeInterval = 60
    /// The whole delivery, connection to end of DATA: a relay that answers every command just in
    /// time (or trickles a reply) cannot hold a message for longer. Below the outbox lease
    /// (2 minutes), so a row is never claimed again while it is still being sent (issue 10 §3).
    public var deliveryTimeout: TimeInterval = 90

    /// `implicitTLS` defaults to `port == 465`; `startTLS` to ``defaultStartTLS(host:)``.
    public init(
        host: String, port: UInt16, username: String? = nil, password: String? = nil, startTLS: StartTLS? = nil,
        implicitTLS: Bool? = nil, caFile: String? = nil, helloName: String = "localhost"
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.startTLS = startTLS ?? Self.defaultStartTLS(host: host)
        self.implicitTLS = implicitTLS ?? (port == 465)
        self.caFile = caFile
        self.helloName = helloName
    }

    public struct InvalidURL: Error, CustomStringConvertible {
        public let description: String
    }

    /// Parses `RDV_SMTP_URL`; `helloName` is the host of `RDV_PUBLIC_URL`.
    public init(url text: String, helloName: String = "localhost") throws {
        guard let url = URLComponents(string: text), url.scheme == "smtp" || url.scheme == "smtps",
            let host = url.host, !host.isEmpty
        else {
            throw InvalidURL(description: "RDV_SMTP_URL must look like smtp://user:password@host:587?starttls=required")
        }
        var startTLS: StartTLS?
        var caFile: String?
        for item in url.queryItems ?? [] {
            switch (item.name, item.value) {
            case ("starttls", let mode):
                guard let mode = mode.flatMap(StartTLS.init(rawValue:)) else {
                    throw InvalidURL(description: "starttls must be required, optional or off")
                }
                startTLS = mode
            case ("ca_file", let path?) where !path.isEmpty: caFile = path
            default: throw InvalidURL(description: "unknown or empty RDV_SMTP_URL parameter \(item.name)")
            }
        }
        let implicitTLS = url.scheme == "smtps" || url.port == 465
        guard let port = UInt16(exactly: url.port ?? (implicitTLS ? 465 : 25)) else {
            throw InvalidURL(description: "the RDV_SMTP_URL port must be between 0 and 65535")
        }
        self.init(
            host: host, port: port,
            username: url.percentEncodedUser?.removingPercentEncoding,
            password: url.percentEncodedPassword?.removingPercentEncoding, startTLS: startTLS, implicitTLS: implicitTLS,
            caFile: caFile, helloName: helloName)
    }

    /// `required` unless `host` is a loopback relay (see the type's documentation).
    public static func defaultStartTLS(host: String) -> StartTLS { isLoopback(host) ? .optional : .required }

    /// `localhost`, an address in 127.0.0.0/8 (RFC 1122 §3.2.1.3) or `::1` (RFC 4291 §2.5.3),
    /// brackets allowed. Textual only: a name that merely resolves to 127.0.0.1 is not trusted.
    static func isLoopback(_ host: String) -> Bool {
        var name = host.lowercased()
        if name.hasPrefix("["), name.hasSuffix("]") { name = String(name.dropFirst().dropLast()) }
        if name == "localhost" || name == "localhost." || name == "::1" { return true }
        let octets = name.split(separator: ".", omittingEmptySubsequences: false)
        return octets.count == 4 && octets[0] == "127" && octets.allSatisfy { UInt8($0) != nil }
    }

    /// The URL with the password masked, for logs (§9: credentials are never logged).
    public var description: String {
        let credentials = username.map { "\($0):***@" } ?? ""
        let query = (implicitTLS ? [] : ["starttls=\(startTLS.rawValue)"]) + (caFile.map { ["ca_file=\($0)"] } ?? [])
        return "\(implicitTLS ? "smtps" : "smtp")://\(credentials)\(host):\(port)"
            + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}
