// HummingbirdGRDB: the peer of RDV's availability API for `make bench-app`.
//
//   GET /health                      -> 200 "ok"
//   GET /api/v1/creneaux?motif_id=N  -> the same motif lookup as RDV (motif, organisation,
//                                       territory; one indexed query): 404
//                                       {"error":"motif introuvable"} when unknown, 400 when
//                                       motif_id is missing or not a positive integer, and
//                                       200 {"creneaux":[]} otherwise (no slot search: only
//                                       the lookup is compared).
//
//   GET /api/v1/organisations/:id/users?page=N
//                                    -> `make bench-api`: a page of 100 users with a profile in
//                                       the organisation, in the api.md §7 user shape, and the §3
//                                       `meta`; no authentication (RDV checks a token, logs the call).
//
// Usage: HummingbirdGRDB --database PATH [--host HOST] [--port PORT] [--log-level LEVEL]
// Written the way a Hummingbird 2 + GRDB 7 application ordinarily is: a DatabasePool, async
// reads, a Codable response encoded by Hummingbird's JSON encoder.
import Foundation
import GRDB
import Hummingbird
import Logging

func option(_ name: String, default fallback: String?) -> String? {
    let args = CommandLine.arguments
    if let index = args.firstIndex(of: name), index + 1 < args.count { return args[index + 1] }
    return fallback
}

struct APIError: HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    struct Body: Encodable { let error: String }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try JSONEncoder().encode(Body(error: message), from: request, context: context)
        response.status = status
        return response
    }
}

struct Slots: ResponseEncodable {
    struct Slot: Codable {
        let starts_at: String
        let ends_at: String
        let lieu_id: Int64?
    }
    let creneaux: [Slot]
}

struct OrganisationJSON: Codable {
    let id: Int64
    let name: String
    let phone_number: String?
    let email: String?
    let website: String?
    let verticale: String
}

struct UserJSON: Codable {
    struct Profile: Codable { let organisation: OrganisationJSON }
    let id: Int64
    let first_name: String
    let birth_name: String?
    let last_name: String
    let email: String?
    let address: String?
    let phone_number: String?
    let phone_number_formatted: String?
    let birth_date: String?
    let responsible_id: Int64?
    let caisse_affiliation: String?
    let affiliation_number: String?
    let family_situation: String?
    let number_of_children: Int64?
    let notify_by_sms: Bool
    let notify_by_email: Bool
    let invitation_created_at: String?
    let invitation_accepted_at: String?
    let created_at: String?
    let case_number: String?
    let address_details: String?
    let logement: String?
    let notes: String?
    let responsible: ResponsibleJSON?
    let user_profiles: [Profile]
}

/// A nested responsible (a struct cannot hold itself): the same fields, without its own.
final class ResponsibleJSON: Codable, Sendable {
    let user: UserJSON
    init(_ user: UserJSON) { self.user = user }
    func encode(to encoder: any Encoder) throws { try user.encode(to: encoder) }
    init(from decoder: any Decoder) throws { user = try UserJSON(from: decoder) }
}

struct UsersPage: ResponseEncodable {
    struct Meta: Codable {
        let current_page: Int
        let next_page: Int?
        let prev_page: Int?
        let total_pages: Int
        let total_count: Int
    }
    let users: [UserJSON]
    let meta: Meta
}

/// `2026-06-01T09:00:00.000+01:00`, as RDV writes instants (api.md §1), in the territory's zone.
func timestamp(_ epoch: Int64?, _ zone: TimeZone) -> String? {
    guard let epoch else { return nil }
    let formatter = ISO8601DateFormatter()
    formatter.timeZone = zone
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(epoch)))
}

