import Foundation

/// An appointment type with its booking rules, per organisation (domain.md §6).
public struct Motif: Sendable, Equatable, Codable {
    public var id: Int64?
    public var organisationID: Int64
    public var serviceID: Int64
    public var motifCategoryID: Int64?
    public var name: String
    /// "#RRGGBB".
    public var color: String
    /// Slot length.
    public var defaultDurationInMin: Int
    public var locationType: LocationType
    public var bookableBy: BookableBy
    /// Seconds; the earliest bookable start for users and prescribers is now + this.
    public var minPublicBookingDelay: Int
    /// Seconds; the latest bookable start is now + this.
    public var maxPublicBookingDelay: Int
    public var visibilityType: VisibilityType
    public var sectorisationLevel: SectorisationLevel
    public var collectif: Bool
    /// « RDV de suivi »: only the user's referents can hold it.
    public var followUp: Bool
    public var forSecretariat: Bool
    public var restrictionForRdv: String?
    public var instructionForRdv: String?
    public var customCancelWarningMessage: String?
    public var rdvsEditableByUser: Bool
    public var rdvsCancellableByUser: Bool
    public var deletedAt: Date?

    /// domain.md §6 defaults: 30 min, 30 min and about 3 months (7 889 238 s).
    public static let defaultMinPublicBookingDelay = 1800
    public static let defaultMaxPublicBookingDelay = 7_889_238
    public static let defaultCancelWarningMessage = "Voulez-vous vraiment annuler ce RDV ?"

    public init(
        id: Int64? = nil, organisationID: Int64, serviceID: Int64, motifCategoryID: Int64? = nil, name: String,
        color: String, defaultDurationInMin: Int = 30, locationType: LocationType = .publicOffice,
        bookableBy: BookableBy = .agents, minPublicBookingDelay: Int = Motif.defaultMinPublicBookingDelay,
        maxPublicBookingDelay: Int = Motif.defaultMaxPublicBookingDelay,
        visibilityType: VisibilityType = .visibleAndNotified, sectorisationLevel: SectorisationLevel = .departement,
        collectif: Bool = false, followUp: Bool = false, forSecretariat: Bool = false,
        restrictionForRdv: String? = nil, instructionForRdv: String? = nil, customCancelWarningMessage: String? = nil,
        rdvsEditableByUser: Bool = true, rdvsCancellableByUser: Bool = true, deletedAt: Date? = nil
    ) {
        self.id = id
        self.organisationID = organisationID
        self.serviceID = serviceID
        self.motifCategoryID = motifCategoryID
        self.name = name
        self.color = color
        self.defaultDurationInMin = defaultDurationInMin
        self.locationType = locationType
        self.bookableBy = bookableBy
        self.minPublicBookingDelay = minPublicBookingDelay
        self.maxPublicBookingDelay = maxPublicBookingDelay
        self.visibilityType = visibilityType
        self.sectorisationLevel = sectorisationLevel
        self.collectif = collectif
        self.followUp = followUp
        self.forSecretariat = forSecretariat
        self.restrictionForRdv = restrictionForRdv
        self.instructionForRdv = instructionForRdv
        self.customCancelWarningMessage = customCancelWarningMessage
        self.rdvsEditableByUser = rdvsEditableByUser
        self.rdvsCancellableByUser = rdvsCancellableByUser
        self.deletedAt = deletedAt
    }

    public var isDeleted: Bool { deletedAt != nil }
    /// domain.md §6: `bookable_by` ≠ `agents`.
    public var bookableOutsideOfOrganisation: Bool { bookableBy != .agents }
    /// domain.md §6: `bookable_by` = `everyone`.
    public var bookablePublicly: Bool { bookableBy == .everyone }
    /// Participation notification flags default to true only for `visible_and_notified` (§6, §10).
    public var notifiesUsersByDefault: Bool { visibilityType == .visibleAndNotified }
    public var cancelWarningMessage: String {
        Check.isBlank(customCancelWarningMessage) ? Self.defaultCancelWarningMessage : customCancelWarningMessage ?? ""
    }
}
