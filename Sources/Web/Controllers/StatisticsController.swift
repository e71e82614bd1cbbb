import Domain
import Foundation
import HTTP
import Persistence
import Synchronization

/// « Statistiques » (admin.md §7): public for every territory and for one territory; the
/// organisation's for its admins (`OrganisationPolicy.update`); an agent's for itself and the
/// admins of its organisations (`AgentPolicy.statistics`). Figures are cached 24 hours.
struct StatisticsController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let cache = StatisticsCache()

    /// Metropolitan time for the national page; a territory's pages use its own zone.
    static let nationalZone = TimeZone(identifier: "Europe/Paris") ?? .gmt

    func everything(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(
            StatisticsPage(
                heading: "Statistiques de RDV Service Public",
                intro: "Les rendez-vous pris avec les services publics de tous les territoires.",
                content: content(.everything, zone: Self.nationalZone)),
            layout: exchange.layout)
    }

    func territory(_ exchange: inout Exchange) throws -> HTTPResponse {
        let number = exchange.parameters.values["departement_number"] ?? ""
        guard let territory = try db.statisticsTerritory(departementNumber: number) else { throw WebError.notFound }
        return try responses.page(
            StatisticsPage(
                heading: "Statistiques du territoire \(territory.name)",
                intro: "Les rendez-vous pris avec les services du territoire \(territory.name) (\(number)).",
                content: content(.territory(id: territory.id), zone: TimeZone(identifier: territory.timeZone) ?? Self.nationalZone)),
            layout: exchange.layout)
    }

    func organisation(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(OrganisationPolicy.update(agent.principal, organisationID: organisationID))
        guard let organisation = agent.memberships.first(where: { $0.id == organisationID }) else { throw WebError.noAccess }
        return try responses.page(
            StatisticsPage(
                heading: "Statistiques de \(organisation.name)",
                intro: "Les rendez-vous de l'organisation, tous services confondus.",
                content: content(.organisation(id: organisationID), zone: try db.timeZone(organisationID: organisationID))),
            layout: agent.layout(exchange))
    }

    func agent(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        guard let target = try db.agendaAgents(ids: [exchange.parameters.id("agent_id")]).first,
            target.view.organisationIDs.contains(organisationID)
        else { throw WebError.noAccess }
        try authorize(AgentPolicy.statistics(agent.principal, target.view))
        let name = target.displayName
        return try responses.page(
            StatisticsPage(
                heading: target.id == agent.account.id ? "Mes statistiques" : "Statistiques de \(name)",
                intro: "Les rendez-vous dont \(target.id == agent.account.id ? "vous êtes" : "\(name) est") l'un des agents, dans toutes ses organisations.",
                content: content(.agent(id: target.id), zone: try db.timeZone(organisationID: organisationID))),
            layout: agent.layout(exchange))
    }

    private func content(_ scope: StatisticsScope, zone: TimeZone) throws -> StatisticsPage.Content {
        let now = clock.now
        return try cache.content(scope, now: now) {
            StatisticsPage.content(try db.statistics(scope, now: now, zone: zone), zone: zone)
        }
    }
}

/// admin.md §7: "cached 24 h". Keyed by scope and bounded: an entry older than a day is
/// recomputed, and past `capacity` scopes the oldest entries go. Two requests arriving together
/// on a cold scope may both compute it; they store the same figures.
final class StatisticsCache: Sendable {
    static let lifetime: TimeInterval = 24 * 3600
    static let capacity = 256

    private let entries = Mutex<[StatisticsScope: (computedAt: Date, content: StatisticsPage.Content)]>([:])

    func content(
        _ scope: StatisticsScope, now: Date, compute: () throws -> StatisticsPage.Content
    ) throws -> StatisticsPage.Content {
        if let entry = entries.withLock({ $0[scope] }), now.timeIntervalSince(entry.computedAt) < Self.lifetime,
            entry.computedAt <= now
        {
            return entry.content
        }
        let content = try compute()
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                let oldest = entries.sorted { $0.value.computedAt < $1.value.computedAt }.prefix(Self.capacity / 4)
                for (key, _) in oldest { entries[key] = nil }
            }
            entries[scope] = (now, content)
        }
        return content
    }
}
