import Foundation

// The planner's inputs: flat, Sendable snapshots a database layer fills from its rows, so the
// planner reads no database and no clock (style.md §2).

/// A user's contact data and consent (domain.md §11). For a relative, pass the responsible's
/// contact as `NotifiedParticipant.responsible`: relatives' messages go there.
public struct NotifiedContact: Sendable, Equatable {
    public var userID: Int64
    public var firstName: String
    public var lastName: String
    public var email: String?
    /// As typed; validated and converted to E.164 by the planner.
    public var phoneNumber: String?
    public var notifyByEmail: Bool
    public var notifyBySMS: Bool
    /// The postal address, shown for home appointments (« À votre domicile : … »).
    public var address: String?

    public init(
        userID: Int64, firstName: String, lastName: String, email: String? = nil, phoneNumber: String? = nil,
        notifyByEmail: Bool = true, notifyBySMS: Bool = true, address: String? = nil
    ) {
        self.userID = userID
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.phoneNumber = phoneNumber
        self.notifyByEmail = notifyByEmail
        self.notifyBySMS = notifyBySMS
        self.address = address
    }

    /// "Marie DURAND", as for agents.
    public var fullName: String { [firstName, lastName.uppercased()].filter { !$0.isEmpty }.joined(separator: " ") }
}

/// One participation of the appointment with its user (domain.md §10).
public struct NotifiedParticipant: Sendable, Equatable {
    public var user: NotifiedContact
    /// Set when `user` is a relative: every message goes to this person instead.
    public var responsible: NotifiedContact?
    /// The participation status after the change.
    public var status: AppointmentStatus
    /// The status before the change: a participation already cancelled before a cancellation
    /// gets no cancellation message (notifications.md §3).
    public var statusBeforeChange: AppointmentStatus
    public var sendLifecycleNotifications: Bool
    public var sendReminderNotification: Bool
    /// The link secret `tkn`, ensured by the caller before planning (notifications.md §3, domain.md §10).
    public var token: String

    public init(
        user: NotifiedContact, responsible: NotifiedContact? = nil, status: AppointmentStatus = .unknown,
        statusBeforeChange: AppointmentStatus? = nil, sendLifecycleNotifications: Bool = true,
        sendReminderNotification: Bool = true, token: String
    ) {
        self.user = user
        self.responsible = responsible
        self.status = status
        self.statusBeforeChange = statusBeforeChange ?? status
        self.sendLifecycleNotifications = sendLifecycleNotifications
        self.sendReminderNotification = sendReminderNotification
        self.token = token
    }

    /// The person who receives this participation's messages (domain.md §11).
    public var recipient: NotifiedContact { responsible ?? user }
}

/// An agent of the appointment, before or after the change (domain.md §4).
public struct NotifiedAgent: Sendable, Equatable {
    public var id: Int64
    public var firstName: String?
    public var lastName: String
    /// Nil for intervenants, who receive nothing.
    public var email: String?
    public var level: Agent.RdvNotificationsLevel

    public init(
        id: Int64, firstName: String?, lastName: String, email: String?, level: Agent.RdvNotificationsLevel = .others
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.email = email
        self.level = level
    }

    public init(_ agent: Agent, id: Int64) {
        self.init(
            id: id, firstName: agent.firstName, lastName: agent.lastName, email: agent.email,
            level: agent.rdvNotificationsLevel)
    }

    public var fullName: String {
        [firstName, lastName.uppercased()].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// « M. DURAND »: the initial and the upper-cased last name (follow-up SMS, notifications.md §6).
    public var shortName: String {
        guard let initial = firstName?.first else { return lastName.uppercased() }
        return "\(initial). \(lastName.uppercased())"
    }
}

/// Who made the change (notifications.md §2–§3: agent authors are not notified at level
/// `others`/`soon`; a user's cancellation sends no SMS).
public enum NotificationAuthor: Sendable, Equatable {
    case agent(Int64)
    case user(Int64)
    case prescriber
    /// A job: the reminder, the waiting list.
    case system
}

/// A place as shown in messages (domain.md §5).
public struct NotifiedPlace: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var address: String
    public var phoneNumber: String?

    public init(id: Int64, name: String, address: String, phoneNumber: String? = nil) {
        self.id = id
        self.name = name
        self.address = address
        self.phoneNumber = phoneNumber
    }

    /// "name (address)" (domain.md §5).
    public var fullName: String { "\(name) (\(address))" }
}

/// The appointment's state on one side of the change (domain.md §9).
public struct NotifiedAppointment: Sendable, Equatable {
    public var id: Int64
    public var uuid: UUID
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    /// Collective only: the intitulé.
    public var name: String?
    public var createdByType: CreatorType
    public var agentIDs: [Int64]
    /// Nil for phone, home and visio appointments.
    public var place: NotifiedPlace?
    /// The ICS SEQUENCE: the number of notified changes so far (notifications.md §10).
    public var sequence: Int

    public init(
        id: Int64, uuid: UUID, startsAt: Date, endsAt: Date, status: AppointmentStatus = .unknown,
        name: String? = nil, createdByType: CreatorType = .agent, agentIDs: [Int64], place: NotifiedPlace?,
        sequence: Int = 0
    ) {
        self.id = id
        self.uuid = uuid
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.status = status
        self.name = name
        self.createdByType = createdByType
        self.agentIDs = agentIDs
        self.place = place
        self.sequence = sequence
    }

