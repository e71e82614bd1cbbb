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

    let app = Application(
        router: router, configuration: .init(address: .hostname(host, port: port), serverName: "HummingbirdGRDB"),
        logger: logger)
    try await app.runService()
}

try await runServer()
