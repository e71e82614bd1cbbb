/// One problem of an import document, at its JSON path: `opening_periods[3].end_time: …`.
public struct InterchangeError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? message : "\(path): \(message)" }
}

/// Every problem found in a document; nothing was written.
public struct InterchangeErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [InterchangeError]
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
