import Persistence

/// The OpenAPI 3.0 document of the API v1 (api.md §1), written from the operation table the
/// router uses, so a path, method or parameter cannot be served without being documented.
enum OpenAPIDocument {
    static let version = "3.0.3"

    static func make(_ operations: [APIOperation], serverURL: String) -> JSONValue {
        var paths: [(String, JSONValue)] = []
        for operation in operations {
            let path = openAPIPath(operation.pattern.description)
            let entry = (operation.method.lowercased(), describe(operation))
            if let index = paths.firstIndex(where: { $0.0 == path }), case .object(var methods) = paths[index].1 {
                methods.append(entry)
                paths[index].1 = .object(methods)
            } else {
                paths.append((path, .object([entry])))
            }
        }
        return .object([
            ("openapi", .string(version)),
            (
                "info",
                .object([
                    ("title", .string("API RDV")), ("version", .string("v1")),
                    (
                        "description",
                        .string(
                            "L'API v1 de RDV : mêmes chemins, en-têtes d'authentification (access-token, client, uid), "
                                + "formes JSON et pagination que RDV Service Public.")
                    ),
                ])
            ),
            ("servers", .array([.object([("url", .string(serverURL))])])),
            ("paths", .object(paths)),
            ("components", .object([("securitySchemes", securitySchemes), ("schemas", .object(Schemas.all))])),
        ])
    }

