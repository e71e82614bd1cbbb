import Foundation

/// One appointment of an agent's webcal feed, without personal data (notifications.md §10).
public struct CalendarFeedEntry: Sendable, Equatable {
    /// Where the appointment happens, as the feed may say it.
    public enum Location: Sendable, Equatable {
        case place(address: String)
        /// Only the post code and city of the user's address.
        case home(postCode: String?, city: String?)
        case phone
        case visio
        /// « Lieu ponctuel »: a one-off address typed on the appointment.
        case occasional(address: String)
    }

    /// Collective appointments: the intitulé and the seats (domain.md §9).
    public struct Collective: Sendable, Equatable {
        public var name: String?
        public var usersCount: Int
        /// nil: no limit.
        public var maxParticipants: Int?

        public init(name: String?, usersCount: Int, maxParticipants: Int?) {
            self.name = name
            self.usersCount = usersCount
            self.maxParticipants = maxParticipants
        }
    }

    public var appointmentID: Int64
    public var uuid: UUID
    public var organisationID: Int64
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    public var motifName: String
    public var collective: Collective?
    public var location: Location
    public var sequence: Int

    public init(
        appointmentID: Int64, uuid: UUID, organisationID: Int64, startsAt: Date, endsAt: Date,
        status: AppointmentStatus, motifName: String, collective: Collective? = nil, location: Location,
        sequence: Int = 0
    ) {
        self.appointmentID = appointmentID
        self.uuid = uuid
        self.organisationID = organisationID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.status = status
        self.motifName = motifName
        self.collective = collective
        self.location = location
        self.sequence = sequence
    }

    /// SUMMARY: the motif name; collective « <intitulé or motif> (<users_count>/<max>) », or
    /// « (<users_count>) » without a limit.
    public var summary: String {
        guard let collective else { return motifName }
        let name = collective.name.flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0 } ?? motifName
        let seats = collective.maxParticipants.map { "\(collective.usersCount)/\($0)" } ?? "\(collective.usersCount)"
        return "\(name) (\(seats))"
    }

    /// LOCATION (notifications.md §10).
    public var locationText: String {
        switch location {
        case .place(let address): return address
        case .home(let postCode, let city):
            let area = [postCode, city].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return area.isEmpty ? "À domicile" : "À domicile (\(area))"
        case .phone: return "Par téléphone"
        case .visio: return "Visioconférence"
        case .occasional(let address): return "Lieu ponctuel : \(address)"
        }
    }
}

/// The agent's webcal feed, `/calendrier/<calendar_uid>.ics` (notifications.md §10, booking.md §10).
public enum AgentCalendarFeed {
    /// The feed holds the appointments starting after now − 1 month.
    public static func earliestStart(now: Date, in timeZone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        return calendar.date(byAdding: .month, value: -1, to: now) ?? now
    }

    /// One VEVENT per entry starting after `earliestStart`, in start order: no METHOD (a plain
    /// published calendar, RFC 5545), no organizer nor attendee, no user name.
    public static func document(entries: [CalendarFeedEntry], settings: NotificationSettings, now: Date) -> String {
        let zone = settings.timeZone
        let earliest = earliestStart(now: now, in: zone)
        let shown = entries.filter { $0.startsAt >= earliest }
            .sorted { ($0.startsAt, $0.appointmentID) < ($1.startsAt, $1.appointmentID) }
        let events = shown.map { entry in
            let link = settings.agentLink(organisationID: entry.organisationID, appointmentID: entry.appointmentID)
            return ICalendarEvent(
                uid: entry.uuid.uuidString.lowercased(), start: ICalendarDateTime(entry.startsAt, in: zone),
                end: ICalendarDateTime(entry.endsAt, in: zone), sequence: entry.sequence,
                status: entry.status.isCancelled ? .cancelled : .confirmed, summary: entry.summary,
                location: entry.locationText, description: link)
        }
        return ICalendar(productName: settings.productName, method: nil, timeZone: zone, stamp: now, events: events)
            .rendered
    }
}
