import HTTP
import Persistence

/// `/api-docs/v1/openapi.json` and `/api-docs` (api.md §1): the OpenAPI document and a page of
/// ours that reads it to people, both made once from the operation table.
struct APIDocsController: Sendable {
    let documentBytes: [UInt8]
    let pageModel: APIDocsPage
    let responses: PageResponses

    init(operations: [APIOperation], publicURL: String, responses: PageResponses) {
        var base = publicURL
        while base.hasSuffix("/") { base.removeLast() }
        documentBytes = OpenAPIDocument.make(operations, serverURL: base).bytes
        pageModel = APIDocsPage(operations: operations)
        self.responses = responses
    }

    func document(_ exchange: inout Exchange) throws -> HTTPResponse {
        HTTPResponse(
            status: .ok, headers: ["Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300"],
            body: .bytes(documentBytes))
    }

    func page(_ exchange: inout Exchange) throws -> HTTPResponse {
        try responses.page(pageModel, layout: exchange.layout)
    }
}

/// `pages/api_docs`: every operation with its method, path, parameters and answers.
public struct APIDocsPage: PageModel, Equatable {
    public static let template = "pages/api_docs"

    public struct Parameter: Sendable, Equatable {
        public let name: String
        public let location: String
        public let type: String
        public let required: String
        public let description: String
    }

    public struct Operation: Sendable, Equatable {
        public let anchor: String
        public let method: String
        public let path: String
        public let summary: String
        public let authentication: String
        public let parameters: [Parameter]
        public let hasParameters: Bool
        public let statuses: String
    }

    public let operations: [Operation]
    public let documentPath = SiteURL.apiDocsDocument.path

    init(operations: [APIOperation]) {
        self.operations = operations.map { operation in
            let parameters = operation.parameters.map { doc in
                Parameter(
                    name: doc.name,
                    location: ["path": "chemin", "query": "requête", "body": "corps"][doc.location.rawValue] ?? "",
                    type: Self.typeName(doc.kind), required: doc.required ? "oui" : "non", description: doc.description)
            }
            var statuses = operation.statuses
            if operation.access == .agent { statuses += [401, 429] }
            return Operation(
                anchor: operation.operationID, method: operation.method, path: operation.pattern.description,
                summary: operation.summary,
                authentication: operation.access == .agent
                    ? "En-têtes access-token, client et uid (ou signature du secret partagé)" : "Aucune",
                parameters: parameters, hasParameters: !parameters.isEmpty,
                statuses: statuses.map(String.init).joined(separator: ", "))
        }
    }

    static func typeName(_ kind: APIParameterDoc.Kind) -> String {
        switch kind {
        case .integer: "entier"
        case .string: "texte"
        case .boolean: "booléen (true, false)"
        case .date: "date (AAAA-MM-JJ)"
        case .instant: "instant ISO 8601 ou date"
        case .page: "entier (1 à 1 000 000)"
        case .natural: "entier positif ou nul"
        case .oneOf(let values): values.joined(separator: " ou ")
        case .oneOfList(let values): "liste parmi " + values.joined(separator: ", ")
        case .integers: "liste d'entiers"
        case .strings: "liste de textes"
        }
    }
}
