import Domain
import Foundation

/// booking.md §2.1: the public search is a state machine held in the query string; the current
/// step is the first missing item. Each item resets the ones after it, so « Modifier » is a link
/// to the state cut before that item.
struct PublicSearchState: Sendable, Equatable {
    /// The items in the order the person gives them.
    enum Item: Int, Comparable, CaseIterable {
        case address, service, motif, place, restriction, date

        static func < (lhs: Item, rhs: Item) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// `public_link_organisation_id`: the search of one organisation's public link, with no
    /// address asked and no sectorisation (the organisation hands the link out itself).
    var publicLinkOrganisationID: Int64?
    /// `prescripteur=1`: an external prescriber books for a beneficiary (booking.md §5.1): the
    /// motifs open to prescribers, and the prescriber's steps after the slot.
    var prescripteur = false
    var address: String?
    var departement: String?
    var cityCode: String?
    var streetBanID: String?
    var latitude: Double?
    var longitude: Double?
    var serviceID: Int64?
    var motifNameWithLocationType: String?
    /// `lieu_id`: the place of a motif on site.
    var placeID: Int64?
    /// `organisation_ids[]`: the organisation of a motif by phone, at home or by video.
    var organisationID: Int64?
    /// The motif's conditions were accepted (step 6).
    var restrictionAccepted = false
    /// Its form was sent (without the box checked: the page says so).
    var restrictionSubmitted = false
    /// The first day of the slot week (step 7).
    var date: LocalDate?

    init() {}

    init(_ query: FormData) {
        func text(_ name: String) -> String? {
            guard let value = query[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else {
                return nil
            }
            return value
        }
        func id(_ name: String) -> Int64? { text(name).flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil } }
        func coordinate(_ name: String, _ range: ClosedRange<Double>) -> Double? {
            text(name).flatMap(Double.init).flatMap { range.contains($0) ? $0 : nil }
        }
        publicLinkOrganisationID = id("public_link_organisation_id")
        prescripteur = text("prescripteur") == "1"
        address = text("address").map { String($0.prefix(200)) }
        departement = text("departement").flatMap { Self.isDepartement($0) ? $0 : nil }
        cityCode = text("city_code")
        streetBanID = text("street_ban_id")
        latitude = coordinate("latitude", -90...90)
        longitude = coordinate("longitude", -180...180)
        serviceID = id("service_id")
        motifNameWithLocationType = text("motif_name_with_location_type")
        placeID = id("lieu_id")
        organisationID = query.values("organisation_ids[]").compactMap { Int64($0) }.first
        restrictionAccepted = text("restriction_accepted") == "1"
        restrictionSubmitted = text("restriction_submitted") == "1"
        date = text("date").flatMap(LocalDate.init)
    }

    /// « 62 », « 2A », « 974 »: what a département number looks like (a forged one finds nothing).
    static func isDepartement(_ text: String) -> Bool {
        (2...3).contains(text.count) && text.allSatisfy { $0.isASCII && ($0.isNumber || $0 == "A" || $0 == "B") }
    }

    /// The département of an INSEE city code: three digits overseas (97x), two elsewhere.
    static func departement(ofCityCode code: String) -> String? {
        guard code.count == 5 else { return nil }
        let number = code.hasPrefix("97") ? String(code.prefix(3)) : String(code.prefix(2))
        return isDepartement(number) ? number : nil
    }

    /// Who books through this search: `Prescripteur` or `User` (BookingPolicy).
    var booker: CreatorType { prescripteur ? .prescripteur : .user }

    /// What every step carries, even « Modifier l'adresse »: the prescriber's search stays one.
    var carried: [(String, String)] { prescripteur ? [("prescripteur", "1")] : [] }

    /// The pages' kicker above the title.
    var kicker: String { prescripteur ? "Prescripteur : prendre rendez-vous pour un bénéficiaire" : "Prendre rendez-vous" }

    /// The query of the items before `item` (all of them for nil), in the order of booking.md §2.1.
    func pairs(before item: Item? = nil) -> [(String, String)] {
        let keeps = { (candidate: Item) in item.map { candidate < $0 } ?? true }
        var pairs: [(String, String)] = []
        pairs += carried
        if let publicLinkOrganisationID { pairs.append(("public_link_organisation_id", "\(publicLinkOrganisationID)")) }
        if keeps(.address) {
            if let address { pairs.append(("address", address)) }
            if let departement { pairs.append(("departement", departement)) }
            if let cityCode { pairs.append(("city_code", cityCode)) }
            if let streetBanID { pairs.append(("street_ban_id", streetBanID)) }
            if let latitude { pairs.append(("latitude", Self.coordinate(latitude))) }
            if let longitude { pairs.append(("longitude", Self.coordinate(longitude))) }
        }
        if keeps(.service), let serviceID { pairs.append(("service_id", "\(serviceID)")) }
        if keeps(.motif), let motifNameWithLocationType {
            pairs.append(("motif_name_with_location_type", motifNameWithLocationType))
        }
        if keeps(.place) {
            if let placeID { pairs.append(("lieu_id", "\(placeID)")) }
            if let organisationID { pairs.append(("organisation_ids[]", "\(organisationID)")) }
        }
        if keeps(.restriction), restrictionAccepted { pairs.append(("restriction_accepted", "1")) }
        if keeps(.date), let date { pairs.append(("date", date.description)) }
        return pairs
    }

    /// The search's address with this state's items before `item`, plus `extra`.
    func path(before item: Item? = nil, adding extra: [(String, String)] = []) -> String {
        SiteURL.publicSearch.path(pairs: pairs(before: item) + extra)
    }

    /// Seven decimals, about a centimetre (what the BAN publishes).
    static func coordinate(_ value: Double) -> String { String(format: "%.7f", value) }
}
