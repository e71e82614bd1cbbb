import Domain
import Foundation
import Persistence

/// `partials/history`: a record's « Historique » (domain.md §0), newest first: when, who, what
/// changed, each field by its French label.
public struct HistoryList: Sendable, Equatable {
    public struct Row: Sendable, Equatable {
        public let when: String
        public let whenISO: String
        public let author: String
        public let action: String
        public let changes: [String]
    }

    public let rows: [Row]
    public let isEmpty: Bool

    static let actions: [VersionEntry.Event: String] = [.create: "Création", .update: "Modification", .destroy: "Suppression"]

    /// `fields`: the fields shown, in the form's order, with their labels; `describe` turns a
    /// stored value of a field into the words of the form (an option's label, « Oui »).
    /// `action`: the words of an entry's event (« Création »…) when a history mixes records.
    static func load(
        _ entries: [VersionEntry], fields: [(name: String, label: String)], zone: TimeZone,
        describe: (_ field: String, _ value: String) -> String = { $1 },
        action: (VersionEntry) -> String = { actions[$0.event] ?? "" }
    ) -> HistoryList {
        let rows = entries.map { entry in
            Row(
                when: AppointmentFormat.short(entry.createdAt, in: zone),
                whenISO: AppointmentFormat.iso(entry.createdAt, in: zone), author: entry.author ?? "—",
                action: action(entry),
                // Only the fields a person reads (positions follow the address).
                changes: fields.compactMap { field in
                    func shown(_ value: String) -> String { value.isEmpty ? "(vide)" : "« \(describe(field.name, value)) »" }
                    guard let change = entry.changes.first(where: { $0.field == field.name }) else { return nil }
                    switch entry.event {
                    case .create: return "\(field.label) : \(shown(change.after))"
                    // What was deleted, as it was.
                    case .destroy: return "\(field.label) : \(shown(change.before))"
                    case .update: return "\(field.label) : \(shown(change.before)) → \(shown(change.after))"
                    }
                })
        }
        return HistoryList(rows: rows, isEmpty: rows.isEmpty)
    }
}
