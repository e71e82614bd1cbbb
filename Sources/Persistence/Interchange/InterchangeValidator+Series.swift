import Domain
import Foundation

extension InterchangeValidator {
    mutating func checkSeries(motifs: [String: Motif], places: [String: Place]) {
        let d = document
        let agents = Dictionary(uniqueKeysWithValues: d.agents.map { ($0.ref, $0) })
        let secretariat = Set(d.services.filter { $0.name.lowercased() == "secrétariat" }.map(\.ref))
        for (i, p) in d.opening_periods.enumerated() {
            guard let firstDay = LocalDate(p.first_day), let start = TimeOfDay(p.start_time),
                let end = TimeOfDay(p.end_time)
            else { continue }  // format errors are already reported
            let period = OpeningPeriod(
                id: pid(p.ref), agentID: pid(p.agent), organisationID: pid(p.organisation), title: p.title,
                placeID: p.place.map(pid), firstDay: firstDay, startTime: start, endTime: end,
                recurrence: Self.recurrence(p.recurrence), motifIDs: p.motifs.map(pid))
            let agent = agents[p.agent]
            let context = OpeningPeriod.ValidationContext(
                motifs: p.motifs.compactMap { motifs[$0] }, place: p.place.flatMap { places[$0] },
                agentServiceIDs: Set((agent?.services ?? []).map(pid)),
                agentIsSecretary: !(agent?.services ?? []).filter(secretariat.contains).isEmpty,
                agentHasRoleInOrganisation: agent?.roles.contains { $0.organisation == p.organisation } ?? false)
            report(period.validate(context), at: "opening_periods[\(i)]")
        }
        for (i, a) in d.absences.enumerated() {
            guard let firstDay = LocalDate(a.first_day), let start = TimeOfDay(a.start_time),
                let end = TimeOfDay(a.end_time)
            else { continue }
            let absence = Absence(
                id: pid(a.ref), agentID: pid(a.agent), organisationID: a.organisation.map(pid), title: a.title,
                firstDay: firstDay, startTime: start, endDay: a.end_day.flatMap(LocalDate.init), endTime: end,
                recurrence: Self.recurrence(a.recurrence))
            report(absence.validate(), at: "absences[\(i)]")
        }
    }

    mutating func checkUsersAndAppointments(
        motifs: [String: Motif], places: [String: Place], today: LocalDate, clock: any Clock, timeZone: TimeZone
    ) {
        let d = document
        var users: [String: User] = [:]
        for u in d.users {
            users[u.ref] = User(
                id: pid(u.ref), firstName: u.first_name, lastName: u.last_name, birthName: u.birth_name,
                birthDate: u.birth_date.flatMap(LocalDate.init), email: u.email, phoneNumber: u.phone_number,
                responsibleID: u.responsible.map(pid))
        }
        for (i, u) in d.users.enumerated() {
            guard let user = users[u.ref] else { continue }
            report(user.validate(today: today, responsible: u.responsible.flatMap { users[$0] }), at: "users[\(i)]")
        }
        let roles = Dictionary(
            grouping: d.agents.flatMap { a in a.roles.map { ($0.organisation, pid(a.ref)) } }, by: \.0
        )
        .mapValues { Set($0.map(\.1)) }
        for (i, a) in d.appointments.enumerated() {
            let path = "appointments[\(i)]"
            oneOf(a.created_by, ["agent", "user", "prescripteur", "file_attente"], "\(path).created_by")
            let status = enumValue(AppointmentStatus.self, a.status, "\(path).status") ?? .unknown
            guard let startsAt = Self.parseInstant(a.starts_at), let motif = motifs[a.motif] else { continue }
            let appointment = Appointment(
                uuid: UUID(), organisationID: pid(a.organisation), motifID: pid(a.motif), placeID: a.place.map(pid),
                startsAt: startsAt, endsAt: startsAt.addingTimeInterval(Double(a.duration_in_min) * 60), status: status,
                context: a.context, name: a.name, maxParticipantsCount: a.max_participants_count,
                agentIDs: a.agents.map(pid))
            let context = Appointment.ValidationContext(
                motif: motif, place: a.place.flatMap { places[$0] }, participationsCount: a.users.count,
                agentIDsWithRole: roles[a.organisation] ?? [], timeZone: timeZone)
            report(appointment.validate(context, clock: clock), at: path)
        }
    }
}
