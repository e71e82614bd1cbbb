import Domain
import Foundation
import Persistence

/// `territories/sms`: « Espace admin » → « SMS » (admin.md §3, notifications.md §7): the
/// territory's provider and its credentials (the API key is never shown back), « Envoyer un SMS
/// de test » to a typed mobile number, and the last test SMS with their result.
public struct SMSSettingsPage: PageModel, Equatable {
    public static let template = "territories/sms"

    public struct Attempt: Sendable, Equatable {
        public let at: String
        public let recipient: String
        public let provider: String
        public let result: String
        public let isFailure: Bool
    }

    public let formPath: String
    public let testPath: String
    public let providerField: ChoiceGroup
    public let httpFields: [FormField]
    public let mailFields: [FormField]
    public let numberFormatField: ChoiceGroup
    public let testPhoneField: FormField
    public let attempts: [Attempt]
    public let hasAttempts: Bool

    /// What the form sends; `provider` "" is the instance's.
    public struct Input: Sendable, Equatable {
        public var provider = ""
        public var url = ""
        public var apiKeyHeader = "api-key"
        public var sender = ""
        public var gatewayDomain = ""
        public var numberFormat = SMSProviderConfiguration.NumberFormat.national.rawValue
        public var from = ""

        init() {}

        init(form: FormData) {
            func text(_ name: String) -> String { (form[name] ?? "").trimmingCharacters(in: .whitespaces) }
            provider = text("provider")
            url = text("url")
            apiKeyHeader = text("api_key_header")
            sender = text("sender")
            gatewayDomain = text("gateway_domain")
            numberFormat = text("number_format")
            from = text("from")
        }

        init(provider: Territory.SMSProvider?, configuration: SMSProviderConfiguration?) {
            self.provider = provider?.rawValue ?? ""
            switch configuration {
            case .httpJSON(let http):
                url = http.url
                apiKeyHeader = http.apiKeyHeader
                sender = http.sender
            case .mailToSMS(let mail):
                gatewayDomain = mail.gatewayDomain
                numberFormat = mail.numberFormat.rawValue
                from = mail.from
            case nil: break
            }
        }
    }

    static let labels = [
        "provider": "Fournisseur", "url": "Adresse de l'API", "api_key": "Clé d'API", "api_key_header": "En-tête de la clé",
        "sender": "Expéditeur", "gateway_domain": "Domaine de la passerelle", "number_format": "Format du numéro",
        "from": "Adresse d'expédition des e-mails", "phone": "Numéro de mobile",
    ]

    static let providers: [(String, String)] = [
        ("", "Le fournisseur par défaut de l'instance"),
        (Territory.SMSProvider.httpJSON.rawValue, "API HTTP JSON (un prestataire SMS)"),
        (Territory.SMSProvider.mailToSMS.rawValue, "Passerelle e-mail vers SMS"),
        (Territory.SMSProvider.dev.rawValue, "Développement : les SMS restent dans la « Boîte d'envoi »"),
        (Territory.SMSProvider.none.rawValue, "Aucun : le territoire n'envoie pas de SMS"),
    ]

    static func load(
        territoryID: Int64, input: Input, hasStoredKey: Bool, attempts: [TestSMSAttempt], zone: TimeZone,
        errors: [String: String] = [:], testPhone: String = "", testError: String? = nil
    ) -> SMSSettingsPage {
        func field(_ name: String, _ value: String, type: String = "text", hint: String? = nil) -> FormField {
            // A browser must not offer the agent's own password for the provider's key.
            let autocomplete = type == "password" ? "new-password" : type == "text" ? "off" : nil
            return FormField(
                name: name, label: labels[name] ?? name, type: type, value: value, autocomplete: autocomplete, hint: hint,
                error: errors[name])
        }
        return SMSSettingsPage(
            formPath: SiteURL.territory(id: territoryID, .sms).path,
            testPath: SiteURL.territory(id: territoryID, .smsTest).path,
            providerField: ChoiceGroup(
                id: "provider", name: "provider", legend: labels["provider"] ?? "", hint: nil,
                options: providers.enumerated().map { index, choice in
                    .init(id: "provider-\(index)", value: choice.0, label: choice.1, isSelected: input.provider == choice.0)
                }, error: errors["provider"]),
            httpFields: [
                field("url", input.url, type: "url", hint: "Par exemple https://api.prestataire.example/v3/sms"),
                field(
                    "api_key", "", type: "password",
                    hint: hasStoredKey ? "Une clé est enregistrée : laissez vide pour la garder." : "Fournie par le prestataire."),
                field("api_key_header", input.apiKeyHeader, hint: "Le nom de l'en-tête HTTP qui porte la clé"),
                field("sender", input.sender, hint: "Au plus 11 lettres ou chiffres, par exemple RdvSomme"),
            ],
            mailFields: [
                field("gateway_domain", input.gatewayDomain, hint: "Les SMS partent en e-mails à <numéro>@<domaine>"),
                field("from", input.from, type: "email"),
            ],
            numberFormatField: ChoiceGroup(
                id: "number_format", name: "number_format", legend: labels["number_format"] ?? "", hint: nil,
                options: [("national", "National : 0612345678"), ("international", "International : 33612345678")].enumerated()
                    .map { index, choice in
                        .init(id: "number_format-\(index)", value: choice.0, label: choice.1, isSelected: input.numberFormat == choice.0)
                    }, error: errors["number_format"]),
            testPhoneField: FormField(
                id: "test_phone", name: "phone", label: labels["phone"] ?? "", type: "tel", value: testPhone,
                hint: "Le SMS part avec les réglages enregistrés.", error: testError),
            attempts: attempts.map { attempt in
                Attempt(
                    at: NotificationFormat.smsDate(attempt.at, in: zone), recipient: attempt.recipient,
                    provider: attempt.provider ?? "", result: resultLabel(attempt),
                    isFailure: attempt.result == "failure")
            }, hasAttempts: !attempts.isEmpty)
    }

    static func resultLabel(_ attempt: TestSMSAttempt) -> String {
        switch attempt.result {
        case nil: "En cours d'envoi"
        case "delivered": "Délivré"
        case "sent": "Envoyé"
        case "processed": "Traité"
        default: "Échec" + (attempt.errorMessage.map { " : \($0)" } ?? "")
        }
    }
}
