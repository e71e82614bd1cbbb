import HTTP

/// A documented parameter of an API v1 operation (api.md §6): where it is read, its JSON Schema
/// type, and whether the call needs it. The OpenAPI document is written from these.
struct APIParameterDoc: Sendable, Equatable {
    enum Location: String, Sendable { case path, query, body }
    enum Kind: Sendable, Equatable {
        case integer, string, boolean, date, instant, page
        /// 0 or more (a count).
        case natural
        case oneOf([String])
        case oneOfList([String])
        case integers, strings
    }

    let name: String
    let location: Location
    let kind: Kind
    let required: Bool
    let description: String

    static func path(_ name: String, _ description: String) -> APIParameterDoc {
        APIParameterDoc(name: name, location: .path, kind: .integer, required: true, description: description)
    }

    static func query(_ name: String, _ kind: Kind, required: Bool = false, _ description: String) -> APIParameterDoc {
        APIParameterDoc(name: name, location: .query, kind: kind, required: required, description: description)
    }

    static func body(_ name: String, _ kind: Kind, required: Bool = false, _ description: String) -> APIParameterDoc {
        APIParameterDoc(name: name, location: .body, kind: kind, required: required, description: description)
    }

    static let page = query("page", .page, "Page demandée (100 éléments par page, de 1 à 1 000 000).")
}

/// One operation of the API v1: the row of the route table and of the OpenAPI document, so the
/// two cannot disagree (api.md §1).
struct APIOperation: Sendable {
    enum Access: Sendable, Equatable {
        /// `access-token`/`client`/`uid` or the shared-secret signature (api.md §2).
        case agent
        /// No authentication (api.md §8, and `auth/sign_in` itself).
        case anonymous
    }

    let method: String
    let pattern: RoutePattern
    /// `.partner` (api.md §4 errors) or `.api` for the public availability endpoints, whose
    /// errors contracts.md §4 fixes as `{"error": …}`.
    let group: RouteGroup
    /// `api_calls.controller` and `.action`, and the OpenAPI `operationId`.
    let controller: String
    let action: String
    let summary: String
    let access: Access
    let parameters: [APIParameterDoc]
    /// The statuses it may answer besides 401/429/500, first the success.
    let statuses: [Int]
    /// The root key of the success body (`rdvs`, `rdv`…); nil for 204 and bespoke bodies.
    let root: String?
    let run: @Sendable (inout Exchange, APIAgent?) throws -> HTTPResponse

    var operationID: String { "\(controller)_\(action)" }
}

extension APIParameterDoc.Kind {
    /// `name[]` lists (RFC 6570 form style, exploded: `ids[]=1&ids[]=2`).
    var isList: Bool {
        switch self {
        case .integers, .strings, .oneOfList: true
        default: false
        }
    }

    /// The smallest value of an integer kind; nil for the others.
    var minimum: Int64? {
        switch self {
        case .integer, .page: 1
        case .natural: 0
        default: nil
        }
    }
}
