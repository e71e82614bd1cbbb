import Domain
import Foundation
import Persistence

/// An `<option>` or a checkbox of a GET/POST form, its choice kept.
public struct FormOption: Sendable, Equatable {
    public let value: String
    public let label: String
    public let selected: Bool
    /// A unique id for a checkbox's `<label for>`.
    public let id: String

    public init(value: String, label: String, selected: Bool, idPrefix: String = "") {
        self.value = value
        self.label = label
        self.selected = selected
        self.id = idPrefix + value
    }
}

/// An `<optgroup>`: the motifs of one service.
public struct FormOptionGroup: Sendable, Equatable {
    public let label: String
    public let options: [FormOption]
}

/// « Trouver un RDV » (booking.md §1.2): the search form and, once a motif is chosen, the places
/// list, the week grid, the collective appointments or « Élargir la recherche ».
public struct CreneauxSearchPage: PageModel {
    public static let template = "creneaux_search/index"

    public struct PlaceLine: Sendable, Equatable {
        public let name: String
        public let address: String
        /// « prochaine disponibilité le mardi 1er décembre 2026 », or nil.
        public let nextAvailability: String?
        public let path: String
    }

    public struct SlotLink: Sendable, Equatable {
        public let time: String
        public let datetime: String
        public let agentName: String
        public let path: String
    }

    public struct Day: Sendable, Equatable {
        public let label: String
        public let date: String
        public let slots: [SlotLink]
        public let isEmpty: Bool
    }

    public struct Link: Sendable, Equatable {
        public let label: String
        public let path: String
    }

    public struct Grid: Sendable, Equatable {
        /// The place, for a `public_office` motif.
        public let title: String?
        public let days: [Day]
        public let isEmpty: Bool
        public let previousPath: String
        public let nextPath: String
        /// « Prochaine disponibilité le … » when the week is empty.
        public let nextAvailability: Link?
    }

    public struct CollectiveLine: Sendable, Equatable {
        public let title: String
        public let time: String
        public let datetime: String
        public let seats: String
        public let isFull: Bool
        public let path: String
    }

    public struct CollectivePlace: Sendable, Equatable {
        public let name: String
        public let appointments: [CollectiveLine]
    }

    public struct PrescriptionLine: Sendable, Equatable {
        public let label: String
        /// « Voir les créneaux »: the prescription page of this motif and place.
        public let path: String
        public let nextAvailability: String?
    }

    public let formPath: String
    public var userIDs: [String] = []
    public var services: [FormOption] = []
    public var motifGroups: [FormOptionGroup] = []
    public var agents: [FormOption] = []
    public var teams: [FormOption] = []
    public var places: [FormOption] = []
    public var hasTeams = false
    public var from: String
    public var motifError: String?
    /// A motif is chosen: results follow.
    public var hasMotif = false
    public var motifName = ""
    public var placeList: [PlaceLine] = []
    public var hasPlaceList = false
    public var grid: Grid?
    public var collectivePlaces: [CollectivePlace] = []
    public var isCollective = false
    public var collectiveIsEmpty = false
    /// Nothing in this organisation: offer « Élargir la recherche » (booking.md §5.2).
    public var widenPath: String?
    public var isWidened = false
    public var prescriptionLines: [PrescriptionLine] = []
    public var prescriptionIsEmpty = false

    init(organisationID: Int64, from: String) {
        formPath = SiteURL.organisation(id: organisationID, .creneauxSearch).path
        self.from = from
    }

    /// « mardi 1er décembre 2026 ».
    static func day(_ date: LocalDate) -> String { NotificationFormat.mailDay(date) }
}
