import Domain
import Foundation

/// The instance settings of contracts.md §1 that come from the environment, read and defaulted in
/// one place: `rdv serve`'s wiring and the notification planners see the same values.
public struct InstanceEnvironment: Sendable, Equatable {
    /// `RDV_PUBLIC_URL`: links in e-mails, SMS and feeds.
    public var publicURL: String
    /// `RDV_MAIL_FROM`: the sender of e-mails; its address is the ICS organizer.
    public var mailFrom: String
    /// `RDV_SMS_PROVIDER`: the SMS provider of territories without their own (`dev` or `none`).
    public var smsProvider: String
    /// `RDV_SECRET_KEY`: the instance secret; nil = generated once and kept in the database.
    public var secretKey: String?
    /// `RDV_PUBLIC_URL` was given: state-changing requests must come from its origin.
    public var publicURLIsSet: Bool
    /// `RDV_TRUSTED_PROXIES`: comma-separated peer addresses whose `X-Forwarded-For` is believed.
    public var trustedProxies: [String]
    /// `RDV_ALLOW_PRIVATE_WEBHOOKS=1`: webhooks and the `http_json` SMS provider may reach
    /// loopback, private and link-local addresses (refused otherwise: SSRF, issue 10 §3).
    public var allowPrivateWebhooks: Bool

    public init(_ environment: [String: String]) {
        func value(_ name: String) -> String? { environment[name].flatMap { $0.isEmpty ? nil : $0 } }
        publicURL = value("RDV_PUBLIC_URL") ?? "http://localhost:8080"
        mailFrom = value("RDV_MAIL_FROM") ?? "RDV Service Public <ne-pas-repondre@localhost>"
        smsProvider = value("RDV_SMS_PROVIDER") ?? "dev"
        secretKey = value("RDV_SECRET_KEY")
        publicURLIsSet = value("RDV_PUBLIC_URL") != nil
        trustedProxies = (value("RDV_TRUSTED_PROXIES") ?? "").split(separator: ",")
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        allowPrivateWebhooks = value("RDV_ALLOW_PRIVATE_WEBHOOKS") == "1"
    }

    /// The bare address of `mailFrom`.
    public var noReplyAddress: String { EmailAddress.bare(mailFrom) }
}
