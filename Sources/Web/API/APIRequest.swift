import Cryptography
import Domain
import Foundation
import HTTP
import Persistence

/// The parameters of an API v1 call: the query string and the body, which may be JSON or
/// form-encoded (api.md §1). A JSON body is flattened the way Rails reads forms: an array
/// `ids: [1, 2]` is `ids[]`, an object `participation: {status: "seen"}` is
/// `participation[status]`, `null` is an empty value (clears the field).
struct APIParameters: Sendable {
    private(set) var pairs: [(name: String, value: String)] = []
    /// The top-level fields of a JSON body, to check their JSON types.
    private var jsonFields: [(String, JSONInput)] = []

    init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    init(_ exchange: Exchange) throws {
        pairs = exchange.query.pairs
        let body = exchange.request.body
        guard !body.isEmpty else { return }
        let type = (exchange.request.headers["Content-Type"] ?? "").lowercased()
        if type.hasPrefix("application/json") {
            guard case .object(let fields)? = try? JSONDecoder().decode(JSONInput.self, from: Data(body)) else {
                throw APIFailure.errors(["Le corps de la requête n'est pas un objet JSON valide."], status: .badRequest)
            }
            jsonFields = fields
            for (key, value) in fields { value.flatten(name: key, into: &pairs) }
        } else {
            guard let form = try? FormData(urlEncoded: body) else {
                throw APIFailure.errors(["Le corps de la requête est illisible."], status: .badRequest)
            }
            pairs += form.pairs
        }
    }

    subscript(name: String) -> String? { pairs.last { $0.name == name }?.value }

    /// The documented body fields whose value cannot be what the document says: a JSON value of
    /// the wrong type (an object for a name, a number for a list…), which flattening would
    /// silently drop, or a value outside an enumeration (api.md §4: 422).
    func typeIssues(_ documented: [APIParameterDoc]) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        for doc in documented where doc.location == .body {
            let name = doc.name.hasSuffix("[]") ? String(doc.name.dropLast(2)) : doc.name
            if let (_, value) = jsonFields.first(where: { $0.0 == name }), !value.fits(doc.kind) {
                issues.append(.error(name, "n'a pas le type attendu"))
            } else if case .oneOf(let values) = doc.kind, let given = self[name], !given.isEmpty, !values.contains(given) {
                issues.append(.error(name, "doit valoir " + values.joined(separator: ", ")))
            } else if let given = self[name], !given.isEmpty, let minimum = doc.kind.minimum,
                (Int64(given) ?? (minimum - 1)) < minimum
            {
                // Even a field the territory does not use: the document promises this refusal.
                issues.append(.error(name, minimum == 0 ? "doit être un nombre positif ou nul" : "doit être un identifiant numérique"))
            }
        }
        return issues
    }

    func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    /// `name[]` (and a lone `name`), in order.
    func list(_ name: String) -> [String] {
        pairs.filter { $0.name == name + "[]" || $0.name == name }.map(\.value).filter { !$0.isEmpty }
    }

    /// `true`/`false` (also `1`/`0`); nil when absent or anything else.
    func bool(_ name: String) -> Bool? {
        switch self[name]?.lowercased() {
        case "true", "1": true
        case "false", "0": false
        default: nil
        }
    }
}

/// Who calls the API (api.md §2): the agent, its roles for the same policies as the pages, and
/// how it proved it.
struct APIAgent: Sendable {
    let agentID: Int64
    let principal: Principal
    let authentication: APIAuthenticationType
    /// The `client` of an access-token call (sign-out revokes its token).
    let client: String?
    /// How the history names its changes (api.md §2): « Prénom NOM (via API) ».
    let author: String

    /// The organisations of the agent (api.md §6 "in scope" for lists).
    var organisationIDs: [Int64] { principal.memberships.map(\.organisationID) }
}

/// A JSON request body as read (booleans kept apart from numbers, keys in the body's order).
private enum JSONInput: Decodable, Sendable {
    case null, bool(Bool), number(String), string(String), array([JSONInput]), object([(String, JSONInput)])

    private struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    init(from decoder: any Decoder) throws {
        if let object = try? decoder.container(keyedBy: Key.self) {
            self = .object(try object.allKeys.map { ($0.stringValue, try object.decode(JSONInput.self, forKey: $0)) })
        } else if var array = try? decoder.unkeyedContainer() {
            var items: [JSONInput] = []
            while !array.isAtEnd { items.append(try array.decode(JSONInput.self)) }
            self = .array(items)
        } else {
            let value = try decoder.singleValueContainer()
            if value.decodeNil() {
                self = .null
            } else if let bool = try? value.decode(Bool.self) {
                self = .bool(bool)
            } else if let integer = try? value.decode(Int64.self) {
                self = .number(String(integer))
            } else if let number = try? value.decode(Double.self) {
                self = .number(String(number))
            } else {
                self = .string(try value.decode(String.self))
            }
        }
    }

