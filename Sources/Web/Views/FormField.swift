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

    /// `id` defaults to `name`; give one when two forms of a page share a field name.
    public init(
        id: String? = nil, name: String, label: String, type: String = "text", value: String = "",
        autocomplete: String? = nil, hint: String? = nil, required: Bool = false, error: String? = nil,
        describedBy: String? = nil
    ) {
        self.id = id ?? name
        self.name = name
        self.label = label
        self.type = type
        self.value = value
        self.keepsValue = type != "password"
        self.autocomplete = autocomplete
        self.hint = hint
        self.required = required
        self.error = error
        self.describedBy = error != nil ? "\(id ?? name)-error" : describedBy
    }
}

/// `partials/pagination`: DSFR pagination of a list (10 per page unless said otherwise).
public struct Pagination: Sendable, Equatable {
    public struct Page: Sendable, Equatable {
        public let number: Int
        public let path: String
        public let isCurrent: Bool
        /// « … » in place of the pages left out between two shown ones.
        public let isGap: Bool

        init(number: Int, path: String, isCurrent: Bool, isGap: Bool = false) {
            self.number = number
            self.path = path
            self.isCurrent = isCurrent
            self.isGap = isGap
        }
    }

    /// The highest page a list serves; beyond it a list of 10 per page would skip 100,000 rows.
    public static let lastServedPage = 10_000

    /// The `page` query value as a page number, 1...`lastServedPage`: anything else (absent,
    /// garbage, negative, or so large that the row offset would overflow and stop the process)
    /// is clamped.
    public static func requestedPage(_ text: String?) -> Int {
        guard let text, let number = Int(text) else { return 1 }
        return min(max(1, number), lastServedPage)
    }

    public let pages: [Page]
    public let previousPath: String?
    public let nextPath: String?
    public let hasSeveralPages: Bool

    /// `path(n)` writes the address of page n (the list's filters kept). The links are the
    /// first and last pages and two on each side of the current one, gaps marked « … ».
    public init(current: Int, total: Int, path: (Int) -> String) {
        let count = min(max(1, total), Self.lastServedPage)
        let current = min(max(1, current), count)
        let shown = Set([1, count] + Array(max(1, current - 2)...min(count, current + 2))).sorted()
        var pages: [Page] = []
        for number in shown {
            if let last = pages.last, number > last.number + 1 {
                pages.append(Page(number: number - 1, path: "", isCurrent: false, isGap: true))
            }
            pages.append(Page(number: number, path: path(number), isCurrent: number == current))
        }
        self.pages = pages
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

/// `partials/radios` and `partials/checkboxes`: a DSFR fieldset of choices with its legend, hint
/// and error (tied by `aria-labelledby`), the chosen ones kept.
public struct ChoiceGroup: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public let id: String
        public let value: String
        public let label: String
        public let isSelected: Bool

        public init(id: String, value: String, label: String, isSelected: Bool) {
            self.id = id
            self.value = value
            self.label = label
            self.isSelected = isSelected
        }
    }

    public let id: String
    public let name: String
    public let legend: String
    public let hint: String?
    public let options: [Option]
    public let error: String?
    /// Shown instead of the options when there are none.
    public let emptyMessage: String?

    public init(
        id: String, name: String, legend: String, hint: String?, options: [Option], error: String?,
        emptyMessage: String? = nil
    ) {
        self.id = id
        self.name = name
        self.legend = legend
        self.hint = hint
        self.options = options
        self.error = error
        self.emptyMessage = emptyMessage
    }
}

/// A value a form carries on without showing it (the filters of a list, the view of an agenda).
public struct HiddenField: Sendable, Equatable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// `partials/select`: a DSFR `<select>` with its label, hint and error (tied by
/// `aria-describedby`), the chosen option kept.
public struct SelectField: Sendable, Equatable {
    public struct Option: Sendable, Equatable {
        public let value: String
        public let label: String
        public let isSelected: Bool

        public init(value: String, label: String, isSelected: Bool) {
            self.value = value
            self.label = label
            self.isSelected = isSelected
        }
    }

    public let id: String
    public let label: String
    public let hint: String?
    public let options: [Option]
    public let error: String?

    public init(id: String, label: String, hint: String? = nil, options: [Option], error: String? = nil) {
        self.id = id
        self.label = label
        self.hint = hint
        self.options = options
        self.error = error
    }
}

/// `partials/textarea`: a DSFR multi-line field with its label, hint and error.
public struct TextAreaField: Sendable, Equatable {
    public let id: String
    public let label: String
    public let hint: String?
    public let value: String
    public let rows: Int
    public let error: String?

    public init(id: String, label: String, hint: String? = nil, value: String, rows: Int = 3, error: String? = nil) {
        self.id = id
        self.label = label
        self.hint = hint
        self.value = value
        self.rows = rows
        self.error = error
    }
}
