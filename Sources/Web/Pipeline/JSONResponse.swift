import HTTP

/// JSON responses of the API group; errors are `{"error": "…"}` (api.md §4).
enum JSONResponse {
    static func ok(_ json: JSONWriter, status: HTTPStatus = .ok) -> HTTPResponse {
        HTTPResponse(status: status, headers: ["Content-Type": "application/json; charset=utf-8"], body: .bytes(json.bytes))
    }

    static func error(_ message: String, status: HTTPStatus) -> HTTPResponse {
        var json = JSONWriter()
        json.beginObject()
        json.key("error")
        json.string(message)
        json.endObject()
        return ok(json, status: status)
    }
}
