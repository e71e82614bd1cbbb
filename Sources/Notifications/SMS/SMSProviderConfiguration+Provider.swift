import Domain
import Foundation
import Persistence

extension SMSProviderConfiguration {
    /// The provider a territory's configuration describes. An invalid configuration, or
    /// `mail_to_sms` without an SMTP server (`RDV_SMTP_URL` unset), is a permanent error: no
    /// retry can fix it before an administrator does.
    /// `allowPrivateAddresses`: `RDV_ALLOW_PRIVATE_WEBHOOKS` for an `http_json` provider URL.
    public func makeProvider(
        smtp: SMTPClient?, clock: any Clock,
        allowPrivateAddresses: Bool = false
    ) throws(SMSError) -> any SMSProvider {
        let issues = validate()
        guard issues.isEmpty else {
            let details = issues.map { "\($0.field) \($0.message)" }.joined(separator: ", ")
            throw .permanent("configuration SMS invalide : \(details)")
        }
        switch self {
        case .httpJSON(let configuration):
            guard let url = URL(string: configuration.url) else { throw .permanent("configuration SMS invalide : url") }
            return HTTPJSONSMSProvider(
                url: url, apiKey: configuration.apiKey, apiKeyHeader: configuration.apiKeyHeader,
                sender: configuration.sender, allowPrivateAddresses: allowPrivateAddresses)
        case .mailToSMS(let configuration):
            guard let smtp else { throw .permanent("mail_to_sms a besoin d'un serveur SMTP (RDV_SMTP_URL)") }
            return MailToSMSProvider(
                gatewayDomain: configuration.gatewayDomain, numberFormat: configuration.numberFormat,
                from: configuration.from, smtp: smtp, clock: clock)
        }
    }
}
