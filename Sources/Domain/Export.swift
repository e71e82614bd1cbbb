import Foundation

/// An export of « Liste des RDV » (admin.md §8, domain.md §13 `Export`).
public enum ExportType: String, Sendable, Codable, CaseIterable {
    case appointments = "rdv_export"
    case participations = "participations_export"

    /// The word in the file name: `export-rdv-…`, `export-participations-…`.
    var fileNameWord: String {
        switch self {
        case .appointments: "rdv"
        case .participations: "participations"
        }
    }

    public var label: String {
        switch self {
        case .appointments: "RDV"
        case .participations: "Participations"
        }
    }
}

public enum ExportFormat: String, Sendable, Codable, CaseIterable {
    case xlsx, csv

    public var label: String {
        switch self {
        case .xlsx: "Excel (.xlsx)"
        case .csv: "CSV"
        }
    }

    public var mediaType: String {
        switch self {
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case .csv: "text/csv; charset=utf-8"
        }
    }
}

public enum ExportRules {
    /// domain.md §13: the file is kept 6 hours after it is computed.
    public static let validity: TimeInterval = 6 * 3600
    /// admin.md §6: « Vos exports » lists the last 2 weeks.
    public static let listedFor: TimeInterval = 14 * 86400
    /// admin.md §8: the job reads the appointments in pages of 200 ids.
    public static let pageSize = 200

    /// The file on disk, in the exports directory: named by the export's uuid, never by what a
    /// person typed.
    public static func storedFileName(uuid: String, format: ExportFormat) -> String { uuid + "." + format.rawValue }

    /// admin.md §8: `export-rdv-YYYY-MM-DD-org-000123.xlsx` for one organisation (id padded to
    /// 6 digits), `export-rdv-YYYY-MM-DD.xlsx` for several; `participations` likewise.
    public static func fileName(type: ExportType, format: ExportFormat, date: LocalDate, organisationIDs: [Int64])
        -> String
    {
        var name = "export-\(type.fileNameWord)-\(date)"
        if organisationIDs.count == 1, let id = organisationIDs.first {
            let digits = String(id)
            name += "-org-" + String(repeating: "0", count: max(0, 6 - digits.count)) + digits
        }
        return name + "." + format.rawValue
    }
}
