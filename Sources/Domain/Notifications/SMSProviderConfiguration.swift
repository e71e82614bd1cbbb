import Foundation

/// A territory's SMS provider and its credentials (notifications.md §7), stored as JSON in
/// `territories.sms_configuration`, encrypted at rest (domain.md §1). The JSON names its provider:
/// `{"provider":"http_json","url":…,"api_key":…,"api_key_header":"api-key","sender":…}` or
/// `{"provider":"mail_to_sms","gateway_domain":…,"number_format":"national","from":…}`.
public enum SMSProviderConfiguration: Sendable, Equatable, Codable {
    case httpJSON(HTTPJSON)
    case mailToSMS(MailToSMS)

    public struct HTTPJSON: Sendable, Equatable, Codable {
        public var url: String
        public var apiKey: String
        public var apiKeyHeader: String
        /// The name shown as sender: at most 11 letters and digits (the alphanumeric sender ID limit).
        public var sender: String

        public init(url: String, apiKey: String, apiKeyHeader: String = "api-key", sender: String) {
            self.url = url
            self.apiKey = apiKey
            self.apiKeyHeader = apiKeyHeader
            self.sender = sender
        }

        enum CodingKeys: String, CodingKey {
            case url, sender
            case apiKey = "api_key"
            case apiKeyHeader = "api_key_header"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            url = try container.decode(String.self, forKey: .url)
            apiKey = try container.decode(String.self, forKey: .apiKey)
            apiKeyHeader = try container.decodeIfPresent(String.self, forKey: .apiKeyHeader) ?? "api-key"
            sender = try container.decode(String.self, forKey: .sender)
        }
    }

    public enum NumberFormat: String, Sendable, Codable, CaseIterable {
        /// 0612345678
        case national
        /// 33612345678
        case international
    }

    public struct MailToSMS: Sendable, Equatable, Codable {
        public var gatewayDomain: String
        public var numberFormat: NumberFormat
        /// The sender address of the e-mails.
        public var from: String

        public init(gatewayDomain: String, numberFormat: NumberFormat, from: String) {
            self.gatewayDomain = gatewayDomain
            self.numberFormat = numberFormat
            self.from = from
        }

        enum CodingKeys: String, CodingKey {
            case from
            case gatewayDomain = "gateway_domain"
            case numberFormat = "number_format"
        }
    }

    public var provider: Territory.SMSProvider {
        switch self {
        case .httpJSON: .httpJSON
        case .mailToSMS: .mailToSMS
        }
    }

    enum CodingKeys: String, CodingKey {
        case provider
    }

    public init(from decoder: any Decoder) throws {
        let provider = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .provider)
        switch Territory.SMSProvider(rawValue: provider) {
        case .httpJSON: self = .httpJSON(try HTTPJSON(from: decoder))
        case .mailToSMS: self = .mailToSMS(try MailToSMS(from: decoder))
        default:
            throw DecodingError.dataCorrupted(
                .init(codingPath: [CodingKeys.provider], debugDescription: "no configuration for provider \(provider)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .httpJSON(let configuration): try configuration.encode(to: encoder)
        case .mailToSMS(let configuration): try configuration.encode(to: encoder)
        }
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(provider.rawValue, forKey: .provider)
    }

    /// The stored JSON (sorted keys, so equal configurations give equal text).
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public init(json: String) throws {
        self = try JSONDecoder().decode(Self.self, from: Data(json.utf8))
    }
}
