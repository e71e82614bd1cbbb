import Foundation

// The option sets of a motif (domain.md §6); top-level so every module can name them briefly.

/// domain.md §6 `location_type`.
public enum LocationType: String, Sendable, Codable, CaseIterable {
    case publicOffice = "public_office"
    case phone
    case home
    case visio

    public var label: String {
        switch self {
        case .publicOffice: "Sur place"
        case .phone: "Par téléphone"
        case .home: "À domicile"
        case .visio: "Par visioconférence"
        }
    }
}

/// domain.md §6 `bookable_by`.
public enum BookableBy: String, Sendable, Codable, CaseIterable {
    case agents
    case agentsAndPrescripteurs = "agents_and_prescripteurs"
    case agentsAndPrescripteursAndInvitedUsers = "agents_and_prescripteurs_and_invited_users"
    case everyone

    public var label: String {
        switch self {
        case .agents: "Agents de l'organisation uniquement"
        case .agentsAndPrescripteurs: "Ouvert aux prescripteurs"
        case .agentsAndPrescripteursAndInvitedUsers: "Ouvert aux prescripteurs et aux usagers invités"
        case .everyone: "Ouvert aux agents et aux usagers (et aux prescripteurs)"
        }
    }
}

/// domain.md §6 `visibility_type`.
public enum VisibilityType: String, Sendable, Codable, CaseIterable {
    case visibleAndNotified = "visible_and_notified"
    case visibleAndNotNotified = "visible_and_not_notified"
    /// Its appointments never show in the user space.
    case invisible
}

/// domain.md §6 `sectorisation_level`, slots.md §9.
public enum SectorisationLevel: String, Sendable, Codable, CaseIterable {
    case departement, organisation, agent
}
