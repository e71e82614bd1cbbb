import Foundation
import GRDB

extension InterchangeExporter {
    func recurrence(_ json: String?) throws -> RecurrenceRecord? {
        guard let json else { return nil }
        return try JSONDecoder().decode(RecurrenceRecord.self, from: Data(json.utf8))
    }

    func exceptions(_ column: String, _ id: Int64) throws -> [ExceptionRecord]? {
        let rows = try Row.fetchAll(
            db, sql: "SELECT * FROM occurrence_exceptions WHERE \(column) = ? ORDER BY date", arguments: [id])
        guard !rows.isEmpty else { return nil }
        return rows.map { row in
            let date: String = row["date"]
            let day: String = row["day"]
            return ExceptionRecord(
                date: date, cancelled: row["cancelled"] as Bool ? true : nil, day: day == date ? nil : day,
                start_time: row["start_time"], end_time: row["end_time"])
        }
    }

    mutating func exportSeries() throws {
        for row in try Row.fetchAll(db, sql: "SELECT * FROM opening_periods WHERE \(organisationFilter) ORDER BY id") {
            let id: Int64 = row["id"]
            let motifs = try ids(
                "SELECT motif_id FROM opening_period_motifs WHERE opening_period_id = \(id) ORDER BY motif_id")
            document.opening_periods.append(
                OpeningPeriodRecord(
                    ref: "p\(id)", agent: "a\(row["agent_id"] as Int64)",
                    organisation: "o\(row["organisation_id"] as Int64)",
                    place: (row["place_id"] as Int64?).map { "l\($0)" }, title: row["title"],
                    first_day: row["first_day"],
                    start_time: row["start_time"], end_time: row["end_time"], motifs: motifs.map { "m\($0)" },
                    recurrence: try recurrence(row["recurrence"]), exceptions: try exceptions("opening_period_id", id)))
        }
        let agents = Set(document.agents.map(\.ref))
        for row in try Row.fetchAll(db, sql: "SELECT * FROM absences ORDER BY id")
        where agents.contains("a\(row["agent_id"] as Int64)") {
            let id: Int64 = row["id"]
            let organisation = (row["organisation_id"] as Int64?).map { "o\($0)" }
            let firstDay: String = row["first_day"]
            let endDay: String = row["end_day"]
            document.absences.append(
                AbsenceRecord(
                    ref: "x\(id)", agent: "a\(row["agent_id"] as Int64)",
                    organisation: organisation.flatMap { ref in
                        document.organisations.contains { $0.ref == ref } ? ref : nil
                    },
                    title: row["title"], first_day: firstDay, start_time: row["start_time"],
                    end_day: endDay == firstDay ? nil : endDay, end_time: row["end_time"],
                    recurrence: try recurrence(row["recurrence"]), exceptions: try exceptions("absence_id", id)))
        }
    }

    mutating func exportUsers() throws {
        let users = try Row.fetchAll(
            db,
            sql: """
                SELECT * FROM users WHERE deleted_at IS NULL AND (id IN (SELECT user_id FROM user_profiles WHERE \(organisationFilter))
                   OR id IN (SELECT responsible_id FROM users WHERE id IN (SELECT user_id FROM user_profiles WHERE \(organisationFilter))))
                ORDER BY id
                """)
        let exported = Set(users.map { $0["id"] as Int64 })
        for row in users {
            let id: Int64 = row["id"]
            let organisations = try ids(
                "SELECT organisation_id FROM user_profiles WHERE user_id = \(id) AND \(organisationFilter) ORDER BY organisation_id"
            )
            document.users.append(
                UserRecord(
                    ref: "u\(id)", first_name: row["first_name"], last_name: row["last_name"],
                    birth_name: row["birth_name"],
                    email: row["email"], phone_number: row["phone_number"], birth_date: row["birth_date"],
                    responsible: (row["responsible_id"] as Int64?).map { "u\($0)" },
                    organisations: organisations.map { "o\($0)" }, address: row["address"], city_code: row["city_code"],
                    post_code: row["post_code"], city_name: row["city_name"], notify_by_sms: row["notify_by_sms"],
                    notify_by_email: row["notify_by_email"]))
        }
        let agents = Set(document.agents.map(\.ref))
        for row in try Row.fetchAll(db, sql: "SELECT user_id, agent_id FROM referents ORDER BY id") {
            let user: Int64 = row["user_id"]
            let agent = "a\(row["agent_id"] as Int64)"
            if exported.contains(user) && agents.contains(agent) {
                document.referents.append(ReferentRecord(user: "u\(user)", agent: agent))
            }
        }
    }

    mutating func exportSectorsAndAppointments() throws {
        for row in try Row.fetchAll(
            db, sql: "SELECT * FROM sectors WHERE territory_id IN (\(territoryList)) ORDER BY id")
        {
            let id: Int64 = row["id"]
            let zones = try Row.fetchAll(
                db, sql: "SELECT * FROM zones WHERE sector_id = ? ORDER BY id", arguments: [id])
            let attributions = try Row.fetchAll(
                db, sql: "SELECT * FROM sector_attributions WHERE sector_id = ? ORDER BY id", arguments: [id])
            document.sectors.append(
                SectorRecord(
                    ref: "sc\(id)", territory: "t\(row["territory_id"] as Int64)", name: row["name"],
                    human_id: row["human_id"],
                    zones: zones.map {
                        ZoneRecord(
                            level: $0["level"], city_code: $0["city_code"], city_name: $0["city_name"],
                            street_name: $0["street_name"], street_ban_id: $0["street_ban_id"])
                    },
                    attributions: attributions.map {
                        AttributionRecord(
                            organisation: "o\($0["organisation_id"] as Int64)", level: $0["level"],
                            agent: ($0["agent_id"] as Int64?).map { "a\($0)" })
                    }))
        }
        let zones = Dictionary(
            uniqueKeysWithValues: try Row.fetchAll(
                db, sql: "SELECT o.id, t.time_zone FROM organisations o JOIN territories t ON t.id = o.territory_id"
            )
            .map { ($0["id"] as Int64, TimeZone(identifier: $0["time_zone"]) ?? .current) })
        let creators = [
            "Agent": "agent", "User": "user", "Prescripteur": "prescripteur", "FileAttente": "file_attente",
        ]
        for row in try Row.fetchAll(db, sql: "SELECT * FROM appointments WHERE \(organisationFilter) ORDER BY id") {
            let id: Int64 = row["id"]
            let organisation: Int64 = row["organisation_id"]
            let starts: Int64 = row["starts_at"]
            let ends: Int64 = row["ends_at"]
            document.appointments.append(
                AppointmentRecord(
                    ref: "r\(id)", organisation: "o\(organisation)", motif: "m\(row["motif_id"] as Int64)",
                    place: (row["place_id"] as Int64?).map { "l\($0)" },
                    starts_at: ISO8601.format(
                        Date(timeIntervalSince1970: TimeInterval(starts)), in: zones[organisation] ?? .current),
                    duration_in_min: Int((ends - starts) / 60),
                    agents: try ids(
                        "SELECT agent_id FROM appointment_agents WHERE appointment_id = \(id) ORDER BY agent_id"
                    ).map { "a\($0)" },
                    users: try ids("SELECT user_id FROM participations WHERE appointment_id = \(id) ORDER BY user_id")
                        .map { "u\($0)" },
                    status: row["status"], created_by: creators[row["created_by_type"] as String] ?? "agent",
                    max_participants_count: row["max_participants_count"], name: row["name"], context: row["context"]))
        }
    }
}
