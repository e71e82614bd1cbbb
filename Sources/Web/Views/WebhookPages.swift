import Domain
import Foundation
import Persistence

/// « Espace admin » → « Webhooks » (admin.md §3, notifications.md §13): the endpoints of the
/// territory's organisations and the creation form.
public struct WebhookIndexPage: PageModel, Equatable {
    public static let template = "webhooks/index"

    public struct Row: Sendable, Equatable {
        public let organisation: String
        public let targetURL: String
        public let subscriptions: String
        public let deliveries: String
        public let path: String
    }

    public let rows: [Row]
    public let hasRows: Bool
    public let formPath: String
    public let organisationField: SelectField
    public let urlField: FormField
    public let subscriptionsField: ChoiceGroup
    public let replay: Bool

    static let labels = ["organisation_id": "Organisation", "target_url": "Adresse de réception", "subscriptions": "Abonnements"]

    /// notifications.md §13 models, as an administrator names them.
    static let modelLabels: [String: String] = [
        "rdv": "RDV", "absence": "Indisponibilités", "plage_ouverture": "Plages d'ouverture", "user": "Usagers",
        "user_profile": "Rattachements des usagers aux organisations", "organisation": "Organisation", "motif": "Motifs",
        "lieu": "Lieux", "agent": "Agents", "agent_role": "Rôles des agents", "referent_assignation": "Référents",
    ]

    static func subscriptionsField(_ selected: [String], error: String?) -> ChoiceGroup {
        ChoiceGroup(
            id: "subscriptions", name: "subscriptions[]", legend: labels["subscriptions"] ?? "",
            hint: "Les enregistrements envoyés à chaque création, modification ou suppression",
            options: AppDatabase.webhookModels.map {
                .init(id: "subscription-\($0)", value: $0, label: modelLabels[$0] ?? $0, isSelected: selected.contains($0))
            }, error: error)
    }

    static func deliveries(_ endpoint: WebhookEndpointRow) -> String {
        func count(_ value: Int, _ one: String, _ many: String) -> String { "\(value) \(value > 1 ? many : one)" }
        return [
            count(endpoint.sent, "envoyé", "envoyés"), count(endpoint.pending, "en attente", "en attente"),
            count(endpoint.failed, "en échec", "en échec"),
        ].joined(separator: ", ")
    }

    static func load(
        territoryID: Int64, endpoints: [WebhookEndpointRow], organisations: [NamedOption],
        input: (organisationID: String, targetURL: String, subscriptions: [String], replay: Bool) = (
            "", "", ["rdv", "absence", "plage_ouverture"], true
        ),
        errors: [String: String] = [:]
    ) -> WebhookIndexPage {
        WebhookIndexPage(
            rows: endpoints.map { endpoint in
                Row(
                    organisation: endpoint.organisationName, targetURL: endpoint.targetURL,
                    subscriptions: endpoint.subscriptions.map { modelLabels[$0] ?? $0 }.joined(separator: ", "),
                    deliveries: deliveries(endpoint),
                    path: SiteURL.territory(id: territoryID, .webhook(id: endpoint.id)).path)
            }, hasRows: !endpoints.isEmpty, formPath: SiteURL.territory(id: territoryID, .webhooks).path,
            organisationField: SelectField(
                id: "organisation_id", label: labels["organisation_id"] ?? "",
                options: organisations.map { .init(value: "\($0.id)", label: $0.name, isSelected: "\($0.id)" == input.organisationID) },
                error: errors["organisation_id"]),
            urlField: FormField(
                name: "target_url", label: labels["target_url"] ?? "", type: "url", value: input.targetURL,
                hint: "L'adresse https:// du système partenaire qui reçoit les événements", required: true,
                error: errors["target_url"]),
            subscriptionsField: subscriptionsField(input.subscriptions, error: errors["subscriptions"]),
            replay: input.replay)
    }
}

/// One endpoint: its address and subscriptions, « Régénérer le secret », « Rejouer les
/// événements », « Supprimer le webhook ».
public struct WebhookShowPage: PageModel, Equatable {
    public static let template = "webhooks/show"

    public let heading: String
    public let backPath: String
    public let path: String
    public let secretPath: String
    public let replayPath: String
    public let urlField: FormField
    public let subscriptionsField: ChoiceGroup
    public let deliveries: String
    public let replayMessage: String?

    static func load(
        territoryID: Int64, endpoint: WebhookEndpointRow, targetURL: String? = nil, subscriptions: [String]? = nil,
        errors: [String: String] = [:], replayMessage: String? = nil
    ) -> WebhookShowPage {
        let path = SiteURL.territory(id: territoryID, .webhook(id: endpoint.id)).path
        return WebhookShowPage(
            heading: "Webhook de \(endpoint.organisationName)", backPath: SiteURL.territory(id: territoryID, .webhooks).path,
            path: path, secretPath: SiteURL.territory(id: territoryID, .webhookSecret(id: endpoint.id)).path,
            replayPath: SiteURL.territory(id: territoryID, .webhookReplay(id: endpoint.id)).path,
            urlField: FormField(
                name: "target_url", label: WebhookIndexPage.labels["target_url"] ?? "", type: "url",
                value: targetURL ?? endpoint.targetURL, required: true, error: errors["target_url"]),
            subscriptionsField: WebhookIndexPage.subscriptionsField(
                subscriptions ?? endpoint.subscriptions, error: errors["subscriptions"]),
            deliveries: WebhookIndexPage.deliveries(endpoint), replayMessage: replayMessage)
    }

    /// « 42 événements created planifiés (RDV : 40, Motifs : 2). »
    static func replayMessage(_ replay: WebhookReplay) -> String {
        let total = replay.planned.values.reduce(0, +)
        let details = AppDatabase.webhookModels.compactMap { model in
            replay.planned[model].map { "\(WebhookIndexPage.modelLabels[model] ?? model) : \($0)" }
        }
        var message = "\(total) événement\(total > 1 ? "s" : "") « created » planifié\(total > 1 ? "s" : "")"
        if !details.isEmpty { message += " (\(details.joined(separator: ", ")))" }
        message += "."
        return message
    }
}

/// The secret, shown once: after « Créer le webhook » and « Régénérer le secret ».
public struct WebhookSecretPage: PageModel, Equatable {
    public static let template = "webhooks/secret"

    public let heading: String
    public let secret: String
    public let path: String
    public let backPath: String
}
