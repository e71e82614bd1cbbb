import Domain
import Foundation

/// The rules of domain.md, applied through the Domain module's validations. Records get
/// provisional ids (their position among the refs) so that the rules can relate them.
extension InterchangeValidator {
    func pid(_ ref: String) -> Int64 { provisional[ref] ?? -1 }

    /// Reports a domain issue at `collection[i].<field>`; benign warnings are ignored (admin.md §9).
    mutating func report(_ issues: [ValidationIssue], at path: String) {
        for issue in issues where issue.severity == .error {
            var field = issue.field
            switch field {
            case "base": field = ""
            case "ends_at": field = "duration_in_min"
            case "agent_ids": field = "agents"
            default: if field.hasSuffix("_id") { field = String(field.dropLast(3)) }
            }
            let fieldPath = field.isEmpty ? path : "\(path).\(field)"
            // One message per field: a format check may have said it already.
            if !errors.contains(where: { $0.path == fieldPath }) { fail(fieldPath, issue.message) }
        }
    }

    mutating func enumValue<T: RawRepresentable>(_ type: T.Type, _ raw: String?, _ path: String) -> T?
    where T.RawValue == String {
        guard let raw else { return nil }
        guard let value = T(rawValue: raw) else {
            fail(path, "unknown value \"\(raw)\"")
            return nil
        }
        return value
    }

    mutating func oneOf(_ raw: String?, _ allowed: [String], _ path: String) {
        if let raw, !allowed.contains(raw) { fail(path, "must be one of \(allowed.joined(separator: ", "))") }
    }

    static func recurrence(_ record: RecurrenceRecord?) -> Recurrence? {
        guard let record, let data = try? JSONEncoder().encode(record) else { return nil }
        return try? JSONDecoder().decode(Recurrence.self, from: data)
    }

    mutating func checkDomainRules(clock: any Clock) {
        let d = document
        let timeZone = TimeZone(identifier: "Europe/Paris")!
        let today = LocalDate(clock.now, in: timeZone)
        for (i, o) in d.organisations.enumerated() {
            oneOf(
                o.verticale, ["rdv_insertion", "rdv_solidarites", "rdv_aide_numerique", "rdv_mairie"],
                "organisations[\(i)].verticale")
        }
        for (i, a) in d.agents.enumerated() {
            for (j, role) in a.roles.enumerated() {
                oneOf(role.access_level, ["basic", "admin", "intervenant"], "agents[\(i)].roles[\(j)].access_level")
            }
            oneOf(a.rdv_notifications_level, ["all", "others", "soon", "none"], "agents[\(i)].rdv_notifications_level")
            let intervenant = !a.roles.isEmpty && a.roles.allSatisfy { $0.access_level == "intervenant" }
            if !intervenant && (a.email ?? "").isEmpty { fail("agents[\(i)].email", "doit être rempli(e)") }
            if !intervenant && (a.first_name ?? "").isEmpty { fail("agents[\(i)].first_name", "doit être rempli(e)") }
            if a.services.isEmpty { fail("agents[\(i)].services", "doit contenir au moins un service") }
        }
        var motifs: [String: Motif] = [:]
        for (i, m) in d.motifs.enumerated() {
            let path = "motifs[\(i)]"
            let motif = Motif(
                id: pid(m.ref), organisationID: pid(m.organisation), serviceID: pid(m.service), name: m.name,
                color: m.color,
                defaultDurationInMin: m.default_duration_in_min ?? 30,
                locationType: enumValue(LocationType.self, m.location_type, "\(path).location_type") ?? .publicOffice,
                bookableBy: enumValue(BookableBy.self, m.bookable_by, "\(path).bookable_by") ?? .agents,
                minPublicBookingDelay: m.min_public_booking_delay ?? Motif.defaultMinPublicBookingDelay,
                maxPublicBookingDelay: m.max_public_booking_delay ?? Motif.defaultMaxPublicBookingDelay,
                visibilityType: enumValue(VisibilityType.self, m.visibility_type, "\(path).visibility_type")
                    ?? .visibleAndNotified,
                sectorisationLevel: enumValue(
                    SectorisationLevel.self, m.sectorisation_level, "\(path).sectorisation_level")
                    ?? .departement,
                collectif: m.collectif ?? false, followUp: m.follow_up ?? false,
                forSecretariat: m.for_secretariat ?? false)
            let service = d.services.first { $0.ref == m.service }.map {
                Service(id: pid($0.ref), name: $0.name, shortName: $0.short_name)
            }
            let territory = d.organisations.first { $0.ref == m.organisation }?.territory
            let active = d.territories.first { $0.ref == territory }.map { Set($0.services.map(pid)) }
            report(
                motif.validate(
                    Motif.ValidationContext(service: service, activeServiceIDs: active, siblings: Array(motifs.values))),
                at: path)
            motifs[m.ref] = motif
        }
        var places: [String: Place] = [:]
        for (i, p) in d.places.enumerated() {
            let place = Place(
                id: pid(p.ref), organisationID: pid(p.organisation), name: p.name, address: p.address,
                latitude: p.latitude, longitude: p.longitude, phoneNumber: p.phone_number,
                availability: enumValue(Place.Availability.self, p.availability, "places[\(i)].availability")
                    ?? .enabled)
            report(place.validate(), at: "places[\(i)]")
            places[p.ref] = place
        }
        checkSeries(motifs: motifs, places: places)
        checkUsersAndAppointments(motifs: motifs, places: places, today: today, clock: clock, timeZone: timeZone)
    }
}
