import Domain
import Foundation
import Geocoding
import HTTP
import Persistence

/// « Lieux » of « Configuration » (admin.md §2): the list for members, create, edit and
/// « Désactiver » for organisation admins (`PlacePolicy`). The address is one of the address
/// service's answers (contracts.md §6), found again at save time, never coordinates from the form.
struct PlacesController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let sessions: SessionLoader
    let addresses: AddressService

    func index(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(PlacePolicy.list(agent.principal, organisationID: organisationID))
        let page = PlaceIndexPage.load(
            organisationID: organisationID, places: try db.places(organisationID: organisationID),
            canManage: PlacePolicy.manage(agent.principal, organisationID: organisationID) == .allowed)
        return try responses.page(page, layout: agent.layout(exchange))
    }

    func new(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let organisationID = try managed(exchange, agent)
        return try responses.page(
            PlaceFormPage.load(organisationID: organisationID, placeID: nil, input: .init()),
            layout: agent.layout(exchange))
    }

    func create(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        try save(&exchange, agent, organisationID: try managed(exchange, agent), existing: nil)
    }

    func edit(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, place) = try record(exchange, agent)
        return try responses.page(
            PlaceFormPage.load(
                organisationID: organisationID, placeID: place.id, input: .init(place),
                history: try history(place, organisationID)),
            layout: agent.layout(exchange))
    }

    private func history(_ place: Place, _ organisationID: Int64) throws -> HistoryList {
        HistoryList.load(
            try db.versions(itemType: "Place", itemID: place.id ?? 0), fields: PlaceFormPage.historyFields,
            zone: try db.timeZone(organisationID: organisationID))
    }

    func update(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, place) = try record(exchange, agent)
        return try save(&exchange, agent, organisationID: organisationID, existing: place)
    }

    /// « Désactiver ce lieu »: the soft delete (domain.md §5).
    func destroy(_ exchange: inout Exchange, _ agent: AgentContext) throws -> HTTPResponse {
        let (organisationID, place) = try record(exchange, agent)
        guard
            try db.disablePlace(
                id: place.id ?? 0, organisationID: organisationID, author: agent.account.displayName, now: clock.now)
        else {
            throw WebError.noAccess
        }
        sessions.setFlash(.placeDisabled, &exchange)
        return responses.redirect(.organisation(id: organisationID, .places))
    }

    // MARK: -

    /// « Rechercher l'adresse » re-shows the form with the answers; « Enregistrer » needs one of
    /// them (or the unchanged address of the place), errors by their fields, every value kept.
    private func save(_ exchange: inout Exchange, _ agent: AgentContext, organisationID: Int64, existing: Place?)
        throws -> HTTPResponse
    {
        var input = PlaceFormPage.Input(form: exchange.form)
        if exchange.form["commit"] == "search" {
            input.choice = ""
            return try responses.page(
                PlaceFormPage.load(
                    organisationID: organisationID, placeID: existing?.id, input: input,
                    suggestions: try addresses.search(input.address)),
                layout: agent.layout(exchange))
        }
        var errors: [String: String] = [:]
        var position: (label: String, latitude: Double, longitude: Double)?
        /// One of the service's answers, asked again: the coordinates are the service's, not the form's.
        func answer(labelled label: String) throws -> (label: String, latitude: Double, longitude: Double)? {
            guard let match = try addresses.search(label).first(where: { $0.label == label }),
                let latitude = match.latitude, let longitude = match.longitude
            else { return nil }
            return (match.label, latitude, longitude)
        }
        if !input.choice.isEmpty {
            position = try answer(labelled: input.choice)
            if position == nil { errors["address_choice"] = "Cette adresse n'est plus proposée : recherchez-la à nouveau." }
        } else if let existing, input.address == existing.address, let latitude = existing.latitude,
            let longitude = existing.longitude
        {
            position = (existing.address, latitude, longitude)
        } else if !input.address.isEmpty {
            // An address already chosen (the form re-shown for another field) is an answer's label.
            position = try answer(labelled: input.address)
            if position == nil { errors["address"] = "Recherchez l'adresse puis choisissez-la parmi les propositions." }
        }
        if !input.phone.isEmpty && !PhoneNumber.isValid(input.phone) && !PhoneNumber.isShortNumber(input.phone) {
            errors["phone_number"] = "Téléphone n'est pas un numéro valide, par exemple 03 21 00 00 00."
        }
        if let position { input.address = position.label }
        let place = Place(
            id: existing?.id, organisationID: organisationID, name: input.name, address: input.address,
            latitude: position?.latitude, longitude: position?.longitude,
            phoneNumber: input.phone.isEmpty ? nil : input.phone)
        // Missing coordinates mean a missing address: said once, by the address field.
        func addDomainErrors(_ issues: [ValidationIssue]) {
            let shown = issues.filter { !["latitude", "longitude"].contains($0.field) }
            errors.merge(fieldErrors(shown, labels: PlaceFormPage.labels)) { mine, _ in mine }
            if errors["address"] == nil && errors["address_choice"] == nil && position == nil {
                errors["address"] = "Adresse doit être rempli(e)."
            }
        }
        addDomainErrors(place.validate(previous: existing))
        if errors.isEmpty {
            switch try db.savePlace(place, author: agent.account.displayName, now: clock.now) {
            case .success:
                sessions.setFlash(existing == nil ? .placeCreated : .placeUpdated, &exchange)
                return responses.redirect(.organisation(id: organisationID, .places))
            case .failure(let refusal): addDomainErrors(refusal.issues)
            }
        }
        var layout = agent.layout(exchange)
        layout.hasErrors = true
        let suggestions = input.address.isEmpty || position != nil ? nil : try addresses.search(input.address)
        return try responses.page(
            PlaceFormPage.load(
                organisationID: organisationID, placeID: existing?.id, input: input, suggestions: suggestions,
                errors: errors, history: try existing.map { try history($0, organisationID) }),
            layout: layout, status: HTTPStatus(422))
    }

    /// The path's organisation, where the agent may create places (else 404 or 403).
    private func managed(_ exchange: Exchange, _ agent: AgentContext) throws -> Int64 {
        let organisationID = exchange.parameters.id("organisation_id")
        try authorize(PlacePolicy.manage(agent.principal, organisationID: organisationID))
        return organisationID
    }

    /// The place of the path, in its organisation, that the agent may change.
    private func record(_ exchange: Exchange, _ agent: AgentContext) throws -> (Int64, Place) {
        let organisationID = try managed(exchange, agent)
        guard let place = try db.place(id: exchange.parameters.id("id"), organisationID: organisationID) else {
            throw WebError.noAccess
        }
        return (organisationID, place)
    }
}
