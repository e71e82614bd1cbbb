/// Appointments in the past and the future, on weekdays, on a 30-minute grid inside office hours;
/// with the demo scale, a full working week around today for every agent (issue 11: the agenda
/// of a demo agent shows a realistic week).
extension SeedDocument {
    /// What `book` remembers between calls: the half hours already taken per agent and day.
    struct Bookings {
        var taken = Set<String>()
        var created = 0
    }

    mutating func addAppointments() {
        let organisations = document.organisations.map(\.ref)
        var bookings = Bookings()
        // The week first, within the total: the data set keeps its size (`scale.appointments`).
        addCurrentWeek(&bookings, organisations: organisations)
        var attempt = 0
        while bookings.created < scale.appointments && attempt < scale.appointments * 20 {
            attempt += 1
            let org = organisations[attempt % organisations.count]
            let motif = pick(Self.motifs)
            guard let agents = holders["\(org)-\(motif.key)"], !agents.isEmpty else { continue }
            let agent = pick(agents)
            let offset = Int((random.next() as UInt64) % UInt64(scale.daysBefore + scale.daysAfter)) - scale.daysBefore
            guard weekday(offset) <= 5, offset != 0 else { continue }
            let start = (chance(50) ? 9 * 60 : 14 * 60) + 30 * Int((random.next() as UInt64) % 5)
            book(&bookings, org: org, motif: motif, agent: agent, offset: offset, start: start)
        }
    }

    /// Monday to Friday of this week (of next week on a weekend): for every agent holding motifs,
    /// `scale.currentWeekAppointmentsPerDay` tries a day in the morning and afternoon hours.
    mutating func addCurrentWeek(_ bookings: inout Bookings, organisations: [String]) {
        guard scale.currentWeekAppointmentsPerDay > 0 else { return }
        let today = weekday(0)
        let monday = today <= 5 ? 1 - today : 8 - today
        for org in organisations {
            for agent in staff[org] ?? [] {
                let motifs = Self.motifs.filter { holders["\(org)-\($0.key)"]?.contains(agent) ?? false }
                guard !motifs.isEmpty else { continue }
                for offset in monday..<(monday + 5) {
                    for _ in 0..<scale.currentWeekAppointmentsPerDay {
                        let start = (chance(55) ? 9 * 60 : 14 * 60) + 30 * Int((random.next() as UInt64) % 6)
                        book(&bookings, org: org, motif: pick(motifs), agent: agent, offset: offset, start: start)
                    }
                }
            }
        }
    }

    /// One appointment, unless the agent is already booked in one of the half hours it covers.
    mutating func book(
        _ bookings: inout Bookings, org: String,
        motif: (key: String, service: String, name: String, location: String, minutes: Int, bookable: String),
        agent: String, offset: Int, start: Int
    ) {
        let blocks = stride(from: start, to: start + motif.minutes, by: 30).map { "\(agent)|\(offset)|\($0)" }
        guard blocks.allSatisfy({ !bookings.taken.contains($0) }) else { return }
        bookings.taken.formUnion(blocks)
        let collective = motif.key == "atelier"
        let pool = usersByOrganisation[org] ?? []
        var users: [String] = []
        for _ in 0..<(collective ? 3 + Int((random.next() as UInt64) % 4) : 1) where !pool.isEmpty {
            let user = pick(pool)
            if !users.contains(user) { users.append(user) }
        }
        bookings.created += 1
        document.appointments.append(
            AppointmentRecord(
                ref: "r\(bookings.created)", organisation: org, motif: "\(org)-\(motif.key)",
                place: motif.location == "public_office" ? placesByOrganisation[org]![0] : nil,
                starts_at: instant(dayOffset: offset, minutes: start), duration_in_min: motif.minutes,
                agents: [agent],
                users: users, status: status(past: offset < 0, collective: collective),
                created_by: motif.bookable == "everyone" && chance(30) ? "user" : "agent",
                max_participants_count: collective ? 8 : nil, name: collective ? "Atelier massage bébé" : nil,
                context: nil))
    }

    /// Past: mostly seen, some no-shows and cancellations; future: mostly to come (domain.md §9).
    mutating func status(past: Bool, collective: Bool) -> String {
        let roll = Int((random.next() as UInt64) % 100)
        if collective { return past ? (roll < 90 ? "seen" : "revoked") : "unknown" }
        if past { return roll < 70 ? "seen" : roll < 80 ? "noshow" : roll < 90 ? "excused" : "revoked" }
        return roll < 90 ? "unknown" : roll < 95 ? "excused" : "revoked"
    }
}
