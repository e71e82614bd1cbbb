import Cryptography
import Domain
import Foundation
import GRDB
import HTTP
import HTTPTestSupport
import Logging
@_spi(RawDatabase) @testable import Persistence
import Testing

@testable import Web

/// The API v1 (api.md) over real sockets, on contracts.md's example document plus a second
/// organisation where a basic agent and a user of their own live, with the clock pinned.
@Suite("Partner API v1", .serialized)
struct PartnerAPITests {
    static let now = Date(timeIntervalSince1970: 1_619_762_400)  // 2021-04-30T06:00:00Z
    static let password = "un mot de passe long"
    static let secret = "le secret partagé des partenaires"

    struct Server {
        let port: UInt16
        let ids: [String: Int64]
        let db: AppDatabase

        func call(
            _ method: String, _ path: String, headers: [String: String] = [:], json: String? = nil,
            form: [(String, String)]? = nil
        ) throws -> WireResponse {
            try Browser(port: port).request(
                method, path, form: form, headers: headers, rawBody: json, contentType: json == nil ? nil : "application/json")
        }

        /// Signs `email` in and returns the three headers of api.md §2.
        func signIn(_ email: String = "agent@example.fr") throws -> [String: String] {
            let response = try call("POST", "/api/v1/auth/sign_in", json: #"{"email": "\#(email)", "password": "\#(password)"}"#)
            #expect(response.status == 200, "\(response.text)")
            return [
                "access-token": try #require(response.header("access-token")), "client": try #require(response.header("client")),
                "uid": try #require(response.header("uid")),
            ]
        }
    }

    static func fixture() throws -> InterchangeDocument {
        let data = try Data(
            contentsOf: packageRoot.appendingPathComponent("Tests/PersistenceTests/Fixtures/contract-example.json"))
        var document = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func append(_ key: String, _ item: [String: Any]) {
            document[key] = ((document[key] as? [[String: Any]]) ?? []) + [item]
        }
        append("organisations", ["ref": "o2", "territory": "t62", "name": "MDS Lens"])
        append("agents", [
            "ref": "b1", "email": "bruno@example.fr", "first_name": "Bruno", "last_name": "Petit", "password": password,
            "services": ["pmi"], "roles": [["organisation": "o2", "access_level": "basic"]],
        ])
        append("users", ["ref": "u2", "first_name": "Lucie", "last_name": "Durand", "organisations": ["o2"]])
        return try InterchangeDecoding.decode(try JSONSerialization.data(withJSONObject: document))
    }

    func withAPI(sharedSecret: String? = nil, _ body: (Server) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("rdv-partner-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let db = try AppDatabase(
            path: directory.appendingPathComponent("rdv.sqlite3").path,
            migrations: MigrationSet(directory: packageRoot.appendingPathComponent("Migrations")))
        let ids = try db.importDocument(try Self.fixture(), clock: FixedClock(Self.now))
        var settings = WebSettings(publicURL: "https://rdv.example.fr")
        settings.sharedSecretForAgentsAuth = sharedSecret
        let app = WebApplication(
            db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
            staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: FixedClock(Self.now),
            settings: settings)
        var configuration = ServerConfiguration()
        configuration.port = 0
        configuration.eventLoopCount = 1
        var logger = Logger(label: "partner-api")
        logger.logLevel = .critical
        let server = try HTTPServer(configuration: configuration, responder: app, logger: logger)
        server.start()
        defer {
            server.shutdown()
            server.waitUntilStopped()
        }
        try body(Server(port: server.port, ids: ids, db: db))
    }

    static let unauthenticated = #"{"errors":["Vous devez vous connecter ou vous inscrire pour continuer."]}"#

    // MARK: Authentication (api.md §2)

    @Test func signInAnswersTheTokenHeadersAndTheAgent() throws {
        try withAPI { api in
            let response = try api.call(
                "POST", "/api/v1/auth/sign_in", json: #"{"email": "agent@example.fr", "password": "\#(Self.password)"}"#)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json; charset=utf-8")
            #expect(response.header("uid") == "agent@example.fr")
            #expect(response.header("token-type") == "Bearer")
            #expect(response.header("Cache-Control") == "no-store")
            #expect(response.header("expiry") == "1619848800")  // now + 24 h
            #expect(response.header("access-token")?.count == 22)
            #expect(response.header("client")?.count == 22)
            let a1 = try #require(api.ids["a1"])
            #expect(
                response.text
                    == #"{"data":{"id":\#(a1),"email":"agent@example.fr","first_name":"Alice","last_name":"Martin","inclusion_connect_open_id_sub":null}}"#
            )
            // Only the token's hash is stored.
            let token = try #require(response.header("access-token"))
            let stored = try api.db.writer.read { db in try Data.fetchOne(db, sql: "SELECT token_hash FROM api_tokens") }
            #expect(stored == Data(Digest.sha256(Array(token.utf8))))
        }
    }

    @Test func signInTakesAFormBodyToo() throws {
        try withAPI { api in
            let response = try api.call(
                "POST", "/api/v1/auth/sign_in", form: [("email", "agent@example.fr"), ("password", Self.password)])
            #expect(response.status == 200)
            #expect(response.header("uid") == "agent@example.fr")
        }
    }