    /// `/api/v1/rdvs/:id` → `/api/v1/rdvs/{id}`.
    static func openAPIPath(_ template: String) -> String {
        template.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix(":") ? "{\(segment.dropFirst())}" : String(segment)
        }.joined(separator: "/")
    }

    /// api.md §2: the token headers, or `uid` with the shared-secret signature.
    static let securitySchemes = JSONValue.object(
        ["access-token", "client", "uid", "X-Agent-Auth-Signature"].map { name in
            (name, .object([("type", .string("apiKey")), ("in", .string("header")), ("name", .string(name))]))
        })

    static let security = JSONValue.array([
        .object(["access-token", "client", "uid"].map { ($0, .array([])) }),
        .object(["uid", "X-Agent-Auth-Signature"].map { ($0, .array([])) }),
    ])

    static func describe(_ operation: APIOperation) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("operationId", .string(operation.operationID)), ("summary", .string(operation.summary)),
            ("tags", .array([.string(operation.controller)])),
        ]
        let parameters = operation.parameters.filter { $0.location != .body }
        if !parameters.isEmpty { fields.append(("parameters", .array(parameters.map(parameter)))) }
        let body = operation.parameters.filter { $0.location == .body }
        if !body.isEmpty {
            // An optional field may be sent as null to clear it (APIParameters reads null as empty).
            let schema = Schemas.object(
                body.map { ($0.name, $0.required ? Self.schema($0.kind) : Self.nullable(Self.schema($0.kind))) },
                required: body.filter(\.required).map(\.name))
            fields.append((
                "requestBody",
                .object([
                    // A PATCH of optional fields may send none.
                    ("required", .bool(body.contains(where: \.required))),
                    (
                        "content",
                        .object([
                            ("application/json", .object([("schema", schema)])),
                            ("application/x-www-form-urlencoded", .object([("schema", schema)])),
                        ])
                    ),
                ])
            ))
        }
        if operation.access == .agent {
            fields.append(("security", security))
        }
        fields.append(("responses", responses(operation)))
        return .object(fields)
    }

    /// An optional body field: JSON null is accepted (it clears the field, or is ignored). OpenAPI
    /// 3.0.3 §4.7.25 `nullable` does not widen an `enum`, so null joins its values too.
    static func nullable(_ schema: JSONValue) -> JSONValue {
        guard case .object(let fields) = schema else { return schema }
        let widened = fields.map { field -> (String, JSONValue) in
            if field.0 == "enum", case .array(let values) = field.1 { return (field.0, .array(values + [.null])) }
            return field
        }
        return .object(widened + [("nullable", .bool(true))])
    }

    static func parameter(_ doc: APIParameterDoc) -> JSONValue {
        var fields: [(String, JSONValue)] = [
            ("name", .string(doc.name)), ("in", .string(doc.location.rawValue)), ("required", .bool(doc.required)),
            ("description", .string(doc.description)), ("schema", schema(doc.kind)),
        ]
        if doc.kind.isList { fields += [("style", .string("form")), ("explode", .bool(true))] }
        return .object(fields)
    }

    static func schema(_ kind: APIParameterDoc.Kind) -> JSONValue {
        switch kind {
        case .integer: .object([("type", .string("integer")), ("minimum", .int(Int64(1))), ("format", .string("int64"))])
        case .string: .object([("type", .string("string"))])
        case .boolean: .object([("type", .string("boolean"))])
        case .date: .object([("type", .string("string")), ("format", .string("date"))])
        case .instant:
            .object([
                ("type", .string("string")),
                ("anyOf", .array([.object([("format", .string("date-time"))]), .object([("format", .string("date"))])])),
            ])
        case .page:
            .object([
                ("type", .string("integer")), ("minimum", .int(Int64(1))), ("maximum", .int(Int64(APIPage.maximum))),
            ])
        case .oneOf(let values): .object([("type", .string("string")), ("enum", .array(values.map(JSONValue.string)))])
        case .natural: .object([("type", .string("integer")), ("minimum", .int(Int64(0)))])
        case .integers: Schemas.array(schema(.integer))
        case .strings: Schemas.array(.object([("type", .string("string"))]))
        case .oneOfList(let values): Schemas.array(schema(.oneOf(values)))
        }
    }

    static func responses(_ operation: APIOperation) -> JSONValue {
        var statuses = operation.statuses
        // Every partner call may have unreadable parameters (api.md §4: 400).
        if operation.group == .partner { statuses.append(400) }
        if operation.access == .agent || operation.operationID == "auth_sign_in" { statuses += [401, 429] }
        if operation.group == .api { statuses.append(429) }  // api.md §5: 50 a minute per address
        // The server's own limits, before any route (RFC 9110 §15.5.14–15): a body or a target too long.
        if operation.parameters.contains(where: { $0.location == .body }) { statuses.append(413) }
        statuses.append(414)
        var seen: Set<Int> = []
        return .object(
            statuses.filter { seen.insert($0).inserted }.map { status in
                let description = status < 300 ? "Succès" : "Erreur \(status)"
                let schema = status < 300 ? success(operation) : error(operation)
                var fields: [(String, JSONValue)] = [("description", .string(description))]
                if let schema {
                    fields.append(("content", .object([("application/json", .object([("schema", schema)]))])))
                }
                if status == 429 {
                    fields.append((
                        "headers",
                        .object([("Retry-After", .object([("schema", .object([("type", .string("integer"))]))]))])
                    ))
                }
                return (String(status), .object(fields))
            })
    }

    static func success(_ operation: APIOperation) -> JSONValue? {
        guard let root = operation.root else { return operation.statuses.first == 204 ? nil : Schemas.success }
        if operation.group == .api { return Schemas.ref(root == "starts_at" ? "prochaine_disponibilite" : root) }
        if root == "data" {
            return operation.action == "validate_token"
                ? Schemas.object([("success", .object([("type", .string("boolean"))])), ("data", Schemas.ref("agent"))])
                : Schemas.object([("data", Schemas.ref("agent"))])
        }
        if let singular = Schemas.singular[root] {
            return Schemas.object([(root, Schemas.array(Schemas.ref(singular))), ("meta", Schemas.ref("meta"))])
        }
        return Schemas.object([(root, Schemas.ref(root))])
    }

    /// api.md §4 bodies all carry `errors`; contracts.md §4's public ones carry `error`.
    static func error(_ operation: APIOperation) -> JSONValue {
        operation.group == .api ? Schemas.ref("public_error") : Schemas.ref("error")
    }
}

