import Domain
import Foundation
import GRDB

/// « Espace admin » → « Motifs » (admin.md §3): one field at a time, applied to the selected
/// motifs of the territory.
public enum MotifBulkChange: Sendable, Equatable {
    case bookableBy(BookableBy)
    case delays(minimum: Int, maximum: Int)
    case visibility(VisibilityType)
    case sectorisationLevel(SectorisationLevel)
    case rdvsEditableByUser(Bool)
    case rdvsCancellableByUser(Bool)
    case color(String)

    func apply(to motif: inout Motif) {
        switch self {
        case .bookableBy(let value): motif.bookableBy = value
        case .delays(let minimum, let maximum):
            motif.minPublicBookingDelay = minimum
            motif.maxPublicBookingDelay = maximum
        case .visibility(let value): motif.visibilityType = value
        case .sectorisationLevel(let value): motif.sectorisationLevel = value
        case .rdvsEditableByUser(let value): motif.rdvsEditableByUser = value
        case .rdvsCancellableByUser(let value): motif.rdvsCancellableByUser = value
        case .color(let value): motif.color = value
        }
    }
}

extension AppDatabase {
    /// Applies `change` to each non-deleted motif of `motifIDs` in the territory, each checked by
    /// the rules of the motif form (domain.md §6) and given its version; all or nothing. A motif
    /// the change would make invalid is named in the refusal (field `base`). Returns the number
    /// of motifs written.
    public func bulkUpdateMotifs(
        territoryID: Int64, motifIDs: [Int64], change: MotifBulkChange, author: String?, now: Date
    ) throws -> Result<Int, ValidationRefusal> {
        do {
            return .success(
                try writer.write { db in
                    let (list, arguments) = Self.inList(motifIDs.uniqued())
                    let rows = motifIDs.isEmpty
                        ? []
                        : try Row.fetchAll(
                            db,
                            sql: """
                                SELECT m.*, o.name AS organisation_name FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                                WHERE o.territory_id = ? AND m.deleted_at IS NULL AND m.id IN (\(list)) ORDER BY m.id
                                """, arguments: [territoryID] + arguments)
                    guard !rows.isEmpty, rows.count == motifIDs.uniqued().count else {
                        throw ValidationRefusal(issues: [.error("base", "Un des motifs choisis n'existe plus.")])
                    }
                    for row in rows {
                        let previous = Self.motif(row)
                        var motif = previous
                        change.apply(to: &motif)
                        let issues = motif.validate(try Self.motifValidationContext(db, motif, previous: previous))
                        if let issue = issues.errors.first {
                            let label = MotifBulkChange.fieldLabels[issue.field] ?? issue.field
                            throw ValidationRefusal(issues: [
                                .error(
                                    "base",
                                    "« \(motif.name) » (\(row["organisation_name"] as String)) : \(label) \(issue.message).")
                            ])
                        }
                        _ = try Self.writeMotif(db, motif, previous: previous, author: author, now: now)
                    }
                    return rows.count
                })
        } catch let refusal as ValidationRefusal {
            return .failure(refusal)
        }
    }
}

extension MotifBulkChange {
    /// The motif fields' names in a refusal, as the motif form labels them.
    static let fieldLabels = [
        "name": "Nom", "service_id": "Service", "motif_category_id": "Catégorie",
        "bookable_by": "Qui peut réserver ce motif ?", "min_public_booking_delay": "Délai minimum de réservation",
        "max_public_booking_delay": "Délai maximum de réservation", "sectorisation_level": "Sectorisation",
        "visibility_type": "Visibilité et notifications", "color": "Couleur",
        "rdvs_editable_by_user": "Les usagers peuvent déplacer leur RDV",
        "rdvs_cancellable_by_user": "Les usagers peuvent annuler leur RDV",
    ]
}
