/// `partials/field`: a DSFR input with its label, its error tied by `aria-describedby`
/// (contracts.md §5, RGAA 11.10) and the value the person typed kept.
public struct FormField: Sendable, Equatable {
    public let id: String
    public let name: String
    public let label: String
    public let type: String
    public let value: String
    /// Passwords are never sent back.
    public let keepsValue: Bool
    public let autocomplete: String?
    public let hint: String?
    public let required: Bool
    public let error: String?
    /// The ids that describe the field: its own error, or a form-level message.
    public let describedBy: String?

    public init(
        name: String, label: String, type: String = "text", value: String = "", autocomplete: String? = nil,
        hint: String? = nil, required: Bool = false, error: String? = nil, describedBy: String? = nil
    ) {
        self.id = name
        self.name = name
        self.label = label
        self.type = type
        self.value = value
        self.keepsValue = type != "password"
        self.autocomplete = autocomplete
        self.hint = hint
        self.required = required
        self.error = error
        self.describedBy = error != nil ? "\(name)-error" : describedBy
    }
}

/// `partials/pagination`: DSFR pagination of a list (10 per page unless said otherwise).
public struct Pagination: Sendable, Equatable {
    public struct Page: Sendable, Equatable {
        public let number: Int
        public let path: String
        public let isCurrent: Bool
    }

    public let pages: [Page]
    public let previousPath: String?
    public let nextPath: String?
    public let hasSeveralPages: Bool

    /// `path(n)` writes the address of page n (the list's filters kept).
    public init(current: Int, total: Int, path: (Int) -> String) {
        let count = max(1, total)
        let current = min(max(1, current), count)
        pages = (1...count).map { Page(number: $0, path: path($0), isCurrent: $0 == current) }
        previousPath = current > 1 ? path(current - 1) : nil
        nextPath = current < count ? path(current + 1) : nil
        hasSeveralPages = count > 1
    }
}

/// `partials/benign_warnings`: the warnings of domain.md §9 in one box, with « Enregistrer
/// quand même » re-submitting the same form with `ignore_benign_errors=1`.
public struct BenignWarnings: Sendable, Equatable {
    public let messages: [String]
    public let hasWarnings: Bool

    public init(_ messages: [String]) {
        self.messages = messages
        hasWarnings = !messages.isEmpty
    }
}