    /// Whether this JSON value can be a parameter of `kind` (null clears an optional field).
    func fits(_ kind: APIParameterDoc.Kind) -> Bool {
        switch (kind, self) {
        case (_, .null): true
        case (.integers, .array(let items)), (.strings, .array(let items)), (.oneOfList, .array(let items)):
            items.allSatisfy { if case .array = $0 { false } else if case .object = $0 { false } else { true } }
        case (.integers, _), (.strings, _), (.oneOfList, _): false
        case (_, .array), (_, .object): false
        // In JSON, null clears a field; an empty string is no date, number or choice.
        case (.string, .string): true
        case (_, .string("")): false
        case (.boolean, .bool), (.boolean, .string): true
        case (.boolean, _): false
        case (.date, .string), (.instant, .string), (.oneOf, .string): true
        case (.string, _), (.date, _), (.instant, _), (.oneOf, _): false
        case (.integer, .bool), (.natural, .bool), (.page, .bool): false
        default: true
        }
    }

    func flatten(name: String, into pairs: inout [(name: String, value: String)]) {
        switch self {
        case .null: pairs.append((name, ""))
        case .bool(let value): pairs.append((name, value ? "true" : "false"))
        case .number(let text), .string(let text): pairs.append((name, text))
        case .array(let items): for item in items { item.flatten(name: name + "[]", into: &pairs) }
        case .object(let fields): for (key, value) in fields { value.flatten(name: "\(name)[\(key)]", into: &pairs) }
        }
    }
}

/// Checks the credentials of api.md §2: `access-token` + `client` + `uid`, or, when the instance
/// sets `RDV_SHARED_SECRET_FOR_AGENTS_AUTH`, `uid` + `X-Agent-Auth-Signature`.
struct APIAuthenticator: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let sharedSecret: [UInt8]?

    func authenticate(_ request: HTTPRequest) throws -> APIAgent {
        guard let uid = request.headers["uid"], !uid.isEmpty else { throw APIFailure.unauthenticated }
        if let token = request.headers["access-token"], let client = request.headers["client"] {
            guard let found = try db.apiTokenAgent(uid: uid, client: client, accessToken: token, now: clock.now) else {
                throw APIFailure.unauthenticated
            }
            return try agent(found.agentID, .accessToken, client: client)
        }
        if let secret = sharedSecret, let signature = request.headers["X-Agent-Auth-Signature"] {
            guard let agentID = try db.apiAgentID(uid: uid), let account = try db.agentAccount(id: agentID),
                let given = Digest.bytes(hex: signature.lowercased()),
                Digest.equal(given, Digest.hmacSHA256(key: secret, Array(Self.signedPayload(account).utf8)))
            else { throw APIFailure.unauthenticated }
            return try agent(agentID, .sharedSecret, client: nil, account: account)
        }
        throw APIFailure.unauthenticated
    }

    private func agent(_ id: Int64, _ type: APIAuthenticationType, client: String?, account known: AgentAccount? = nil)
        throws -> APIAgent
    {
        let principal = try db.principal(agentID: id)
        guard AgentPolicy.maySignIn(principal), let account = try known ?? db.agentAccount(id: id) else {
            throw APIFailure.unauthenticated
        }
        return APIAgent(
            agentID: id, principal: principal, authentication: type, client: client,
            author: "\(account.displayName) (via API)")
    }

    /// api.md §2: compact JSON, keys in this order, of the agent the `uid` names.
    static func signedPayload(_ account: AgentAccount) -> String {
        JSONValue.object([
            ("id", .int(account.id)), ("first_name", .string(account.firstName)),
            ("last_name", .string(account.lastName)), ("email", .string(account.email)),
        ]).text
    }
}

extension APIParameters {
    /// An optional boolean parameter (absent = nil); anything else but `true`/`false`/`1`/`0` is a 400.
    func flag(_ name: String) throws -> Bool? {
        guard self[name] != nil else { return nil }
        guard let value = bool(name) else {
            throw APIFailure.errors(["\(name) doit valoir true ou false"], status: .badRequest)
        }
        return value
    }

    /// An optional id parameter; anything but a positive integer is a 400.
    func integer(_ name: String) throws -> Int64? {
        guard let text = self[name] else { return nil }
        guard let value = Int64(text), value > 0 else {
            throw APIFailure.errors(["\(name) doit être un identifiant numérique"], status: .badRequest)
        }
        return value
    }

    /// `name[]` ids; any that is not a positive integer is a 400.
    func integers(_ name: String) throws -> [Int64] {
        try list(name).map { text in
            guard let value = Int64(text), value > 0 else {
                throw APIFailure.errors(["\(name) doit être une liste d'identifiants numériques"], status: .badRequest)
            }
            return value
        }
    }
}
