import Foundation

/// An opening period, as the engine needs it (slots.md §4). Step 1 — choosing the candidate
/// periods for the motif, place and agent filter — is done by the caller's query.
public struct SlotPeriod: Sendable {
    public var id: Int64
    public var agentID: Int64
    public var placeID: Int64?
    public var pattern: SeriesPattern
    public var exceptions: [OccurrenceException]

    public init(id: Int64, agentID: Int64, placeID: Int64?, pattern: SeriesPattern, exceptions: [OccurrenceException]) {
        self.id = id
        self.agentID = agentID
        self.placeID = placeID
        self.pattern = pattern
        self.exceptions = exceptions
    }
}

/// An absence of an agent (from any organisation, not expired), with its exceptions (slots.md §4 step 3.2).
public struct SlotAbsence: Sendable {
    public var agentID: Int64
    public var pattern: SeriesPattern
    public var exceptions: [OccurrenceException]

    public init(agentID: Int64, pattern: SeriesPattern, exceptions: [OccurrenceException]) {
        self.agentID = agentID
        self.pattern = pattern
        self.exceptions = exceptions
    }
}

/// A non-cancelled appointment (`unknown`, `seen`, `noshow`), of any organisation and motif,
/// blocking each of its agents (slots.md §4 step 3.3).
public struct SlotAppointment: Sendable {
    public var agentIDs: [Int64]
    public var startsAt: Date
    public var endsAt: Date

    public init(agentIDs: [Int64], startsAt: Date, endsAt: Date) {
        self.agentIDs = agentIDs
        self.startsAt = startsAt
        self.endsAt = endsAt
    }
}

/// The territory settings the engine reads: its zone (slots.md §1) and holiday rules (§3).
public struct SlotTerritory: Sendable {
    public var timeZone: TimeZone
    public var departementNumber: String?
    public var whitMondayIsHoliday: Bool
    public var openOnSundaysAndHolidays: Bool

    public init(
        timeZone: TimeZone, departementNumber: String?, whitMondayIsHoliday: Bool, openOnSundaysAndHolidays: Bool
    ) {
        self.timeZone = timeZone
        self.departementNumber = departementNumber
        self.whitMondayIsHoliday = whitMondayIsHoliday
        self.openOnSundaysAndHolidays = openOnSundaysAndHolidays
    }
}

/// A bookable slot, computed on demand and never stored (slots.md §1); the motif is the caller's.
public struct Slot: Sendable, Hashable {
    public let startsAt: Date
    public let endsAt: Date
    public let placeID: Int64?
    public let agentID: Int64

    public init(startsAt: Date, endsAt: Date, placeID: Int64?, agentID: Int64) {
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.placeID = placeID
        self.agentID = agentID
    }

    /// slots.md §4 "Output order": starts_at, then place id (nil first), then agent id.
    static func inEngineOrder(_ lhs: Slot, _ rhs: Slot) -> Bool {
        if lhs.startsAt != rhs.startsAt { return lhs.startsAt < rhs.startsAt }
        switch (lhs.placeID, rhs.placeID) {
        case (nil, .some): return true
        case (.some, nil): return false
        case (.some(let left), .some(let right)) where left != right: return left < right
        default: break
        }
        if lhs.agentID != rhs.agentID { return lhs.agentID < rhs.agentID }
        return lhs.endsAt < rhs.endsAt
    }
}
