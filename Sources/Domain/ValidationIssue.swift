import Foundation

/// One validation problem found on a record (domain.md intro; README "Benign warning").
public struct ValidationIssue: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Hashable, Codable {
        /// Hard error: the record cannot be saved.
        case error
        /// Benign warning: saved anyway once the author ticks « Je comprends et je souhaite continuer ».
        case warning
    }

    /// The snake_case field name of the import format and API (`end_time`), or `base` for the record.
    public var field: String
    /// The French message shown next to the field.
    public var message: String
    public var severity: Severity

    public init(field: String, message: String, severity: Severity = .error) {
        self.field = field
        self.message = message
        self.severity = severity
    }

    public static func error(_ field: String, _ message: String) -> ValidationIssue {
        ValidationIssue(field: field, message: message, severity: .error)
    }

    public static func warning(_ field: String, _ message: String) -> ValidationIssue {
        ValidationIssue(field: field, message: message, severity: .warning)
    }

    public var description: String { "\(severity.rawValue) \(field): \(message)" }
}

extension [ValidationIssue] {
    public var errors: [ValidationIssue] { filter { $0.severity == .error } }
    public var warnings: [ValidationIssue] { filter { $0.severity == .warning } }
    /// True when nothing blocks saving (warnings may still need the author's consent).
    public var hasNoErrors: Bool { !contains { $0.severity == .error } }
}

/// Shared French messages, so the same condition reads the same everywhere.
enum Messages {
    static let required = "doit être rempli(e)"
    static let tooLong = "est trop long"
    static let invalidEmail = "n'est pas une adresse e-mail valide"
    static let invalidPhone = "n'est pas un numéro de téléphone valide"
    static let endBeforeStart = "doit être postérieure à l'heure de début"
    static let notUnique = "est déjà utilisé"
}

/// Small helpers used by every `validate` function.
enum Check {
    static func isBlank(_ text: String?) -> Bool {
        (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
    }

    static func required(_ text: String?, _ field: String) -> [ValidationIssue] {
        isBlank(text) ? [.error(field, Messages.required)] : []
    }

    static func sameText(_ lhs: String, _ rhs: String) -> Bool {
        lhs.trimmingCharacters(in: .whitespacesAndNewlines)
            .compare(rhs.trimmingCharacters(in: .whitespacesAndNewlines), options: [.caseInsensitive]) == .orderedSame
    }
}
