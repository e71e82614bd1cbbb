import Foundation
import Outbound

/// A client of any API v1 (api.md): the original's or ours. It signs in as an agent (§2), sends
/// the three `access-token` / `client` / `uid` headers on every call, and walks every page of a
/// collection (§3). Blocking, one call at a time: an import is an operator's one-off command.
public struct APIv1Client {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    let base: URL
    let http: OutboundHTTP
    var headers: [(name: String, value: String)] = []
    /// The signed-in agent (`data` of the sign-in answer).
    public private(set) var agent: [String: Any] = [:]

    /// `base`: the instance's root (`https://host`), `/api/v1` is added. The operator names the
    /// host on the command line, so private addresses are allowed (unlike webhooks' URLs).
    public init(base: URL, timeout: TimeInterval = 30) {
        self.base = base
        // A page of 100 users with their profiles stays well under 8 MiB.
        self.http = OutboundHTTP(timeout: timeout, allowPrivateAddresses: true, maxBodyBytes: 8 * 1024 * 1024)
    }

    /// `POST /auth/sign_in`: 200 with the three headers, or the instance's own message.
    public mutating func signIn(email: String, password: String) throws(Failure) {
        let body = try jsonData(["email": email, "password": password])
        let answer: OutboundHTTP.Answer
        do {
            answer = try http.post(
                url("/auth/sign_in"), headers: [("Content-Type", "application/json"), ("Accept", "application/json")],
                body: body)
        } catch { throw Failure("connexion à \(base.absoluteString) impossible : \(error)") }
        guard answer.status == 200 else {
            throw Failure("connexion refusée (HTTP \(answer.status)) : \(String(decoding: answer.body.prefix(300), as: UTF8.self))")
        }
        guard let token = answer.headers["access-token"], let client = answer.headers["client"], let uid = answer.headers["uid"]
        else { throw Failure("la réponse de connexion n'a pas les en-têtes access-token, client et uid") }
        headers = [("access-token", token), ("client", client), ("uid", uid), ("Accept", "application/json")]
        agent = (try object(answer)["data"] as? [String: Any]) ?? [:]
    }

    /// `GET path` answering one object.
    public func get(_ path: String, query: [(String, String)] = []) throws(Failure) -> [String: Any] {
        try object(send(path, query: query))
    }

    /// Every item of a paginated collection under `root`, pages followed until `next_page` is null.
    public func collection(_ path: String, root: String, query: [(String, String)] = []) throws(Failure) -> [[String: Any]] {
        var items: [[String: Any]] = []
        var page = 1
        while true {
            let answer = try get(path, query: query + [("page", String(page))])
            guard let list = answer[root] as? [[String: Any]] else { throw Failure("\(path) : pas de liste « \(root) »") }
            items += list
            guard let meta = answer["meta"] as? [String: Any], let next = meta["next_page"] as? Int, next > page else {
                return items
            }
            page = next
        }
    }

    private func send(_ path: String, query: [(String, String)]) throws(Failure) -> OutboundHTTP.Answer {
        var components = URLComponents(url: url(path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        // `+` in an instant's offset must reach the server as %2B, not as a space.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let target = components.url else { throw Failure("adresse invalide : \(path)") }
        let answer: OutboundHTTP.Answer
        do { answer = try http.get(target, headers: headers) } catch { throw Failure("GET \(path) : \(error)") }
        guard answer.status == 200 else { throw Failure("GET \(path) : HTTP \(answer.status)") }
        guard !answer.truncated else { throw Failure("GET \(path) : réponse trop grande") }
        return answer
    }

    private func url(_ path: String) -> URL {
        let root = base.absoluteString.hasSuffix("/") ? String(base.absoluteString.dropLast()) : base.absoluteString
        return URL(string: root + "/api/v1" + path)!
    }

    private func object(_ answer: OutboundHTTP.Answer) throws(Failure) -> [String: Any] {
        guard let value = try? JSONSerialization.jsonObject(with: answer.body) as? [String: Any] else {
            throw Failure("réponse qui n'est pas un objet JSON")
        }
        return value
    }

    private func jsonData(_ value: [String: String]) throws(Failure) -> Data {
        guard let data = try? JSONSerialization.data(withJSONObject: value) else { throw Failure("JSON impossible") }
        return data
    }
}
