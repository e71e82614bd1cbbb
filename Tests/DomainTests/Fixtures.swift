import Domain
import Foundation

// Factories with defaults (style.md §7): each test states only what matters to it.

/// A date literal of a fixture; a typo in a test is a programmer error, not input data.
func ymd(_ text: String) -> LocalDate {
    guard let value = LocalDate(text) else { preconditionFailure("bad fixture date \(text)") }
    return value
}

func time(_ text: String) -> TimeOfDay {
    guard let value = TimeOfDay(text) else { preconditionFailure("bad fixture time \(text)") }
    return value
}

/// An ISO-8601 instant with offset, e.g. "2021-05-03T09:00:00+02:00".
func instant(_ text: String) -> Date {
    guard let value = ISO8601DateFormatter().date(from: text) else { preconditionFailure("bad instant \(text)") }
    return value
}

let paris = TimeZone(identifier: "Europe/Paris") ?? .gmt

extension Motif {
    static func make(
        id: Int64? = 1, organisationID: Int64 = 1, serviceID: Int64 = 1, name: String = "Consultation",
        color: String = "#1f77b4", defaultDurationInMin: Int = 30, locationType: LocationType = .publicOffice,
        bookableBy: BookableBy = .everyone, minPublicBookingDelay: Int = 1800, maxPublicBookingDelay: Int = 7_889_238,
        collectif: Bool = false, followUp: Bool = false, forSecretariat: Bool = false, deletedAt: Date? = nil
    ) -> Motif {
        Motif(
            id: id, organisationID: organisationID, serviceID: serviceID, name: name, color: color,
            defaultDurationInMin: defaultDurationInMin, locationType: locationType, bookableBy: bookableBy,
            minPublicBookingDelay: minPublicBookingDelay, maxPublicBookingDelay: maxPublicBookingDelay,
            collectif: collectif, followUp: followUp, forSecretariat: forSecretariat, deletedAt: deletedAt)
    }
}

extension Place {
    static func make(id: Int64? = 1, organisationID: Int64 = 1, availability: Availability = .enabled) -> Place {
        Place(
            id: id, organisationID: organisationID, name: "MDS Centre", address: "10 rue de la Paix, 62000 Arras",
            latitude: 50.29, longitude: 2.78, availability: availability)
    }
}

extension OpeningPeriod {
    static func make(
        id: Int64? = 1, agentID: Int64 = 1, organisationID: Int64 = 1, title: String = "Permanence",
        placeID: Int64? = 1, firstDay: String = "2021-05-03", startTime: String = "09:00", endTime: String = "11:20",
        recurrence: Recurrence? = nil, motifIDs: [Int64] = [1]
    ) -> OpeningPeriod {
        OpeningPeriod(
            id: id, agentID: agentID, organisationID: organisationID, title: title, placeID: placeID,
            firstDay: ymd(firstDay), startTime: time(startTime), endTime: time(endTime), recurrence: recurrence,
            motifIDs: motifIDs)
    }
}

extension OpeningPeriod.ValidationContext {
    static func make(
        motifs: [Motif] = [.make()], place: Place? = .make(), agentServiceIDs: Set<Int64> = [1],
        agentIsSecretary: Bool = false, agentHasRoleInOrganisation: Bool = true
    ) -> OpeningPeriod.ValidationContext {
        OpeningPeriod.ValidationContext(
            motifs: motifs, place: place, agentServiceIDs: agentServiceIDs, agentIsSecretary: agentIsSecretary,
            agentHasRoleInOrganisation: agentHasRoleInOrganisation)
    }
}

extension Absence {
    static func make(
        firstDay: String = "2021-05-04", startTime: String = "09:00", endDay: String? = nil, endTime: String = "12:00",
        recurrence: Recurrence? = nil
    ) -> Absence {
        Absence(
            id: 1, agentID: 1, title: "Formation", firstDay: ymd(firstDay), startTime: time(startTime),
            endDay: endDay.map(ymd), endTime: time(endTime), recurrence: recurrence)
    }
}

extension Appointment {
    static func make(
        id: Int64? = 1, organisationID: Int64 = 1, motifID: Int64 = 1, placeID: Int64? = 1,
        startsAt: String = "2026-06-04T10:00:00+02:00", durationInMin: Int = 30, status: AppointmentStatus = .unknown,
        name: String? = nil, maxParticipantsCount: Int? = nil, agentIDs: [Int64] = [1]
    ) -> Appointment {
        let start = instant(startsAt)
        return Appointment(
            id: id, uuid: UUID(uuid: (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)),
            organisationID: organisationID,
            motifID: motifID, placeID: placeID, startsAt: start,
            endsAt: start.addingTimeInterval(Double(durationInMin) * 60),
            status: status, name: name, maxParticipantsCount: maxParticipantsCount, agentIDs: agentIDs)
    }
}

extension Appointment.ValidationContext {
    static func make(motif: Motif = .make(), place: Place? = .make(), participationsCount: Int = 1)
        -> Appointment.ValidationContext
    {
        Appointment.ValidationContext(
            motif: motif, place: place, participationsCount: participationsCount, timeZone: paris)
    }
}

extension Participation {
    static func make(id: Int64, userID: Int64, status: AppointmentStatus = .unknown) -> Participation {
        Participation(id: id, appointmentID: 1, userID: userID, status: status)
    }
}

extension User {
    static func make(
        id: Int64? = 1, firstName: String = "Jean", lastName: String = "Dupont", birthDate: String? = "1980-01-01",
        email: String? = "jean@example.fr", phoneNumber: String? = "0612345678", responsibleID: Int64? = nil
    ) -> User {
        User(
            id: id, firstName: firstName, lastName: lastName, birthDate: birthDate.map(ymd), email: email,
            phoneNumber: phoneNumber, responsibleID: responsibleID)
    }
}

extension Recurrence {
    static func weekly(_ weekdays: [Weekday], interval: Int = 1, until: String? = nil) -> Recurrence {
        .weekly(Weekly(interval: interval, weekdays: weekdays, until: until.map(ymd)))
    }

    static func monthly(_ day: NthWeekday? = nil, interval: Int = 1, until: String? = nil) -> Recurrence {
        .monthly(Monthly(interval: interval, day: day, until: until.map(ymd)))
    }
}

extension OccurrenceException {
    static func cancelled(_ day: String, seriesID: Int64 = 1) -> OccurrenceException {
        OccurrenceException(seriesType: .openingPeriod, seriesID: seriesID, date: ymd(day), cancelled: true)
    }

    static func moved(_ day: String, to newDay: String? = nil, start: String, end: String) -> OccurrenceException {
        OccurrenceException(
            seriesType: .openingPeriod, seriesID: 1, date: ymd(day), cancelled: false, day: newDay.map(ymd),
            startTime: time(start), endTime: time(end))
    }
}

/// The issues reduced to comparable triples, for exact expectations.
func summary(_ issues: [ValidationIssue]) -> [String] {
    issues.map { "\($0.severity.rawValue) \($0.field): \($0.message)" }
}
