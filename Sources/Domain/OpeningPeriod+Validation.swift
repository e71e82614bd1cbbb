import Foundation

extension OpeningPeriod {
    /// What the validation needs besides the period: its linked motifs, its place and the agent.
    public struct ValidationContext: Sendable {
        /// The motifs named by `motifIDs`, as loaded.
        public var motifs: [Motif]
        /// The place named by `placeID`, as loaded.
        public var place: Place?
        /// The services of the agent.
        public var agentServiceIDs: Set<Int64>
        /// The agent belongs to the "Secrétariat" service.
        public var agentIsSecretary: Bool
        /// The agent has a role in the period's organisation.
        public var agentHasRoleInOrganisation: Bool

        public init(
            motifs: [Motif], place: Place?, agentServiceIDs: Set<Int64>, agentIsSecretary: Bool = false,
            agentHasRoleInOrganisation: Bool = true
        ) {
            self.motifs = motifs
            self.place = place
            self.agentServiceIDs = agentServiceIDs
            self.agentIsSecretary = agentIsSecretary
            self.agentHasRoleInOrganisation = agentHasRoleInOrganisation
        }
    }

    /// domain.md §7 field rules (hard errors, S95) and the duration benign warning.
    public func validate(_ context: ValidationContext) -> [ValidationIssue] {
        var issues = Check.required(title, "title")
        if !context.agentHasRoleInOrganisation {
            issues.append(.error("agent_id", "l'agent n'a pas de rôle dans cette organisation"))
        }
        if endTime <= startTime {
            issues.append(.error("end_time", Messages.endBeforeStart))
        }
        issues += recurrence?.validate(firstDay: firstDay) ?? []
        issues += placeIssues(context)
        issues += motifIssues(context)
        return issues
    }

    /// The place is required when a motif is `public_office`, and must be `enabled` and of the
    /// organisation (domain.md §7; S95: a disabled or single-use place fails).
    private func placeIssues(_ context: ValidationContext) -> [ValidationIssue] {
        guard let place = context.place, placeID != nil else {
            let needsPlace = context.motifs.contains { $0.locationType == .publicOffice }
            return needsPlace ? [.error("place_id", "doit être rempli(e) pour un motif sur place")] : []
        }
        var issues: [ValidationIssue] = []
        if place.availability != .enabled {
            issues.append(.error("place_id", "doit être un lieu ouvert de l'organisation"))
        }
        if place.organisationID != organisationID {
            issues.append(.error("place_id", "doit appartenir à l'organisation"))
        }
        return issues
    }

    /// ≥ 1 motif; each individual, non-deleted, of the organisation, and holdable by the agent:
    /// one of the agent's services, or `for_secretariat` for a secretary (domain.md §7).
    /// A motif longer than the period is only a benign warning.
    private func motifIssues(_ context: ValidationContext) -> [ValidationIssue] {
        guard !motifIDs.isEmpty else { return [.error("motifs", "doit contenir au moins un motif")] }
        var issues: [ValidationIssue] = []
        let periodMinutes = endTime.minutesSinceMidnight - startTime.minutesSinceMidnight
        for motif in context.motifs {
            if motif.collectif {
                issues.append(.error("motifs", "le motif « \(motif.name) » est collectif"))
            }
            if motif.isDeleted || motif.organisationID != organisationID {
                issues.append(.error("motifs", "le motif « \(motif.name) » n'est pas un motif actif de l'organisation"))
            }
            let holdable =
                context.agentServiceIDs.contains(motif.serviceID) || (motif.forSecretariat && context.agentIsSecretary)
            if !holdable {
                issues.append(.error("motifs", "l'agent ne peut pas assurer le motif « \(motif.name) »"))
            }
            if periodMinutes > 0, motif.defaultDurationInMin > periodMinutes {
                issues.append(
                    .warning(
                        "motifs",
                        "La durée du motif « \(motif.name) » (\(motif.defaultDurationInMin) min) dépasse celle de la plage d'ouverture (\(periodMinutes) min)"
                    ))
            }
        }
        return issues
    }
}
