import Domain
import Foundation
import Geocoding
import HTTP
import Persistence

/// The public search (booking.md §2): `/` for visitors, `/prendre_rdv` and its steps, and the
/// chosen slot's re-check at `/prendre_rdv/creneau`. Anonymous, GET only: the state is in the
/// address, so every step works without JavaScript and can be bookmarked or shared.
struct PublicSearchController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let addresses: AddressService

    var slots: SlotSearch { SlotSearch(db: db, clock: clock) }

    func index(_ exchange: inout Exchange) throws -> HTTPResponse {
        // An address chosen among the matches (the form without JavaScript): its canonical state.
        if let choice = exchange.query["address_choice"] {
            guard let state = PublicSearchState(choice: choice) else { throw WebError.badRequest }
            return responses.redirect(to: state.path())
        }
        let state = PublicSearchState(exchange.query)
        let search = try PublicSearch(db: db, slots: slots, addresses: addresses, state: state, now: clock.now)
        // A suggestion picked (or typed) exactly: no need to choose it again.
        if let exact = search.exactAddress() { return responses.redirect(to: exact.path()) }
        let page = try search.page()
        var layout = exchange.layout
        layout.hasErrors = page.addressStep?.error != nil || page.restriction?.error != nil
        return try responses.page(page, layout: layout)
    }

    /// `/org/<id>(/<slug>)`: the organisation's own search (its motifs, whatever the address); the
    /// slug is for people reading the link and may be anything.
    func publicLink(_ exchange: inout Exchange) throws -> HTTPResponse {
        let id = exchange.parameters.id("organisation_id")
        guard try db.publicOrganisations(ids: [id]).first != nil else { throw WebError.notFound }
        return searchOf(organisationID: id)
    }

    /// `/org/ext/<departement_number>/<external_id>`: the same, for a partner that knows the
    /// organisation by its own identifier (domain.md §2 `external_id`).
    func externalPublicLink(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard
            let id = try db.organisationID(
                departement: exchange.parameters.string("departement_number"),
                externalID: exchange.parameters.string("external_id"))
        else { throw WebError.notFound }
        return searchOf(organisationID: id)
    }

    private func searchOf(organisationID id: Int64) -> HTTPResponse {
        responses.redirect(to: SiteURL.publicSearch.path(pairs: [("public_link_organisation_id", "\(id)")]))
    }

    /// Step 8: the slot is computed again; gone, the page says so and leads back to the week.
    func slot(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let request = PublicSlotRequest(exchange.query) else { throw WebError.badRequest }
        let search = try PublicSearch(db: db, slots: slots, addresses: addresses, state: request.state, now: clock.now)
        guard let motif = try db.publicMotif(id: request.motifID) else { throw WebError.notFound }
        let place = try request.placeID.flatMap { try db.publicPlace(id: $0) }
        if request.placeID != nil && place?.organisationID != motif.organisationID { throw WebError.notFound }
        if motif.locationType == .publicOffice && place == nil { throw WebError.badRequest }
        guard let query = try search.slotQuery(motifID: motif.id, placeID: place?.id) else { throw WebError.notFound }
        let slotMotif = query.motif
        let zone = slotMotif.timeZone
        let day = LocalDate(request.startsAt, in: zone)
        let isAvailable: Bool
        let durationInMinutes: Int
        if slotMotif.collectif {
            let found = try slots.collectiveSlots(query, from: day, to: day).first { $0.startsAt == request.startsAt }
            isAvailable = found.map { $0.seatsLeft != 0 } ?? false
            durationInMinutes = found.map { Int($0.endsAt.timeIntervalSince($0.startsAt) / 60) } ?? slotMotif.durationInMinutes
        } else {
            isAvailable = try slots.slots(query, from: day, to: day).contains { $0.startsAt == request.startsAt }
            durationInMinutes = request.duration ?? slotMotif.durationInMinutes
        }
        guard let organisation = try db.publicOrganisations(ids: [motif.organisationID]).first else { throw WebError.notFound }
        var recalls: [PublicSearchPage.Recall] = []
        if let address = request.state.address, request.state.departement != nil {
            recalls.append(search.recall("Adresse", address, .address, "l'adresse"))
        }
        if request.state.motifNameWithLocationType != nil {
            let label = PublicSearch.locationLabels[motif.locationType] ?? ""
            recalls.append(search.recall("Motif", "\(motif.name) (\(label))", .motif, "le motif"))
        }
        let weekPairs = request.state.pairs(before: .date) + [("date", day.description)]
        let page = PublicSlotPage(
            isAvailable: isAvailable, motifName: motif.name, when: AppointmentFormat.long(request.startsAt, in: zone),
            whenISO: AppointmentFormat.iso(request.startsAt, in: zone),
            duration: NotificationFormat.duration(minutes: durationInMinutes), placeName: place?.name,
            placeAddress: place?.address, locationLabel: PublicSearch.locationLabels[motif.locationType] ?? "",
            organisation: search.contact(organisation),
            recalls: recalls, hasRecalls: !recalls.isEmpty,
            weekPath: request.state.departement == nil
                ? SiteURL.publicSearch.path : SiteURL.publicSearch.path(pairs: weekPairs))
        return try responses.page(page, layout: exchange.layout)
    }
}
