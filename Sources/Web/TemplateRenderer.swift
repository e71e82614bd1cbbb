import Foundation
import Mustache

/// The templates of `Templates/`, parsed once at start-up (style.md §6: immutable afterwards).
/// `{{x}}` escapes HTML with `HTMLEscaping` (per Unicode scalar); pages never use triple
/// mustaches, and the renderer refuses templates that could switch the escaping off.
public struct TemplateRenderer: Sendable {
    let library: MustacheLibrary

    public struct MissingTemplate: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "template \(name) not found in Templates/" }
    }

    /// A template holding a tag that renders without our escaping (`{{{x}}}`, `{{&x}}`), changes
    /// the delimiters (which would hide such a tag from this check) or picks a content type.
    public struct UnescapedTag: Error, CustomStringConvertible {
        public let name: String
        public let tag: String
        public var description: String { "template \(name) uses \(tag): every value must go through HTML escaping" }
    }

    /// Loads every `*.mustache` file below `directory`; the name is the relative path without
    /// the extension (`agents/sessions/new`).
    public init(directory: URL) throws {
        var templates: [String: String] = [:]
        let root = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw MissingTemplate(name: root) }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".mustache") else { continue }
            templates[String(relative.dropLast(".mustache".count))] = try String(
                contentsOfFile: root + "/" + relative, encoding: .utf8)
        }
        try self.init(templates: templates)
    }

    /// Registers `templates` (name → text).
    ///
    /// swift-mustache's built-in HTML escaping walks `Character`s, so `"` followed by a combining
    /// mark (U+0301…) is one grapheme that matches none of its entries and passes raw, ending an
    /// attribute value. Each template is therefore registered behind a `CONTENT_TYPE` pragma
    /// naming our escaper: a partial starts from swift-mustache's default escaper again, but
    /// every partial is one of these templates and starts with the same pragma. The `HTML` name
    /// is pointed at our escaper too, and a template cannot opt out (see `UnescapedTag`).
    public init(templates: [String: String]) throws {
        HTMLEscaping.registerOnce
        var library = MustacheLibrary()
        for (name, text) in templates.sorted(by: { $0.key < $1.key }) {
            for tag in ["{{{", "{{&", "{{%", "{{="] where text.contains(tag) {
                throw UnescapedTag(name: name, tag: tag)
            }
            // A standalone pragma line renders nothing, not even its line end.
            try library.register("{{% CONTENT_TYPE: \(HTMLEscaping.contentTypeName) }}\n" + text, named: name)
        }
        self.library = library
    }

    public func render(_ model: some PageModel) throws -> String {
        guard let html = library.render(model, withTemplate: type(of: model).template) else {
            throw MissingTemplate(name: type(of: model).template)
        }
        return html
    }
}

/// HTML escaping per Unicode scalar (in fact per UTF-8 byte: the five escaped characters are
/// ASCII, and no byte of a multi-byte UTF-8 sequence is below 0x80): `&` `<` `>` `"` `'` become
/// `&amp;` `&lt;` `&gt;` `&quot;` `&#39;` wherever they stand, also before a combining mark.
public struct HTMLEscaping: MustacheContentType {
    static let contentTypeName = "RDV_HTML"

    /// Registers the escaper under our name and under swift-mustache's `HTML`, once per process.
    static let registerOnce: Void = {
        MustacheContentTypes.register(HTMLEscaping(), named: contentTypeName)
        MustacheContentTypes.register(HTMLEscaping(), named: "HTML")
    }()

    public init() {}

    public func escapeText(_ text: String) -> String { Self.escape(text) }

    public static func escape(_ text: String) -> String {
        var text = text
        return text.withUTF8 { bytes in
            guard let first = bytes.firstIndex(where: needsEscaping) else { return String(decoding: bytes, as: UTF8.self) }
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            output.append(contentsOf: bytes[..<first])
            for byte in bytes[first...] {
                switch byte {
                case UInt8(ascii: "&"): output.append(contentsOf: "&amp;".utf8)
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    @inline(__always)
    static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "&") || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
            || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'")
    }
}

/// A page's data; its type names the template that renders it.
public protocol PageModel: Sendable {
    static var template: String { get }
}
