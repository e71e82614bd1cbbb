import Foundation

extension Appointment {
    /// What an appointment's validation needs besides the appointment.
    public struct ValidationContext: Sendable {
        public var motif: Motif
        public var place: Place?
        /// Participations of the appointment, cancelled ones included.
        public var participationsCount: Int
        /// The stored version, nil on create (`motif_id` never changes).
        public var previous: Appointment?
        /// Agents with a role in the appointment's organisation; nil skips the check.
        public var agentIDsWithRole: Set<Int64>?
        /// The territory's time zone: "start year ≥ 2018" is a local year (README "Time").
        public var timeZone: TimeZone

        public init(
            motif: Motif, place: Place?, participationsCount: Int, previous: Appointment? = nil,
            agentIDsWithRole: Set<Int64>? = nil, timeZone: TimeZone
        ) {
            self.motif = motif
            self.place = place
            self.participationsCount = participationsCount
            self.previous = previous
            self.agentIDsWithRole = agentIDsWithRole
            self.timeZone = timeZone
        }
    }

    /// domain.md §9: the first year an appointment may start in, and how far ahead it may start.
    public static let earliestYear = 2018
    public static let maximumYearsAhead = 5
    /// SMS truncate collective titles at 50 characters (domain.md §9 benign warnings).
    public static let smsTitleLength = 50

    public static let pastWarningMessage = "Ce RDV est dans le passé"
    public static let titleTruncatedWarningMessage = "L'intitulé sera tronqué à 50 caractères dans les SMS"
    public static let tooEarlyMessage = "doit être en 2018 ou après"
    public static let tooFarMessage = "ne peut pas être à plus de 5 ans dans le futur"

    /// domain.md §9 field rules (hard errors, S97) and the two benign warnings that need no other
    /// appointment: a start in the past and a long collective title.
    public func validate(_ context: ValidationContext, clock: any Clock) -> [ValidationIssue] {
        timeIssues(context, now: clock.now) + referenceIssues(context) + kindIssues(context)
            + warnings(context, now: clock.now)
    }

    /// ends > starts; start year ≥ 2018 and start ≤ now + 5 years.
    private func timeIssues(_ context: ValidationContext, now: Date) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if endsAt <= startsAt {
            issues.append(.error("ends_at", "doit être postérieure au début du RDV"))
        }
        if LocalDate(startsAt, in: context.timeZone).year < Self.earliestYear {
            issues.append(.error("starts_at", Self.tooEarlyMessage))
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = context.timeZone
        if let latest = calendar.date(byAdding: .year, value: Self.maximumYearsAhead, to: now), startsAt > latest {
            issues.append(.error("starts_at", Self.tooFarMessage))
        }
        return issues
    }

    /// The organisation is the motif's; the motif never changes; the place is required and not
    /// disabled for `public_office` motifs and belongs to the organisation; agents have roles.
    private func referenceIssues(_ context: ValidationContext) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if organisationID != context.motif.organisationID {
            issues.append(.error("organisation_id", "doit être l'organisation du motif"))
        }
        if let previous = context.previous, previous.motifID != motifID {
            issues.append(.error("motif_id", "ne peut pas être modifié"))
        }
        if let place = context.place, placeID != nil {
            if place.availability == .disabled {
                issues.append(.error("place_id", "doit être un lieu ouvert de l'organisation, ou un lieu ponctuel"))
            }
            if place.organisationID != organisationID {
                issues.append(.error("place_id", "doit appartenir à l'organisation"))
            }
        } else if context.motif.locationType == .publicOffice {
            issues.append(.error("place_id", "doit être rempli(e) pour un motif sur place"))
        }
        if agentIDs.isEmpty {
            issues.append(.error("agents", "doit contenir au moins un agent"))
        } else if Set(agentIDs).count != agentIDs.count {
            issues.append(.error("agents", "ne doit pas contenir deux fois le même agent"))
        }
        if let withRole = context.agentIDsWithRole, agentIDs.contains(where: { !withRole.contains($0) }) {
            issues.append(.error("agents", "doivent avoir un rôle dans l'organisation"))
        }
        return issues
    }

    /// Individual: ≥ 1 participation, no title or seat limit. Collective: seats > 0 or unlimited,
    /// and only `unknown`, `seen` or `revoked`.
    private func kindIssues(_ context: ValidationContext) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if !AppointmentStatus.allowed(collectif: context.motif.collectif).contains(status) {
            issues.append(.error("status", "n'est pas possible pour un RDV collectif"))
        }
        if context.motif.collectif {
            if let seats = maxParticipantsCount, seats <= 0 {
                issues.append(.error("max_participants_count", "doit être supérieur à 0"))
            }
        } else {
            if context.participationsCount < 1 {
                issues.append(.error("users", "doit contenir au moins un usager"))
            }
            if !Check.isBlank(name) { issues.append(.error("name", "est réservé aux RDV collectifs")) }
            if maxParticipantsCount != nil {
                issues.append(.error("max_participants_count", "est réservé aux RDV collectifs"))
            }
        }
        return issues
    }

    private func warnings(_ context: ValidationContext, now: Date) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if startsAt < now {
            issues.append(.warning("starts_at", Self.pastWarningMessage))
        }
        if context.motif.collectif, let name, name.count > Self.smsTitleLength {
            issues.append(.warning("name", Self.titleTruncatedWarningMessage))
        }
        return issues
    }
}

extension Appointment {
    public static let duplicateMessage =
        "Il existe déjà un RDV au même moment, au même lieu, pour le même motif, avec les mêmes usagers et agents"

    /// domain.md §9 hard error: another non-cancelled appointment with the same organisation,
    /// place, start, end and motif, and exactly the same sets of users and agents.
    public func duplicateIssue(userIDs: Set<Int64>, among others: [(appointment: Appointment, userIDs: Set<Int64>)])
        -> ValidationIssue?
    {
        let duplicate = others.contains { other, otherUserIDs in
            (other.id == nil || other.id != id) && !other.isCancelled && other.organisationID == organisationID
                && other.placeID == placeID && other.startsAt == startsAt && other.endsAt == endsAt
                && other.motifID == motifID && Set(other.agentIDs) == Set(agentIDs) && otherUserIDs == userIDs
        }
        return duplicate ? .error("base", Self.duplicateMessage) : nil
    }
}
