import Foundation

/// `RDV_SMTP_URL` (contracts.md §1): `smtp://[user:password@]host:port[?starttls=required|optional|off]`.
public struct SMTPConfiguration: Sendable, Equatable {
    public enum StartTLS: String, Sendable {
        case required, optional, off
    }

    public var host: String
    public var port: UInt16
    public var username: String?
    public var password: String?
    public var startTLS: StartTLS
    /// The name we give in EHLO.
    public var helloName = "localhost"
    public var timeout: TimeInterval = 30

    public init(
        host: String, port: UInt16, username: String? = nil, password: String? = nil, startTLS: StartTLS = .optional
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.startTLS = startTLS
    }

    public struct InvalidURL: Error, CustomStringConvertible {
        public let description: String
    }

    public init(url text: String) throws {
        guard let url = URLComponents(string: text), url.scheme == "smtp", let host = url.host, !host.isEmpty else {
            throw InvalidURL(description: "RDV_SMTP_URL must look like smtp://user:password@host:587?starttls=required")
        }
        let mode = url.queryItems?.first { $0.name == "starttls" }?.value ?? "optional"
        guard let startTLS = StartTLS(rawValue: mode) else {
            throw InvalidURL(description: "starttls must be required, optional or off")
        }
        self.init(
            host: host, port: UInt16(url.port ?? 25), username: url.percentEncodedUser?.removingPercentEncoding,
            password: url.percentEncodedPassword?.removingPercentEncoding, startTLS: startTLS)
    }
}
