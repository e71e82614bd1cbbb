extension Sequence where Element: Hashable {
    /// The elements without repeats, in their first-seen order: a `Set` would lose the order
    /// people gave (the first participant of an import stays the first one listed).
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