    @Test func aWrongPasswordIsRefusedWithTheSpecBody() throws {
        try withAPI { api in
            let response = try api.call(
                "POST", "/api/v1/auth/sign_in", json: #"{"email": "agent@example.fr", "password": "pas le bon"}"#)
            #expect(response.status == 401)
            #expect(response.text == #"{"success":false,"errors":["Identifiants de connexion invalides."]}"#)
            #expect(response.header("access-token") == nil)
            let failures = try api.db.writer.read { db in
                try Int.fetchOne(db, sql: "SELECT failed_sign_in_count FROM agents WHERE email = 'agent@example.fr'")
            }
            #expect(failures == 1)
        }
    }

    @Test func callsWithoutValidCredentialsAre401() throws {
        try withAPI { api in
            #expect(try api.call("GET", "/api/v1/organisations").text == Self.unauthenticated)
            var headers = try api.signIn()
            headers["access-token"] = "AAAAAAAAAAAAAAAAAAAAAA"
            let wrong = try api.call("GET", "/api/v1/organisations", headers: headers)
            #expect(wrong.status == 401)
            #expect(wrong.text == Self.unauthenticated)
        }
    }

    @Test func validateTokenThenSignOutRevokesTheToken() throws {
        try withAPI { api in
            let headers = try api.signIn()
            let valid = try api.call("GET", "/api/v1/auth/validate_token", headers: headers)
            #expect(valid.status == 200)
            #expect(valid.text.hasPrefix(#"{"success":true,"data":{"id":\#(try #require(api.ids["a1"])),"email":"agent@example.fr""#))
            let out = try api.call("DELETE", "/api/v1/auth/sign_out", headers: headers)
            #expect(out.status == 200)
            #expect(out.text == #"{"success":true}"#)
            let after = try api.call("GET", "/api/v1/auth/validate_token", headers: headers)
            #expect(after.status == 401)
        }
    }

    @Test func eachClientHasItsOwnToken() throws {
        try withAPI { api in
            let first = try api.signIn()
            let second = try api.signIn()
            #expect(first["client"] != second["client"])
            _ = try api.call("DELETE", "/api/v1/auth/sign_out", headers: second)
            #expect(try api.call("GET", "/api/v1/auth/validate_token", headers: first).status == 200)
            #expect(try api.call("GET", "/api/v1/auth/validate_token", headers: second).status == 401)
        }
    }

    @Test func theSharedSecretSignatureAuthenticatesWhenConfigured() throws {
        let a1Payload = { (id: Int64) in #"{"id":\#(id),"first_name":"Alice","last_name":"Martin","email":"agent@example.fr"}"# }
        try withAPI(sharedSecret: Self.secret) { api in
            let a1 = try #require(api.ids["a1"])
            let signature = Digest.hex(Digest.hmacSHA256(key: Array(Self.secret.utf8), Array(a1Payload(a1).utf8)))
            let signed = try api.call(
                "GET", "/api/v1/organisations", headers: ["uid": "agent@example.fr", "X-Agent-Auth-Signature": signature])
            #expect(signed.status == 200, "\(signed.text)")
            let forged = try api.call(
                "GET", "/api/v1/organisations",
                headers: ["uid": "bruno@example.fr", "X-Agent-Auth-Signature": signature])
            #expect(forged.status == 401)
            let calls = try api.db.writer.read { db in
                try Row.fetchAll(db, sql: "SELECT authentication_type, response_status FROM api_calls")
            }
            #expect(calls.map { "\($0["authentication_type"] as String) \($0["response_status"] as Int)" } == ["shared_secret 200"])
        }
        // Without the setting, a signature proves nothing.
        try withAPI { api in
            let response = try api.call(
                "GET", "/api/v1/organisations", headers: ["uid": "agent@example.fr", "X-Agent-Auth-Signature": "00"])
            #expect(response.status == 401)
        }
    }

    @Test func everyAuthenticatedCallIsLogged() throws {
        try withAPI { api in
            let headers = try api.signIn()
            let o1 = try #require(api.ids["o1"])
            _ = try api.call("GET", "/api/v1/organisations/\(o1)", headers: headers)
            _ = try api.call("GET", "/api/v1/rdvs/999999", headers: headers)
            let calls = try api.db.writer.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT method, path, controller, action, agent_id, response_status FROM api_calls ORDER BY id")
            }
            let a1 = try #require(api.ids["a1"])
            #expect(
                calls.map { "\($0["method"] as String) \($0["path"] as String) \($0["controller"] as String)#\($0["action"] as String) \($0["agent_id"] as Int64) \($0["response_status"] as Int)" }
                    == ["GET /api/v1/organisations/\(o1) organisations#show \(a1) 200", "GET /api/v1/rdvs/999999 rdvs#show \(a1) 404"])
        }
    }

    // MARK: Reads (api.md §6, §7)

    @Test func organisationsAreTheAgentsOwnWithThePaginationMeta() throws {
        try withAPI { api in
            let o1 = try #require(api.ids["o1"])
            let response = try api.call("GET", "/api/v1/organisations", headers: try api.signIn())
            #expect(
                response.text
                    == #"{"organisations":[{"id":\#(o1),"name":"MDS Arras","phone_number":"0321000000","email":"mds.arras@example.fr","website":null,"verticale":"rdv_solidarites"}],"meta":{"current_page":1,"next_page":null,"prev_page":null,"total_pages":1,"total_count":1}}"#
            )
        }
    }

    @Test func organisationsOfAnAddressAreThoseOfItsMostPreciseSector() throws {
        try withAPI { api in
            let o1 = try #require(api.ids["o1"])
            let headers = try api.signIn()
            let arras = try api.call("GET", "/api/v1/organisations?departement_number=62&city_code=62041", headers: headers)
            #expect(arras.text.hasPrefix(#"{"organisations":[{"id":\#(o1),"#))
            let elsewhere = try api.call("GET", "/api/v1/organisations?departement_number=62&city_code=62193", headers: headers)
            #expect(elsewhere.text.hasPrefix(#"{"organisations":[],"#))
            let missing = try api.call("GET", "/api/v1/organisations?street_ban_id=62041_0420", headers: headers)
            #expect(missing.status == 400)
            #expect(missing.text == #"{"missing":"departement_number, city_code"}"#)
        }
    }

    @Test func anOrganisationOutOfScopeIsAbsent() throws {
        try withAPI { api in
            let o2 = try #require(api.ids["o2"])
            let response = try api.call("GET", "/api/v1/organisations/\(o2)", headers: try api.signIn())
            #expect(response.status == 404)
            #expect(response.text == #"{"errors":["Organisation introuvable (id=\#(o2))"]}"#)
            let lieux = try api.call("GET", "/api/v1/organisations/\(o2)/lieux", headers: try api.signIn())
            #expect(lieux.status == 404)
        }
    }

