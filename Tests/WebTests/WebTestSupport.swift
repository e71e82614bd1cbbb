import DatabaseTestSupport
import Domain
import Foundation
import HTTP
import HTTPTestSupport
import Logging
import Persistence
import Web

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// 2025-11-25T09:00:00Z (a Tuesday)
let testNow = Date(timeIntervalSince1970: 1_764_061_200)

/// One organisation, an admin with a password, an agent in two organisations.
let webFixture = #"""
    {"format": "rdv-import/1",
     "services": [{"ref": "pmi", "name": "PMI (Protection Maternelle Infantile)", "short_name": "PMI"}],
     "territories": [{"ref": "t62", "name": "Pas-de-Calais", "departement_number": "62", "services": ["pmi"]}],
     "organisations": [{"ref": "o1", "territory": "t62", "name": "MDS Arras"},
                       {"ref": "o2", "territory": "t62", "name": "MDS Lens"}],
     "agents": [{"ref": "a1", "email": "alice@example.fr", "first_name": "Alice", "last_name": "Martin",
                 "password": "un mot de passe long", "services": ["pmi"],
                 "roles": [{"organisation": "o1", "access_level": "admin"}, {"organisation": "o2", "access_level": "basic"}]}]}
    """#

/// A migrated database holding `webFixture`, in a temporary directory.
func makeWebDatabase(fixture: String = webFixture) throws -> (AppDatabase, URL) {
    let (db, directory) = try TemplateDatabase.make(prefix: "rdv-web")
    _ = try db.importDocument(try InterchangeDecoding.decode(Data(fixture.utf8)), clock: FixedClock(testNow))
    return (db, directory)
}

func makeWebApplication(_ db: AppDatabase, clock: any Clock) throws -> WebApplication {
    WebApplication(
        db: db, renderer: try TemplateRenderer(directory: packageRoot.appendingPathComponent("Templates")),
        staticFiles: StaticFiles(root: packageRoot.appendingPathComponent("Public")), clock: clock,
        settings: WebSettings(developmentOutbox: true))
}

/// A minimal browser: keeps cookies, sends forms. Over a real socket (`port`), or in process
/// through the same `WebApplication` pipeline without sockets (`app`): the same request test
/// runs in both modes.
final class Browser {
    enum Transport {
        case socket(UInt16)
        case inProcess(WebApplication)
    }

    let transport: Transport
    var cookies: [String: String] = [:]

    init(port: UInt16) { self.transport = .socket(port) }
    init(app: WebApplication) { self.transport = .inProcess(app) }

    var port: UInt16 {
        if case .socket(let port) = transport { return port }
        return 0
    }

    /// A request with a raw body (a multipart form), its cookies kept like a form's.
    /// The bytes go as they are (an uploaded XLSX file is not UTF-8).
    func request(_ method: String, _ path: String, body: [UInt8], contentType: String) throws -> WireResponse {
        try request(method, path, bodyBytes: body, contentType: contentType)
    }

    func request(
        _ method: String, _ path: String, form: [(String, String)]? = nil, headers: [String: String] = [:],
        rawBody: String? = nil, contentType: String? = nil
    ) throws -> WireResponse {
        try request(method, path, form: form, headers: headers, bodyBytes: rawBody.map { Array($0.utf8) }, contentType: contentType)
    }

    private func request(
        _ method: String, _ path: String, form: [(String, String)]? = nil, headers: [String: String] = [:],
        bodyBytes: [UInt8]?, contentType: String?
    )
        throws
        -> WireResponse
    {
        var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        if !cookies.isEmpty {
            head += "Cookie: " + cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") + "\r\n"
        }
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        var body: [UInt8] = []
        if let form {
            body = Array(form.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&").utf8)
            head += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.count)\r\n"
        } else if let bodyBytes, let contentType {
            body = bodyBytes
            head += "Content-Type: \(contentType)\r\nContent-Length: \(body.count)\r\n"
        }
        let response = try send(method: method, path: path, head: head, body: body)
        for (name, value) in response.headers where name.lowercased() == "set-cookie" {
            let pair = value.split(separator: ";")[0].split(separator: "=", maxSplits: 1)
            let cookieName = String(pair[0])
            let cookieValue = pair.count > 1 ? String(pair[1]) : ""
            if cookieValue.isEmpty || value.contains("Max-Age=0") {
                cookies[cookieName] = nil
            } else {
                cookies[cookieName] = cookieValue
            }
        }
        return response
    }

    private func send(method: String, path: String, head: String, body: [UInt8]) throws -> WireResponse {
        switch transport {
        case .socket(let port):
            let client = try TestClient(port: port)
            try client.send(Array((head + "\r\n").utf8) + body)
            guard let response = try client.readResponse(expectBody: method != "HEAD") else {
                throw TestClientError(description: "no response")
            }
            return response
        case .inProcess(let app):
            var headers = HTTPHeaders()
            for line in head.split(separator: "\r\n").dropFirst() {
                let parts = line.split(separator: ":", maxSplits: 1)
                headers.add(name: String(parts[0]), value: String(parts[1].dropFirst()))
            }
            let response = app.respond(
                to: HTTPRequest(method: method, target: path, headers: headers, body: body))
            var bytes: [UInt8] = []
            switch response.body {
            case .bytes(let all): bytes = all
            case .stream(let stream): while let chunk = try stream.nextChunk() { bytes += chunk }
            }
            return WireResponse(
                status: response.status.code, headers: Array(response.headers),
                body: method == "HEAD" ? [] : bytes)
        }
    }

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? text
    }

    /// The CSRF token of the last form page.
    static func token(in html: String) -> String? {
        guard let range = html.range(of: #"name="authenticity_token" value=""#) else { return nil }
        return String(html[range.upperBound...].prefix { $0 != "\"" })
    }
}

func withWebServer(clock: any Clock = ManualClock(testNow), _ body: (UInt16, AppDatabase) throws -> Void) throws {
    let (db, directory) = try makeWebDatabase()
    defer { try? FileManager.default.removeItem(at: directory) }
    var configuration = ServerConfiguration()
    configuration.port = 0
    configuration.eventLoopCount = 1
    var logger = Logger(label: "web-test")
    logger.logLevel = .critical
    let server = try HTTPServer(
        configuration: configuration, responder: try makeWebApplication(db, clock: clock), logger: logger)
    server.start()
    defer {
        server.shutdown()
        server.waitUntilStopped()
    }
    try body(server.port, db)
}

extension HTTPBody {
    /// The bytes of a buffered body; nil for a stream (so `try #require(response.body.bytes)`).
    var bytes: [UInt8]? {
        if case .bytes(let bytes) = self { return bytes }
        return nil
    }
}
