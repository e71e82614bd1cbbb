import Domain
import Foundation
import Persistence

/// The fields « Espace admin » → « Motifs » edits in bulk (admin.md §3), one at a time.
enum MotifBulkField: String, CaseIterable, Sendable {
    case bookableBy = "bookable_by"
    case delays
    case visibility = "visibility_type"
    case sectorisationLevel = "sectorisation_level"
    case rdvsEditableByUser = "rdvs_editable_by_user"
    case rdvsCancellableByUser = "rdvs_cancellable_by_user"
    case color

    var label: String {
        switch self {
        case .bookableBy: "Qui peut réserver"
        case .delays: "Délais de réservation"
        case .visibility: "Visibilité et notifications"
        case .sectorisationLevel: "Sectorisation"
        case .rdvsEditableByUser: "Les usagers peuvent déplacer leur RDV"
        case .rdvsCancellableByUser: "Les usagers peuvent annuler leur RDV"
        case .color: "Couleur"
        }
    }

    /// The change the form asks for, or the field's error.
    func change(_ form: FormData) -> Result<MotifBulkChange, BulkFieldError> {
        let value = form["value"] ?? ""
        switch self {
        case .bookableBy:
            return BookableBy(rawValue: value).map { .success(.bookableBy($0)) } ?? .failure(.init("value", "Choisissez une valeur."))
        case .delays:
            guard let minimum = form["min_public_booking_delay"].flatMap({ Int($0) }),
                MotifFormPage.minimumDelays.contains(minimum)
            else { return .failure(.init("min_public_booking_delay", "Choisissez un délai minimum.")) }
            guard let maximum = form["max_public_booking_delay"].flatMap({ Int($0) }),
                MotifFormPage.maximumDelays.contains(maximum)
            else { return .failure(.init("max_public_booking_delay", "Choisissez un délai maximum.")) }
            return .success(.delays(minimum: minimum, maximum: maximum))
        case .visibility:
            return VisibilityType(rawValue: value).map { .success(.visibility($0)) } ?? .failure(.init("value", "Choisissez une valeur."))
        case .sectorisationLevel:
            return SectorisationLevel(rawValue: value).map { .success(.sectorisationLevel($0)) }
                ?? .failure(.init("value", "Choisissez une valeur."))
        case .rdvsEditableByUser, .rdvsCancellableByUser:
            guard let flag = ["1": true, "0": false][value] else { return .failure(.init("value", "Choisissez « Oui » ou « Non ».")) }
            return .success(self == .rdvsEditableByUser ? .rdvsEditableByUser(flag) : .rdvsCancellableByUser(flag))
        case .color:
            return .success(.color(value.trimmingCharacters(in: .whitespaces)))
        }
    }

    struct BulkFieldError: Error, Equatable {
        let field: String
        let message: String

        init(_ field: String, _ message: String) {
            self.field = field
            self.message = message
        }
    }
}

/// `territory_motifs/index`: every motif of the territory with its filters (organisation,
/// service, « Réservable en ligne »), a checkbox per motif and the field to edit in bulk.
public struct TerritoryMotifIndexPage: PageModel, Equatable {
    public static let template = "territory_motifs/index"

    public struct Row: Sendable, Equatable {
        public let id: Int64
        public let name: String
        public let color: String
        public let organisationName: String
        public let serviceName: String
        public let bookableLabel: String
        public let isOnline: Bool
        public let delays: String
        public let userActions: String
        public let isSelected: Bool
    }

    public let filterPath: String
    public let organisationFilter: SelectField
    public let serviceFilter: SelectField
    public let onlineOnly: Bool
    public let isFiltered: Bool
    public let bulkPath: String
    public let rows: [Row]
    public let isEmpty: Bool
    public let count: Int
    public let fieldSelect: SelectField
    public let selectionError: String?

    static func filter(_ query: FormData) -> MotifListFilter {
        var filter = MotifIndexPage.filter(query)
        filter.organisationID = query["organisation_id"].flatMap { Int64($0) }
        filter.deleted = false
        return filter
    }