/// JSON Schemas of the api.md §7 shapes (OpenAPI 3.0: `nullable` rather than type arrays).
enum Schemas {
    static func ref(_ name: String) -> JSONValue { .object([("$ref", .string("#/components/schemas/\(name)"))]) }
    static func nullableRef(_ name: String) -> JSONValue {
        .object([("allOf", .array([ref(name)])), ("nullable", .bool(true))])
    }
    static func array(_ items: JSONValue) -> JSONValue { .object([("type", .string("array")), ("items", items)]) }

    static func object(_ properties: [(String, JSONValue)], required: [String]? = nil) -> JSONValue {
        .object([
            ("type", .string("object")), ("properties", .object(properties)),
            ("required", .array((required ?? properties.map(\.0)).map(JSONValue.string))),
        ])
    }

    static func type(_ name: String, nullable: Bool = false, format: String? = nil) -> JSONValue {
        var fields: [(String, JSONValue)] = [("type", .string(name))]
        if let format { fields.append(("format", .string(format))) }
        if nullable { fields.append(("nullable", .bool(true))) }
        return .object(fields)
    }

    static let id = type("integer", format: "int64")
    static let string = type("string")
    static let optionalString = type("string", nullable: true)
    static let boolean = type("boolean")
    static let integer = type("integer")
    static let number = type("number")
    static let instant = type("string", format: "date-time")
    static let optionalInstant = type("string", nullable: true, format: "date-time")

    /// Collection roots and the schema of their items.
    static let singular = [
        "organisations": "organisation", "agents": "agent", "motifs": "motif", "lieux": "lieu", "rdvs": "rdv",
        "users": "user", "webhook_endpoints": "webhook_endpoint", "plage_ouvertures": "plage_ouverture",
        "absences": "absence",
    ]

    static let success = object([("success", boolean)])

    static var all: [(String, JSONValue)] {
        [
            (
                "meta",
                object([
                    ("current_page", id), ("next_page", type("integer", nullable: true)),
                    ("prev_page", type("integer", nullable: true)), ("total_pages", id), ("total_count", id),
                ])
            ),
            // api.md §4: `errors` (a list, or fields for a 422), or `missing` for a 400.
            ("error", .object([("type", .string("object")), ("properties", .object([("errors", .object([])), ("missing", string)]))])),
            ("public_error", object([("error", string)])),
            (
                "agent",
                object([
                    ("id", id), ("email", optionalString), ("first_name", optionalString), ("last_name", string),
                    ("inclusion_connect_open_id_sub", optionalString),
                ])
            ),
            (
                "organisation",
                object([
                    ("id", id), ("name", string), ("phone_number", optionalString), ("email", optionalString),
                    ("website", optionalString), ("verticale", string),
                ])
            ),
            (
                "lieu",
                object([
                    ("id", id), ("name", string), ("address", string), ("phone_number", optionalString),
                    ("organisation_id", id), ("single_use", boolean), ("enabled", boolean), ("latitude", number),
                    ("longitude", number),
                ])
            ),
            ("motif_category", object([("id", id), ("name", string), ("short_name", string)])),
            ("service", object([("id", id), ("name", string), ("short_name", string)])),
            (
                "motif",
                object([
                    ("id", id), ("name", string), ("location_type", string), ("deleted_at", optionalInstant),
                    ("bookable_publicly", boolean), ("bookable_by", string), ("service_id", id), ("organisation_id", id),
                    ("collectif", boolean), ("follow_up", boolean), ("instruction_for_rdv", optionalString),
                    ("motif_category", nullableRef("motif_category")), ("default_duration_in_min", integer),
                    ("min_public_booking_delay", integer), ("max_public_booking_delay", integer), ("color", string),
                    ("sectorisation_level", string), ("service", nullableRef("service")),
                ])
            ),
            ("user", object(userProperties)),
            (
                "participation",
                object([
                    ("id", id), ("status", string), ("send_lifecycle_notifications", boolean),
                    ("send_reminder_notification", boolean), ("created_by", string), ("user", nullableRef("user")),
                ])
            ),
            ("rdv", object(rdvProperties, required: Array(rdvProperties.map(\.0).prefix(18)))),
            (
                "creneaux",
                object([
                    (
                        "creneaux",
                        array(
                            object(
                                [
                                    ("starts_at", instant), ("ends_at", instant), ("lieu_id", type("integer", nullable: true)),
                                    ("agent_id", id), ("rdv_id", id), ("name", optionalString),
                                    ("remaining_seats", type("integer", nullable: true)),
                                ], required: ["starts_at", "ends_at"]))
                    )
                ])
            ),
            ("prochaine_disponibilite", object([("starts_at", optionalInstant)])),
            ("public_links", object([("public_links", array(object([("external_id", string), ("public_link", string)])))])),
            ("invitation_token", type("string")),
            (
                "exception",
                object(
                    [("date", type("string", format: "date")), ("cancelled", boolean), ("day", type("string", format: "date")),
                     ("start_time", optionalString), ("end_time", optionalString)], required: ["date", "cancelled"])
            ),
            (
                "plage_ouverture",
                object([
                    ("id", id), ("ical_uid", string), ("title", string), ("first_day", type("string", format: "date")),
                    ("start_time", string), ("end_time", string), ("rrule", optionalString), ("ical", string),
                    ("agent", ref("agent")), ("organisation", ref("organisation")), ("lieu", nullableRef("lieu")),
                    ("motifs", array(ref("motif"))), ("exceptions", array(ref("exception"))),
                ])
            ),
            (
                "absence",
                object([
                    ("id", id), ("ical_uid", string), ("title", string), ("first_day", type("string", format: "date")),
                    ("end_day", type("string", format: "date")), ("start_time", string), ("end_time", string),
                    ("rrule", optionalString), ("ical", string), ("agent", ref("agent")),
                    ("organisation", nullableRef("organisation")), ("exceptions", array(ref("exception"))),
                ])
            ),
            (
                "webhook_endpoint",
                object([("id", id), ("target_url", string), ("organisation_id", id), ("subscriptions", array(string))])
            ),
            ("user_profile", object([("user", ref("user")), ("organisation", ref("organisation"))])),
            ("referent_assignation", object([("user", ref("user")), ("agent", ref("agent"))])),
        ]
    }