/// The page the ordinary way: the page's users, then their profiles' organisations and their
/// responsibles in two more queries.
func usersPage(_ db: Database, organisationID: Int64, page: Int) throws -> UsersPage {
    let total = try Int.fetchOne(
        db.cachedStatement(
            sql: """
                SELECT count(*) FROM users u WHERE u.deleted_at IS NULL
                AND u.id IN (SELECT user_id FROM user_profiles WHERE organisation_id = ?)
                """), arguments: [organisationID]) ?? 0
    let zoneName = try String.fetchOne(
        db.cachedStatement(
            sql: "SELECT t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id WHERE o.id = ?"),
        arguments: [organisationID]) ?? "Europe/Paris"
    let zone = TimeZone(identifier: zoneName) ?? .current
    let rows = try Row.fetchAll(
        db.cachedStatement(
            sql: """
                SELECT u.* FROM users u WHERE u.deleted_at IS NULL
                AND u.id IN (SELECT user_id FROM user_profiles WHERE organisation_id = ?)
                ORDER BY u.id LIMIT 100 OFFSET ?
                """), arguments: [organisationID, (page - 1) * 100])
    let ids = rows.map { $0["id"] as Int64 }
    let responsibleIDs = rows.compactMap { $0["responsible_id"] as Int64? }
    let idList = "[" + (ids + responsibleIDs).map(String.init).joined(separator: ",") + "]"
    var organisations: [Int64: [OrganisationJSON]] = [:]
    for row in try Row.fetchAll(
        db.cachedStatement(
            sql: """
                SELECT p.user_id, o.id, o.name, o.phone_number, o.email, o.website, o.verticale FROM user_profiles p
                JOIN organisations o ON o.id = p.organisation_id
                WHERE p.user_id IN (SELECT value FROM json_each(?)) AND p.organisation_id = ?
                ORDER BY o.id
                """), arguments: [idList, organisationID])
    {
        organisations[row["user_id"], default: []].append(
            OrganisationJSON(
                id: row["id"], name: row["name"], phone_number: row["phone_number"], email: row["email"],
                website: row["website"], verticale: row["verticale"]))
    }
    var responsibles: [Int64: Row] = [:]
    for row in try Row.fetchAll(
        db.cachedStatement(sql: "SELECT * FROM users WHERE id IN (SELECT value FROM json_each(?))"),
        arguments: ["[" + responsibleIDs.map(String.init).joined(separator: ",") + "]"])
    {
        responsibles[row["id"]] = row
    }
    func user(_ row: Row, nested: Bool) -> UserJSON {
        let id: Int64 = row["id"]
        let responsible = nested ? nil : (row["responsible_id"] as Int64?).flatMap { responsibles[$0] }
        return UserJSON(
            id: id, first_name: row["first_name"], birth_name: row["birth_name"], last_name: row["last_name"],
            email: row["email"], address: row["address"], phone_number: row["phone_number"],
            phone_number_formatted: row["phone_number_formatted"], birth_date: row["birth_date"],
            responsible_id: row["responsible_id"], caisse_affiliation: row["caisse_affiliation"],
            affiliation_number: row["affiliation_number"], family_situation: row["family_situation"],
            number_of_children: row["number_of_children"], notify_by_sms: row["notify_by_sms"],
            notify_by_email: row["notify_by_email"], invitation_created_at: timestamp(row["invitation_created_at"], zone),
            invitation_accepted_at: timestamp(row["invitation_accepted_at"], zone),
            created_at: timestamp(row["created_at"], zone), case_number: row["case_number"],
            address_details: row["address_details"], logement: row["logement"], notes: row["notes"],
            responsible: responsible.map { ResponsibleJSON(user($0, nested: true)) },
            user_profiles: (organisations[id] ?? []).map(UserJSON.Profile.init))
    }
    let pages = max(1, (total + 99) / 100)
    return UsersPage(
        users: rows.map { user($0, nested: false) },
        meta: .init(
            current_page: page, next_page: page < pages ? page + 1 : nil, prev_page: page > 1 ? page - 1 : nil,
            total_pages: pages, total_count: total))
}

struct Motif {
    let id: Int64
    let timeZone: String
}

func runServer() async throws {
    guard let path = option("--database", default: nil) else {
        FileHandle.standardError.write(Data("usage: HummingbirdGRDB --database PATH [--host H] [--port P]\n".utf8))
        exit(64)
    }
    let host = option("--host", default: "127.0.0.1")!
    let port = Int(option("--port", default: "8085")!) ?? 8085
    var logger = Logger(label: "HummingbirdGRDB")
    logger.logLevel = Logger.Level(rawValue: option("--log-level", default: "warning")!) ?? .warning

    var configuration = Configuration()
    configuration.readonly = true
    let pool = try DatabasePool(path: path, configuration: configuration)

    let router = Router()
    router.get("health") { _, _ in "ok" }
    router.get("api/v1/creneaux") { request, _ -> Slots in
        guard let text = request.uri.queryParameters["motif_id"], !text.isEmpty else {
            throw APIError(status: .badRequest, message: "motif_id est obligatoire")
        }
        guard let id = Int64(String(text)), id > 0 else {
            throw APIError(status: .badRequest, message: "motif_id doit être un entier")
        }
        let motif = try await pool.read { db -> Motif? in
            try Row.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT m.id, t.time_zone
                        FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                        JOIN territories t ON t.id = o.territory_id
                        WHERE m.id = ? AND m.deleted_at IS NULL
                        """), arguments: [id]
            ).map { Motif(id: $0["id"], timeZone: $0["time_zone"]) }
        }
        guard motif != nil else { throw APIError(status: .notFound, message: "motif introuvable") }
        return Slots(creneaux: [])
    }

    router.get("api/v1/organisations/:id/users") { request, context -> UsersPage in
        guard let id = context.parameters.get("id", as: Int64.self) else {
            throw APIError(status: .notFound, message: "Organisation introuvable")
        }
        let page = request.uri.queryParameters["page"].flatMap { Int(String($0)) } ?? 1
        guard page >= 1 else { throw APIError(status: .badRequest, message: "page doit être un entier positif") }
        return try await pool.read { db in try usersPage(db, organisationID: id, page: page) }
    }

    let app = Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "HummingbirdGRDB"),
        logger: logger)
    try await app.runService()
}

try await runServer()
