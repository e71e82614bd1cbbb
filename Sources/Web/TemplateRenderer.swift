import Foundation
import Mustache

/// The templates of `Templates/`, parsed once at start-up (style.md §6: immutable afterwards).
/// `{{x}}` escapes HTML; pages never use triple mustaches.
public struct TemplateRenderer: Sendable {
    let library: MustacheLibrary

    public struct MissingTemplate: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "template \(name) not found in Templates/" }
    }

    /// Loads every `*.mustache` file below `directory`; the name is the relative path without
    /// the extension (`agents/sessions/new`).
    public init(directory: URL) throws {
        var library = MustacheLibrary()
        let root = directory.standardizedFileURL.path
        guard let walker = FileManager.default.enumerator(atPath: root) else { throw MissingTemplate(name: root) }
        while let relative = walker.nextObject() as? String {
            guard relative.hasSuffix(".mustache") else { continue }
            let text = try String(contentsOfFile: root + "/" + relative, encoding: .utf8)
            try library.register(text, named: String(relative.dropLast(".mustache".count)))
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

/// A page's data; its type names the template that renders it.
public protocol PageModel: Sendable {
    static var template: String { get }
}

/// The pieces the layout shows on every page; each page model carries them as top-level fields,
/// because a Mustache parent template reads the page's own context.
public enum LayoutModel {
    public struct SignedInAgent: Sendable {
        public let displayName: String
    }

    public struct Flash: Sendable {
        public let kind: String
        public let message: String
    }
}
