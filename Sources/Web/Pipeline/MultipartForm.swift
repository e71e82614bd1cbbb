import HTTP

/// `multipart/form-data` (RFC 7578, RFC 2046 §5.1): text fields and uploaded files (CSV imports).
public struct MultipartForm: Sendable {
    public struct File: Sendable, Equatable {
        public let field: String
        public let filename: String
        public let contentType: String
        public let data: [UInt8]
    }

    public var fields = FormData()
    public var files: [File] = []

    static let maxParts = 100

    /// The boundary parameter of a `multipart/form-data` Content-Type, or nil.
    public static func boundary(contentType: String) -> String? {
        let parts = contentType.split(separator: ";").map { $0.trimmingOWS() }
        guard parts.first?.lowercased() == "multipart/form-data" else { return nil }
        for parameter in parts.dropFirst() {
            let kv = parameter.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].lowercased() == "boundary" else { continue }
            let value =
                kv[1].hasPrefix("\"") && kv[1].hasSuffix("\"") && kv[1].count >= 2
                ? kv[1].dropFirst().dropLast() : kv[1]
            // RFC 2046 §5.1.1: 1 to 70 characters.
            return (1...70).contains(value.count) ? String(value) : nil
        }
        return nil
    }

    public init(body: [UInt8], boundary: String) throws(FormData.DecodingError) {
        let delimiter = Array("--\(boundary)".utf8)
        guard var position = Self.find(delimiter, in: body, from: 0) else {
            throw .init(reason: "no multipart boundary")
        }
        var parts = 0
        while true {
            position += delimiter.count
            // "--" after a delimiter closes the body (RFC 2046 §5.1.1).
            if body.count >= position + 2, body[position] == 0x2D, body[position + 1] == 0x2D { return }
            guard body.count >= position + 2, body[position] == 0x0D, body[position + 1] == 0x0A else {
                throw .init(reason: "malformed boundary line")
            }
            position += 2
            parts += 1
            guard parts <= Self.maxParts else { throw .init(reason: "too many parts") }
            guard let headerEnd = Self.find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: position) else {
                throw .init(reason: "unterminated part headers")
            }
            let headers = String(decoding: body[position..<headerEnd], as: UTF8.self)
            let contentStart = headerEnd + 4
            guard let next = Self.find([0x0D, 0x0A] + delimiter, in: body, from: contentStart) else {
                throw .init(reason: "unterminated part")
            }
            try add(headers: headers, content: Array(body[contentStart..<next]))
            position = next + 2
        }
    }

    private mutating func add(headers: String, content: [UInt8]) throws(FormData.DecodingError) {
        var name: String?
        var filename: String?
        var contentType = "text/plain"
        for line in headers.split(separator: "\r\n") {
            let kv = line.split(separator: ":", maxSplits: 1)
            guard kv.count == 2 else { throw .init(reason: "malformed part header") }
            switch kv[0].lowercased() {
            case "content-disposition":
                for parameter in kv[1].split(separator: ";").dropFirst() {
                    let p = parameter.split(separator: "=", maxSplits: 1)
                    guard p.count == 2 else { continue }
                    let value = String(p[1].trimmingOWS().trimmingCharacters(in: ["\""]))
                    switch p[0].trimmingOWS().lowercased() {
                    case "name": name = value
                    case "filename": filename = value
                    default: break
                    }
                }
            case "content-type": contentType = String(kv[1].trimmingOWS())
            default: break
            }
        }
        guard let name else { throw .init(reason: "part without name") }
        if let filename {
            files.append(File(field: name, filename: filename, contentType: contentType, data: content))
        } else {
            guard let text = String(validating: content, as: UTF8.self) else { throw .init(reason: "invalid UTF-8") }
            fields = FormData(pairs: fields.pairs + [(name: name, value: text)])
        }
    }

    static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count, start <= haystack.count - needle.count else {
            return nil
        }
        var i = start
        let first = needle[0]
        while i <= haystack.count - needle.count {
            if haystack[i] == first && haystack[i..<(i + needle.count)].elementsEqual(needle) { return i }
            i += 1
        }
        return nil
    }
}

extension Substring {
    func trimmingCharacters(in characters: Set<Character>) -> Substring {
        var s = self
        while let c = s.first, characters.contains(c) { s.removeFirst() }
        while let c = s.last, characters.contains(c) { s.removeLast() }
        return s
    }
}
