import Domain
import Foundation
import GRDB

/// Series, users, sectors and appointments.
extension InterchangeWriter {
    static let recurrenceEncoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    /// The recurrence as stored (slots.md §2 JSON) and `recurrence_ends_at`: the end of the
    /// `until` day in the territory's time zone (domain.md §7).
    func recurrenceColumns(_ recurrence: RecurrenceRecord?, timeZone: TimeZone) throws -> (String?, Int64?) {
        guard let recurrence else { return (nil, nil) }
        let json = String(decoding: try Self.recurrenceEncoder.encode(recurrence), as: UTF8.self)
        let endsAt = recurrence.until.flatMap(LocalDate.init)?.adding(days: 1)?.instant(at: .midnight, in: timeZone)
        return (json, endsAt.map { Int64($0.timeIntervalSince1970) })
    }

    func writeExceptions(_ exceptions: [ExceptionRecord], series column: String, id: Int64) throws {
        for e in exceptions {
            try insert(
                "occurrence_exceptions",
                [
                    column: id, "date": e.date, "cancelled": e.cancelled ?? false, "day": e.day ?? e.date,
                    "start_time": e.cancelled == true ? nil : e.start_time,
                    "end_time": e.cancelled == true ? nil : e.end_time,
                ])
        }
    }

    mutating func writeSeries() throws {
        for (i, p) in document.opening_periods.enumerated() {
            path = "opening_periods[\(i)]"
            let (recurrence, endsAt) = try recurrenceColumns(p.recurrence, timeZone: timeZone(p.organisation))
            let period = try insert(
                "opening_periods",
                [
                    "agent_id": id(p.agent), "organisation_id": id(p.organisation), "place_id": p.place.map(id),
                    "title": p.title, "first_day": p.first_day, "start_time": p.start_time, "end_time": p.end_time,
                    "recurrence": recurrence, "recurrence_ends_at": endsAt,
                ])
            ids[p.ref] = period
            for motif in p.motifs.uniqued() {
                try insert("opening_period_motifs", ["opening_period_id": period, "motif_id": id(motif)])
            }
            try writeExceptions(p.exceptions ?? [], series: "opening_period_id", id: period)
        }
        for (i, a) in document.absences.enumerated() {
            path = "absences[\(i)]"
            let zone = a.organisation.map(timeZone) ?? agentTimeZone(a.agent)
            let (recurrence, endsAt) = try recurrenceColumns(a.recurrence, timeZone: zone)
            let absence = try insert(
                "absences",
                [
                    "agent_id": id(a.agent), "organisation_id": a.organisation.map(id), "title": a.title,
                    "first_day": a.first_day, "start_time": a.start_time, "end_day": a.end_day ?? a.first_day,
                    "end_time": a.end_time, "recurrence": recurrence, "recurrence_ends_at": endsAt,
                ])
            ids[a.ref] = absence
            try writeExceptions(a.exceptions ?? [], series: "absence_id", id: absence)
        }
    }

    func timeZone(_ organisation: String) -> TimeZone {
        timeZones[organisation] ?? TimeZone(identifier: "Europe/Paris")!
    }

    /// An absence without organisation takes the zone of the agent's first organisation (domain.md §8).
    func agentTimeZone(_ agent: String) -> TimeZone {
        let first = document.agents.first { $0.ref == agent }?.roles.first?.organisation
        return first.map(timeZone) ?? TimeZone(identifier: "Europe/Paris")!
    }

    mutating func writeUsers() throws {
        for (i, u) in document.users.enumerated() {
            path = "users[\(i)]"
            ids[u.ref] = try insert(
                "users",
                [
                    "first_name": u.first_name, "last_name": u.last_name, "birth_name": u.birth_name,
                    "birth_date": u.birth_date, "email": u.email.map(EmailAddress.normalised),
                    "phone_number": u.phone_number,
                    "phone_number_formatted": u.phone_number.flatMap { PhoneNumber($0)?.e164 },
                    "address": u.address, "post_code": u.post_code, "city_name": u.city_name, "city_code": u.city_code,
                    "notify_by_sms": u.notify_by_sms ?? true, "notify_by_email": u.notify_by_email ?? true,
                    "created_through": "unknown",
                ])
        }
        // Responsibles may come later in the list: linked in a second pass.
        var organisations: [String: Set<String>] = [:]
        for u in document.users { organisations[u.ref] = Set(u.organisations ?? []) }
        for (i, u) in document.users.enumerated() {
            guard let responsible = u.responsible else { continue }
            path = "users[\(i)].responsible"
            try db.execute(
                sql: "UPDATE users SET responsible_id = ? WHERE id = ?", arguments: [id(responsible), id(u.ref)])
            // domain.md §11: relatives inherit the responsible's organisations.
            organisations[u.ref, default: []].formUnion(organisations[responsible] ?? [])
        }
        for (i, u) in document.users.enumerated() {
            path = "users[\(i)].organisations"
            for organisation in (organisations[u.ref] ?? []).sorted() { try ensureProfile(u.ref, organisation) }
        }
        for (i, r) in document.referents.enumerated() {
            path = "referents[\(i)]"
            try insert("referents", ["user_id": id(r.user), "agent_id": id(r.agent)])
        }
    }

    func ensureProfile(_ user: String, _ organisation: String) throws {
        let statement = try db.cachedStatement(
            sql: "INSERT OR IGNORE INTO user_profiles (user_id, organisation_id) VALUES (?, ?)")
        try statement.execute(arguments: [id(user), id(organisation)])
    }

    mutating func writeSectors() throws {
        for (i, s) in document.sectors.enumerated() {
            path = "sectors[\(i)]"
            let sector = try insert(
                "sectors", ["territory_id": id(s.territory), "name": s.name, "human_id": s.human_id])
            ids[s.ref] = sector
            for (j, z) in s.zones.enumerated() {
                path = "sectors[\(i)].zones[\(j)]"
                try insert(
                    "zones",
                    [
                        "sector_id": sector, "level": z.level, "city_name": z.city_name, "city_code": z.city_code,
                        "street_name": z.street_name, "street_ban_id": z.street_ban_id,
                    ])
            }
            for (j, a) in s.attributions.enumerated() {
                path = "sectors[\(i)].attributions[\(j)]"
                try insert(
                    "sector_attributions",
                    [
                        "sector_id": sector, "organisation_id": id(a.organisation), "level": a.level,
                        "agent_id": a.agent.map(id),
                    ])
            }
        }
    }
}
