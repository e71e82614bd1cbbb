import Domain
import Foundation
import GRDB

/// One motif of « Réservation en ligne » (admin.md §2) and the two checks that make it bookable
/// by the public.
public struct OnlineBookingMotif: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let serviceName: String
    /// `bookable_by = everyone`: « Ouvert aux agents et aux usagers ».
    public let isOpenToUsers: Bool
    /// « Associé à au moins une plage d'ouverture en cours »; a collective motif counts its
    /// upcoming collective appointments instead (they are its slots, slots.md §8).
    public let hasCurrentPeriod: Bool
    public let isCollectif: Bool
    /// Not `departement`: only users whose address is in an attributed sector find it.
    public let sectorisationLevel: String

    public var isBookableOnline: Bool { isOpenToUsers && hasCurrentPeriod }
}

extension AppDatabase {
    /// The organisation's active motifs with their checks, by name.
    public func onlineBookingMotifs(organisationID: Int64, today: LocalDate, now: Date) throws -> [OnlineBookingMotif] {
        try writer.read { db in
            let motifs = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.name, m.bookable_by, m.collectif, m.sectorisation_level, s.name AS service_name
                    FROM motifs m JOIN services s ON s.id = m.service_id
                    WHERE m.organisation_id = ? AND m.deleted_at IS NULL
                    ORDER BY m.name, m.id
                    """, arguments: [organisationID])
            let periods = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.first_day, p.start_time, p.end_time, p.recurrence, NULL AS end_day, x.motif_id
                    FROM opening_periods p JOIN opening_period_motifs x ON x.opening_period_id = p.id
                    WHERE p.organisation_id = ?
                    """, arguments: [organisationID])
            let exceptions = try Self.exceptions(db, column: "opening_period_id", ids: periods.map { $0["id"] })
            var current = Set<Int64>()
            for row in periods {
                guard let pattern = Self.pattern(row) else { continue }
                let id: Int64 = row["id"]
                if !pattern.isExpired(today: today, exceptions: exceptions[id] ?? []) { current.insert(row["motif_id"]) }
            }
            let collectives = Set(
                try Int64.fetchAll(
                    db,
                    sql: """
                        SELECT DISTINCT motif_id FROM appointments
                        WHERE organisation_id = ? AND collectif = 1 AND starts_at > ? AND status = 'unknown'
                        """, arguments: [organisationID, Int64(now.timeIntervalSince1970)]))
            return motifs.map { row in
                let id: Int64 = row["id"]
                let collectif: Bool = row["collectif"]
                return OnlineBookingMotif(
                    id: id, name: row["name"], serviceName: row["service_name"],
                    isOpenToUsers: row["bookable_by"] == BookableBy.everyone.rawValue,
                    hasCurrentPeriod: collectif ? collectives.contains(id) : current.contains(id), isCollectif: collectif,
                    sectorisationLevel: row["sectorisation_level"])
            }
        }
    }
}
