import Outbound
import Cryptography
import Foundation
import Persistence

/// POSTs a webhook body (notifications.md §13) signed with the endpoint's secret. Any 2xx is
/// success; every other answer, a timeout (10 s) or a network error is a failure to retry. A
/// target that resolves to a loopback, private or link-local address (issue 10 §3, SSRF) and an
/// unusable URL are permanent failures: nothing was sent and no retry can change that.
public struct WebhookSender: Sendable {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String
        /// No retry can succeed (a refused address, an invalid URL).
        public let permanent: Bool

        public init(description: String, permanent: Bool = false) {
            self.description = description
            self.permanent = permanent
        }
    }

    let http: OutboundHTTP

    /// `timeout` covers the whole exchange. `allowPrivateAddresses` is `RDV_ALLOW_PRIVATE_WEBHOOKS`
    /// (``InstanceEnvironment``), off unless the instance sets it.
    public init(
        timeout: TimeInterval = 10, allowPrivateAddresses: Bool = false
    ) {
        http = OutboundHTTP(timeout: timeout, allowPrivateAddresses: allowPrivateAddresses)
    }

    /// `X-Lapin-Signature`: lower-case hex HMAC-SHA256(secret, raw body).
    public static func signature(of body: [UInt8], secret: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), body))
    }

    /// Sends `body` byte for byte (the signature covers those exact bytes).
    public func send(body: String, to targetURL: String, secret: String) throws(Failure) {
        guard let url = URL(string: targetURL), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            throw Failure(description: "invalid target URL", permanent: true)
        }
        let bytes = Array(body.utf8)
        let answer: OutboundHTTP.Answer
        do {
            answer = try http.post(
                url,
                headers: [
                    ("Content-Type", "application/json; charset=utf-8"),
                    ("X-Lapin-Signature", Self.signature(of: bytes, secret: secret)),
                ],
                body: Data(bytes))
        } catch {
            switch error {
            case .timedOut: throw Failure(description: "the endpoint did not answer in time")
            case .transport(let reason): throw Failure(description: "cannot reach the endpoint: \(reason)")
            case .redirected(let status): throw Failure(description: "the endpoint redirected the request (\(status))")
            case .invalidURL(let reason): throw Failure(description: "invalid target URL: \(reason)", permanent: true)
            case .refused(let reason): throw Failure(description: "refused: \(reason)", permanent: true)
            }
        }
        guard (200..<300).contains(answer.status) else {
            throw Failure(description: "the endpoint answered \(answer.status)")
        }
    }
}
