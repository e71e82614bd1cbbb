import Foundation

/// An ``OrganisationPull`` as one `rdv-import/1` document (contracts.md §3), with a report of
/// what the API could not say or the format could not hold. Refs are `<letter><source id>`
/// (`a12` is the source's agent 12), so a report and a comparison can name the source's ids.
public struct InterchangeMapping {
    public struct Options {
        public var territoryName: String?
        public var departementNumber: String?
        public var timeZone: String
        public init(territoryName: String? = nil, departementNumber: String? = nil, timeZone: String = "Europe/Paris") {
            self.territoryName = territoryName
            self.departementNumber = departementNumber
            self.timeZone = timeZone
        }
    }

    /// The document as JSON, ready for `InterchangeDecoding.decode`.
    public var document: [String: Any]
    /// One French line per thing left out or guessed, for the operator.
    public var report: [String]

    /// `geocode`: an address's latitude and longitude when the source does not give them.
    public init(_ pull: OrganisationPull, options: Options, geocode: (String) -> (Double, Double)?) {
        var report: [String] = []
        let zone = TimeZone(identifier: options.timeZone) ?? TimeZone(identifier: "Europe/Paris")!
        let organisation = pull.organisation
        let organisationRef = "o\(OrganisationPull.id(organisation) ?? 0)"

        // Services: from the motifs (`service` is our extension; the original gives only `service_id`).
        var services: [String: [String: Any]] = [:]
        for motif in pull.motifs {
            guard let serviceID = (motif["service_id"] as? NSNumber)?.int64Value else { continue }
            let ref = "s\(serviceID)"
            if services[ref] != nil { continue }
            if let service = motif["service"] as? [String: Any], let name = service["name"] as? String,
                let short = service["short_name"] as? String
            {
                services[ref] = ["ref": ref, "name": name, "short_name": short]
            } else {
                services[ref] = ["ref": ref, "name": "Service \(serviceID)", "short_name": "S\(serviceID)"]
                report.append("service \(serviceID) : son nom n'est pas exposé par l'API, nommé « Service \(serviceID) »")
            }
        }

        // Places.
        var places: [[String: Any]] = []
        var placeRefs = Set<String>()
        for lieu in pull.lieux {
            guard let id = OrganisationPull.id(lieu), let name = lieu["name"] as? String else { continue }
            let address = (lieu["address"] as? String) ?? ""
            var place: [String: Any] = [
                "ref": "l\(id)", "organisation": organisationRef, "name": name, "address": address,
                "availability": (lieu["single_use"] as? Bool) == true ? "single_use" : "enabled",
            ]
            if let phone = lieu["phone_number"] as? String { place["phone_number"] = phone }
            if let latitude = (lieu["latitude"] as? NSNumber)?.doubleValue, let longitude = (lieu["longitude"] as? NSNumber)?.doubleValue {
                place["latitude"] = latitude
                place["longitude"] = longitude
            } else if let (latitude, longitude) = geocode(address) {
                place["latitude"] = latitude
                place["longitude"] = longitude
                report.append("lieu \(id) « \(name) » : position trouvée par l'annuaire d'adresses")
            } else {
                place["latitude"] = 0.0
                place["longitude"] = 0.0
                report.append("lieu \(id) « \(name) » : position inconnue (0, 0), à corriger dans « Lieux »")
            }
            places.append(place)
            placeRefs.insert("l\(id)")
        }

        // Motifs (deleted ones stay behind: nothing new can use them).
        var motifs: [[String: Any]] = []
        var motifRefs = Set<String>()
        var motifService: [String: String] = [:]
        for motif in pull.motifs {
            guard let id = OrganisationPull.id(motif), let name = motif["name"] as? String,
                let serviceID = (motif["service_id"] as? NSNumber)?.int64Value
            else { continue }
            if !(motif["deleted_at"] is NSNull) && motif["deleted_at"] != nil {
                report.append("motif \(id) « \(name) » : supprimé, non repris")
                continue
            }
            var record: [String: Any] = [
                "ref": "m\(id)", "organisation": organisationRef, "service": "s\(serviceID)", "name": name,
                "color": (motif["color"] as? String) ?? "#1f77b4",
            ]
            for key in ["location_type", "bookable_by", "sectorisation_level", "instruction_for_rdv"] {
                if let value = motif[key] as? String { record[key] = value }
            }
            for key in ["collectif", "follow_up"] { if let value = motif[key] as? Bool { record[key] = value } }
            var missing: [String] = []
            for key in ["default_duration_in_min", "min_public_booking_delay", "max_public_booking_delay"] {
                if let value = (motif[key] as? NSNumber)?.intValue { record[key] = value } else { missing.append(key) }
            }
            if motif["color"] == nil { missing.append("color") }
            if !missing.isEmpty {
                report.append("motif \(id) « \(name) » : \(missing.joined(separator: ", ")) absents de l'API, valeurs par défaut")
            }
            motifs.append(record)
            motifRefs.insert("m\(id)")
            motifService["m\(id)"] = "s\(serviceID)"
        }

        // Opening periods, which also tell which services each agent works for.
        var agentServices: [String: Set<String>] = [:]
        var periods: [[String: Any]] = []
        for plage in pull.plages {
            guard let id = OrganisationPull.id(plage), let agent = (plage["agent"] as? [String: Any]).flatMap(OrganisationPull.id)
            else { continue }
            let chosen = ((plage["motifs"] as? [[String: Any]]) ?? []).compactMap(OrganisationPull.id).map { "m\($0)" }
                .filter(motifRefs.contains)
            guard !chosen.isEmpty else {
                report.append("plage d'ouverture \(id) : aucun de ses motifs n'est repris, non reprise")
                continue
            }
            var record = Self.series(plage, zone: zone, report: &report, label: "plage d'ouverture \(id)")
            guard !record.isEmpty else { continue }
            record["ref"] = "p\(id)"
            record["agent"] = "a\(agent)"
            record["organisation"] = organisationRef
            record["motifs"] = chosen
            if let lieu = (plage["lieu"] as? [String: Any]).flatMap(OrganisationPull.id) {
                guard placeRefs.contains("l\(lieu)") else {
                    report.append("plage d'ouverture \(id) : son lieu \(lieu) n'est plus actif, non reprise")
                    continue
                }
                record["place"] = "l\(lieu)"
            }
            periods.append(record)
            agentServices["a\(agent)", default: []].formUnion(chosen.compactMap { motifService[$0] })
        }

        var absences: [[String: Any]] = []
        for absence in pull.absences {
            guard let id = OrganisationPull.id(absence), let agent = (absence["agent"] as? [String: Any]).flatMap(OrganisationPull.id)
            else { continue }
            var record = Self.series(absence, zone: zone, report: &report, label: "absence \(id)")
            guard !record.isEmpty else { continue }
            record["ref"] = "x\(id)"
            record["agent"] = "a\(agent)"
            if let end = absence["end_day"] as? String { record["end_day"] = end }
            if (absence["organisation"] as? [String: Any]).flatMap(OrganisationPull.id) != nil {
                record["organisation"] = organisationRef
            }
            absences.append(record)
        }

        // Users: the organisation's, responsibles first so that their relatives can point at them.
        let userIDs = Set(pull.users.compactMap(OrganisationPull.id))
        var users: [[String: Any]] = []
        for user in pull.users.sorted(by: { ($0["responsible_id"] is NSNull ? 0 : 1) < ($1["responsible_id"] is NSNull ? 0 : 1) }) {
            guard let id = OrganisationPull.id(user), let first = user["first_name"] as? String, let last = user["last_name"] as? String
            else { continue }
            var record: [String: Any] = ["ref": "u\(id)", "first_name": first, "last_name": last, "organisations": [organisationRef]]
            for key in ["birth_name", "email", "phone_number", "birth_date", "address"] {
                if let value = user[key] as? String, !value.isEmpty { record[key] = value }
            }
            for key in ["notify_by_sms", "notify_by_email"] { if let value = user[key] as? Bool { record[key] = value } }
            if let responsible = (user["responsible_id"] as? NSNumber)?.int64Value {
                if userIDs.contains(responsible) {
                    record["responsible"] = "u\(responsible)"
                } else {
                    report.append("usager \(id) : son responsable \(responsible) n'a pas de profil ici, lien non repris")
                }
            }
            users.append(record)
        }
        if !pull.users.isEmpty {
            report.append(
                "usagers : les champs sociaux (caisse, situation familiale, logement, notes…) et les référents ne sont pas au format d'import, non repris"
            )
        }

        // Upcoming appointments.
        let agentIDs = Set(pull.agents.compactMap(OrganisationPull.id))
        var appointments: [[String: Any]] = []
        for rdv in pull.rdvs {
            guard let id = OrganisationPull.id(rdv), let motif = (rdv["motif"] as? [String: Any]).flatMap(OrganisationPull.id),
                let start = rdv["starts_at"] as? String, let duration = (rdv["duration_in_min"] as? NSNumber)?.intValue
            else { continue }
            guard motifRefs.contains("m\(motif)") else {
                report.append("RDV \(id) : son motif \(motif) n'est pas repris, non repris")
                continue
            }
            let agents = ((rdv["agents"] as? [[String: Any]]) ?? []).compactMap(OrganisationPull.id).filter(agentIDs.contains)
                .map { "a\($0)" }
            let participants = ((rdv["users"] as? [[String: Any]]) ?? []).compactMap(OrganisationPull.id)
            let kept = participants.filter(userIDs.contains)
            if kept.count < participants.count {
                report.append("RDV \(id) : \(participants.count - kept.count) participant(s) sans profil ici, non repris")
            }
            var record: [String: Any] = [
                "ref": "r\(id)", "organisation": organisationRef, "motif": "m\(motif)", "starts_at": Self.instant(start),
                "duration_in_min": duration, "agents": agents, "users": kept.map { "u\($0)" },
            ]
            if let lieu = (rdv["lieu"] as? [String: Any]).flatMap(OrganisationPull.id), placeRefs.contains("l\(lieu)") {
                record["place"] = "l\(lieu)"
            }
            for key in ["status", "created_by", "name"] { if let value = rdv[key] as? String { record[key] = value } }
            if let seats = (rdv["max_participants_count"] as? NSNumber)?.intValue { record["max_participants_count"] = seats }
            appointments.append(record)
            for agent in agents where agentServices[agent] == nil {
                agentServices[agent] = motifService["m\(motif)"].map { [$0] } ?? []
            }
        }

        // Agents: the API has no access level; the signed-in agent (who could read all this) is
        // admin of the organisation and territorial admin, agents without e-mail are intervenants.
        let me = OrganisationPull.id(pull.signedInAgent)
        let fallbackService = services.keys.sorted().first
        var agents: [[String: Any]] = []
        for agent in pull.agents {
            guard let id = OrganisationPull.id(agent) else { continue }
            let email = agent["email"] as? String
            let level = id == me ? "admin" : email == nil ? "intervenant" : "basic"
            var chosen = agentServices["a\(id)"].map { $0.sorted() } ?? []
            if chosen.isEmpty, let fallbackService { chosen = [fallbackService] }
            var record: [String: Any] = [
                "ref": "a\(id)", "last_name": (agent["last_name"] as? String) ?? "-", "services": chosen,
                "roles": [["organisation": organisationRef, "access_level": level]],
            ]
            if let email { record["email"] = email }
            if let first = agent["first_name"] as? String { record["first_name"] = first }
            if id == me { record["territorial_admin_of"] = ["t"] }
            agents.append(record)
        }
        report.append(
            "agents : l'API ne dit ni leur niveau d'accès ni leur mot de passe ; l'agent connecté est admin, les autres « basic » (intervenants sans e-mail) et se connectent par « Mot de passe oublié »"
        )
        report.append("secteurs et attributions : absents de l'API, non repris")

        // The territory: the API has none; the département comes from the first post code.
        let departement =
            options.departementNumber ?? places.lazy.compactMap { Self.departement(in: $0["address"] as? String ?? "") }.first
        var territory: [String: Any] = [
            "ref": "t", "name": options.territoryName ?? "Territoire de \((organisation["name"] as? String) ?? "l'organisation")",
            "services": services.keys.sorted(), "time_zone": options.timeZone,
        ]
        if let departement { territory["departement_number"] = departement }
        var organisationRecord: [String: Any] = [
            "ref": organisationRef, "territory": "t", "name": (organisation["name"] as? String) ?? "Organisation",
        ]
        for key in ["phone_number", "email", "website", "verticale"] {
            if let value = organisation[key] as? String, !value.isEmpty { organisationRecord[key] = value }
        }
        document = [
            "format": "rdv-import/1", "services": services.keys.sorted().compactMap { services[$0] }, "territories": [territory],
            "organisations": [organisationRecord], "agents": agents, "places": places, "motifs": motifs,
            "opening_periods": periods, "absences": absences, "users": users, "appointments": appointments,
        ]
        self.report = report
    }

