import Foundation
import Sockets

extension SMTPClient {
    /// §9.3: AUTH (RFC 4954) when credentials are set, with PLAIN (RFC 4616) when advertised,
    /// else LOGIN; never without credentials.
    ///
    /// The password never crosses the network in clear: without TLS, only a server on the
    /// loopback interface (a local relay) may receive it; anything else is a permanent
    /// configuration error. Credentials never appear in errors (commands are redacted).
    func authenticate(_ session: inout Session, extensions: [String]) throws {
        guard let user = configuration.username, let password = configuration.password else { return }
        guard Self.mayAuthenticate(encrypted: session.tls != nil, peer: session.socket.peerAddress()) else {
            throw SMTPError(
                description: "refusing to send the SMTP password in clear to \(configuration.host): "
                    + "the server offers no STARTTLS (or starttls=off); use TLS or a relay on loopback",
                permanent: true, isConfiguration: true)
        }
        if Self.authMechanisms(extensions).contains("PLAIN") {
            let token = Self.base64([0] + Array(user.utf8) + [0] + Array(password.utf8))
            _ = try session.command("AUTH PLAIN \(token)", expect: 235, redact: true)
        } else {
            // RFC 4954 §4 challenges ("Username:", "Password:") are 334 replies; their text is fixed.
            _ = try session.command("AUTH LOGIN", expect: 334)
            _ = try session.command(Self.base64(Array(user.utf8)), expect: 334, redact: true)
            _ = try session.command(Self.base64(Array(password.utf8)), expect: 235, redact: true)
        }
    }

    /// Credentials go over TLS, or in clear only to a loopback peer (127.0.0.0/8, ::1).
    package static func mayAuthenticate(encrypted: Bool, peer: String?) -> Bool {
        guard !encrypted else { return true }
        guard let peer else { return false }
        return peer.hasPrefix("127.") || peer == "::1" || peer.hasPrefix("::ffff:127.")
    }

    /// The mechanisms of the `AUTH` extension line (`AUTH LOGIN PLAIN`), upper-cased.
    static func authMechanisms(_ extensions: [String]) -> Set<String> {
        for line in extensions {
            let words = line.split(separator: " ").map { $0.uppercased() }
            if words.first == "AUTH" { return Set(words.dropFirst()) }
        }
        return []
    }

    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
