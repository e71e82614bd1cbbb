import Foundation

/// A booked meeting between agent(s) and user(s), individual or collective (domain.md §9, « RDV »).
public struct Appointment: Sendable, Equatable, Codable {
    public var id: Int64?
    /// v4, never changes; the ICS UID and the visio URL. Injected: Domain draws no randomness.
    public var uuid: UUID
    public var organisationID: Int64
    /// Never changes after creation.
    public var motifID: Int64
    public var placeID: Int64?
    public var startsAt: Date
    public var endsAt: Date
    public var status: AppointmentStatus
    public var cancelledAt: Date?
    public var context: String?
    /// Collective only: the title (« Intitulé »).
    public var name: String?
    /// Collective only; nil = unlimited.
    public var maxParticipantsCount: Int?
    /// Cached count of non-cancelled participations.
    public var usersCount: Int
    public var createdByType: CreatorType
    public var createdByID: Int64?
    /// « Salle d'attente »; counts only on the same local day.
    public var arrivedAt: Date?
    /// ≥ 1, each with a role in the organisation.
    public var agentIDs: [Int64]

    public init(
        id: Int64? = nil, uuid: UUID, organisationID: Int64, motifID: Int64, placeID: Int64?, startsAt: Date,
        endsAt: Date, status: AppointmentStatus = .unknown, cancelledAt: Date? = nil, context: String? = nil,
        name: String? = nil, maxParticipantsCount: Int? = nil, usersCount: Int = 0,
        createdByType: CreatorType = .agent, createdByID: Int64? = nil, arrivedAt: Date? = nil, agentIDs: [Int64]
    ) {
        self.id = id
        self.uuid = uuid
        self.organisationID = organisationID
        self.motifID = motifID
        self.placeID = placeID
        self.startsAt = startsAt
        self.endsAt = endsAt
        self.status = status
        self.cancelledAt = cancelledAt
        self.context = context
        self.name = name
        self.maxParticipantsCount = maxParticipantsCount
        self.usersCount = usersCount
        self.createdByType = createdByType
        self.createdByID = createdByID
        self.arrivedAt = arrivedAt
        self.agentIDs = agentIDs
    }

    /// `duration_in_min` = ends − starts (domain.md §9).
    public var durationInMin: Int { Int((endsAt.timeIntervalSince(startsAt) / 60).rounded()) }

    public var isCancelled: Bool { status.isCancelled }

    /// The visio URL: base + "RdvServicePublic" + the uuid without dashes (domain.md §6).
    public func visioURL(base: String = "https://webconf.numerique.gouv.fr/") -> String {
        base + "RdvServicePublic" + uuid.uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    }

    /// domain.md §9 "arrived_at counts only on the same local day".
    public func hasArrived(now: Date, timeZone: TimeZone) -> Bool {
        guard let arrivedAt else { return false }
        return LocalDate(arrivedAt, in: timeZone) == LocalDate(now, in: timeZone)
    }
}
