import Domain
import Foundation
import GRDB

/// Writes a validated document inside the caller's transaction, in dependency order, and
/// returns the id of every ref. A constraint failure names the record's JSON path.
struct InterchangeWriter {
    let db: Database
    let document: InterchangeDocument
    let now: Date
    /// scrypt hashes of the agents' passwords, computed before the write transaction.
    let passwordHashes: [String: String]
    var ids: [String: Int64] = [:]
    /// The record being written, for error messages.
    var path = ""
    var timeZones: [String: TimeZone] = [:]
    /// The territory record of each organisation ref (holidays for reminders).
    var territoryOf: [String: TerritoryRecord] = [:]

    func id(_ ref: String) -> Int64 { ids[ref]! }

    /// `INSERT INTO table (columns…) VALUES (?…)` through GRDB's statement cache.
    @discardableResult
    func insert(_ table: String, _ values: KeyValuePairs<String, (any DatabaseValueConvertible)?>) throws -> Int64 {
        let columns = values.map(\.key).joined(separator: ", ")
        let marks = Array(repeating: "?", count: values.count).joined(separator: ", ")
        let statement = try db.cachedStatement(sql: "INSERT INTO \(table) (\(columns)) VALUES (\(marks))")
        try statement.execute(arguments: StatementArguments(values.map(\.value)))
        return db.lastInsertedRowID
    }

    mutating func run() throws -> [String: Int64] {
        do {
            try writeServicesAndTerritories()
            try writeOrganisationsAndAgents()
            try writePlacesAndMotifs()
            try writeSeries()
            try writeUsers()
            try writeSectors()
            try writeAppointments()
        } catch let error as DatabaseError {
            throw InterchangeErrors(errors: [InterchangeError(path: path, message: error.message ?? "\(error)")])
        }
        return ids
    }

    mutating func writeServicesAndTerritories() throws {
        for (i, s) in document.services.enumerated() {
            path = "services[\(i)]"
            // A service is a national catalogue entry: an existing one with that name is reused.
            if let existing = try Int64.fetchOne(db, sql: "SELECT id FROM services WHERE name = ?", arguments: [s.name])
            {
                ids[s.ref] = existing
            } else {
                ids[s.ref] = try insert("services", ["name": s.name, "short_name": s.short_name])
            }
        }
        for (i, t) in document.territories.enumerated() {
            path = "territories[\(i)]"
            let zone = t.time_zone ?? Territory.timeZoneIdentifier(departementNumber: t.departement_number)
            timeZones[t.ref] = TimeZone(identifier: zone) ?? TimeZone(identifier: "Europe/Paris")!
            let territory = try insert(
                "territories",
                [
                    "name": t.name, "departement_number": t.departement_number, "time_zone": zone,
                    "open_on_sundays_and_holidays": t.open_on_sundays_and_holidays ?? false,
                    "whit_monday_is_holiday": t.whit_monday_is_holiday ?? false,
                ])
            ids[t.ref] = territory
            for service in t.services.uniqued() {
                try insert("territory_services", ["territory_id": territory, "service_id": id(service)])
            }
        }
    }

    mutating func writeOrganisationsAndAgents() throws {
        var territoryOfOrganisation: [String: String] = [:]
        for (i, o) in document.organisations.enumerated() {
            path = "organisations[\(i)]"
            territoryOfOrganisation[o.ref] = o.territory
            territoryOf[o.ref] = document.territories.first { $0.ref == o.territory }
            timeZones[o.ref] = timeZones[o.territory]
            ids[o.ref] = try insert(
                "organisations",
                [
                    "territory_id": id(o.territory), "name": o.name, "phone_number": o.phone_number,
                    "phone_number_formatted": o.phone_number.flatMap { PhoneNumber($0)?.e164 },
                    "email": o.email.map(EmailAddress.normalised), "website": o.website, "external_id": o.external_id,
                    "verticale": o.verticale ?? "rdv_solidarites",
                ])
        }
        for (i, a) in document.agents.enumerated() {
            path = "agents[\(i)]"
            let intervenant = !a.roles.isEmpty && a.roles.allSatisfy { $0.access_level == "intervenant" }
            let agent = try insert(
                "agents",
                [
                    "email": a.email.map(EmailAddress.normalised), "first_name": a.first_name, "last_name": a.last_name,
                    "password_hash": passwordHashes[a.ref] ?? a.passwordHash,
                    // An agent with a password can sign in at once; others are invitation-pending (admin.md §9).
                    "invitation_sent_at": a.password == nil && a.passwordHash == nil && !intervenant
                        ? Int64(now.timeIntervalSince1970) : nil,
                    "rdv_notifications_level": intervenant ? "none" : a.rdv_notifications_level ?? "others",
                    "plage_ouverture_notification_level": intervenant ? "none" : "all",
                    "absence_notification_level": intervenant ? "none" : "all",
                ])
            ids[a.ref] = agent
            for service in a.services.uniqued() {
                try insert("agent_services", ["agent_id": agent, "service_id": id(service)])
            }
            var territories = Set<String>()
            for role in a.roles {
                try insert(
                    "agent_roles",
                    ["agent_id": agent, "organisation_id": id(role.organisation), "access_level": role.access_level])
                if let territory = territoryOfOrganisation[role.organisation] { territories.insert(territory) }
            }
            // domain.md §4: access rights are created, all false, with the first role in a territory.
            for territory in territories.sorted() {
                try insert("territorial_access_rights", ["agent_id": agent, "territory_id": id(territory)])
            }
            for territory in (a.territorial_admin_of ?? []).uniqued() {
                try insert("territorial_roles", ["agent_id": agent, "territory_id": id(territory)])
            }
        }
    }

    mutating func writePlacesAndMotifs() throws {
        for (i, p) in document.places.enumerated() {
            path = "places[\(i)]"
            ids[p.ref] = try insert(
                "places",
                [
                    "organisation_id": id(p.organisation), "name": p.name, "address": p.address,
                    "latitude": p.latitude, "longitude": p.longitude, "phone_number": p.phone_number,
                    "phone_number_formatted": p.phone_number.flatMap { PhoneNumber($0)?.e164 },
                    "availability": p.availability ?? "enabled",
                ])
        }
        for (i, m) in document.motifs.enumerated() {
            path = "motifs[\(i)]"
            let location = m.location_type ?? "public_office"
            ids[m.ref] = try insert(
                "motifs",
                [
                    "organisation_id": id(m.organisation), "service_id": id(m.service), "name": m.name,
                    "name_with_location_type": Motif.nameWithLocationType(name: m.name, locationType: location),
                    "color": m.color, "default_duration_in_min": m.default_duration_in_min ?? 30,
                    "location_type": location, "bookable_by": m.bookable_by ?? "agents",
                    "min_public_booking_delay": m.min_public_booking_delay ?? 1800,
                    "max_public_booking_delay": m.max_public_booking_delay ?? 7_889_238,
                    "visibility_type": m.visibility_type ?? "visible_and_notified",
                    "sectorisation_level": m.sectorisation_level ?? "departement", "collectif": m.collectif ?? false,
                    "follow_up": m.follow_up ?? false, "for_secretariat": m.for_secretariat ?? false,
                    "restriction_for_rdv": m.restriction_for_rdv, "instruction_for_rdv": m.instruction_for_rdv,
                    "custom_cancel_warning_message": m.custom_cancel_warning_message,
                    "rdvs_editable_by_user": m.rdvs_editable_by_user ?? true,
                    "rdvs_cancellable_by_user": m.rdvs_cancellable_by_user ?? true,
                ])
        }
    }
}
