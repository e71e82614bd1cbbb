import Foundation

/// Agents with their agendas, users with relatives, appointments.
extension SeedDocument {
    static let firstNames = [
        "Alice", "Thomas", "Sophie", "Paul", "Camille", "Nicolas", "Julie", "Antoine", "Emma", "Lucas", "Chloé",
        "Hugo", "Léa", "Louis", "Manon", "Gabriel", "Inès", "Arthur", "Sarah", "Jules", "Zoé", "Nathan", "Louise",
        "Karim", "Fatima", "Mehdi", "Aïcha", "Yanis", "Élodie", "Mathieu",
    ]
    static let lastNames = [
        "Martin", "Lefebvre", "Dubois", "Moreau", "Leroy", "Roux", "Fournier", "Girard", "Bonnet", "Dupont",
        "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
        "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
    ]

    /// Per organisation: an admin (PMI), a secretary, an intervenant (PMI), then basic agents
    /// alternating PMI and social. Organisation 1's admin is also territorial admin.
    mutating func addAgents(_ org: String, _ index: Int) {
        for a in 0..<scale.agentsPerOrganisation {
            let ref = "\(org)-a\(a + 1)"
            let first = Self.firstNames[(index * 7 + a) % Self.firstNames.count]
            let last = Self.lastNames[(index * 11 + a * 3) % Self.lastNames.count]
            let (level, service): (String, String) =
                switch a {
                case 0: ("admin", "pmi")
                case 1: ("basic", "secretariat")
                case 2: ("intervenant", "pmi")
                default: ("basic", a.isMultiple(of: 2) ? "pmi" : "social")
                }
            let email = level == "intervenant" ? nil : "\(first)-\(last)-\(index + 1)\(a + 1)@demo.rdv.fr".seedSlug
            document.agents.append(
                AgentRecord(
                    ref: ref, email: email, first_name: first, last_name: last,
                    password: nil, services: [service],
                    roles: [AgentRoleRecord(organisation: org, access_level: level)],
                    territorial_admin_of: index == 0 && a == 0 ? ["t62"] : nil, rdv_notifications_level: nil,
                    passwordHash: email == nil ? nil : Self.demoPasswordHash))
            if index == 0, let email {
                let role =
                    a == 0
                    ? "admin d'organisation et de territoire"
                    : level == "basic" && service == "secretariat" ? "secrétariat" : "agent"
                logins.append((email, role))
            }
            guard service != "secretariat" else { continue }
            staff[org, default: []].append(ref)
            let motifs = Self.motifs.filter { $0.service == service && $0.key != "atelier" }.map { "\(org)-\($0.key)" }
            for motif in motifs { holders[motif, default: []].append(ref) }
            addPeriods(agent: ref, org: org, motifs: motifs, index: a)
            if service == "pmi" { holders["\(org)-atelier", default: []].append(ref) }
        }
    }

    static let weekdays = ["monday", "tuesday", "wednesday", "thursday", "friday"]

    mutating func addPeriods(agent: String, org: String, motifs: [String], index: Int) {
        let place = placesByOrganisation[org]![index % 2]
        let firstDay = day(-scale.daysBefore)
        for p in 0..<scale.periodsPerAgent {
            let morning = p.isMultiple(of: 2)
            let days = [Self.weekdays[(index + p) % 5], Self.weekdays[(index + p + 2) % 5]]
            document.opening_periods.append(
                OpeningPeriodRecord(
                    ref: "\(agent)-p\(p + 1)", agent: agent, organisation: org, place: place,
                    title: morning ? "Permanence du matin" : "Permanence de l'après-midi", first_day: firstDay,
                    start_time: morning ? "09:00" : "14:00", end_time: morning ? "12:00" : "17:00", motifs: motifs,
                    recurrence: RecurrenceRecord(
                        every: "week", interval: p < 2 ? 1 : 2, on: days, day: nil, until: nil),
                    exceptions: nil))
        }
        if index % 3 == 0 {
            document.opening_periods.append(
                OpeningPeriodRecord(
                    ref: "\(agent)-pm", agent: agent, organisation: org, place: place, title: "Permanence mensuelle",
                    first_day: firstDay, start_time: "09:00", end_time: "12:00", motifs: motifs,
                    recurrence: RecurrenceRecord(
                        every: "month", interval: 1, on: nil, day: ["saturday": 1], until: nil),
                    exceptions: nil))
        }
        document.absences.append(
            AbsenceRecord(
                ref: "\(agent)-x1", agent: agent, organisation: org, title: "Formation", first_day: day(7 + index),
                start_time: "09:00", end_day: nil, end_time: "12:00", recurrence: nil, exceptions: nil))
        if index.isMultiple(of: 2) {
            document.absences.append(
                AbsenceRecord(
                    ref: "\(agent)-x2", agent: agent, organisation: org, title: "Congés", first_day: day(20 + index),
                    start_time: "08:00", end_day: day(24 + index), end_time: "18:00", recurrence: nil, exceptions: nil))
        }
    }

    /// Users spread over organisations; every fifth has a child (a relative without login).
    mutating func addUsers() {
        let organisations = document.organisations.map(\.ref)
        var u = 0
        var adults = 0
        while u < scale.users {
            // Adults go round the organisations; a child joins its parent's.
            let org = organisations[adults % organisations.count]
            let town = Self.towns[(adults % organisations.count) % Self.towns.count]
            adults += 1
            let first = pick(Self.firstNames)
            let last = pick(Self.lastNames)
            let ref = "u\(u + 1)"
            document.users.append(
                UserRecord(
                    ref: ref, first_name: first, last_name: last, birth_name: nil,
                    email: chance(80) ? "\(first).\(last).\(u + 1)@example.fr".seedSlug : nil,
                    phone_number: chance(85) ? "06" + String(format: "%08d", u + 1) : nil,
                    birth_date: day(-365 * (20 + Int((random.next() as UInt64) % 50)) - Int((random.next() as UInt64) % 365)),
                    responsible: nil, organisations: [org],
                    address: "\(1 + u % 90) rue Victor Hugo, \(town.post) \(town.name)", city_code: town.code,
                    post_code: town.post, city_name: town.name, notify_by_sms: nil, notify_by_email: nil))
            usersByOrganisation[org, default: []].append(ref)
            u += 1
            if u < scale.users, u % 5 == 0 {
                document.users.append(
                    UserRecord(
                        ref: "u\(u + 1)", first_name: pick(Self.firstNames), last_name: last, birth_name: nil,
                        email: nil,
                        phone_number: nil, birth_date: day(-365 * Int(1 + (random.next() as UInt64) % 10)), responsible: ref,
                        organisations: [org], address: nil, city_code: nil, post_code: nil, city_name: nil,
                        notify_by_sms: nil, notify_by_email: nil))
                usersByOrganisation[org, default: []].append("u\(u + 1)")
                u += 1
            }
        }
        for (i, user) in document.users.enumerated() where i % 10 == 3 {
            let org = user.organisations![0]
            document.referents.append(ReferentRecord(user: user.ref, agent: staff[org]![i % staff[org]!.count]))
        }
    }
}

extension String {
    /// Lower-case ASCII for generated e-mail addresses ("Chloé.Lefèvre" → "chloe.lefevre").
    var seedSlug: String {
        folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil).lowercased()
            .replacingOccurrences(of: "ï", with: "i")
    }
}
