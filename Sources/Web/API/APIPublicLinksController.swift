import Domain
import Foundation
import HTTP
import Persistence
import Synchronization

/// `GET /api/v1/public_links?territory=<departement_number>` (api.md §8): the public links of a
/// territory's organisations, each answer kept one minute.
final class APIPublicLinksController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let links: SiteLinks
    static let cacheLifetime: TimeInterval = 60
    private let cache = Mutex<[String: (at: Date, body: [UInt8])]>([:])

    init(db: AppDatabase, clock: any Clock, links: SiteLinks) {
        self.db = db
        self.clock = clock
        self.links = links
    }

    func index(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let territory = exchange.query["territory"]?.trimmingCharacters(in: .whitespaces), !territory.isEmpty else {
            throw WebError.api(.badRequest, "territory est obligatoire")
        }
        let now = clock.now
        if let cached = cache.withLock({ $0[territory] }), now.timeIntervalSince(cached.at) < Self.cacheLifetime,
            now >= cached.at
        {
            return Self.response(cached.body)
        }
        let items = try db.publicLinkOrganisations(departementNumber: territory, now: now).map { externalID -> JSONValue in
            let path = SiteURL.Pattern.externalPublicLink.path([
                "departement_number": Self.escaped(territory), "external_id": Self.escaped(externalID),
            ])
            return .object([("external_id", .string(externalID)), ("public_link", .string(links.absolute(path)))])
        }
        let body = JSONValue.object([("public_links", .array(items))]).bytes
        cache.withLock { cache in
            // Bounded: about a hundred territories; anything more is a caller inventing them.
            if cache.count > 1_000 { cache.removeAll() }
            cache[territory] = (now, body)
        }
        return Self.response(body)
    }

    static func response(_ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(
            status: .ok, headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=60"],
            body: .bytes(body))
    }

    /// A path segment, percent-encoded (RFC 3986 §3.3 unreserved characters kept).
    static func escaped(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? text
    }
}
