import Foundation

extension Motif {
    /// What a motif's validation needs to know beyond the motif itself.
    public struct ValidationContext: Sendable {
        /// The stored version, nil on create.
        public var previous: Motif?
        /// Whether appointments already use the motif (freezes `collectif` and `location_type`).
        public var hasAppointments: Bool
        /// The motif's service, when loaded.
        public var service: Service?
        /// Services active in the territory; nil skips the check.
        public var activeServiceIDs: Set<Int64>?
        /// Motif categories enabled in the territory; nil skips the check.
        public var enabledCategoryIDs: Set<Int64>?
        /// The other motifs of the organisation, for name uniqueness.
        public var siblings: [Motif]

        public init(
            previous: Motif? = nil, hasAppointments: Bool = false, service: Service? = nil,
            activeServiceIDs: Set<Int64>? = nil, enabledCategoryIDs: Set<Int64>? = nil, siblings: [Motif] = []
        ) {
            self.previous = previous
            self.hasAppointments = hasAppointments
            self.service = service
            self.activeServiceIDs = activeServiceIDs
            self.enabledCategoryIDs = enabledCategoryIDs
            self.siblings = siblings
        }
    }

    public static let collectiveMustBeOnSiteMessage = "Les RDV collectifs doivent avoir lieu sur place"
    /// The smallest booking delay: 30 minutes (domain.md §6).
    public static let minimumBookingDelay = 1800

    /// Every rule of domain.md §6 "Validations" (all hard errors) plus the field rules of its table.
    public func validate(_ context: ValidationContext = ValidationContext()) -> [ValidationIssue] {
        fieldIssues(context) + bookingDelayIssues() + kindIssues(context) + catalogueIssues(context)
    }

    private func fieldIssues(_ context: ValidationContext) -> [ValidationIssue] {
        var issues = Check.required(name, "name")
        // Unique among non-deleted motifs with the same (organisation, location_type, service).
        let clash = context.siblings.contains {
            ($0.id == nil || $0.id != id) && !$0.isDeleted && $0.organisationID == organisationID
                && $0.locationType == locationType && $0.serviceID == serviceID && $0.name == name
        }
        if !Check.isBlank(name), !isDeleted, clash {
            issues.append(.error("name", Messages.notUnique))
        }
        if Check.isBlank(color) {
            issues.append(.error("color", Messages.required))
        } else if Self.rgb(color) == nil {
            issues.append(.error("color", "doit être au format #RRGGBB"))
        }
        if defaultDurationInMin <= 0 {
            issues.append(.error("default_duration_in_min", "doit être supérieure à 0"))
        }
        return issues
    }

    /// domain.md §6: both delays ≥ 1800 s and max > min (scenario S94).
    private func bookingDelayIssues() -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if minPublicBookingDelay < Self.minimumBookingDelay {
            issues.append(.error("min_public_booking_delay", "doit être d'au moins 30 minutes"))
        }
        if maxPublicBookingDelay < Self.minimumBookingDelay {
            issues.append(.error("max_public_booking_delay", "doit être d'au moins 30 minutes"))
        }
        if maxPublicBookingDelay <= minPublicBookingDelay {
            issues.append(.error("max_public_booking_delay", "doit être supérieur au délai minimum de réservation"))
        }
        return issues
    }

    /// domain.md §6: collective ⇒ on site (S91); secretariat and follow-up exclusive (S93);
    /// `collectif` and `location_type` frozen once the motif has appointments (S92).
    private func kindIssues(_ context: ValidationContext) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if collectif && locationType != .publicOffice {
            issues.append(.error("location_type", Self.collectiveMustBeOnSiteMessage))
        }
        if forSecretariat && followUp {
            issues.append(.error("for_secretariat", "un motif de suivi ne peut pas être ouvert au secrétariat"))
        }
        if let previous = context.previous, context.hasAppointments {
            if previous.collectif != collectif {
                issues.append(.error("collectif", "ne peut plus être modifié car des RDV existent pour ce motif"))
            }
            if previous.locationType != locationType {
                issues.append(.error("location_type", "ne peut plus être modifié car des RDV existent pour ce motif"))
            }
        }
        return issues
    }

    /// domain.md §6: the service is not "Secrétariat" and is active in the territory; the
    /// category is enabled in the territory.
    private func catalogueIssues(_ context: ValidationContext) -> [ValidationIssue] {
        var issues: [ValidationIssue] = []
        if context.service?.isSecretariat == true {
            issues.append(.error("service_id", "ne peut pas être le service Secrétariat"))
        }
        if let active = context.activeServiceIDs, !active.contains(serviceID) {
            issues.append(.error("service_id", "n'est pas activé dans ce territoire"))
        }
        if let motifCategoryID, let enabled = context.enabledCategoryIDs, !enabled.contains(motifCategoryID) {
            issues.append(.error("motif_category_id", "n'est pas activée dans ce territoire"))
        }
        return issues
    }
}

extension Motif {
    /// Black or white text on the motif colour, by YIQ brightness: ≥ 128 → black (domain.md §6).
    public var textColor: String {
        guard let (r, g, b) = Self.rgb(color) else { return "#000000" }
        let yiq = (r * 299 + g * 587 + b * 114) / 1000
        return yiq >= 128 ? "#000000" : "#FFFFFF"
    }

    /// Groups "the same motif" across organisations (domain.md §6): the name in ASCII, lower-cased,
    /// non-alphanumeric runs → "_", then "-<location_type>".
    public var nameWithLocationType: String {
        Self.nameWithLocationType(name: name, locationType: locationType.rawValue)
    }

    public static func nameWithLocationType(name: String, locationType: String) -> String {
        Slug.parameterize(name, separator: "_") + "-" + locationType
    }

    /// The three channels of "#RRGGBB", nil when the text is not in that form.
    static func rgb(_ color: String) -> (Int, Int, Int)? {
        let hex = Array(color.utf8)
        guard hex.count == 7, hex[0] == UInt8(ascii: "#"), let value = Int(String(color.dropFirst()), radix: 16),
            color.dropFirst().allSatisfy(\.isHexDigit)
        else { return nil }
        return ((value >> 16) & 0xFF, (value >> 8) & 0xFF, value & 0xFF)
    }
}
