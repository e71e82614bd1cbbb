import Domain
import Foundation
import GRDB

/// What the export columns of admin.md §8 need about one appointment, read in pages of ids.
public struct ExportedAppointment: Sendable, Equatable {
    public struct Agent: Sendable, Equatable {
        /// « Prénom NOM ».
        public let name: String
        public let email: String?
    }

    public struct Participant: Sendable, Equatable {
        public let userID: Int64
        /// « Prénom NOM ».
        public let name: String
        public let birthDate: LocalDate?
        public let status: AppointmentStatus
        /// The city and post code of the person notified for this participant: itself, or its
        /// responsible for a relative (domain.md §11).
        public let notifiedCity: String?
        public let notifiedPostCode: String?
    }

    public let id: Int64
    public let organisationName: String
    public let timeZone: TimeZone
    public let createdAt: Date
    public let createdByType: CreatorType
    /// The author's « Prénom NOM » (agent, user or prescriber), when it is known.
    public let creatorName: String?
    public let startsAt: Date
    public let serviceName: String
    public let motifName: String
    public let context: String?
    public let status: AppointmentStatus
    public let locationType: LocationType
    /// « Nom (adresse) » for an appointment in a place.
    public let placeFullName: String?
    public let agents: [Agent]
    /// In the order they were added.
    public let participants: [Participant]
    /// The best result among the SMS and e-mail receipts (delivered > sent > processed > failure).
    public let bestReceiptResult: ReceiptResult?
}

public enum ReceiptResult: String, Sendable, Comparable {
    case failure, processed, sent, delivered

    private var rank: Int {
        switch self {
        case .failure: 1
        case .processed: 2
        case .sent: 3
        case .delivered: 4
        }
    }

    public static func < (a: ReceiptResult, b: ReceiptResult) -> Bool { a.rank < b.rank }
}

extension AppDatabase {
    /// The appointments of `ids` (one page of an export), in the order of `ids`.
    public func exportedAppointments(ids: [Int64]) throws -> [ExportedAppointment] {
        guard !ids.isEmpty else { return [] }
        let list = Self.jsonArray(ids)
        return try writer.read { db in
            var agents: [Int64: [ExportedAppointment.Agent]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT x.appointment_id, coalesce(g.first_name, '') || char(31) || g.last_name AS name, g.email
                    FROM appointment_agents x JOIN agents g ON g.id = x.agent_id
                    WHERE x.appointment_id IN (SELECT value FROM json_each(?))
                    ORDER BY x.appointment_id, g.last_name, g.first_name, g.id
                    """, arguments: [list])
            {
                agents[row["appointment_id"], default: []].append(
                    .init(name: Self.displayName(row["name"]), email: row["email"]))
            }
            var participants: [Int64: [ExportedAppointment.Participant]] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT p.appointment_id, p.user_id, p.status, u.first_name || char(31) || u.last_name AS name,
                           u.birth_date,
                           CASE WHEN u.responsible_id IS NULL THEN u.city_name ELSE r.city_name END AS city,
                           CASE WHEN u.responsible_id IS NULL THEN u.post_code ELSE r.post_code END AS post_code
                    FROM participations p JOIN users u ON u.id = p.user_id LEFT JOIN users r ON r.id = u.responsible_id
                    WHERE p.appointment_id IN (SELECT value FROM json_each(?))
                    ORDER BY p.appointment_id, p.id
                    """, arguments: [list])
            {
                participants[row["appointment_id"], default: []].append(
                    .init(
                        userID: row["user_id"], name: Self.displayName(row["name"]),
                        birthDate: (row["birth_date"] as String?).flatMap(LocalDate.init),
                        status: AppointmentStatus(rawValue: row["status"]) ?? .unknown, notifiedCity: row["city"],
                        notifiedPostCode: row["post_code"]))
            }
            var receipts: [Int64: ReceiptResult] = [:]
            for row in try Row.fetchAll(
                db,
                sql: """
                    SELECT appointment_id, result FROM receipts
                    WHERE appointment_id IN (SELECT value FROM json_each(?)) AND channel IN ('sms', 'mail')
                    """, arguments: [list])
            {
                guard let result = ReceiptResult(rawValue: row["result"]) else { continue }
                let id: Int64 = row["appointment_id"]
                receipts[id] = max(receipts[id] ?? result, result)
            }
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT a.id, a.created_at, a.created_by_type, a.starts_at, a.context, a.status, a.location_type,
                           o.name AS organisation_name, t.time_zone, s.name AS service_name, m.name AS motif_name,
                           l.name AS place_name, l.address AS place_address,
                           CASE a.created_by_type
                             WHEN 'Agent' THEN (SELECT coalesce(g.first_name, '') || char(31) || g.last_name
                                                FROM agents g WHERE g.id = a.created_by_id)
                             WHEN 'User' THEN (SELECT u.first_name || char(31) || u.last_name
                                               FROM users u WHERE u.id = a.created_by_id)
                             WHEN 'Prescripteur' THEN (SELECT p.first_name || char(31) || p.last_name
                                                       FROM prescribers p WHERE p.id = a.created_by_id)
                           END AS creator_name
                    FROM appointments a JOIN motifs m ON m.id = a.motif_id JOIN services s ON s.id = m.service_id
                    JOIN organisations o ON o.id = a.organisation_id JOIN territories t ON t.id = o.territory_id
                    LEFT JOIN places l ON l.id = a.place_id
                    WHERE a.id IN (SELECT value FROM json_each(?))
                    """, arguments: [list])
            var byID: [Int64: ExportedAppointment] = [:]
            for row in rows {
                let id: Int64 = row["id"]
                let placeName: String? = row["place_name"]
                let placeAddress: String? = row["place_address"]
                byID[id] = ExportedAppointment(
                    id: id, organisationName: row["organisation_name"],
                    timeZone: Self.timeZone(named: row["time_zone"] ?? "Europe/Paris"),
                    createdAt: Date(timeIntervalSince1970: TimeInterval(row["created_at"] as Int64)),
                    createdByType: CreatorType(rawValue: row["created_by_type"]) ?? .agent,
                    creatorName: (row["creator_name"] as String?).map(Self.displayName),
                    startsAt: Date(timeIntervalSince1970: TimeInterval(row["starts_at"] as Int64)),
                    serviceName: row["service_name"], motifName: row["motif_name"], context: row["context"],
                    status: AppointmentStatus(rawValue: row["status"]) ?? .unknown,
                    locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice,
                    placeFullName: placeName.map { name in placeAddress.map { "\(name) (\($0))" } ?? name },
                    agents: agents[id] ?? [], participants: participants[id] ?? [], bestReceiptResult: receipts[id])
            }
            return ids.compactMap { byID[$0] }
        }
    }
}
