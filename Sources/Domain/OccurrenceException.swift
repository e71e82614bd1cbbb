import Foundation

/// A cancelled, or moved/resized, single occurrence of a recurring opening period or absence
/// (domain.md §7b, beyond the original).
public struct OccurrenceException: Sendable, Equatable, Codable {
    public enum SeriesType: String, Sendable, Codable, CaseIterable {
        case openingPeriod = "opening_period"
        case absence
    }

    public var id: Int64?
    public var seriesType: SeriesType
    public var seriesID: Int64
    /// The original occurrence date; unique per series.
    public var date: LocalDate
    /// True: the occurrence disappears.
    public var cancelled: Bool
    /// The day the occurrence moves to; defaults to `date`.
    public var day: LocalDate
    /// Required when not cancelled.
    public var startTime: TimeOfDay?
    public var endTime: TimeOfDay?

    public init(
        id: Int64? = nil, seriesType: SeriesType, seriesID: Int64, date: LocalDate, cancelled: Bool,
        day: LocalDate? = nil, startTime: TimeOfDay? = nil, endTime: TimeOfDay? = nil
    ) {
        self.id = id
        self.seriesType = seriesType
        self.seriesID = seriesID
        self.date = date
        self.cancelled = cancelled
        self.day = day ?? date
        self.startTime = startTime
        self.endTime = endTime
    }

    public static let notAnOccurrenceMessage = "ne correspond à aucune occurrence de la série"

    /// domain.md §7b: the series recurs; `date` is a regular occurrence (S73) and unique per
    /// series; a moved occurrence has start and end times with end > start (within `day`).
    public func validate(series: SeriesPattern, siblings: [OccurrenceException] = []) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if series.recurrence == nil {
            issues.append(.error("series_id", "la série doit être récurrente"))
        } else if !series.isRegularOccurrence(date) {
            issues.append(.error("date", Self.notAnOccurrenceMessage))
        }
        if siblings.contains(where: {
            ($0.id == nil || $0.id != id) && $0.seriesType == seriesType && $0.seriesID == seriesID && $0.date == date
        }) {
            issues.append(.error("date", "cette occurrence a déjà été modifiée"))
        }
        guard !cancelled else { return issues }
        if startTime == nil { issues.append(.error("start_time", Messages.required)) }
        if endTime == nil { issues.append(.error("end_time", Messages.required)) }
        if let startTime, let endTime, endTime <= startTime {
            issues.append(.error("end_time", Messages.endBeforeStart))
        }
        return issues
    }
}
