import Foundation
import HTTP

/// Files of `Public/` (issue #4): no traversal, no dotfiles, validators and caching.
public struct StaticFiles: Sendable {
    let root: String

    public init(root: URL) {
        self.root = root.standardizedFileURL.path
    }

    static let contentTypes: [String: String] = [
        "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8", "svg": "image/svg+xml",
        "png": "image/png", "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "ico": "image/x-icon",
        "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf", "json": "application/json",
        "txt": "text/plain; charset=utf-8", "html": "text/html; charset=utf-8", "map": "application/json",
        "webp": "image/webp", "pdf": "application/pdf",
    ]

    /// The file for a request path (percent-encoded), or a 400/404 `WebError`.
    func response(for encodedPath: String, request: HTTPRequest) throws -> HTTPResponse {
        let relative = try Self.safeRelativePath(encodedPath)
        let path = root + "/" + relative
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            attributes[.type] as? FileAttributeType == .typeRegular,
            let size = attributes[.size] as? Int, let modified = attributes[.modificationDate] as? Date
        else { throw WebError.notFound }
        let etag = "\"\(String(size, radix: 16))-\(String(Int(modified.timeIntervalSince1970), radix: 16))\""
        var headers: HTTPHeaders = [
            "ETag": etag, "Last-Modified": HTTPDateFormat.string(from: modified),
            "Cache-Control": Self.isFingerprinted(relative)
                ? "public, max-age=31536000, immutable" : "public, max-age=3600",
        ]
        // RFC 9110 §13.1.2: If-None-Match wins over If-Modified-Since.
        if let tags = request.headers["If-None-Match"] {
            if tags == "*"
                || tags.split(separator: ",").contains(where: {
                    $0.trimmingOWS() == etag || $0.trimmingOWS() == "W/" + etag
                })
            {
                return HTTPResponse(status: .notModified, headers: headers)
            }
        } else if let since = request.headers["If-Modified-Since"].flatMap(HTTPDateFormat.date(from:)),
            Int(modified.timeIntervalSince1970) <= Int(since.timeIntervalSince1970)
        {
            return HTTPResponse(status: .notModified, headers: headers)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw WebError.notFound }
        let ext = (relative as NSString).pathExtension.lowercased()
        headers["Content-Type"] = Self.contentTypes[ext] ?? "application/octet-stream"
        return HTTPResponse(status: .ok, headers: headers, body: .bytes(Array(data)))
    }

    /// Decodes the path and refuses anything that could leave `Public/`: `..`, `.` and empty
    /// segments, dotfiles, NUL, backslashes and encoded slashes (400); the rest may be a 404.
    static func safeRelativePath(_ encoded: String) throws -> String {
        var segments: [String] = []
        for raw in encoded.split(separator: "/", omittingEmptySubsequences: false).dropFirst() {
            guard !raw.isEmpty else { throw WebError.badRequest }
            guard let segment = String(raw).removingPercentEncoding, !segment.isEmpty else { throw WebError.badRequest }
            if segment.contains("/") || segment.contains("\\") || segment.contains("\0") { throw WebError.badRequest }
            if segment == "." || segment == ".." { throw WebError.badRequest }
            if segment.hasPrefix(".") { throw WebError.notFound }
            segments.append(segment)
        }
        guard !segments.isEmpty else { throw WebError.notFound }
        return segments.joined(separator: "/")
    }

    /// `app.3f9a1c2b.css`: a content hash in the name means the file never changes.
    static func isFingerprinted(_ path: String) -> Bool {
        let parts = (path as NSString).lastPathComponent.split(separator: ".")
        return path.hasPrefix("vendor/")
            || (parts.count >= 3 && parts[parts.count - 2].count >= 8
                && parts[parts.count - 2].allSatisfy(\.isHexDigit))
    }
}

/// IMF-fixdate for Last-Modified / If-Modified-Since (RFC 9110 §5.6.7).
enum HTTPDateFormat {
    static func string(from date: Date) -> String {
        HTTPDate.format(secondsSinceEpoch: Int(date.timeIntervalSince1970))
    }

    static func date(from text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        return formatter.date(from: text)
    }
}