    static var userProperties: [(String, JSONValue)] {
        var properties: [(String, JSONValue)] = [("id", id)]
        for name in ["first_name", "birth_name", "last_name", "email", "address", "phone_number", "phone_number_formatted"] {
            properties.append((name, name == "first_name" || name == "last_name" ? string : optionalString))
        }
        properties.append(("birth_date", type("string", nullable: true, format: "date")))
        properties.append(("responsible_id", type("integer", nullable: true)))
        for name in ["caisse_affiliation", "affiliation_number", "family_situation"] { properties.append((name, optionalString)) }
        properties.append(("number_of_children", type("integer", nullable: true)))
        properties += [("notify_by_sms", boolean), ("notify_by_email", boolean)]
        properties += [("invitation_created_at", optionalInstant), ("invitation_accepted_at", optionalInstant), ("created_at", optionalInstant)]
        for name in ["case_number", "address_details", "logement", "notes"] { properties.append((name, optionalString)) }
        properties.append(("responsible", nullableRef("user")))
        properties.append(("user_profiles", array(object([("organisation", ref("organisation"))]))))
        return properties
    }

    static let rdvProperties: [(String, JSONValue)] = [
        ("id", id), ("uuid", string), ("status", string), ("starts_at", instant), ("ends_at", instant),
        ("duration_in_min", id), ("address", optionalString), ("context", optionalString), ("cancelled_at", optionalInstant),
        ("max_participants_count", type("integer", nullable: true)), ("users_count", type("integer")),
        ("name", optionalString), ("collectif", boolean), ("created_by_type", string),
        ("created_by_id", type("integer", nullable: true)), ("created_by", string), ("created_at", optionalInstant),
        ("url_for_agents", string), ("organisation", ref("organisation")), ("motif", ref("motif")),
        ("users", array(ref("user"))), ("participations", array(ref("participation"))), ("agents", array(ref("agent"))),
        ("lieu", nullableRef("lieu")),
    ]
}
