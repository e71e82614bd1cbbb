import Foundation
import Notifications
import Sockets
import Testing

/// STARTTLS, implicit TLS and AUTH against aiosmtpd with a throw-away CA (notifications.md §9).
@Suite("SMTP client with TLS and AUTH against a real SMTP server", .serialized)
struct SMTPClientTLSTests {
    let certificates: TestCertificates

    init() throws { certificates = try TestCertificates() }

    static let message = Array("Subject: Votre code de connexion\r\nTo: agent@localhost\r\n\r\nCode : 123456\r\n".utf8)

    /// Sends `message` with `configuration`; returns the error, if any.
    func send(_ configuration: SMTPConfiguration) -> SMTPError? {
        do {
            try SMTPClient(configuration: configuration).send(
                Self.message, from: "rdv@localhost", to: ["agent@localhost"])
            return nil
        } catch let error as SMTPError {
            return error
        } catch {
            Issue.record("unexpected \(error)")
            return nil
        }
    }

    @Test func startTLSThenAuthPlainDeliversTheMessage() throws {
        // Given a server offering STARTTLS and requiring AUTH after it
        let sink = try SMTPSink(tls: .starttls, certificate: certificates.localhost, user: "agent", password: "s3cret")
        // When the client connects by name with the test CA
        let error = send(
            SMTPConfiguration(
                host: "localhost", port: sink.port, username: "agent", password: "s3cret", startTLS: .required,
                caFile: certificates.caFile))
        // Then the message arrived over TLS, authenticated with PLAIN, readable by Python's parser
        #expect(error == nil)
        let stored = try sink.messages()
        #expect(stored.count == 1)
        #expect(stored.first?["subject"] as? String == "Votre code de connexion")
        #expect(stored.first?["text"] as? String == "Code : 123456\n")
        #expect((stored.first?["tls"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect(stored.first?["auth"] as? String == "PLAIN")
    }

    @Test func authLoginWhenPlainIsNotOfferedAndAnIPAddressCertificate() throws {
        // Given a server that offers only AUTH LOGIN, reached by IP address (verified against the IP SAN)
        let sink = try SMTPSink(
            tls: .starttls, certificate: certificates.localhost, user: "agent", password: "s3cret",
            excludingMechanisms: ["PLAIN"])
        // When the client uses the default starttls=optional
        let error = send(
            SMTPConfiguration(
                host: "127.0.0.1", port: sink.port, username: "agent", password: "s3cret",
                caFile: certificates.caFile))
        // Then it upgraded anyway and authenticated with LOGIN
        #expect(error == nil)
        let stored = try sink.messages()
        #expect(stored.count == 1)
        #expect((stored.first?["tls"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect(stored.first?["auth"] as? String == "LOGIN")
    }

    @Test func implicitTLSFromTheFirstByte() throws {
        // Given a server speaking TLS from the first byte (the port-465 style)
        let sink = try SMTPSink(tls: .implicit, certificate: certificates.localhost, user: "agent", password: "s3cret")
        // When the client is told so
        let error = send(
            SMTPConfiguration(
                host: "localhost", port: sink.port, username: "agent", password: "s3cret", implicitTLS: true,
                caFile: certificates.caFile))
        // Then the message arrived over TLS
        #expect(error == nil)
        let stored = try sink.messages()
        #expect(stored.count == 1)
        #expect((stored.first?["tls"] as? String)?.hasPrefix("TLSv1.") == true)
        #expect(stored.first?["auth"] as? String == "PLAIN")
    }

    @Test(arguments: [(false, "unable to get local issuer certificate"), (true, "hostname mismatch")])
    func aCertificateThatFailsVerificationDeliversNothingAndIsRetried(trustTheCA: Bool, reason: String) throws {
        // Given a certificate from an unknown CA, or from the known CA for another host name
        let sink = try SMTPSink(
            tls: .starttls, certificate: trustTheCA ? certificates.otherHost : certificates.localhost)
        // When the client connects to localhost
        let error = send(
            SMTPConfiguration(
                host: "localhost", port: sink.port, startTLS: .required, caFile: trustTheCA ? certificates.caFile : nil)
        )
        // Then it stops at the handshake: nothing delivered; retried later (a server-wide fault
        // an administrator fixes, not this message's)
        #expect(error?.permanent == false)
        #expect(error?.description == "TLS certificate verification failed: \(reason)")
        #expect(try sink.messages().isEmpty)
    }

    @Test func aWrongPasswordIsARetriedErrorWithoutTheCredentials() throws {
        let sink = try SMTPSink(tls: .starttls, certificate: certificates.localhost, user: "agent", password: "s3cret")
        let error = send(
            SMTPConfiguration(
                host: "localhost", port: sink.port, username: "agent", password: "wrong-password",
                caFile: certificates.caFile))
        #expect(error?.permanent == false)
        #expect(error?.description.contains("535") == true)
        #expect(error?.description.contains("wrong-password") == false)
        #expect(try sink.messages().isEmpty)
    }

