import Domain
import Foundation
import GRDB

/// A motif a person may book online (slots.md §9 "Candidate motifs"), with what the public
/// search shows of it.
public struct PublicMotif: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let locationType: LocationType
    public let collectif: Bool
    public let followUp: Bool
    public let restriction: String?
    public let organisationID: Int64
    public let organisationName: String
    public let serviceID: Int64
    public let serviceName: String

    /// booking.md §2.1 `motif_name_with_location_type`: motifs of several organisations with the
    /// same name and location type are one choice.
    public var nameWithLocationType: String { "\(name)-\(locationType.rawValue)" }
}

/// A place offered for a choice of motifs (booking.md §2.2 step 5).
public struct PublicPlace: Sendable, Equatable {
    public let id: Int64
    public let organisationID: Int64
    public let name: String
    public let address: String
    public let latitude: Double?
    public let longitude: Double?
}

/// An organisation's public contact (« Aucun service n'est disponible… », and the place of a
/// phone or home motif).
public struct PublicOrganisation: Sendable, Equatable {
    public let id: Int64
    public let name: String
    public let phoneNumber: String?
    public let email: String?
    public let website: String?
    public let departementNumber: String
}

extension AppDatabase {
    /// slots.md §9: the motifs open to `booker` (BookingPolicy: `everyone` for users, anything
    /// but `agents` for prescribers; not deleted) of the territory of `departement`, individual
    /// with a non-expired opening period or collective with an upcoming collective appointment.
    /// Sectorisation is the caller's next filter.
    public func publicMotifs(departement: String, booker: CreatorType = .user, today: LocalDate, now: Date) throws
        -> [PublicMotif]
    {
        try writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.id, m.name, m.location_type, m.collectif, m.follow_up, m.restriction_for_rdv, m.bookable_by,
                           m.organisation_id, o.name AS organisation_name, m.service_id, s.name AS service_name
                    FROM motifs m JOIN organisations o ON o.id = m.organisation_id
                    JOIN territories t ON t.id = o.territory_id JOIN services s ON s.id = m.service_id
                    WHERE t.departement_number = ? AND m.deleted_at IS NULL AND m.bookable_by <> 'agents'
                      AND (
                        (m.collectif = 0 AND EXISTS (
                            SELECT 1 FROM opening_period_motifs x JOIN opening_periods p ON p.id = x.opening_period_id
                            WHERE x.motif_id = m.id AND p.expired = 0 AND (p.recurrence IS NOT NULL OR p.first_day >= ?)))
                        OR (m.collectif = 1 AND EXISTS (
                            SELECT 1 FROM appointments a
                            WHERE a.motif_id = m.id AND a.collectif = 1 AND a.status = 'unknown' AND a.starts_at > ?)))
                    ORDER BY s.name, m.name, o.name, m.id
                    """, arguments: [departement, today.description, Self.epoch(now)])
            return rows.filter { Self.isOpen($0, to: booker) }.map(Self.publicMotif)
        }
    }

    private static func isOpen(_ row: Row, to booker: CreatorType) -> Bool {
        BookingPolicy.mayBook(BookableBy(rawValue: row["bookable_by"]) ?? .agents, as: booker)
    }

    /// A motif open to `booker`, by id (a deep link names it); nil when deleted or not open.
    public func publicMotif(id: Int64, booker: CreatorType = .user) throws -> PublicMotif? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT m.id, m.name, m.location_type, m.collectif, m.follow_up, m.restriction_for_rdv, m.bookable_by,
                           m.organisation_id, o.name AS organisation_name, m.service_id, s.name AS service_name
                    FROM motifs m JOIN organisations o ON o.id = m.organisation_id JOIN services s ON s.id = m.service_id
                    WHERE m.id = ? AND m.deleted_at IS NULL
                    """, arguments: [id]
            ).flatMap { Self.isOpen($0, to: booker) ? Self.publicMotif($0) : nil }
        }
    }

    private static func publicMotif(_ row: Row) -> PublicMotif {
        PublicMotif(
            id: row["id"], name: row["name"], locationType: LocationType(rawValue: row["location_type"]) ?? .publicOffice,
            collectif: row["collectif"], followUp: row["follow_up"],
            restriction: (row["restriction_for_rdv"] as String?).flatMap { $0.isEmpty ? nil : $0 },
            organisationID: row["organisation_id"], organisationName: row["organisation_name"],
            serviceID: row["service_id"], serviceName: row["service_name"])
    }

    /// An enabled place, by id.
    public func publicPlace(id: Int64) throws -> PublicPlace? {
        try writer.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, organisation_id, name, address, latitude, longitude FROM places WHERE id = ? AND availability = 'enabled'",
                arguments: [id]
            ).map(Self.publicPlace)
        }
    }

    private static func publicPlace(_ row: Row) -> PublicPlace {
        PublicPlace(
            id: row["id"], organisationID: row["organisation_id"], name: row["name"], address: row["address"],
            latitude: row["latitude"], longitude: row["longitude"])
    }

    /// The enabled places where one of `motifIDs` has a non-expired opening period or an upcoming
    /// collective appointment (booking.md §2.2 step 5), by name. Found from the motifs' indexes:
    /// asked place by place, the appointments of each place were scanned (48 ms on the
    /// département data set, 3 ms this way).
    public func publicPlaces(motifIDs: [Int64], today: LocalDate, now: Date) throws -> [PublicPlace] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT l.id, l.organisation_id, l.name, l.address, l.latitude, l.longitude FROM places l
                    WHERE l.availability = 'enabled' AND l.id IN (
                        SELECT p.place_id FROM opening_period_motifs x JOIN opening_periods p ON p.id = x.opening_period_id
                        WHERE x.motif_id IN (SELECT value FROM json_each(:motifs))
                          AND p.expired = 0 AND (p.recurrence IS NOT NULL OR p.first_day >= :today)
                        UNION
                        SELECT a.place_id FROM appointments a
                        WHERE a.motif_id IN (SELECT value FROM json_each(:motifs))
                          AND a.collectif = 1 AND a.status = 'unknown' AND a.starts_at > :now)
                    ORDER BY l.name, l.id
                    """,
                arguments: ["motifs": Self.jsonArray(motifIDs), "today": today.description, "now": Self.epoch(now)]
            ).map(Self.publicPlace)
        }
    }

    /// The organisation of a partner's link `/org/ext/<departement_number>/<external_id>`.
    public func organisationID(departement: String, externalID: String) throws -> Int64? {
        try writer.read { db in
            try Int64.fetchOne(
                db,
                sql: """
                    SELECT o.id FROM organisations o JOIN territories t ON t.id = o.territory_id
                    WHERE t.departement_number = ? AND o.external_id = ?
                    """, arguments: [departement, externalID])
        }
    }

    /// The organisations of the territory of `departement` (or those of `ids`), by name, with
    /// their public contacts.
    public func publicOrganisations(departement: String? = nil, ids: [Int64]? = nil) throws -> [PublicOrganisation] {
        try writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT o.id, o.name, o.phone_number, o.email, o.website, t.departement_number FROM organisations o
                    JOIN territories t ON t.id = o.territory_id
                    WHERE (:departement IS NULL OR t.departement_number = :departement)
                      AND (:ids IS NULL OR o.id IN (SELECT value FROM json_each(:ids)))
                    ORDER BY o.name, o.id
                    """, arguments: ["departement": departement, "ids": ids.map(Self.jsonArray)]
            ).map {
                PublicOrganisation(
                    id: $0["id"], name: $0["name"], phoneNumber: $0["phone_number"], email: $0["email"],
                    website: $0["website"], departementNumber: $0["departement_number"])
            }
        }
    }
}
