/// Appointments in the past and the future, on weekdays, on a 30-minute grid inside office hours.
extension SeedDocument {
    mutating func addAppointments() {
        let organisations = document.organisations.map(\.ref)
        let motifsByKey = Dictionary(uniqueKeysWithValues: Self.motifs.map { ($0.key, $0) })
        var taken = Set<String>()
        var created = 0
        var attempt = 0
        while created < scale.appointments && attempt < scale.appointments * 20 {
            attempt += 1
            let org = organisations[attempt % organisations.count]
            let motif = pick(Self.motifs)
            guard let agents = holders["\(org)-\(motif.key)"], !agents.isEmpty else { continue }
            let agent = pick(agents)
            let offset = Int(random.next() % UInt64(scale.daysBefore + scale.daysAfter)) - scale.daysBefore
            guard weekday(offset) <= 5, offset != 0 else { continue }
            let start = (chance(50) ? 9 * 60 : 14 * 60) + 30 * Int(random.next() % 5)
            // An agent is never booked twice at once: every half hour the appointment covers is taken.
            let blocks = stride(from: start, to: start + motif.minutes, by: 30).map { "\(agent)|\(offset)|\($0)" }
            guard blocks.allSatisfy({ !taken.contains($0) }) else { continue }
            taken.formUnion(blocks)
            let collective = motif.key == "atelier"
            let pool = usersByOrganisation[org] ?? []
            var users: [String] = []
            for _ in 0..<(collective ? 3 + Int(random.next() % 4) : 1) where !pool.isEmpty {
                let user = pick(pool)
                if !users.contains(user) { users.append(user) }
            }
            created += 1
            document.appointments.append(
                AppointmentRecord(
                    ref: "r\(created)", organisation: org, motif: "\(org)-\(motif.key)",
                    place: motifsByKey[motif.key]!.location == "public_office" ? placesByOrganisation[org]![0] : nil,
                    starts_at: instant(dayOffset: offset, minutes: start), duration_in_min: motif.minutes,
                    agents: [agent],
                    users: users, status: status(past: offset < 0, collective: collective),
                    created_by: motif.bookable == "everyone" && chance(30) ? "user" : "agent",
                    max_participants_count: collective ? 8 : nil, name: collective ? "Atelier massage bébé" : nil,
                    context: nil))
        }
    }

    /// Past: mostly seen, some no-shows and cancellations; future: mostly to come (domain.md §9).
    mutating func status(past: Bool, collective: Bool) -> String {
        let roll = Int(random.next() % 100)
        if collective { return past ? (roll < 90 ? "seen" : "revoked") : "unknown" }
        if past { return roll < 70 ? "seen" : roll < 80 ? "noshow" : roll < 90 ? "excused" : "revoked" }
        return roll < 90 ? "unknown" : roll < 95 ? "excused" : "revoked"
    }
}
