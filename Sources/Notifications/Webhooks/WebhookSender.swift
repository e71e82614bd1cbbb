import Cryptography
import Foundation

/// POSTs a webhook body (notifications.md §13) signed with the endpoint's secret. Any 2xx is
/// success; every other answer, a timeout (10 s) or a network error is a failure to retry.
public struct WebhookSender: Sendable {
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public let description: String

        public init(description: String) { self.description = description }
    }

    let http: OutboundHTTP

    public init(timeout: TimeInterval = 10) { http = OutboundHTTP(timeout: timeout) }

    /// `X-Lapin-Signature`: lower-case hex HMAC-SHA256(secret, raw body).
    public static func signature(of body: [UInt8], secret: String) -> String {
        Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), body))
    }

    /// Sends `body` byte for byte (the signature covers those exact bytes).
    public func send(body: String, to targetURL: String, secret: String) throws(Failure) {
        guard let url = URL(string: targetURL), ["http", "https"].contains(url.scheme?.lowercased() ?? "") else {
            throw Failure(description: "invalid target URL")
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
            }
        }
        guard (200..<300).contains(answer.status) else {
            throw Failure(description: "the endpoint answered \(answer.status)")
        }
    }
}
