import Domain
import Foundation
import GRDB

/// A line of « RDV collectifs » (booking.md §6).
public struct CollectiveAppointmentItem: Sendable, Equatable {
    public let id: Int64
    public let startsAt: Date
    public let endsAt: Date
    public let motifName: String
    public let name: String?
    public let placeName: String?
    public let agentNames: [String]
    public let usersCount: Int
    public let maxParticipantsCount: Int?
    public let status: AppointmentStatus

    /// « Complet »: as many participants as seats (agents may still overbook).
    public var isFull: Bool { maxParticipantsCount.map { usersCount >= $0 } ?? false }
}

extension AppDatabase {
    /// The organisation's collective appointments of `motifIDs` (those the viewer may use),
    /// starting from `from`, optionally only those with free seats, by start; at most `limit`.
    public func collectiveAppointments(
        organisationID: Int64, motifIDs: [Int64], placeID: Int64? = nil, from: Date, withSeatsOnly: Bool,
        limit: Int = 200
    ) throws -> [CollectiveAppointmentItem] {
        guard !motifIDs.isEmpty else { return [] }
        return try writer.read { db in
            let (list, arguments) = Self.inList(motifIDs)
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.starts_at, a.ends_at, a.name, a.users_count, a.max_participants_count, a.status,
                           m.name AS motif_name, l.name AS place_name,
                           (SELECT group_concat(coalesce(g.first_name || ' ', '') || upper(g.last_name), char(31))
                              FROM appointment_agents x JOIN agents g ON g.id = x.agent_id
                              WHERE x.appointment_id = a.id) AS agent_names
                    FROM appointments a JOIN motifs m ON m.id = a.motif_id LEFT JOIN places l ON l.id = a.place_id
                    WHERE a.organisation_id = ? AND a.collectif = 1 AND a.motif_id IN (\(list)) AND a.starts_at >= ?
                      AND (? = 0 OR a.max_participants_count IS NULL OR a.users_count < a.max_participants_count)
                      AND (? IS NULL OR a.place_id = ?)
                    ORDER BY a.starts_at, a.id LIMIT ?
                    """,
                arguments: [organisationID] + arguments
                    + [Int64(from.timeIntervalSince1970), withSeatsOnly, placeID, placeID, limit]
            ).map {
                CollectiveAppointmentItem(
                    id: $0["id"], startsAt: Date(timeIntervalSince1970: TimeInterval($0["starts_at"] as Int64)),
                    endsAt: Date(timeIntervalSince1970: TimeInterval($0["ends_at"] as Int64)), motifName: $0["motif_name"],
                    name: $0["name"], placeName: $0["place_name"],
                    agentNames: (($0["agent_names"] as String?) ?? "").split(separator: "\u{1F}").map(String.init),
                    usersCount: $0["users_count"], maxParticipantsCount: $0["max_participants_count"],
                    status: AppointmentStatus(rawValue: $0["status"]) ?? .unknown)
            }
        }
    }
}