    /// The common part of an opening period and an absence: title, days, times, recurrence, exceptions.
    static func series(_ item: [String: Any], zone: TimeZone, report: inout [String], label: String) -> [String: Any] {
        guard let title = item["title"] as? String, let first = item["first_day"] as? String,
            let start = item["start_time"] as? String, let end = item["end_time"] as? String
        else { return [:] }
        var record: [String: Any] = ["title": title, "first_day": first, "start_time": time(start), "end_time": time(end)]
        if let rule = item["rrule"] as? String, !rule.isEmpty {
            guard let recurrence = CalendarRuleReading.recurrence(rule, zone: zone) else {
                report.append("\(label) : règle de récurrence « \(rule) » non reconnue, non reprise")
                return [:]
            }
            record["recurrence"] = recurrence
        }
        let exceptions = ((item["exceptions"] as? [[String: Any]]) ?? []).compactMap { exception -> [String: Any]? in
            guard let date = exception["date"] as? String else { return nil }
            if (exception["cancelled"] as? Bool) ?? true { return ["date": date, "cancelled": true] }
            var moved: [String: Any] = ["date": date]
            if let day = exception["day"] as? String { moved["day"] = day }
            if let start = exception["start_time"] as? String { moved["start_time"] = time(start) }
            if let end = exception["end_time"] as? String { moved["end_time"] = time(end) }
            return moved
        }
        if !exceptions.isEmpty { record["exceptions"] = exceptions }
        return record
    }

    /// `09:00:00` → `09:00`.
    static func time(_ text: String) -> String { String(text.prefix(5)) }

    /// `2021-05-03T09:00:00.000+02:00` → `2021-05-03T09:00:00+02:00` (the format has no fractions).
    static func instant(_ text: String) -> String {
        guard let dot = text.firstIndex(of: ".") else { return text }
        let rest = text[dot...].drop { $0 == "." || $0.isNumber }
        return String(text[..<dot]) + rest
    }

    /// The département of the first French post code in an address: `62000` → `62`, `97411` → `974`,
    /// Corsica's `20xxx` → nil (2A or 2B cannot be told from it).
    static func departement(in address: String) -> String? {
        let scalars = Array(address)
        var index = 0
        while index + 5 <= scalars.count {
            let window = scalars[index..<index + 5]
            let before = index == 0 || !scalars[index - 1].isNumber
            let after = index + 5 == scalars.count || !scalars[index + 5].isNumber
            if before && after && window.allSatisfy(\.isNumber) {
                let code = String(window)
                if code.hasPrefix("97") || code.hasPrefix("98") { return String(code.prefix(3)) }
                if code.hasPrefix("20") { return nil }
                return String(code.prefix(2))
            }
            index += 1
        }
        return nil
    }
}
