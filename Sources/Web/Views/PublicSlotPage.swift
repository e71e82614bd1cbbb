import Domain
import Foundation
import Persistence

/// `prendre_rdv/creneau`: the chosen slot, computed again (booking.md §2.2 step 8), or
/// « Ce créneau n'est plus disponible ».
public struct PublicSlotPage: PageModel {
    public static let template = "prendre_rdv/creneau"

    public let isAvailable: Bool
    public let motifName: String
    public let when: String
    public let whenISO: String
    public let duration: String
    public let placeName: String?
    public let placeAddress: String?
    public let locationLabel: String
    public let organisation: PublicSearchPage.Contact
    public let recalls: [PublicSearchPage.Recall]
    public let hasRecalls: Bool
    /// Back to the slot week of the same search.
    public let weekPath: String
}

/// The slot of a `/prendre_rdv/creneau` address: `motif_id`, `lieu_id` (on site), `starts_at`
/// (ISO 8601 with its offset), and the search's state.
struct PublicSlotRequest {
    let motifID: Int64
    let placeID: Int64?
    let startsAt: Date
    /// A deep link may shorten or lengthen the motif's duration for this booking (slots.md §5).
    let duration: Int?
    let state: PublicSearchState

    init?(_ query: FormData) {
        guard let motif = query["motif_id"].flatMap({ Int64($0) }), motif > 0,
            let text = query["starts_at"], let startsAt = Self.instant(text)
        else { return nil }
        motifID = motif
        placeID = query["lieu_id"].flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
        self.startsAt = startsAt
        duration = query["duration"].flatMap { Int($0) }.flatMap { (1...1440).contains($0) ? $0 : nil }
        state = PublicSearchState(query)
    }

    /// `2026-12-08T09:00:00+01:00` (a `+` read from a query may arrive as a space).
    static func instant(_ text: String) -> Date? {
        ISO8601.parse(text.replacingOccurrences(of: " ", with: "+"))
    }
}