    static func load(
        territoryID: Int64, filter: MotifListFilter, organisations: [NamedOption], services: [NamedOption],
        motifs: [MotifListRow], selected: Set<Int64> = [], field: String = "", errors: [String: String] = [:]
    ) -> TerritoryMotifIndexPage {
        TerritoryMotifIndexPage(
            filterPath: SiteURL.territory(id: territoryID, .motifs).path,
            organisationFilter: SelectField(
                id: "organisation_id", label: "Organisation",
                options: [.init(value: "", label: "Toutes les organisations", isSelected: filter.organisationID == nil)]
                    + organisations.map { .init(value: "\($0.id)", label: $0.name, isSelected: filter.organisationID == $0.id) }),
            serviceFilter: SelectField(
                id: "service_id", label: "Service",
                options: [.init(value: "", label: "Tous les services", isSelected: filter.serviceID == nil)]
                    + services.map { .init(value: "\($0.id)", label: $0.name, isSelected: filter.serviceID == $0.id) }),
            onlineOnly: filter.onlineOnly, isFiltered: filter != MotifListFilter(),
            bulkPath: SiteURL.territory(id: territoryID, .motifsBulkEdit).path,
            rows: motifs.map { row in
                let motif = row.motif
                return Row(
                    id: motif.id ?? 0, name: motif.name, color: motif.color, organisationName: row.organisationName,
                    serviceName: row.serviceName,
                    bookableLabel: MotifFormPage.bookableLabels[motif.bookableBy] ?? motif.bookableBy.label,
                    isOnline: motif.bookablePublicly,
                    delays: "de \(MotifFormPage.delayLabel(motif.minPublicBookingDelay)) à \(MotifFormPage.delayLabel(motif.maxPublicBookingDelay))",
                    userActions: [
                        motif.rdvsEditableByUser ? "déplacer" : nil, motif.rdvsCancellableByUser ? "annuler" : nil,
                    ].compactMap { $0 }.joined(separator: ", ").capitalizedFirst(orElse: "Aucune"),
                    isSelected: selected.contains(motif.id ?? 0))
            }, isEmpty: motifs.isEmpty, count: motifs.count,
            fieldSelect: SelectField(
                id: "field", label: "Champ à modifier",
                options: [.init(value: "", label: "Choisissez un champ", isSelected: field.isEmpty)]
                    + MotifBulkField.allCases.map { .init(value: $0.rawValue, label: $0.label, isSelected: field == $0.rawValue) },
                error: errors["field"]),
            selectionError: errors["motif_ids"])
    }
}

extension String {
    /// « Déplacer, annuler »; `orElse` when empty.
    fileprivate func capitalizedFirst(orElse fallback: String) -> String {
        guard let first else { return fallback }
        return first.uppercased() + dropFirst()
    }
}

/// `territory_motifs/bulk_edit`: the chosen field's control for the selected motifs, applied to
/// all of them at once.
public struct TerritoryMotifBulkEditPage: PageModel, Equatable {
    public static let template = "territory_motifs/bulk_edit"

    public let heading: String
    public let backPath: String
    public let path: String
    public let field: String
    public let fieldLabel: String
    public let motifIDs: [Int64]
    public let motifNames: [String]
    public let baseError: String?
    public let radios: ChoiceGroup?
    public let minDelayField: SelectField?
    public let maxDelayField: SelectField?
    public let colorField: FormField?
    public let submitLabel: String

    static func load(
        territoryID: Int64, field: MotifBulkField, motifs: [MotifListRow], form: FormData? = nil, errors: [String: String] = [:]
    ) -> TerritoryMotifBulkEditPage {
        let value = form?["value"] ?? ""
        func radios(_ choices: [(String, String)]) -> ChoiceGroup {
            ChoiceGroup(
                id: "value", name: "value", legend: field.label, hint: nil,
                options: choices.enumerated().map { index, choice in
                    .init(id: "value-\(index)", value: choice.0, label: choice.1, isSelected: value == choice.0)
                }, error: errors["value"])
        }
        func delays(_ name: String, _ choices: [Int], label: String) -> SelectField {
            let current = form?[name].flatMap { Int($0) }
            return SelectField(
                id: name, label: label,
                options: [.init(value: "", label: "Choisissez un délai", isSelected: current == nil)]
                    + choices.map { .init(value: "\($0)", label: MotifFormPage.delayLabel($0), isSelected: current == $0) },
                error: errors[name])
        }
        let choices: [(String, String)]? =
            switch field {
            case .bookableBy: BookableBy.allCases.map { ($0.rawValue, MotifFormPage.bookableLabels[$0] ?? $0.label) }
            case .visibility: VisibilityType.allCases.map { ($0.rawValue, MotifFormPage.visibilityLabels[$0] ?? $0.rawValue) }
            case .sectorisationLevel:
                SectorisationLevel.allCases.map { ($0.rawValue, MotifFormPage.sectorisationLabels[$0] ?? $0.rawValue) }
            case .rdvsEditableByUser, .rdvsCancellableByUser: [("1", "Oui"), ("0", "Non")]
            case .delays, .color: nil
            }
        let count = motifs.count
        return TerritoryMotifBulkEditPage(
            heading: count == 1 ? "Modifier 1 motif" : "Modifier \(count) motifs",
            backPath: SiteURL.territory(id: territoryID, .motifs).path, path: SiteURL.territory(id: territoryID, .motifs).path,
            field: field.rawValue, fieldLabel: field.label, motifIDs: motifs.compactMap(\.motif.id),
            motifNames: motifs.map { "\($0.motif.name) (\($0.organisationName))" }, baseError: errors["base"],
            radios: choices.map(radios),
            minDelayField: field == .delays
                ? delays("min_public_booking_delay", MotifFormPage.minimumDelays, label: "Délai minimum de réservation") : nil,
            maxDelayField: field == .delays
                ? delays("max_public_booking_delay", MotifFormPage.maximumDelays, label: "Délai maximum de réservation") : nil,
            colorField: field == .color
                ? FormField(
                    name: "value", label: "Couleur", type: "color", value: form?["value"] ?? "#1F77B4", required: true,
                    error: errors["value"]) : nil,
            submitLabel: count == 1 ? "Appliquer au motif" : "Appliquer aux \(count) motifs")
    }
}