    public var durationInMin: Int { Int((endsAt.timeIntervalSince(startsAt) / 60).rounded()) }

    /// Same as `Appointment.visioURL`.
    public func visioURL(base: String = "https://webconf.numerique.gouv.fr/") -> String {
        base + "RdvServicePublic" + uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }
}

/// The motif and its service as messages need them (domain.md §3, §6).
public struct NotifiedMotif: Sendable, Equatable {
    public var name: String
    public var serviceName: String
    /// « PMI »: the SMS `{title}` (notifications.md §6).
    public var serviceShortName: String
    public var locationType: LocationType
    public var visibilityType: VisibilityType
    public var collectif: Bool
    public var followUp: Bool
    public var instructionForRdv: String?
    public var bookableBy: BookableBy
    public var rdvsEditableByUser: Bool
    public var rdvsCancellableByUser: Bool

    public init(
        name: String, serviceName: String, serviceShortName: String, locationType: LocationType = .publicOffice,
        visibilityType: VisibilityType = .visibleAndNotified, collectif: Bool = false, followUp: Bool = false,
        instructionForRdv: String? = nil, bookableBy: BookableBy = .agents, rdvsEditableByUser: Bool = true,
        rdvsCancellableByUser: Bool = true
    ) {
        self.name = name
        self.serviceName = serviceName
        self.serviceShortName = serviceShortName
        self.locationType = locationType
        self.visibilityType = visibilityType
        self.collectif = collectif
        self.followUp = followUp
        self.instructionForRdv = instructionForRdv
        self.bookableBy = bookableBy
        self.rdvsEditableByUser = rdvsEditableByUser
        self.rdvsCancellableByUser = rdvsCancellableByUser
    }

    public init(_ motif: Motif, service: Service) {
        self.init(
            name: motif.name, serviceName: service.name, serviceShortName: service.shortName,
            locationType: motif.locationType, visibilityType: motif.visibilityType, collectif: motif.collectif,
            followUp: motif.followUp, instructionForRdv: motif.instructionForRdv, bookableBy: motif.bookableBy,
            rdvsEditableByUser: motif.rdvsEditableByUser, rdvsCancellableByUser: motif.rdvsCancellableByUser)
    }
}

/// The organisation as messages need it (domain.md §2).
public struct NotifiedOrganisation: Sendable, Equatable {
    public var id: Int64
    public var name: String
    public var phoneNumber: String?

    public init(id: Int64, name: String, phoneNumber: String? = nil) {
        self.id = id
        self.name = name
        self.phoneNumber = phoneNumber
    }
}

/// Instance and territory settings (contracts.md §1, notifications.md §5–§7).
public struct NotificationSettings: Sendable, Equatable {
    /// `RDV_PUBLIC_URL`, e.g. "https://rdv.example.fr": full links in e-mails; SMS drop the scheme.
    public var publicURL: String
    public var productName: String
    /// The territory's zone: every date and time is written in it.
    public var timeZone: TimeZone
    /// False when the territory's effective SMS provider is `none` (notifications.md §7).
    public var smsEnabled: Bool
    /// The instance label (e.g. « DEMO ») prefixed as a line to SMS; nil by default.
    public var instanceLabel: String?
    /// The address of `RDV_MAIL_FROM`: the ICS ORGANIZER (notifications.md §8, §10).
    public var noReplyAddress: String

    public init(
        publicURL: String, productName: String = "RDV Service Public", timeZone: TimeZone, smsEnabled: Bool = true,
        instanceLabel: String? = nil, noReplyAddress: String = "ne-pas-repondre@localhost"
    ) {
        self.publicURL = publicURL
        self.productName = productName
        self.timeZone = timeZone
        self.smsEnabled = smsEnabled
        self.instanceLabel = instanceLabel
        self.noReplyAddress = noReplyAddress
    }

    /// Every absolute link of the messages (one builder: Domain's `SiteLinks`).
    public var links: SiteLinks { SiteLinks(publicURL: publicURL) }

    /// "rdv.example.fr": the public URL without scheme nor trailing slash, for SMS links.
    public var host: String { links.host }

    var baseURL: String { links.baseURL }

    /// The appointment's page for agents.
    func agentLink(organisationID: Int64, appointmentID: Int64) -> String {
        links.agentAppointment(organisationID: organisationID, appointmentID: appointmentID)
    }
}

/// What caused the event, beyond its code (notifications.md §2, booking.md §6).
public struct NotificationChange: Sendable, Equatable {
    /// Participant-level changes (a participation added, re-joined, cancelled or removed) notify
    /// only these users; nil = every participant of the appointment.
    public var concernedUserIDs: Set<Int64>?
    /// The agents' participants form: no agent e-mail for created/cancelled (notifications.md §2).
    public var viaParticipantsForm: Bool
    /// An id of this change (e.g. the history version id), added to idempotency keys so that two
    /// distinct changes of one start are two messages while a retry of one change stays one.
    public var changeID: String?

    public init(concernedUserIDs: Set<Int64>? = nil, viaParticipantsForm: Bool = false, changeID: String? = nil) {
        self.concernedUserIDs = concernedUserIDs
        self.viaParticipantsForm = viaParticipantsForm
        self.changeID = changeID
    }

    public static let wholeAppointment = NotificationChange()
}
