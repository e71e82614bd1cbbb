import COpenSSL
import Glibc
import Sockets

/// Why a TLS session could not be set up or used.
public enum TLSError: Error, Equatable, CustomStringConvertible {
    /// The local set-up is wrong (unreadable CA file, a setting OpenSSL refused).
    case configuration(String)
    /// The server's certificate is not trusted or does not name the host we connected to.
    case verification(String)
    /// Any other handshake or record-layer failure (alert, protocol error, reset).
    case failed(String)
    /// No byte could be read or written within the socket's timeout.
    case timedOut
    /// The server closed the connection.
    case closed

    public var description: String {
        switch self {
        case .configuration(let reason): "TLS configuration: \(reason)"
        case .verification(let reason): "TLS certificate verification failed: \(reason)"
        case .failed(let reason): "TLS failure: \(reason)"
        case .timedOut: "TLS: timed out"
        case .closed: "TLS: the server closed the connection"
        }
    }
}

/// A TLS client session (TLS 1.2 at least) over an already-connected blocking socket, by OpenSSL.
///
/// The server's chain is verified against the system store, plus `caFile` when given, and must
/// name `host` (RFC 6125: a DNS name through `SSL_set1_host`, an IP literal through the
/// verification parameters; SNI only for names, RFC 6066 §3). The socket's receive and send
/// timeouts bound every read and write. The caller keeps owning the socket: ``close()`` ends the
/// TLS session, not the TCP connection.
public final class TLSClientStream {
    private let ssl: OpaquePointer
    /// False after a fatal error, when SSL_shutdown(3) must not be called, or once shut down.
    private var open = false

    /// Connects TLS on `socket` and completes the handshake.
    public init(socket: Socket, host: String, caFile: String?) throws {
        ERR_clear_error()
        guard let context = SSL_CTX_new(TLS_client_method()) else {
            throw TLSError.configuration("SSL_CTX_new: \(Self.queuedErrors())")
        }
        // The SSL object holds its own reference to the context.
        defer { SSL_CTX_free(context) }
        try Self.configure(context, caFile: caFile)
        guard let ssl = SSL_new(context) else { throw TLSError.configuration("SSL_new: \(Self.queuedErrors())") }
        self.ssl = ssl
        try expectPeer(named: host)
        guard SSL_set_fd(ssl, socket.fd) == 1 else {
            throw TLSError.configuration("SSL_set_fd: \(Self.queuedErrors())")
        }
        try handshake()
    }

    deinit { SSL_free(ssl) }

    private static func configure(_ context: OpaquePointer, caFile: String?) throws {
        SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nil)
        guard rdv_SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION) == 1 else {
            throw TLSError.configuration("cannot require TLS 1.2: \(queuedErrors())")
        }
        // On a blocking socket, let OpenSSL process non-application records (TLS 1.3 session
        // tickets) itself, so that a "want read" can only mean the socket timeout expired.
        _ = rdv_SSL_CTX_set_mode(context, Int(SSL_MODE_AUTO_RETRY))
        guard SSL_CTX_set_default_verify_paths(context) == 1 else {
            throw TLSError.configuration("cannot load the system trust store: \(queuedErrors())")
        }
        if let caFile, SSL_CTX_load_verify_locations(context, caFile, nil) != 1 {
            throw TLSError.configuration("cannot load the CA file \(caFile): \(queuedErrors())")
        }
    }

    private func expectPeer(named host: String) throws {
        if Self.isIPLiteral(host) {
            guard X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), host) == 1 else {
                throw TLSError.configuration("invalid IP address \(host)")
            }
            return
        }
        SSL_set_hostflags(ssl, UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
        guard SSL_set1_host(ssl, host) == 1, rdv_SSL_set_tlsext_host_name(ssl, host) == 1 else {
            throw TLSError.configuration("invalid host name \(host): \(Self.queuedErrors())")
        }
    }

    private func handshake() throws {
        do {
            _ = try perform("handshake") { SSL_connect(ssl) }
            open = true
        } catch {
            let result = SSL_get_verify_result(ssl)
            guard result == X509_V_OK else {
                throw TLSError.verification(String(cString: X509_verify_cert_error_string(result)))
            }
            throw error
        }
    }

    /// Reads at most `buffer.count` decrypted bytes (at least one).
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        Int(try perform("read") { SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count)) })
    }

    /// Writes all of `bytes`.
    public func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let chunk = UnsafeRawBufferPointer(rebasing: raw[offset...])
                offset += Int(try perform("write") { SSL_write(ssl, chunk.baseAddress, Int32(clamping: chunk.count)) })
            }
        }
    }

    /// Sends close_notify (RFC 8446 §6.1) without waiting for the server's: the socket closes next.
    public func close() {
        guard open else { return }
        open = false
        ERR_clear_error()
        _ = SSL_shutdown(ssl)
    }

    /// Runs one SSL_connect/SSL_read/SSL_write and turns its failure into a ``TLSError``
    /// (SSL_get_error(3)); the thread's error queue is cleared first, as that page requires.
    private func perform(_ operation: String, _ call: () -> Int32) throws -> Int32 {
        while true {
            ERR_clear_error()
            errno = 0
            let result = call()
            if result > 0 { return result }
            switch SSL_get_error(ssl, result) {
            case SSL_ERROR_WANT_READ, SSL_ERROR_WANT_WRITE:
                // Blocking socket with SSL_MODE_AUTO_RETRY: OpenSSL only gives up when recv or
                // send failed with EAGAIN (SO_RCVTIMEO/SO_SNDTIMEO expired), or EINTR.
                if errno == EINTR { continue }
                throw TLSError.timedOut
            case SSL_ERROR_ZERO_RETURN:
                throw TLSError.closed
            case SSL_ERROR_SYSCALL:
                open = false
                if errno == 0 { throw TLSError.closed }
                throw TLSError.failed("\(operation): \(String(cString: strerror(errno)))")
            default:
                open = false
                throw TLSError.failed("\(operation): \(Self.queuedErrors())")
            }
        }
    }

    private static func isIPLiteral(_ host: String) -> Bool {
        var address = [UInt8](repeating: 0, count: 16)  // room for an in6_addr
        return inet_pton(AF_INET, host, &address) == 1 || inet_pton(AF_INET6, host, &address) == 1
    }

    /// The thread's OpenSSL error queue as text (emptying it).
    private static func queuedErrors() -> String {
        var messages: [String] = []
        var buffer = [CChar](repeating: 0, count: 256)
        while case let code = ERR_get_error(), code != 0 {
            ERR_error_string_n(code, &buffer, buffer.count)
            messages.append(buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) })
        }
        return messages.isEmpty ? "no OpenSSL detail" : messages.joined(separator: "; ")
    }
}
