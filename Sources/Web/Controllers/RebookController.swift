import Domain
import Foundation
import HTTP
import Persistence

/// `/prdv?tkn=` (booking.md §4): book again after a cancellation. The public search opens with
/// the same motif group, place or organisation and the user's address; a motif that is not
/// bookable online gives the organisation's contacts and the search at that address instead.
struct RebookController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses

    func show(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let target = try db.rebookTarget(token: exchange.query["tkn"] ?? "", now: clock.now) else {
            return try responses.page(TokenLinkInvalidPage(), layout: exchange.layout, status: .notFound)
        }
        var state = PublicSearchState()
        if let address = target.address, let cityCode = target.cityCode, target.latitude != nil {
            state.address = address
            state.departement = target.departement
            state.cityCode = cityCode
            state.latitude = target.latitude
            state.longitude = target.longitude
        } else {
            // Without a located address: the organisation's own search.
            state.publicLinkOrganisationID = target.organisationID
        }
        guard target.bookableByUsers else {
            let organisation = try db.publicOrganisations(ids: [target.organisationID]).first
            return try responses.page(
                RebookUnavailablePage(
                    motifName: target.motifName, organisationName: organisation?.name ?? "",
                    phone: organisation?.phoneNumber.flatMap { $0.isEmpty ? nil : $0 }, email: organisation?.email,
                    searchPath: state.path()),
                layout: exchange.layout)
        }
        state.serviceID = target.serviceID
        state.motifNameWithLocationType = "\(target.motifName)-\(target.locationType.rawValue)"
        if target.locationType == .publicOffice {
            state.placeID = target.placeID
        } else {
            state.organisationID = target.organisationID
        }
        return responses.redirect(to: state.path())
    }
}

/// `prendre_rdv/rebook_unavailable`: the motif of a cancelled appointment is not bookable online.
public struct RebookUnavailablePage: PageModel, Equatable {
    public static let template = "prendre_rdv/rebook_unavailable"
    public let motifName: String
    public let organisationName: String
    public let phone: String?
    public let email: String?
    public let searchPath: String
}
