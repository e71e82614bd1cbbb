import Foundation

extension SMSProviderConfiguration {
    /// The « Espace admin » → « SMS » form rules (notifications.md §7), with the form's field names.
    public func validate() -> [ValidationIssue] {
        switch self {
        case .httpJSON(let configuration): configuration.validate()
        case .mailToSMS(let configuration): configuration.validate()
        }
    }
}

extension SMSProviderConfiguration.HTTPJSON {
    public func validate() -> [ValidationIssue] {
        var issues = Check.required(url, "url") + Check.required(apiKey, "api_key")
        if !Check.isBlank(url) {
            let components = URLComponents(string: url)
            let scheme = components?.scheme?.lowercased() ?? ""
            if !["http", "https"].contains(scheme) || Check.isBlank(components?.host) {
                issues.append(.error("url", "doit être une adresse commençant par https:// ou http://"))
            }
        }
        // RFC 9110 §5.1: a field name is a token.
        let tokenCharacters = Set("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
        if Check.isBlank(apiKeyHeader) {
            issues.append(.error("api_key_header", Messages.required))
        } else if !apiKeyHeader.allSatisfy(tokenCharacters.contains) {
            issues.append(.error("api_key_header", "n'est pas un nom d'en-tête HTTP valide"))
        }
        if Check.isBlank(sender) {
            issues.append(.error("sender", Messages.required))
        } else if sender.count > 11 || !sender.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) {
            issues.append(.error("sender", "doit comporter au plus 11 lettres ou chiffres, sans espace ni accent"))
        }
        return issues
    }
}

extension SMSProviderConfiguration.MailToSMS {
    public func validate() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        let labels = gatewayDomain.split(separator: ".", omittingEmptySubsequences: false)
        if Check.isBlank(gatewayDomain) {
            issues.append(.error("gateway_domain", Messages.required))
        } else if labels.count < 2
            || !labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            })
        {
            issues.append(.error("gateway_domain", "n'est pas un nom de domaine valide"))
        }
        if Check.isBlank(from) {
            issues.append(.error("from", Messages.required))
        } else if !EmailAddress.isValid(from) {
            issues.append(.error("from", Messages.invalidEmail))
        }
        return issues
    }
}
