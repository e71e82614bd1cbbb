import Domain
import Foundation
import HTTP
import Persistence

/// « Espace admin » → « SMS » (admin.md §3, notifications.md §7): territorial admins
/// (`TerritoryPolicy.configure`) choose the provider and its credentials, and send a test SMS
/// through the outbox like any other, so its result and receipt come from the real send.
struct SMSSettingsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        let stored = try stored(territory)
        return try responses.page(
            try page(territory, input: .init(provider: stored.provider, configuration: stored.configuration), stored: stored),
            layout: agent.layout(exchange))
    }

    /// PATCH: the chosen provider's fields are checked (422 with the values kept, the key never
    /// sent back); a blank API key keeps the stored one.
    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        let input = SMSSettingsPage.Input(form: exchange.form)
        let stored = try stored(territory)
        var errors: [String: String] = [:]
        let provider: Territory.SMSProvider?
        var configuration: SMSProviderConfiguration?
        if input.provider.isEmpty {
            provider = nil
        } else if let chosen = Territory.SMSProvider(rawValue: input.provider) {
            provider = chosen
        } else {
            provider = nil
            errors["provider"] = "Choisissez un fournisseur."
        }
        switch provider {
        case .httpJSON:
            var key = (exchange.form["api_key"] ?? "").trimmingCharacters(in: .whitespaces)
            if key.isEmpty, case .httpJSON(let previous) = stored.configuration { key = previous.apiKey }
            let http = SMSProviderConfiguration.HTTPJSON(
                url: input.url, apiKey: key, apiKeyHeader: input.apiKeyHeader, sender: input.sender)
            configuration = .httpJSON(http)
        case .mailToSMS:
            guard let format = SMSProviderConfiguration.NumberFormat(rawValue: input.numberFormat) else {
                errors["number_format"] = "Choisissez un format de numéro."
                break
            }
            configuration = .mailToSMS(.init(gatewayDomain: input.gatewayDomain, numberFormat: format, from: input.from))
        case .dev, .some(.none), nil:
            configuration = nil
        }
        if let configuration {
            errors.merge(fieldErrors(configuration.validate(), labels: SMSSettingsPage.labels)) { first, _ in first }
        }
        guard errors.isEmpty else {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            return try responses.page(
                try page(territory, input: input, stored: stored, errors: errors), layout: layout, status: HTTPStatus(422))
        }
        try db.saveSMSSettings(
            territoryID: territory.id, provider: provider, configuration: configuration, now: clock.now)
        sessions.setFlash(.smsSettingsUpdated, &exchange)
        return responses.redirect(.territory(id: territory.id, .sms))
    }

    /// « Envoyer un SMS de test »: a French mobile number (notifications.md §3: landlines never
    /// get SMS), then the outbox; the page lists it « En cours d'envoi » until its receipt.
    func sendTest(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let territory = try record(exchange, agent)
        let raw = (exchange.form["phone"] ?? "").trimmingCharacters(in: .whitespaces)
        let stored = try stored(territory)
        let error: String?
        let number = PhoneNumber(raw)
        if raw.isEmpty {
            error = "Numéro de mobile est obligatoire."
        } else if number?.isMobile != true {
            error = "Numéro de mobile doit être un numéro de mobile, par exemple 06 12 34 56 78."
        } else if stored.provider == Territory.SMSProvider.none {
            error = "Le territoire n'envoie pas de SMS (fournisseur « Aucun ») : choisissez un fournisseur et enregistrez d'abord."
        } else {
            error = nil
        }
        guard let number, error == nil else {
            var layout = agent.layout(exchange)
            layout.hasErrors = true
            let input = SMSSettingsPage.Input(provider: stored.provider, configuration: stored.configuration)
            return try responses.page(
                try page(territory, input: input, stored: stored, testPhone: raw, testError: error), layout: layout,
                status: HTTPStatus(422))
        }
        try db.planTestSMS(
            territoryID: territory.id, to: number.e164,
            text: "Ceci est un SMS de test de RDV Service Public pour le territoire \(territory.name). S'il vous parvient, l'envoi des SMS fonctionne.",
            now: clock.now)
        sessions.setFlash(.testSMSPlanned, &exchange)
        return responses.redirect(.territory(id: territory.id, .sms))
    }

    /// The territory's saved provider and configuration, read and opened once per request.
    private func stored(_ territory: TerritorySettingsRecord) throws
        -> (provider: Territory.SMSProvider?, configuration: SMSProviderConfiguration?)
    {
        let settings = try db.smsSettings(territoryID: territory.id)
        return (
            settings?.provider.flatMap(Territory.SMSProvider.init(rawValue:)),
            try settings?.sealedConfiguration.map(db.openSMSConfiguration)
        )
    }

    private func page(
        _ territory: TerritorySettingsRecord, input: SMSSettingsPage.Input,
        stored: (provider: Territory.SMSProvider?, configuration: SMSProviderConfiguration?), errors: [String: String] = [:],
        testPhone: String = "", testError: String? = nil
    ) throws -> SMSSettingsPage {
        let hasStoredKey = { if case .httpJSON = stored.configuration { true } else { false } }()
        return SMSSettingsPage.load(
            territoryID: territory.id, input: input, hasStoredKey: hasStoredKey,
            attempts: try db.testSMSAttempts(territoryID: territory.id),
            zone: TimeZone(identifier: territory.timeZone) ?? StatisticsController.nationalZone, errors: errors,
            testPhone: testPhone, testError: testError)
    }

    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> TerritorySettingsRecord {
        guard let territory = try db.territorySettings(id: try agent.configurableTerritoryID(exchange)) else {
            throw WebError.noAccess
        }
        return territory
    }
}
