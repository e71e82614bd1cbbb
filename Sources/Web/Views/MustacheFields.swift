import Mustache

/// A page model that answers the templates' lookups from a table of its fields, instead of
/// swift-mustache's default `Mirror`: one reflection and a scan of every field per `{{name}}`,
/// repeated for each enclosing context when a value is absent (`{{#path}}` on a cell without a
/// link climbs to the page). The agenda's week page spent most of its time there.
///
/// The table lists every stored property, as `Mirror` would see them. Debug builds (the tests)
/// stop on a name the templates read that the table forgot; the golden pages check the rest.
public protocol MustacheFields: MustacheParent {
    static var mustacheFields: MustacheFieldTable<Self> { get }
}

extension MustacheFields {
    public func child(named name: String) -> Any? {
        if let reader = Self.mustacheFields.readers[name] { return reader(self) }
        assert(
            !Mirror(reflecting: self).children.contains { $0.label == name },
            "\(Self.self).\(name) is missing from its MustacheFields table")
        return nil
    }
}

/// Field name → reader. A reader of an optional field answers nil when it is absent, as the
/// template expects (an empty section, a climb to the enclosing context).
public struct MustacheFieldTable<Model>: Sendable {
    let readers: [String: @Sendable (Model) -> Any?]

    public init(_ readers: [String: @Sendable (Model) -> Any?]) { self.readers = readers }

    public var names: Set<String> { Set(readers.keys) }
}
