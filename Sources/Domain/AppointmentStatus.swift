import Foundation

/// The status of an appointment, shared with participations (domain.md §9 "Statuses").
public enum AppointmentStatus: String, Sendable, Codable, CaseIterable {
    case unknown, seen, excused, revoked, noshow

    /// `excused` and `revoked` are the cancelled ones; a no-show is not a cancellation.
    public var isCancelled: Bool { self == .excused || self == .revoked }

    /// Statuses a collective appointment may take (domain.md §9).
    public static let collectiveStatuses: [AppointmentStatus] = [.unknown, .seen, .revoked]

    public static func allowed(collectif: Bool) -> [AppointmentStatus] {
        collectif ? collectiveStatuses : allCases
    }

    /// Busy in the slot engine: `unknown`, `seen`, `noshow` (slots.md §4 step 3).
    public var blocksTime: Bool { !isCancelled }

    /// The French label; `unknown` depends on the appointment's local day relative to today.
    public func label(day: LocalDate, today: LocalDate) -> String {
        switch self {
        case .unknown:
            if day > today { return "Rendez-vous à venir" }
            return day == today ? "Rendez-vous aujourd'hui" : "À renseigner"
        case .seen: return "Rendez-vous honoré"
        case .excused: return "Annulé (excusé)"
        case .revoked: return "Annulé (par le service)"
        case .noshow: return "Absence non excusée"
        }
    }
}

/// Who created an appointment or participation (domain.md §9 `created_by_type`).
public enum CreatorType: String, Sendable, Codable, CaseIterable {
    case agent = "Agent"
    case user = "User"
    case prescripteur = "Prescripteur"
    case fileAttente = "FileAttente"
}
