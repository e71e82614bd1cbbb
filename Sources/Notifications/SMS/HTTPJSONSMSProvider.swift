import Outbound
import Domain
import Foundation
import Persistence

/// The `http_json` provider (notifications.md §7): one JSON POST per SMS, the API key in a header.
/// 2xx → sent; 400–499 except 408 and 429 → permanent; 408, 429, 5xx, timeouts and network
/// errors → transient. Errors name the status only: a provider's error body may echo the number.
public struct HTTPJSONSMSProvider: SMSProvider {
    public let name = "http_json"
    public let url: URL
    let apiKey: String
    public let apiKeyHeader: String
    public let sender: String
    let http: OutboundHTTP

    /// `timeout` covers the whole exchange: 10 s per notifications.md §7. `allowPrivateAddresses`
    /// is `RDV_ALLOW_PRIVATE_WEBHOOKS` (``InstanceEnvironment``): without it a provider URL that
    /// resolves to a loopback, private or link-local address is refused (issue 10 §3, SSRF).
    public init(
        url: URL, apiKey: String, apiKeyHeader: String = "api-key", sender: String, timeout: TimeInterval = 10,
        allowPrivateAddresses: Bool = false
    ) {
        self.url = url
        self.apiKey = apiKey
        self.apiKeyHeader = apiKeyHeader
        self.sender = sender
        self.http = OutboundHTTP(timeout: timeout, allowPrivateAddresses: allowPrivateAddresses)
    }

    /// The request body, keys as the spec names them.
    struct Request: Encodable, Equatable {
        let sender: String
        let recipient: String
        let content: String
        let type: String
        let tag: String
        let reference: String
    }

    public func send(to e164: String, text: String, tag: String, idempotencyKey: String) throws -> SMSResult {
        // The provider wants the international number without "+" (33612345678).
        let recipient = e164.hasPrefix("+") ? String(e164.dropFirst()) : e164
        guard (8...15).contains(recipient.count), recipient.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw SMSError.permanent("the recipient is not an E.164 number")
        }
        let request = Request(
            sender: sender, recipient: recipient, content: text, type: "transactional", tag: tag,
            reference: idempotencyKey)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = try encoder.encode(request)
        let answer: OutboundHTTP.Answer
        do {
            answer = try http.post(
                url,
                headers: [
                    ("Content-Type", "application/json"), ("Accept", "application/json"), (apiKeyHeader, apiKey),
                ],
                body: body)
        } catch {
            switch error {
            case .timedOut: throw SMSError.transient("the provider did not answer in time")
            case .transport(let reason): throw SMSError.transient("cannot reach the provider: \(reason)")
            case .redirected(let status): throw SMSError.transient("the provider redirected the request (\(status))")
            // Only an administrator can fix these: permanent (notifications.md §12).
            case .invalidURL(let reason): throw SMSError.permanent("invalid provider URL: \(reason)")
            case .refused(let reason): throw SMSError.permanent("refused: \(reason)")
            }
        }
        return try Self.result(status: answer.status, body: answer.body, text: text)
    }

    /// notifications.md §7: the status decides; a 2xx body may carry `messageId` and `smsCount`.
    static func result(status: Int, body: Data, text: String) throws -> SMSResult {
        switch status {
        case 200..<300:
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            let messageID = json?["messageId"].flatMap { $0 is NSNull ? nil : "\($0)" }
            let parts = (json?["smsCount"] as? Int).flatMap { $0 > 0 ? $0 : nil } ?? GSM7.smsCount(text)
            return SMSResult(status: .sent, providerMessageID: messageID, parts: parts)
        case 408, 429, 500..<600:
            throw SMSError.transient("the provider answered \(status)")
        case 400..<500:
            throw SMSError.permanent("the provider refused the message (\(status))")
        default:
            throw SMSError.transient("unexpected answer from the provider (\(status))")
        }
    }
}
