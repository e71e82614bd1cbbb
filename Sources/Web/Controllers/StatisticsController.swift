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
        try publicPage(exchange, .everything, zone: Self.nationalZone) { content in
            StatisticsPage(
                heading: "Statistiques de RDV Service Public",
                intro: "Les rendez-vous pris avec les services publics de tous les territoires.", content: content)
        }
    }

    func territory(_ exchange: inout Exchange) throws -> HTTPResponse {
        let number = exchange.parameters.values["departement_number"] ?? ""
        guard let territory = try db.statisticsTerritory(departementNumber: number) else { throw WebError.notFound }
        return try publicPage(
            exchange, .territory(id: territory.id), zone: TimeZone(identifier: territory.timeZone) ?? Self.nationalZone
        ) { content in
            StatisticsPage(
                heading: "Statistiques du territoire \(territory.name)",
                intro: "Les rendez-vous pris avec les services du territoire \(territory.name) (\(number)).", content: content)
        }
    }

    /// A public page: for an anonymous visitor without a flash the whole page is the same for
    /// everyone, so its bytes are cached with the figures (rendering ~2,000 SVG shapes and
    /// table cells costs more than the cache lookup by far).
    private func publicPage(
        _ exchange: Exchange, _ scope: StatisticsScope, zone: TimeZone, page: (StatisticsPage.Content) -> StatisticsPage
    ) throws -> HTTPResponse {
        let layout = exchange.layout
        guard layout.signedInAgent == nil, layout.flash == nil else {
            return try responses.page(page(try content(scope, zone: zone)), layout: layout)
        }
        let bytes = try cache.page(scope, variant: layout.simulatedClock ?? "", now: clock.now) {
            Array(try responses.templates.render(page(try content(scope, zone: zone)), layout: layout).utf8)
        }
        return PageResponses.html(bytes, status: .ok)
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
/// recomputed, and past `capacity` scopes the oldest entries go. Each entry keeps the figures
/// and the anonymous renderings of its page (by simulated-clock banner). Two requests arriving
/// together on a cold scope may both compute it; they store the same figures.
final class StatisticsCache: Sendable {
    static let lifetime: TimeInterval = 24 * 3600
    static let capacity = 256

    struct Entry {
        let computedAt: Date
        let content: StatisticsPage.Content
        var pages: [String: [UInt8]] = [:]
    }

    private let entries = Mutex<[StatisticsScope: Entry]>([:])

    private func fresh(_ scope: StatisticsScope, now: Date) -> Entry? {
        guard let entry = entries.withLock({ $0[scope] }), entry.computedAt <= now,
            now.timeIntervalSince(entry.computedAt) < Self.lifetime
        else { return nil }
        return entry
    }

    func content(
        _ scope: StatisticsScope, now: Date, compute: () throws -> StatisticsPage.Content
    ) throws -> StatisticsPage.Content {
        if let entry = fresh(scope, now: now) { return entry.content }
        let content = try compute()
        entries.withLock { entries in
            if entries.count >= Self.capacity {
                let oldest = entries.sorted { $0.value.computedAt < $1.value.computedAt }.prefix(Self.capacity / 4)
                for (key, _) in oldest { entries[key] = nil }
            }
            entries[scope] = Entry(computedAt: now, content: content)
        }
        return content
    }

    /// The page's bytes for `variant`, rendered by `render` (which fills the entry through
    /// `content` first) when the entry has none.
    func page(_ scope: StatisticsScope, variant: String, now: Date, render: () throws -> [UInt8]) throws -> [UInt8] {
        if let bytes = fresh(scope, now: now)?.pages[variant] { return bytes }
        let bytes = try render()
        entries.withLock { entries in
            if entries[scope] != nil, (entries[scope]?.pages.count ?? 0) < 8 { entries[scope]?.pages[variant] = bytes }
        }
        return bytes
    }
}