    @Test func credentialsGoInClearOnlyToALoopbackServer() throws {
        // Given a plain server on loopback (a local relay) that requires AUTH
        let sink = try SMTPSink(user: "agent", password: "s3cret")
        let error = send(
            SMTPConfiguration(host: "127.0.0.1", port: sink.port, username: "agent", password: "s3cret", startTLS: .off)
        )
        #expect(error == nil)
        #expect(try sink.messages().first?["auth"] as? String == "PLAIN")
        // And the rule itself, for the peers a test cannot reach
        #expect(SMTPClient.mayAuthenticate(encrypted: false, peer: "127.0.0.1"))
        #expect(SMTPClient.mayAuthenticate(encrypted: false, peer: "::1"))
        #expect(!SMTPClient.mayAuthenticate(encrypted: false, peer: "192.0.2.25"))
        #expect(!SMTPClient.mayAuthenticate(encrypted: false, peer: nil))
        #expect(SMTPClient.mayAuthenticate(encrypted: true, peer: "192.0.2.25"))
    }

    @Test(arguments: [false, true])
    func aSilentServerIsATransientTimeout(implicitTLS: Bool) throws {
        // Given a listener whose backlog completes TCP connections but that never speaks
        let listener = try Socket.listen(on: SocketAddress(host: "127.0.0.1", port: 0))
        defer { listener.close() }
        var configuration = SMTPConfiguration(
            host: "127.0.0.1", port: try listener.localPort(), implicitTLS: implicitTLS, caFile: certificates.caFile)
        configuration.commandTimeout = 0.2
        // When the client waits for the greeting (or the TLS handshake) longer than the command timeout
        let error = send(configuration)
        // Then it gives up with an error the scheduler retries
        #expect(error?.permanent == false)
        #expect(error?.description.contains(implicitTLS ? "TLS: timed out" : "did not answer in time") == true)
    }

    @Test func heloWhenTheServerRejectsEHLO() throws {
        let sink = try SMTPSink(rejectingEHLO: true)
        #expect(send(SMTPConfiguration(host: "127.0.0.1", port: sink.port)) == nil)
        #expect(try sink.messages().count == 1)
    }

    @Test func requiredStartTLSAfterHELOIsAPermanentError() throws {
        let sink = try SMTPSink(rejectingEHLO: true)
        #expect(send(SMTPConfiguration(host: "127.0.0.1", port: sink.port, startTLS: .required))?.permanent == true)
        #expect(try sink.messages().isEmpty)
    }
}

@Suite("SMTP configuration from RDV_SMTP_URL")
struct SMTPConfigurationTests {
    @Test func implicitTLSFromTheSchemeOrPort465() throws {
        let smtps = try SMTPConfiguration(url: "smtps://mail.example")
        #expect(smtps.implicitTLS && smtps.port == 465)
        #expect(try SMTPConfiguration(url: "smtp://mail.example:465").implicitTLS)
        #expect(try !SMTPConfiguration(url: "smtp://mail.example:587").implicitTLS)
    }

    @Test func caFileAndHelloName() throws {
        let configuration = try SMTPConfiguration(
            url: "smtp://mail.example:587?starttls=required&ca_file=/etc/rdv/ca.pem", helloName: "rdv.example.fr")
        #expect(configuration.caFile == "/etc/rdv/ca.pem")
        #expect(configuration.helloName == "rdv.example.fr")
        #expect(configuration.startTLS == .required)
        #expect(try SMTPConfiguration(url: "smtp://mail.example:587").helloName == "localhost")
    }

    @Test(arguments: ["smtp://mail.example?starttls=maybe", "smtp://mail.example?tls=on", "http://mail.example"])
    func invalidURLsAreRejected(url: String) {
        #expect(throws: SMTPConfiguration.InvalidURL.self) { try SMTPConfiguration(url: url) }
    }

    /// A relay across the network gets `starttls=required` unless the URL says otherwise; only a
    /// loopback relay defaults to `optional`.
    @Test(arguments: [
        ("smtp://mail.example:587", "required"),
        ("smtp://10.1.2.3:25", "required"),
        ("smtp://u:p@smtp.example.fr", "required"),
        ("smtp://localhost:2525", "optional"),
        ("smtp://127.0.0.1:25", "optional"),
        ("smtp://127.10.0.1:25", "optional"),
        ("smtp://[::1]:25", "optional"),
        ("smtp://mail.example:587?starttls=optional", "optional"),
        ("smtp://mail.example:587?starttls=off", "off"),
        ("smtp://127.0.0.1:25?starttls=required", "required"),
    ])
    func startTLSDefaultsToRequiredExceptOnLoopback(url: String, mode: String) throws {
        #expect(try SMTPConfiguration(url: url).startTLS.rawValue == mode)
    }

    @Test func theMemberwiseDefaultFollowsTheHostToo() {
        #expect(SMTPConfiguration(host: "smtp.example.fr", port: 587).startTLS == .required)
        #expect(SMTPConfiguration(host: "127.0.0.1", port: 25).startTLS == .optional)
        #expect(SMTPConfiguration(host: "127.0.0.1.example.fr", port: 25).startTLS == .required)
    }

    @Test func theDescriptionMasksThePassword() throws {
        let configuration = try SMTPConfiguration(url: "smtp://u:p%40ss@mail.example:587?starttls=required")
        #expect(configuration.description == "smtp://u:***@mail.example:587?starttls=required")
    }
}
