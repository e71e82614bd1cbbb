import Domain
import Foundation
import Persistence

/// `prendre_rdv/creneau`: the chosen slot, computed again (booking.md §2.2 step 8), or
/// « Ce créneau n'est plus disponible »; then, on the same address, the steps that lead to the
/// booking: sign-in (9), « Vos informations » (10), « Choix de l'usager » (11) and
/// « Confirmation » (12). Only one of `signIn`, `information`, `userChoice`, `confirmation`
/// is set, the first step still missing.
public struct PublicSlotPage: PageModel {
    public static let template = "prendre_rdv/creneau"

    /// Step 9: the ways to sign in, each coming back here.
    public struct SignIn: Sendable, Equatable {
        public let passwordPath: String
        public let codePath: String
        public let signUpPath: String
        /// « Je suis un prescripteur » (booking.md §2.2 step 9): the same slot, booked for someone else.
        public let prescriberPath: String?
    }

    /// Step 10: what the motif needs and the account lacks (a phone for a phone motif).
    public struct Information: Sendable, Equatable {
        public let formPath: String
        public let returnTo: String
        public let field: FormField
        public let reason: String
    }

    /// Step 11: self or a relative.
    public struct UserChoice: Sendable, Equatable {
        public let formPath: String
        public let hidden: [HiddenField]
        public let choices: ChoiceGroup
        public let addRelativePath: String
    }

    /// Step 12: the summary's button.
    public struct Confirmation: Sendable, Equatable {
        public let formPath: String
        public let hidden: [HiddenField]
        public let forName: String
        /// The motif's conditions, when a deep link skipped step 6.
        public let restriction: String?
        public let restrictionError: String?
        public let otherUserPath: String?
        /// « Ajouter un proche », coming back here.
        public let addRelativePath: String
    }

    /// booking.md §5.1 step 3: « Vos coordonnées de prescripteur ».
    public struct PrescriberStep: Sendable, Equatable {
        public let formPath: String
        public let hidden: [HiddenField]
        public let fields: [FormField]
        public let errorCount: Int
        /// The summary's section (one on `errorCount` would show for 0 too: Mustache takes every
        /// number as true).
        public let hasErrors: Bool
    }

    /// booking.md §5.1 step 4: « Le bénéficiaire », with the prescriber recalled and the
    /// button that books.
    public struct BeneficiaryStep: Sendable, Equatable {
        public let formPath: String
        public let hidden: [HiddenField]
        public let fields: [FormField]
        public let errorCount: Int
        /// The summary's section (one on `errorCount` would show for 0 too: Mustache takes every
        /// number as true).
        public let hasErrors: Bool
        public let prescriberName: String
        public let prescriberEmail: String
        public let editPrescriberPath: String
        public let restriction: String?
        public let restrictionError: String?
    }

    public let kicker: String
    public let title: String
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
    public let signIn: SignIn?
    public let information: Information?
    public let userChoice: UserChoice?
    public let confirmation: Confirmation?
    public let prescriberStep: PrescriberStep?
    public let beneficiaryStep: BeneficiaryStep?
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