    @Test func lieuxAndMotifsOfAnOrganisation() throws {
        try withAPI { api in
            let (o1, l1, m1) = (try #require(api.ids["o1"]), try #require(api.ids["l1"]), try #require(api.ids["m1"]))
            let headers = try api.signIn()
            let lieux = try api.call("GET", "/api/v1/organisations/\(o1)/lieux", headers: headers)
            #expect(
                lieux.text
                    == #"{"lieux":[{"id":\#(l1),"name":"MDS Centre","address":"10 rue de la Paix, 62000 Arras","phone_number":null,"organisation_id":\#(o1),"single_use":false,"enabled":true,"latitude":50.29,"longitude":2.78}],"meta":{"current_page":1,"next_page":null,"prev_page":null,"total_pages":1,"total_count":1}}"#
            )
            let motifs = try api.call("GET", "/api/v1/organisations/\(o1)/motifs?active=true&bookable_publicly=true", headers: headers)
            #expect(
                motifs.text.hasPrefix(
                    #"{"motifs":[{"id":\#(m1),"name":"Consultation","location_type":"public_office","deleted_at":null,"bookable_publicly":true,"bookable_by":"everyone","service_id":"#
                ), "\(motifs.text)")
            let none = try api.call("GET", "/api/v1/organisations/\(o1)/motifs?bookable_publicly=false", headers: headers)
            #expect(none.text.hasPrefix(#"{"motifs":[],"meta":{"current_page":1,"next_page":null,"prev_page":null,"total_pages":1,"total_count":0}}"#))
            let bad = try api.call("GET", "/api/v1/organisations/\(o1)/motifs?active=peut-etre", headers: headers)
            #expect(bad.status == 400)
            #expect(bad.text == #"{"errors":["active doit valoir true ou false"]}"#)
        }
    }

    @Test func rdvsOfAnOrganisationHaveTheSpecKeysInOrder() throws {
        try withAPI { api in
            let (o1, r1) = (try #require(api.ids["o1"]), try #require(api.ids["r1"]))
            let response = try api.call("GET", "/api/v1/organisations/\(o1)/rdvs?starts_after=2021-05-01", headers: try api.signIn())
            #expect(response.status == 200)
            let rdv = try #require(
                (try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["rdvs"] as? [[String: Any]]
            ).first
            #expect(rdv?["id"] as? Int64 == r1)
            #expect(rdv?["starts_at"] as? String == "2021-05-03T09:00:00.000+02:00")
            #expect(rdv?["address"] as? String == "10 rue de la Paix, 62000 Arras")
            #expect(rdv?["url_for_agents"] as? String == "https://rdv.example.fr/admin/organisations/\(o1)/rdvs/\(r1)")
            // api.md §7's order, read from the raw text (JSONSerialization forgets it).
            let keys = [
                "id", "uuid", "status", "starts_at", "ends_at", "duration_in_min", "address", "context", "cancelled_at",
                "max_participants_count", "users_count", "name", "collectif", "created_by_type", "created_by_id", "created_by",
                "created_at", "url_for_agents", "organisation", "motif", "users", "participations", "agents", "lieu",
            ]
            let text = response.text
            let positions = keys.map { key in text.range(of: "\"\(key)\":")?.lowerBound }
            #expect(positions.allSatisfy { $0 != nil })
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
            let after = try api.call("GET", "/api/v1/organisations/\(o1)/rdvs?starts_after=2021-05-04T00:00:00.000%2B02:00", headers: try api.signIn())
            #expect(after.text.hasPrefix(#"{"rdvs":[],"#))
        }
    }

    @Test func includeLimitsTheAssociationsOfAnRdv() throws {
        try withAPI { api in
            let r1 = try #require(api.ids["r1"])
            let headers = try api.signIn()
            let response = try api.call("GET", "/api/v1/rdvs/\(r1)?include[]=motif&include[]=lieu", headers: headers)
            #expect(response.status == 200)
            let rdv = try #require((try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["rdv"] as? [String: Any])
            #expect(rdv["motif"] != nil)
            #expect(rdv["lieu"] != nil)
            #expect(rdv["organisation"] == nil)
            #expect(rdv["users"] == nil)
            let unknown = try api.call("GET", "/api/v1/rdvs/\(r1)?include[]=secrets", headers: headers)
            #expect(unknown.status == 400)
            #expect(unknown.text == #"{"errors":["include : association inconnue « secrets »"]}"#)
        }
    }

    @Test func anRdvOutOfScopeIsAbsent() throws {
        try withAPI { api in
            let r1 = try #require(api.ids["r1"])
            let response = try api.call("GET", "/api/v1/rdvs/\(r1)", headers: try api.signIn("bruno@example.fr"))
            #expect(response.status == 404)
            #expect(response.text == #"{"errors":["Rdv introuvable (id=\#(r1))"]}"#)
        }
    }

    @Test func usersAreThoseThePoliciesShow() throws {
        try withAPI { api in
            let (o1, u1, u2) = (try #require(api.ids["o1"]), try #require(api.ids["u1"]), try #require(api.ids["u2"]))
            let alice = try api.signIn()
            let one = try api.call("GET", "/api/v1/users/\(u1)", headers: alice)
            #expect(one.status == 200)
            #expect(
                one.text.hasPrefix(
                    #"{"user":{"id":\#(u1),"first_name":"Jean","birth_name":null,"last_name":"Dupont","email":"jean@example.fr","address":"3 rue Ernestale, 62000 Arras","phone_number":"0612345678","phone_number_formatted":"+33612345678","birth_date":"1980-01-01""#
                ), "\(one.text)")
            #expect(one.text.hasSuffix(#""user_profiles":[{"organisation":{"id":\#(o1),"name":"MDS Arras","phone_number":"0321000000","email":"mds.arras@example.fr","website":null,"verticale":"rdv_solidarites"}}]}}"#))
            let other = try api.call("GET", "/api/v1/users/\(u2)", headers: alice)
            #expect(other.text == #"{"errors":["User introuvable (id=\#(u2))"]}"#)
            let list = try api.call("GET", "/api/v1/users?ids[]=\(u1)&ids[]=\(u2)", headers: alice)
            #expect(list.text.hasPrefix(#"{"users":[{"id":\#(u1),"#))
            #expect(list.text.hasSuffix(#""meta":{"current_page":1,"next_page":null,"prev_page":null,"total_pages":1,"total_count":1}}"#))
            let search = try api.call("GET", "/api/v1/organisations/\(o1)/users?search=dupo", headers: alice)
            #expect(search.text.hasPrefix(#"{"users":[{"id":\#(u1),"#))
            // A NUL ends an FTS5 query string: it is dropped, not a 500 (found by schemathesis).
            let nul = try api.call("GET", "/api/v1/organisations/\(o1)/users?search=dup%00o", headers: alice)
            #expect(nul.status == 200)
            #expect(nul.text.hasPrefix(#"{"users":[{"id":\#(u1),"#))
            let inOrganisation = try api.call("GET", "/api/v1/organisations/\(o1)/users/\(u1)", headers: alice)
            #expect(inOrganisation.text == one.text)
            let bruno = try api.signIn("bruno@example.fr")
            #expect(try api.call("GET", "/api/v1/organisations/\(o1)/users/\(u1)", headers: bruno).status == 404)
        }
    }

    @Test func agentsAreThoseInTheCallersScope() throws {
        try withAPI { api in
            let (a1, b1) = (try #require(api.ids["a1"]), try #require(api.ids["b1"]))
            // Alice is territorial admin of the territory: she sees Bruno of MDS Lens.
            let alice = try api.call("GET", "/api/v1/agents", headers: try api.signIn())
            #expect(alice.text.hasPrefix(#"{"agents":[{"id":\#(a1),"email":"agent@example.fr","#))
            #expect(alice.text.contains(#"{"id":\#(b1),"email":"bruno@example.fr","first_name":"Bruno","last_name":"Petit","inclusion_connect_open_id_sub":null}"#))
            let bruno = try api.call("GET", "/api/v1/agents", headers: try api.signIn("bruno@example.fr"))
            #expect(bruno.text.hasPrefix(#"{"agents":[{"id":\#(b1),"#))
            #expect(!bruno.text.contains("agent@example.fr"))
        }
    }

    // MARK: User writes (api.md §6)

    @Test func createUserThroughTheAPI() throws {
        try withAPI { api in
            let o1 = try #require(api.ids["o1"])
            let headers = try api.signIn()
            let body = #"{"first_name": "Inès", "last_name": "Leroy", "email": "ines@example.fr", "phone_number": "06 11 22 33 44", "birth_date": "1990-02-03", "notify_by_sms": false, "organisation_ids": [\#(o1)]}"#
            let response = try api.call("POST", "/api/v1/users", headers: headers, json: body)
            #expect(response.status == 200, "\(response.text)")
            let user = try #require((try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["user"] as? [String: Any])
            #expect(user["first_name"] as? String == "Inès")
            #expect(user["phone_number_formatted"] as? String == "+33611223344")
            #expect(user["birth_date"] as? String == "1990-02-03")
            #expect(user["notify_by_sms"] as? Bool == false)
            #expect(user["notify_by_email"] as? Bool == true)
            let id = try #require(user["id"] as? Int64)
            let row = try #require(try api.db.writer.read { db in
                try Row.fetchOne(
                    db, sql: """
                        SELECT u.created_through, (SELECT count(*) FROM user_profiles p WHERE p.user_id = u.id) AS profiles,
                               (SELECT author FROM versions v WHERE v.item_type = 'User' AND v.item_id = u.id) AS author,
                               (SELECT count(*) FROM outbox_messages WHERE kind = 'email') AS emails
                        FROM users u WHERE u.id = ?
                        """, arguments: [id])
            })
            #expect(row["created_through"] as String == "agent_creation_api")
            #expect(row["profiles"] as Int == 1)
            #expect(row["author"] as String? == "Alice MARTIN (via API)")
            #expect(row["emails"] as Int == 0)
        }
    }

    @Test func aUserWithoutItsRequiredFieldsIs422() throws {
        try withAPI { api in
            let response = try api.call("POST", "/api/v1/users", headers: try api.signIn(), json: #"{"first_name": "Inès"}"#)
            #expect(response.status == 422)
            #expect(
                response.text
                    == #"{"errors":{"last_name":[{"error":"blank"}],"organisation_ids":[{"error":"blank"}]},"error_messages":["last_name doit être rempli(e)","organisation_ids doit être rempli(e)"]}"#
            )
            let o2 = try #require(api.ids["o2"])
            let elsewhere = try api.call(
                "POST", "/api/v1/users", headers: try api.signIn(),
                json: #"{"first_name": "Inès", "last_name": "Leroy", "organisation_ids": [\#(o2)]}"#)
            #expect(elsewhere.status == 404)
            let count = try api.db.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM users") }
            #expect(count == 2)
        }
    }

    @Test func aDuplicateEmailIsRefusedByTheSameRulesAsTheForm() throws {
        try withAPI { api in
            let o1 = try #require(api.ids["o1"])
            let response = try api.call(
                "POST", "/api/v1/users", headers: try api.signIn(),
                json: #"{"first_name": "Jeanne", "last_name": "Autre", "email": "jean@example.fr", "organisation_ids": [\#(o1)]}"#)
            #expect(response.status == 422)
            #expect(response.text.hasPrefix(#"{"errors":{"email":[{"error":"invalid"}]}"#), "\(response.text)")
        }
    }

    @Test func patchChangesOnlyTheFieldsSent() throws {
        try withAPI { api in
            let u1 = try #require(api.ids["u1"])
            let response = try api.call(
                "PATCH", "/api/v1/users/\(u1)", headers: try api.signIn(), form: [("phone_number", "0698765432")])
            #expect(response.status == 200, "\(response.text)")
            let user = try #require((try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])?["user"] as? [String: Any])
            #expect(user["phone_number"] as? String == "0698765432")
            #expect(user["email"] as? String == "jean@example.fr")
            #expect(user["last_name"] as? String == "Dupont")
            let blank = try api.call("PATCH", "/api/v1/users/\(u1)", headers: try api.signIn(), json: #"{"last_name": ""}"#)
            #expect(blank.status == 422)
            // A JSON value of the wrong type is refused, not silently dropped by the flattening
            // (the fields in the document's order).
            let typed = try api.call(
                "PATCH", "/api/v1/users/\(u1)", headers: try api.signIn(), json: #"{"notes": {"a": 1}, "logement": "château"}"#)
            #expect(
                typed.text
                    == #"{"errors":{"logement":[{"error":"invalid"}],"notes":[{"error":"invalid"}]},"error_messages":["logement doit valoir sdf, heberge, en_accession_propriete, proprietaire, autre, locataire","notes n'a pas le type attendu"]}"#
            )
            let bruno = try api.call("PATCH", "/api/v1/users/\(u1)", headers: try api.signIn("bruno@example.fr"), json: #"{"notes": "x"}"#)
            #expect(bruno.status == 404)
        }
    }

    @Test func theInvitationTokenIsMadeOnceThenReused() throws {
        try withAPI { api in
            let u1 = try #require(api.ids["u1"])
            let headers = try api.signIn()
            let first = try api.call("POST", "/api/v1/users/\(u1)/rdv_invitation_token", headers: headers)
            #expect(first.status == 200)
            let token = try #require(
                (try JSONSerialization.jsonObject(with: Data(first.body)) as? [String: Any])?["invitation_token"] as? String)
            #expect(token.wholeMatch(of: /[A-Z0-9]{8}/) != nil)
            let second = try api.call("POST", "/api/v1/users/\(u1)/rdv_invitation_token", headers: headers)
            #expect(second.text == first.text)
        }
    }

    @Test func profilesAndReferents() throws {
        try withAPI { api in
            let (o1, u1, a1) = (try #require(api.ids["o1"]), try #require(api.ids["u1"]), try #require(api.ids["a1"]))
            let headers = try api.signIn()
            // r1 (3 May 2021) is still to come: the profile cannot go (domain.md §11).
            let remove = try api.call(
                "DELETE", "/api/v1/user_profiles", headers: headers, json: #"{"user_id": \#(u1), "organisation_id": \#(o1)}"#)
            #expect(remove.status == 422)
            #expect(remove.text.hasPrefix(#"{"errors":{"base":[{"error":"invalid"}]},"error_messages":["base "#))
            let missing = try api.call("POST", "/api/v1/user_profiles", headers: headers, json: #"{"user_id": \#(u1)}"#)
            #expect(missing.text == #"{"errors":{"organisation_id":[{"error":"blank"}]},"error_messages":["organisation_id doit être rempli(e)"]}"#)
            let again = try api.call(
                "POST", "/api/v1/user_profiles", headers: headers, json: #"{"user_id": \#(u1), "organisation_id": \#(o1)}"#)
            #expect(again.status == 200)
            #expect(again.text.hasPrefix(#"{"user_profile":{"user":{"id":\#(u1),"#))

            let assign = try api.call(
                "POST", "/api/v1/referent_assignations", headers: headers, json: #"{"user_id": \#(u1), "agent_id": \#(a1)}"#)
            #expect(assign.status == 200)
            #expect(assign.text.contains(#""agent":{"id":\#(a1),"email":"agent@example.fr""#))
            let unassign = try api.call(
                "DELETE", "/api/v1/referent_assignations", headers: headers, json: #"{"user_id": \#(u1), "agent_id": \#(a1)}"#)
            #expect(unassign.status == 204)
            let referents = try api.db.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM referents") }
            #expect(referents == 0)
        }
    }

    @Test func aParticipationStatusChangesThroughTheDomainWithItsNotifications() throws {
        try withAPI { api in
            let r1 = try #require(api.ids["r1"])
            let participation = try #require(try api.db.writer.read { db in
                try Int64.fetchOne(db, sql: "SELECT id FROM participations WHERE appointment_id = ?", arguments: [r1])
            })
            let headers = try api.signIn()
            let response = try api.call(
                "PATCH", "/api/v1/participations/\(participation)", headers: headers,
                json: #"{"participation": {"status": "excused"}}"#)
            #expect(response.status == 200, "\(response.text)")
            #expect(response.text.hasPrefix(#"{"rdv":{"id":\#(r1),"uuid":"#))
            #expect(response.text.contains(#""status":"excused","starts_at""#))
            let row = try #require(try api.db.writer.read { db in
                try Row.fetchOne(
                    db, sql: """
                        SELECT (SELECT author FROM versions WHERE item_type = 'Appointment' AND item_id = ? ORDER BY id DESC LIMIT 1) AS author,
                               (SELECT count(*) FROM outbox_messages WHERE kind IN ('email', 'sms')) AS messages
                        """, arguments: [r1])
            })
            #expect(row["author"] as String? == "Alice MARTIN (via API)")
            // rdv_cancelled to Jean, by e-mail and SMS (notifications.md §2).
            #expect(row["messages"] as Int == 2)
            let bad = try api.call("PATCH", "/api/v1/participations/\(participation)", headers: headers, form: [("status", "perdu")])
            #expect(bad.status == 422)
            let hidden = try api.call(
                "PATCH", "/api/v1/participations/\(participation)", headers: try api.signIn("bruno@example.fr"),
                form: [("status", "seen")])
            #expect(hidden.text == #"{"errors":["Participation introuvable (id=\#(participation))"]}"#)
        }
    }

    /// On a collective appointment only that participant's status changes: a cancellation sends
    /// them `rdv_cancelled`, re-joining `rdv_created`; the appointment stays `unknown` while others
    /// are in, and its seat count follows.
    @Test func aCollectiveParticipantsOwnStatusChanges() throws {
        try withAPI { api in
            let (o1, a1, l1, m1, u1) = (
                try #require(api.ids["o1"]), try #require(api.ids["a1"]), try #require(api.ids["l1"]),
                try #require(api.ids["m1"]), try #require(api.ids["u1"])
            )
            let start = Int64(ISO8601.parse("2021-05-10T09:00:00+02:00")!.timeIntervalSince1970)
            let (appointment, jean) = try api.db.writer.write { db -> (Int64, Int64) in
                try db.execute(
                    sql: """
                        INSERT INTO motifs (organisation_id, service_id, name, name_with_location_type, color, collectif,
                            location_type, default_duration_in_min)
                        SELECT organisation_id, service_id, 'Atelier parents', 'Atelier parents-public_office', '#123456', 1,
                            'public_office', 60 FROM motifs WHERE id = ?
                        """, arguments: [m1])
                let motif = db.lastInsertedRowID
                try db.execute(
                    sql: """
                        INSERT INTO users (first_name, last_name, created_through) VALUES ('Marie', 'Curie', 'agent_creation');
                        INSERT INTO user_profiles (user_id, organisation_id) VALUES (last_insert_rowid(), ?);
                        """, arguments: [o1])
                let marie = try #require(try Int64.fetchOne(db, sql: "SELECT id FROM users WHERE first_name = 'Marie'"))
                try db.execute(
                    sql: """
                        INSERT INTO appointments (uuid, organisation_id, motif_id, collectif, location_type, place_id, starts_at,
                            ends_at, users_count, max_participants_count, name, created_by_type)
                        VALUES ('0b6c1d2e-0000-4000-8000-000000000001', ?, ?, 1, 'public_office', ?, ?, ?, 2, 8, 'Atelier', 'Agent')
                        """, arguments: [o1, motif, l1, start, start + 3600])
                let appointment = db.lastInsertedRowID
                try db.execute(
                    sql: "INSERT INTO appointment_agents (appointment_id, agent_id, starts_at, ends_at, status) VALUES (?, ?, ?, ?, 'unknown')",
                    arguments: [appointment, a1, start, start + 3600])
                for user in [u1, marie] {
                    try db.execute(
                        sql: """
                            INSERT INTO participations (appointment_id, user_id, send_lifecycle_notifications,
                                send_reminder_notification, created_by_type) VALUES (?, ?, 1, 1, 'Agent')
                            """, arguments: [appointment, user])
                }
                let jean = try #require(try Int64.fetchOne(
                    db, sql: "SELECT id FROM participations WHERE appointment_id = ? AND user_id = ?", arguments: [appointment, u1]))
                return (appointment, jean)
            }
            func state() throws -> String {
                try #require(try api.db.writer.read { db in
                    try String.fetchOne(
                        db,
                        sql: """
                            SELECT a.status || ' ' || a.users_count || ' ' || p.status FROM appointments a
                            JOIN participations p ON p.appointment_id = a.id WHERE p.id = ?
                            """, arguments: [jean])
                })
            }
            func messages() throws -> [String] {
                try api.db.writer.read { db in
                    try String.fetchAll(
                        db,
                        sql: """
                            SELECT kind || ' ' || json_extract(payload, '$.event') || ' ' || json_extract(payload, '$.recipient')
                            FROM outbox_messages WHERE kind IN ('email', 'sms') AND appointment_id = ? ORDER BY id
                            """, arguments: [appointment])
                }
            }
            let headers = try api.signIn()
            let cancelled = try api.call(
                "PATCH", "/api/v1/participations/\(jean)", headers: headers, form: [("participation[status]", "excused")])
            #expect(cancelled.status == 200, "\(cancelled.text)")
            #expect(cancelled.text.hasPrefix(#"{"rdv":{"id":\#(appointment),"#))
            #expect(try state() == "unknown 1 excused")
            let afterCancel = try messages()
            #expect(afterCancel.contains("email rdv_cancelled jean@example.fr"))
            #expect(!afterCancel.contains { $0.hasPrefix("email rdv_created") })
            let rejoined = try api.call("PATCH", "/api/v1/participations/\(jean)", headers: headers, form: [("status", "unknown")])
            #expect(rejoined.status == 200)
            #expect(try state() == "unknown 2 unknown")
            #expect(try messages().contains("email rdv_created jean@example.fr"))
            // Nothing happens twice: the same status again changes nothing and sends nothing.
            let count = try messages().count
            _ = try api.call("PATCH", "/api/v1/participations/\(jean)", headers: headers, form: [("status", "unknown")])
            #expect(try messages().count == count)
        }
    }

    @Test func anAdminUpdatesItsOrganisation() throws {
        try withAPI { api in
            let (o1, o2) = (try #require(api.ids["o1"]), try #require(api.ids["o2"]))
            let response = try api.call(
                "PATCH", "/api/v1/organisations/\(o1)", headers: try api.signIn(),
                json: #"{"name": "MDS Arras Centre", "website": "https://mds.example.fr"}"#)
            #expect(
                response.text
                    == #"{"organisation":{"id":\#(o1),"name":"MDS Arras Centre","phone_number":"0321000000","email":"mds.arras@example.fr","website":"https://mds.example.fr","verticale":"rdv_solidarites"}}"#
            )
            let blank = try api.call("PATCH", "/api/v1/organisations/\(o1)", headers: try api.signIn(), json: #"{"name": ""}"#)
            #expect(blank.status == 422)
            // Bruno is a basic member of MDS Lens: in scope, refused.
            let refused = try api.call(
                "PATCH", "/api/v1/organisations/\(o2)", headers: try api.signIn("bruno@example.fr"), json: #"{"name": "X"}"#)
            #expect(refused.status == 403)
            #expect(refused.text == #"{"errors":[{"base":"forbidden"}],"error_messages":["\#(Access.message)"]}"#)
        }
    }

    @Test func aTerritorialAdminManagesWebhookEndpoints() throws {
        try withAPI { api in
            let (o1, o2) = (try #require(api.ids["o1"]), try #require(api.ids["o2"]))
            let headers = try api.signIn()
            let created = try api.call(
                "POST", "/api/v1/organisations/\(o1)/webhook_endpoints", headers: headers,
                json: #"{"target_url": "https://partenaire.example.fr/hook", "secret": "s3cret", "subscriptions": ["rdv", "user"]}"#)
            #expect(created.status == 200, "\(created.text)")
            let id = try #require(try api.db.writer.read { db in try Int64.fetchOne(db, sql: "SELECT id FROM webhook_endpoints") })
            #expect(
                created.text
                    == #"{"webhook_endpoint":{"id":\#(id),"target_url":"https://partenaire.example.fr/hook","organisation_id":\#(o1),"subscriptions":["rdv","user"]}}"#
            )
            let stored = try api.db.writer.read { db in
                try Row.fetchOne(
                    db, sql: """
                        SELECT secret, (SELECT count(*) FROM outbox_messages WHERE kind = 'webhook') AS replayed FROM webhook_endpoints
                        """)
            }
            #expect(stored?["secret"] as String? == "s3cret")
            // trigger defaults to true: r1 and Jean's file are replayed as `created` events.
            #expect(stored?["replayed"] as Int? == 2)
            let list = try api.call(
                "GET", "/api/v1/organisations/\(o1)/webhook_endpoints?target_url=https://partenaire.example.fr/hook", headers: headers)
            #expect(list.text.hasPrefix(#"{"webhook_endpoints":[{"id":\#(id),"#))
            let patched = try api.call(
                "PATCH", "/api/v1/organisations/\(o1)/webhook_endpoints/\(id)", headers: headers, json: #"{"subscriptions": ["motif"]}"#)
            #expect(patched.text.hasSuffix(#""subscriptions":["motif"]}}"#))
            let invalid = try api.call(
                "POST", "/api/v1/organisations/\(o1)/webhook_endpoints", headers: headers,
                json: #"{"target_url": "ftp://x", "subscriptions": []}"#)
            #expect(invalid.status == 422)
            #expect(try api.call("DELETE", "/api/v1/organisations/\(o2)/webhook_endpoints/\(id)", headers: headers).status == 404)
            #expect(try api.call("DELETE", "/api/v1/organisations/\(o1)/webhook_endpoints/\(id)", headers: headers).status == 204)
            let bruno = try api.call("GET", "/api/v1/organisations/\(o2)/webhook_endpoints", headers: try api.signIn("bruno@example.fr"))
            #expect(bruno.status == 403)
        }
    }

    // MARK: Opening periods and absences (api.md §6, §7)

    @Test func openingPeriodsCarryTheirRuleExceptionsAndCalendar() throws {
        try withAPI { api in
            let (p1, l1, a1) = (try #require(api.ids["p1"]), try #require(api.ids["l1"]), try #require(api.ids["a1"]))
            let response = try api.call("GET", "/api/v1/plage_ouvertures", headers: try api.signIn())
            #expect(response.status == 200)
            let root = try #require(try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any])
            let period = try #require((root["plage_ouvertures"] as? [[String: Any]])?.first)
            #expect(period["id"] as? Int64 == p1)
            #expect(period["ical_uid"] as? String == "plage_ouverture_\(p1)@rdv.example.fr")
            #expect(period["start_time"] as? String == "09:00:00")
            #expect(period["end_time"] as? String == "11:20:00")
            #expect(period["rrule"] as? String == "FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20211231T225959Z")
            #expect((period["lieu"] as? [String: Any])?["id"] as? Int64 == l1)
            #expect((period["agent"] as? [String: Any])?["id"] as? Int64 == a1)
            #expect((period["motifs"] as? [[String: Any]])?.count == 1)
            #expect((period["exceptions"] as? [[String: Any]])?.first?["date"] as? String == "2021-05-10")
            let ical = try #require(period["ical"] as? String)
            #expect(ical.hasPrefix("BEGIN:VCALENDAR\r\n"))
            #expect(ical.contains("EXDATE;TZID=Europe/Paris:20210510T090000"))
            #expect(ical.contains("UID:plage_ouverture_\(p1)@rdv.example.fr"))
            let bruno = try api.call("GET", "/api/v1/plage_ouvertures", headers: try api.signIn("bruno@example.fr"))
            #expect(bruno.text.hasPrefix(#"{"plage_ouvertures":[],"#))
        }
    }

    @Test func absencesThroughTheAbsenceFormsOperation() throws {
        try withAPI { api in
            let (x1, a1) = (try #require(api.ids["x1"]), try #require(api.ids["a1"]))
            let headers = try api.signIn()
            let list = try api.call("GET", "/api/v1/absences", headers: headers)
            #expect(list.text.hasPrefix(#"{"absences":[{"id":\#(x1),"ical_uid":"absence_\#(x1)@rdv.example.fr","title":"Formation","first_day":"2021-05-04","end_day":"2021-05-04","start_time":"09:00:00","end_time":"12:00:00","rrule":null,"#))
            let missing = try api.call("POST", "/api/v1/absences", headers: headers, json: #"{"agent_id": \#(a1), "title": "Congés"}"#)
            #expect(
                missing.text
                    == #"{"errors":{"first_day":[{"error":"blank"}],"start_time":[{"error":"blank"}],"end_time":[{"error":"blank"}]},"error_messages":["first_day doit être rempli(e)","start_time doit être rempli(e)","end_time doit être rempli(e)"]}"#
            )
            let created = try api.call(
                "POST", "/api/v1/absences", headers: headers,
                json: #"{"agent_email": "agent@example.fr", "title": "Congés", "first_day": "2021-05-10", "start_time": "08:00", "end_day": "2021-05-14", "end_time": "18:00:00"}"#)
            #expect(created.status == 200, "\(created.text)")
            let id = try #require(
                ((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["absence"] as? [String: Any])?["id"] as? Int64)
            let patched = try api.call("PATCH", "/api/v1/absences/\(id)", headers: headers, form: [("title", "Congés d'été")])
            #expect(patched.text.contains(#""title":"Congés d'été","first_day":"2021-05-10","end_day":"2021-05-14""#))
            let inverted = try api.call("PATCH", "/api/v1/absences/\(id)", headers: headers, form: [("end_day", "2021-05-01")])
            #expect(inverted.status == 422)
            #expect(try api.call("GET", "/api/v1/absences/\(id)", headers: try api.signIn("bruno@example.fr")).status == 404)
            #expect(try api.call("DELETE", "/api/v1/absences/\(id)", headers: headers).status == 204)
            let row = try #require(try api.db.writer.read { db in
                try Row.fetchOne(
                    db, sql: """
                        SELECT (SELECT count(*) FROM absences) AS absences,
                               (SELECT count(*) FROM versions WHERE item_type = 'Absence' AND author = 'Alice MARTIN (via API)') AS versions
                        """)
            })
            #expect(row["absences"] as Int == 1)
            #expect(row["versions"] as Int == 3)
        }
    }

    @Test func seriesChangesSendTheirWebhooksBuiltBeforeADeletion() throws {
        try withAPI { api in
            let (o1, a1) = (try #require(api.ids["o1"]), try #require(api.ids["a1"]))
            let headers = try api.signIn()
            let endpoint = try api.call(
                "POST", "/api/v1/organisations/\(o1)/webhook_endpoints", headers: headers,
                json: #"{"target_url": "https://partenaire.example.fr/hook", "subscriptions": ["absence", "plage_ouverture"]}"#)
            #expect(endpoint.status == 200)
            // The replay (trigger defaults to true), in the models' order: x1 (an absence without an
            // organisation goes to its agent's organisations), then p1.
            func bodies() throws -> [String] {
                try api.db.writer.read { db in
                    try String.fetchAll(db, sql: "SELECT json_extract(payload, '$.body') FROM outbox_messages WHERE kind = 'webhook' ORDER BY id")
                }
            }
            #expect(try bodies().map { $0.contains(#""model":"Absence","event":"created""#) } == [true, false])
            #expect(try bodies().last?.contains(#""model":"PlageOuverture","event":"created""#) == true)
            let created = try api.call(
                "POST", "/api/v1/absences", headers: headers,
                json: #"{"agent_id": \#(a1), "organisation_id": \#(o1), "title": "Réunion", "first_day": "2021-05-11", "start_time": "14:00", "end_time": "16:00"}"#)
            let id = try #require(
                ((try JSONSerialization.jsonObject(with: Data(created.body)) as? [String: Any])?["absence"] as? [String: Any])?["id"] as? Int64)
            #expect(try api.call("DELETE", "/api/v1/absences/\(id)", headers: headers).status == 204)
            let last = try bodies().suffix(2)
            #expect(last.first?.hasPrefix(#"{"data":{"id":\#(id),"ical_uid":"absence_\#(id)@rdv.example.fr","title":"Réunion""#) == true)
            #expect(last.last?.hasPrefix(#"{"data":{"id":\#(id),"ical_uid":"absence_\#(id)@rdv.example.fr","title":"Réunion""#) == true)
            #expect(last.last?.contains(#""meta":{"model":"Absence","event":"destroyed""#) == true)
        }
    }

    @Test func organisationAndReferentChangesSendTheirWebhooks() throws {
        try withAPI { api in
            let (o1, u1, a1) = (try #require(api.ids["o1"]), try #require(api.ids["u1"]), try #require(api.ids["a1"]))
            let headers = try api.signIn()
            let endpoint = try api.call(
                "POST", "/api/v1/organisations/\(o1)/webhook_endpoints", headers: headers,
                json: #"{"target_url": "https://partenaire.example.fr/hook", "subscriptions": ["organisation", "referent_assignation"], "trigger": false}"#)
            #expect(endpoint.status == 200)
            let patched = try api.call("PATCH", "/api/v1/organisations/\(o1)", headers: headers, json: #"{"verticale": "rdv_mairie"}"#)
            #expect(patched.text.hasSuffix(#""verticale":"rdv_mairie"}}"#))
            _ = try api.call("DELETE", "/api/v1/referent_assignations", headers: headers, json: #"{"user_id": \#(u1), "agent_id": \#(a1)}"#)
            _ = try api.call("POST", "/api/v1/referent_assignations", headers: headers, json: #"{"user_id": \#(u1), "agent_id": \#(a1)}"#)
            let metas = try api.db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(json_extract(payload, '$.body'), '$.meta.model') || ' ' ||
                               json_extract(json_extract(payload, '$.body'), '$.meta.event')
                        FROM outbox_messages WHERE kind = 'webhook' ORDER BY id
                        """)
            }
            #expect(metas == ["Organisation updated", "ReferentAssignation destroyed", "ReferentAssignation created"])
        }
    }

    // MARK: Public endpoints (api.md §8)

    @Test func publicLinksListTheTerritorysBookableOrganisations() throws {
        try withAPI { api in
            #expect(try api.call("GET", "/api/v1/public_links?territory=62").text == #"{"public_links":[]}"#)
            let o1 = try #require(api.ids["o1"])
            try api.db.writer.write { db in
                try db.execute(sql: "UPDATE organisations SET external_id = 'arras' WHERE id = ?", arguments: [o1])
            }
            // Cached for a minute (api.md §8): the new external id shows on the next minute.
            #expect(try api.call("GET", "/api/v1/public_links?territory=62").text == #"{"public_links":[]}"#)
        }
        try withAPI { api in
            let o1 = try #require(api.ids["o1"])
            try api.db.writer.write { db in
                try db.execute(sql: "UPDATE organisations SET external_id = 'arras' WHERE id = ?", arguments: [o1])
            }
            let response = try api.call("GET", "/api/v1/public_links?territory=62")
            #expect(
                response.text == #"{"public_links":[{"external_id":"arras","public_link":"https://rdv.example.fr/org/ext/62/arras"}]}"#)
            #expect(try api.call("GET", "/api/v1/public_links?territory=75").text == #"{"public_links":[]}"#)
            let missing = try api.call("GET", "/api/v1/public_links")
            #expect(missing.status == 400)
            #expect(missing.text == #"{"error":"territory est obligatoire"}"#)
        }
    }

    @Test func publicEndpointsAreLimitedPerAddress() throws {
        try withAPI { api in
            var statuses: [Int] = []
            for _ in 1...51 { statuses.append(try api.call("GET", "/api/v1/public_links?territory=62").status) }
            #expect(statuses == Array(repeating: 200, count: 50) + [429])
            let limited = try api.call("GET", "/api/v1/creneaux?motif_id=1")
            #expect(limited.status == 429)
            #expect(limited.header("Retry-After") == "2")
            #expect(limited.text == #"{"error":"Trop de requêtes. Réessayez dans 2 secondes."}"#)
        }
    }

    // MARK: Errors (api.md §4)

    @Test func unknownPathsAndMethodsAnswerJSON() throws {
        try withAPI { api in
            let unknown = try api.call("GET", "/api/v1/nothing-here")
            #expect(unknown.status == 404)
            #expect(unknown.header("Content-Type") == "application/json; charset=utf-8")
            #expect(unknown.text.hasPrefix(#"{"errors":["#))
            let method = try api.call("POST", "/api/v1/organisations")
            #expect(method.status == 405)
            #expect(method.header("Allow") == "GET, HEAD")
            #expect(method.text.hasPrefix(#"{"errors":["#))
            let badPage = try api.call("GET", "/api/v1/organisations?page=0", headers: try api.signIn())
            #expect(badPage.status == 400)
            // Recognised but served by no route: 405 with Allow, never an echo (RFC 9110 §15.5.6).
            let trace = try api.call("TRACE", "/api/v1/rdvs/1")
            #expect(trace.status == 405)
            #expect(trace.header("Allow") == "GET, HEAD")
        }
    }

    @Test func signInIsLimitedPerAddress() throws {
        try withAPI { api in
            var statuses: [Int] = []
            for attempt in 1...21 {
                let response = try api.call(
                    "POST", "/api/v1/auth/sign_in", json: #"{"email": "nobody\#(attempt)@example.fr", "password": "x"}"#)
                statuses.append(response.status)
                if response.status == 429 {
                    #expect(response.header("Retry-After") == "3")
                    #expect(response.text == #"{"errors":["Trop de requêtes. Réessayez dans 3 secondes."]}"#)
                }
            }
            #expect(statuses == Array(repeating: 401, count: 20) + [429])
        }
    }
}

@Suite("API v1 pagination and parameters")
struct APIPageTests {
    @Test func metaFollowsTheSpecExample() {
        #expect(
            APIPage(number: 2, totalCount: 642).meta.text
                == #"{"current_page":2,"next_page":3,"prev_page":1,"total_pages":7,"total_count":642}"#)
        #expect(
            APIPage(number: 1, totalCount: 0).meta.text
                == #"{"current_page":1,"next_page":null,"prev_page":null,"total_pages":1,"total_count":0}"#)
        #expect(APIPage(number: 7, totalCount: 642).offset == 600)
    }

    @Test func pageMustBeAPositiveInteger() throws {
        #expect(try APIPage.number(nil) == 1)
        #expect(try APIPage.number("3") == 3)
        #expect(throws: APIFailure.self) { try APIPage.number("0") }
        #expect(throws: APIFailure.self) { try APIPage.number("deux") }
    }

    @Test func aJSONBodyIsReadAsRailsReadsForms() throws {
        let body = #"{"ids": [1, 2], "participation": {"status": "seen"}, "notify_by_sms": false, "notes": null}"#
        let request = HTTPRequest(
            method: "POST", target: "/api/v1/users?page=2",
            headers: ["Content-Type": "application/json"], body: Array(body.utf8))
        var logger = Logger(label: "t")
        logger.logLevel = .critical
        var exchange = Exchange(
            request: request, context: RequestContext(requestID: "t", logger: logger, remoteAddress: "127.0.0.1"),
            routes: RouteTable([]))
        exchange.query = try FormData(urlEncoded: Array("page=2".utf8))
        let parameters = try APIParameters(exchange)
        #expect(parameters.list("ids") == ["1", "2"])
        #expect(parameters["participation[status]"] == "seen")
        #expect(parameters.bool("notify_by_sms") == false)
        #expect(parameters["notes"] == "")
        #expect(parameters["page"] == "2")
    }
}

/// api.md §1: the OpenAPI document and the router come from one table; this checks they agree,
/// so a route added by hand under `/api/v1` without its documentation fails here.
@Suite("API v1 OpenAPI document")
struct OpenAPIDocumentTests {
    @Test func theDocumentListsExactlyTheRoutersPathsMethodsAndPathParameters() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try makeWebApplication(db, clock: FixedClock(testNow))
        let response = app.respond(to: HTTPRequest(method: "GET", target: "/api-docs/v1/openapi.json", headers: [:], body: []))
        #expect(response.status == .ok)
        let bytes = try #require(response.body.bytes)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.0.3")
        let paths = try #require(document["paths"] as? [String: [String: Any]])

        var routed: [String: Set<String>] = [:]
        for route in app.routes.routes where route.pattern.description.hasPrefix("/api/v1/") {
            let path = OpenAPIDocument.openAPIPath(route.pattern.description)
            routed[path] = Set(route.actions.keys.map { $0.lowercased() })
            let operations = try #require(paths[path], "\(path) is routed but not documented")
            #expect(Set(operations.keys) == routed[path], "\(path)")
            let names = route.pattern.description.split(separator: "/").filter { $0.hasPrefix(":") }.map { String($0.dropFirst()) }
            for (method, operation) in operations {
                let parameters = ((operation as? [String: Any])?["parameters"] as? [[String: Any]]) ?? []
                let declared = parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String }
                #expect(Set(declared) == Set(names), "\(method) \(path)")
            }
        }
        #expect(Set(paths.keys) == Set(routed.keys))
        // OpenAPI 3.0 §4.7.10: operationId is unique (it is also the page's anchor).
        let ids = paths.values.flatMap { $0.values.compactMap { ($0 as? [String: Any])?["operationId"] as? String } }
        #expect(ids.count == Set(ids).count)
        #expect(routed["/api/v1/rdvs/{id}"] == ["get"])
        #expect(routed["/api/v1/auth/sign_in"] == ["post"])
    }

    @Test func theReferencePageListsEveryOperation() throws {
        let (db, directory) = try makeWebDatabase()
        defer { try? FileManager.default.removeItem(at: directory) }
        let app = try makeWebApplication(db, clock: FixedClock(testNow))
        let response = app.respond(to: HTTPRequest(method: "GET", target: "/api-docs", headers: [:], body: []))
        #expect(response.status == .ok)
        let bytes = try #require(response.body.bytes)
        let html = String(decoding: bytes, as: UTF8.self)
        #expect(html.contains("<h1 class=\"fr-h2\">API v1</h1>"))
        #expect(html.contains(#"<h3 class="fr-h5" id="rdvs_show"><code>GET /api/v1/rdvs/:id</code></h3>"#))
        #expect(html.contains(#"<a href="/api-docs/v1/openapi.json">"#))
    }
}
