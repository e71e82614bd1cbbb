import Domain
import Foundation

// Factories for the notification planner (style.md §7): the S49 appointment of scenarios.md,
// a PMI appointment on Friday 10 December 2021 at 13:10 at « MDS Centre », planned on 1 December.

enum NF {
    static let now = instant("2021-12-01T09:00:00+01:00")
    static let start = instant("2021-12-10T13:10:00+01:00")
    static let uuid = UUID(uuidString: "0F8FAD5B-D9CB-469F-A165-70867728950E") ?? UUID()
    static let place = NotifiedPlace(
        id: 5, name: "MDS Centre", address: "10 rue d'Ici 62000 Arras", phoneNumber: "0321000000")
    static let organisation = NotifiedOrganisation(id: 3, name: "MDS Arras", phoneNumber: "0321999999")
    static let settings = NotificationSettings(publicURL: "https://rdv.example.fr", timeZone: paris)

    static func appointment(
        startsAt: Date = start, minutes: Double = 30, status: AppointmentStatus = .unknown, name: String? = nil,
        agentIDs: [Int64] = [10], place: NotifiedPlace? = place, createdByType: CreatorType = .agent
    ) -> NotifiedAppointment {
        NotifiedAppointment(
            id: 123456, uuid: uuid, startsAt: startsAt, endsAt: startsAt.addingTimeInterval(minutes * 60),
            status: status, name: name, createdByType: createdByType, agentIDs: agentIDs, place: place)
    }

    static func motif(
        location: LocationType = .publicOffice, collectif: Bool = false, followUp: Bool = false,
        instruction: String? = nil, bookableBy: BookableBy = .agents
    ) -> NotifiedMotif {
        NotifiedMotif(
            name: "Dépistage IST", serviceName: "PMI (Protection Maternelle Infantile)", serviceShortName: "PMI",
            locationType: location, collectif: collectif, followUp: followUp, instructionForRdv: instruction,
            bookableBy: bookableBy)
    }

    static func contact(
        _ id: Int64, _ first: String = "Jeanne", _ last: String = "Dupont", email: String? = "jeanne@example.fr",
        phone: String? = "06 12 34 56 78", byEmail: Bool = true, bySMS: Bool = true, address: String? = nil
    ) -> NotifiedContact {
        NotifiedContact(
            userID: id, firstName: first, lastName: last, email: email, phoneNumber: phone, notifyByEmail: byEmail,
            notifyBySMS: bySMS, address: address)
    }

    static func participant(
        _ user: NotifiedContact = contact(1), responsible: NotifiedContact? = nil, status: AppointmentStatus = .unknown,
        before: AppointmentStatus? = nil, lifecycle: Bool = true, reminder: Bool = true, token: String = "Ab3dE5gH"
    ) -> NotifiedParticipant {
        NotifiedParticipant(
            user: user, responsible: responsible, status: status, statusBeforeChange: before,
            sendLifecycleNotifications: lifecycle, sendReminderNotification: reminder, token: token)
    }

    static func agent(_ id: Int64 = 10, level: Agent.RdvNotificationsLevel = .others, email: String? = nil)
        -> NotifiedAgent
    {
        NotifiedAgent(
            id: id, firstName: "Marie", lastName: "Durand\(id)", email: email ?? "agent\(id)@example.fr", level: level)
    }

    /// The planner with S49 defaults; each test overrides what it is about.
    static func plan(
        _ event: NotificationEvent, appointment: NotifiedAppointment = appointment(),
        previous: NotifiedAppointment? = nil, change: NotificationChange = .wholeAppointment,
        participants: [NotifiedParticipant] = [participant()], agents: [NotifiedAgent] = [agent()],
        author: NotificationAuthor = .agent(99), motif: NotifiedMotif = motif(),
        organisation: NotifiedOrganisation = organisation,
        settings: NotificationSettings = settings, now: Date = now
    ) -> [PlannedMessage] {
        NotificationPlanner.plan(
            event: event, appointment: appointment, previous: previous, change: change, participants: participants,
            agents: agents, author: author, motif: motif, organisation: organisation, settings: settings, now: now)
    }
}

extension PlannedMessage {
    /// "user-1:mail", "agent-10:mail:rdv_created": a compact summary for recipient tables.
    var summary: String { "\(recipient.key):\(channel.rawValue):\(event.rawValue)" }
}
