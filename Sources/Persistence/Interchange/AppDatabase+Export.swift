import Foundation
import GRDB

extension AppDatabase {
    /// `rdv export`: every territory (or one) as an `rdv-import/1` document; refs are a kind
    /// prefix plus the id (`o12`). Agents' passwords are never exported (admin.md §9).
    public func exportDocument(territoryID: Int64? = nil) throws -> InterchangeDocument {
        try writer.read { db in
            let territories = try Row.fetchAll(
                db, sql: "SELECT * FROM territories WHERE ?1 IS NULL OR id = ?1 ORDER BY id", arguments: [territoryID])
            let territoryIDs = territories.map { $0["id"] as Int64 }
            var exporter = InterchangeExporter(db: db, territoryIDs: territoryIDs)
            return try exporter.export(territories)
        }
    }
}

struct InterchangeExporter {
    let db: Database
    let territoryIDs: [Int64]
    var document = InterchangeDocument()

    /// `IN (…)` list of the exported territories' ids.
    var territoryList: String { territoryIDs.isEmpty ? "NULL" : territoryIDs.map(String.init).joined(separator: ",") }

    var organisationFilter: String {
        "organisation_id IN (SELECT id FROM organisations WHERE territory_id IN (\(territoryList)))"
    }

    func ids(_ sql: String) throws -> [Int64] { try Int64.fetchAll(db, sql: sql) }

    mutating func export(_ territories: [Row]) throws -> InterchangeDocument {
        let serviceIDs = try ids(
            """
            SELECT service_id FROM territory_services WHERE territory_id IN (\(territoryList))
            UNION SELECT service_id FROM motifs WHERE \(organisationFilter)
            UNION SELECT service_id FROM agent_services WHERE agent_id IN
                (SELECT agent_id FROM agent_roles WHERE \(organisationFilter))
            """)
        for row in try Row.fetchAll(
            db,
            sql:
                "SELECT * FROM services WHERE id IN (\(serviceIDs.map(String.init).joined(separator: ","))) ORDER BY id"
        ) {
            document.services.append(
                ServiceRecord(ref: "sv\(row["id"] as Int64)", name: row["name"], short_name: row["short_name"]))
        }
        for row in territories {
            let id: Int64 = row["id"]
            let services = try ids(
                "SELECT service_id FROM territory_services WHERE territory_id = \(id) ORDER BY service_id")
            document.territories.append(
                TerritoryRecord(
                    ref: "t\(id)", name: row["name"], departement_number: row["departement_number"],
                    services: services.map { "sv\($0)" },
                    open_on_sundays_and_holidays: row["open_on_sundays_and_holidays"],
                    whit_monday_is_holiday: row["whit_monday_is_holiday"], time_zone: row["time_zone"]))
        }
        try exportOrganisations()
        try exportSeries()
        try exportUsers()
        try exportSectorsAndAppointments()
        return document
    }

    mutating func exportOrganisations() throws {
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM organisations WHERE territory_id IN (\(territoryList)) ORDER BY id")
        {
            document.organisations.append(
                OrganisationRecord(
                    ref: "o\(row["id"] as Int64)", territory: "t\(row["territory_id"] as Int64)", name: row["name"],
                    phone_number: row["phone_number"], email: row["email"], website: row["website"],
                    external_id: row["external_id"], verticale: row["verticale"]))
        }
        let agents = try Row.fetchAll(
            db,
            sql:
                "SELECT * FROM agents WHERE id IN (SELECT agent_id FROM agent_roles WHERE \(organisationFilter)) ORDER BY id"
        )
        for row in agents {
            let id: Int64 = row["id"]
            let roles = try Row.fetchAll(
                db,
                sql:
                    "SELECT organisation_id, access_level FROM agent_roles WHERE agent_id = ? AND \(organisationFilter) ORDER BY organisation_id",
                arguments: [id])
            document.agents.append(
                AgentRecord(
                    ref: "a\(id)", email: row["email"], first_name: row["first_name"], last_name: row["last_name"],
                    password: nil,
                    services: try ids(
                        "SELECT service_id FROM agent_services WHERE agent_id = \(id) ORDER BY service_id"
                    ).map { "sv\($0)" },
                    roles: roles.map {
                        AgentRoleRecord(
                            organisation: "o\($0["organisation_id"] as Int64)", access_level: $0["access_level"])
                    },
                    territorial_admin_of: try ids(
                        "SELECT territory_id FROM territorial_roles WHERE agent_id = \(id) AND territory_id IN (\(territoryList)) ORDER BY territory_id"
                    ).map { "t\($0)" },
                    rdv_notifications_level: row["rdv_notifications_level"]))
        }
        for row in try Row.fetchAll(db, sql: "SELECT * FROM places WHERE \(organisationFilter) ORDER BY id") {
            document.places.append(
                PlaceRecord(
                    ref: "l\(row["id"] as Int64)", organisation: "o\(row["organisation_id"] as Int64)",
                    name: row["name"],
                    address: row["address"], latitude: row["latitude"], longitude: row["longitude"],
                    phone_number: row["phone_number"], availability: row["availability"]))
        }
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM motifs WHERE \(organisationFilter) AND deleted_at IS NULL ORDER BY id")
        {
            document.motifs.append(
                MotifRecord(
                    ref: "m\(row["id"] as Int64)", organisation: "o\(row["organisation_id"] as Int64)",
                    service: "sv\(row["service_id"] as Int64)", name: row["name"], color: row["color"],
                    location_type: row["location_type"], default_duration_in_min: row["default_duration_in_min"],
                    bookable_by: row["bookable_by"], min_public_booking_delay: row["min_public_booking_delay"],
                    max_public_booking_delay: row["max_public_booking_delay"], visibility_type: row["visibility_type"],
                    sectorisation_level: row["sectorisation_level"], collectif: row["collectif"],
                    follow_up: row["follow_up"],
                    for_secretariat: row["for_secretariat"], restriction_for_rdv: row["restriction_for_rdv"],
                    instruction_for_rdv: row["instruction_for_rdv"],
                    custom_cancel_warning_message: row["custom_cancel_warning_message"],
                    rdvs_editable_by_user: row["rdvs_editable_by_user"],
                    rdvs_cancellable_by_user: row["rdvs_cancellable_by_user"]))
        }
    }
}
