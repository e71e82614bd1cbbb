import Foundation

/// Territory, organisations, places, agents, motifs, opening periods, absences, sectors.
extension SeedDocument {
    static let towns: [(name: String, code: String, post: String, lat: Double, lon: Double)] = [
        ("Arras", "62041", "62000", 50.2910, 2.7775), ("Lens", "62498", "62300", 50.4320, 2.8330),
        ("Boulogne-sur-Mer", "62160", "62200", 50.7264, 1.6147), ("Calais", "62193", "62100", 50.9513, 1.8587),
        ("Béthune", "62119", "62400", 50.5303, 2.6408), ("Saint-Omer", "62765", "62500", 50.7500, 2.2522),
        ("Liévin", "62510", "62800", 50.4228, 2.7786), ("Hénin-Beaumont", "62427", "62110", 50.4214, 2.9508),
    ]

    mutating func addTerritory() {
        document.services = [
            ServiceRecord(ref: "pmi", name: "PMI (Protection Maternelle Infantile)", short_name: "PMI"),
            ServiceRecord(ref: "social", name: "Service social", short_name: "Social"),
            ServiceRecord(ref: "secretariat", name: "Secrétariat", short_name: "Secrétariat"),
        ]
        document.territories = [
            TerritoryRecord(
                ref: "t62", name: "Pas-de-Calais", departement_number: "62",
                services: ["pmi", "social", "secretariat"],
                open_on_sundays_and_holidays: false, whit_monday_is_holiday: false, time_zone: "Europe/Paris")
        ]
    }

    mutating func addOrganisation(_ index: Int) {
        let town = Self.towns[index % Self.towns.count]
        let suffix = index < Self.towns.count ? "" : " \(index / Self.towns.count + 1)"
        let org = "o\(index + 1)"
        document.organisations.append(
            OrganisationRecord(
                ref: org, territory: "t62", name: "MDS \(town.name)\(suffix)",
                phone_number: "0321" + String(format: "%06d", 100_000 + index), email: "mds\(index + 1)@demo.rdv.fr",
                website: nil, external_id: "mds-\(index + 1)", verticale: nil))
        for (p, label) in ["Centre", "Antenne"].enumerated() {
            let ref = "\(org)-l\(p + 1)"
            document.places.append(
                PlaceRecord(
                    ref: ref, organisation: org, name: "MDS \(town.name) \(label)",
                    address: "\(10 + p * 5) rue de la République, \(town.post) \(town.name)",
                    latitude: town.lat + Double(p) * 0.003, longitude: town.lon, phone_number: nil, availability: nil))
            placesByOrganisation[org, default: []].append(ref)
        }
        addMotifs(org)
        addAgents(org, index)
        document.sectors.append(
            SectorRecord(
                ref: "\(org)-s", territory: "t62", name: "Secteur \(town.name)\(suffix)",
                human_id: "secteur-\(index + 1)",
                zones: index < Self.towns.count
                    ? [ZoneRecord(level: "city", city_code: town.code, city_name: town.name)] : [],
                attributions: [AttributionRecord(organisation: org, level: "organisation", agent: nil)]))
    }

    /// Every location type, a collective motif, a follow-up motif (domain.md §6).
    static let motifs:
        [(key: String, service: String, name: String, location: String, minutes: Int, bookable: String)] = [
            ("consult", "pmi", "Consultation pédiatrique", "public_office", 30, "everyone"),
            ("grossesse", "pmi", "Suivi de grossesse", "public_office", 45, "everyone"),
            ("pmi-tel", "pmi", "Entretien téléphonique PMI", "phone", 20, "everyone"),
            ("pmi-dom", "pmi", "Visite à domicile PMI", "home", 60, "agents"),
            ("pmi-visio", "pmi", "Téléconsultation PMI", "visio", 30, "everyone"),
            ("atelier", "pmi", "Atelier massage bébé", "public_office", 90, "everyone"),
            ("accueil", "social", "Premier accueil social", "public_office", 30, "everyone"),
            ("suivi", "social", "Rendez-vous de suivi", "public_office", 45, "agents"),
            ("budget", "social", "Accompagnement budget", "phone", 30, "agents_and_prescripteurs"),
            ("social-dom", "social", "Visite sociale à domicile", "home", 60, "agents"),
            ("social-visio", "social", "Entretien en visioconférence", "visio", 30, "agents_and_prescripteurs"),
        ]

    static let colors = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]

    mutating func addMotifs(_ org: String) {
        for (i, m) in Self.motifs.enumerated() {
            document.motifs.append(
                MotifRecord(
                    ref: "\(org)-\(m.key)", organisation: org, service: m.service, name: m.name,
                    color: Self.colors[i % Self.colors.count], location_type: m.location,
                    default_duration_in_min: m.minutes, bookable_by: m.bookable, min_public_booking_delay: 1800,
                    max_public_booking_delay: 7_889_238, visibility_type: nil, sectorisation_level: "departement",
                    collectif: m.key == "atelier", follow_up: m.key == "suivi", for_secretariat: nil,
                    restriction_for_rdv: nil,
                    instruction_for_rdv: m.location == "public_office"
                        ? "Merci de vous présenter 5 minutes avant." : nil,
                    custom_cancel_warning_message: nil, rdvs_editable_by_user: nil, rdvs_cancellable_by_user: nil))
        }
    }
}
