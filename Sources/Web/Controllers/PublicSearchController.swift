import Domain
import Foundation
import Geocoding
import HTTP
import Logging
import Persistence

/// The public search (booking.md §2): `/` for visitors, `/prendre_rdv` and its steps, and the
/// chosen slot's re-check at `/prendre_rdv/creneau`. Anonymous, GET only: the state is in the
/// address, so every step works without JavaScript and can be bookmarked or shared.
struct PublicSearchController: Sendable {
    let db: AppDatabase
    let clock: any Clock
    let responses: PageResponses
    let addresses: AddressService
    let sessions: SessionLoader
    /// slots.md §6: the least-busy agent, ties broken at random.
    let random = RandomSource.system()

    var slots: SlotSearch { SlotSearch(db: db, clock: clock) }

    func index(_ exchange: inout Exchange) throws -> HTTPResponse {
        // An address chosen among the matches (the form without JavaScript): its canonical state.
        if let choice = exchange.query["address_choice"] {
            guard var state = PublicSearchState(choice: choice) else { throw WebError.badRequest }
            state.prescripteur = exchange.query["prescripteur"] == "1"
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
    /// Then steps 9–12 on the same address, the first one still missing.
    func slot(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let request = PublicSlotRequest(exchange.query) else { throw WebError.badRequest }
        let checked = try check(request)
        return try responses.page(
            try page(checked, request: request, exchange: exchange, pairs: exchange.query.pairs), layout: exchange.layout)
    }

    /// Step 13 (`POST /users/rdvs`): the booking, by the signed-in user, for themselves or a
    /// relative; the slot is taken in the same transaction that checks it (slots.md §6).
    func book(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let request = PublicSlotRequest(exchange.form) else { throw WebError.badRequest }
        let pairs = exchange.form.pairs.filter { !["authenticity_token", "restriction_accepted"].contains($0.name) }
        guard let user = exchange.user else {
            sessions.setFlash(.signInRequired, &exchange)
            return responses.redirect(
                to: SiteURL.users(.codeSignIn).path(pairs: [("return_to", Self.slotPath(pairs))]))
        }
        let checked = try check(request)
        guard checked.isAvailable else {
            return try responses.page(
                try page(checked, request: request, exchange: exchange, pairs: pairs), layout: exchange.layout,
                status: HTTPStatus(409))
        }
        let household = try db.household(userID: user.id)
        guard let household, let member = exchange.form["user_id"].flatMap(Int64.init),
            household.everyone.contains(where: { $0.id == member })
        else { throw WebError.badRequest }
        if let restriction = checked.motif.restriction, !restriction.isEmpty, !request.state.restrictionAccepted,
            exchange.form["restriction_accepted"] != "1"
        {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                try page(
                    checked, request: request, exchange: exchange, pairs: pairs,
                    restrictionError: "Cochez cette case pour accepter les conditions de ce rendez-vous."),
                layout: layout, status: HTTPStatus(422))
        }
        if let collective = checked.collective {
            do {
                try db.joinCollective(appointmentID: collective, userID: member, now: clock.now)
            } catch BookingError.slotTaken {
                return try gone(checked, request: request, exchange: exchange, pairs: pairs)
            }
            exchange.context.logger.notice("user joined", metadata: ["rdv": "\(collective)"])
            sessions.setFlash(.rdvBooked, &exchange)
            return responses.redirect(.users(.rdv(id: collective)))
        }
        var booking = BookingRequest(
            motifID: checked.motif.id, placeID: checked.place?.id, startsAt: request.startsAt, userIDs: [member],
            agents: checked.query.agents, createdByType: .user)
        booking.createdByID = user.id
        do {
            let made = try db.book(booking, clock: clock, random: random)
            exchange.context.logger.notice("user booked", metadata: ["rdv": "\(made.appointmentID)"])
            sessions.setFlash(.rdvBooked, &exchange)
            return responses.redirect(.users(.rdv(id: made.appointmentID)))
        } catch BookingError.slotTaken {
            return try gone(checked, request: request, exchange: exchange, pairs: pairs)
        }
    }

    /// « Ce créneau n'est plus disponible » after the booking's own check (409).
    func gone(
        _ checked: CheckedSlot, request: PublicSlotRequest, exchange: Exchange, pairs: [(name: String, value: String)]
    ) throws -> HTTPResponse {
        var gone = checked
        gone.isAvailable = false
        gone.collective = nil
        return try responses.page(
            try page(gone, request: request, exchange: exchange, pairs: pairs), layout: exchange.layout,
            status: HTTPStatus(409))
    }

    /// Step 10 (`PATCH /users/informations`): the phone a phone motif needs, saved on the
    /// user's file; back to the chosen slot, or its page again with the message by the field.
    func updateInformation(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let user = exchange.user else { throw WebError.forbidden }
        let phone = (exchange.form["phone_number"] ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard let back = ReturnPath.safe(exchange.form["return_to"]), back.hasPrefix(SiteURL.publicSlot.path + "?"),
            let query = try? FormData(urlEncoded: String(back.dropFirst(SiteURL.publicSlot.path.count + 1))),
            let request = PublicSlotRequest(query)
        else { throw WebError.badRequest }
        guard PhoneNumber(phone) != nil else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                try page(
                    try check(request), request: request, exchange: exchange, pairs: query.pairs,
                    information: (phone, UserCodeSignUpPage.invalidPhone)), layout: layout, status: HTTPStatus(422))
        }
        try db.updateUserPhone(userID: user.id, phone: phone, now: clock.now)
        sessions.setFlash(.informationSaved, &exchange)
        return responses.redirect(to: back)
    }

    /// The slot of a request, computed again.
    struct CheckedSlot {
        /// The search of the request's state, built once for the check and the page.
        let search: PublicSearch
        let motif: PublicMotif
        let place: PublicPlace?
        let query: SlotQuery
        var isAvailable: Bool
        /// The collective appointment of the start, for « S'inscrire ».
        var collective: Int64?
        let durationInMinutes: Int
        let organisation: PublicOrganisation
    }

    func check(_ request: PublicSlotRequest) throws -> CheckedSlot {
        let search = try PublicSearch(db: db, slots: slots, addresses: addresses, state: request.state, now: clock.now)
        guard let motif = try db.publicMotif(id: request.motifID, booker: request.state.booker) else {
            throw WebError.notFound
        }
        let place = try request.placeID.flatMap { try db.publicPlace(id: $0) }
        if request.placeID != nil && place?.organisationID != motif.organisationID { throw WebError.notFound }
        if motif.locationType == .publicOffice && place == nil { throw WebError.badRequest }
        guard let query = try search.slotQuery(motifID: motif.id, placeID: place?.id) else { throw WebError.notFound }
        let slotMotif = query.motif
        let day = LocalDate(request.startsAt, in: slotMotif.timeZone)
        let isAvailable: Bool
        let durationInMinutes: Int
        var collective: Int64?
        if slotMotif.collectif {
            let found = try slots.collectiveSlots(query, from: day, to: day).first { $0.startsAt == request.startsAt }
            isAvailable = found.map { $0.seatsLeft != 0 } ?? false
            collective = found?.appointmentID
            durationInMinutes = found.map { Int($0.endsAt.timeIntervalSince($0.startsAt) / 60) } ?? slotMotif.durationInMinutes
        } else {
            isAvailable = try slots.slots(query, from: day, to: day).contains { $0.startsAt == request.startsAt }
            durationInMinutes = request.duration ?? slotMotif.durationInMinutes
        }
        guard let organisation = try db.publicOrganisations(ids: [motif.organisationID]).first else { throw WebError.notFound }
        return CheckedSlot(
            search: search, motif: motif, place: place, query: query, isAvailable: isAvailable, collective: collective,
            durationInMinutes: durationInMinutes, organisation: organisation)
    }

    /// This slot's address, the search and the slot in its query (never `user_id`).
    static func slotPath(_ pairs: [(name: String, value: String)]) -> String {
        SiteURL.publicSlot.path(pairs: pairs.filter { $0.name != "user_id" }.map { ($0.name, $0.value) })
    }

    func page(
        _ checked: CheckedSlot, request: PublicSlotRequest, exchange: Exchange, pairs: [(name: String, value: String)],
        restrictionError: String? = nil, information typed: (value: String, error: String)? = nil,
        prescription: PrescriptionTyped = PrescriptionTyped()
    ) throws -> PublicSlotPage {
        let search = checked.search
        let motif = checked.motif
        let zone = checked.query.motif.timeZone
        let day = LocalDate(request.startsAt, in: zone)
        var recalls: [PublicSearchPage.Recall] = []
        if let address = request.state.address, request.state.departement != nil {
            recalls.append(search.recall("Adresse", address, .address, "l'adresse"))
        }
        if request.state.motifNameWithLocationType != nil {
            let label = PublicSearch.locationLabels[motif.locationType] ?? ""
            recalls.append(search.recall("Motif", "\(motif.name) (\(label))", .motif, "le motif"))
        }
        let weekPairs = request.state.pairs(before: .date) + [("date", day.description)]
        let here = Self.slotPath(pairs)
        var title = checked.isAvailable ? "Votre rendez-vous" : "Ce créneau n'est plus disponible"
        var signIn: PublicSlotPage.SignIn?
        var information: PublicSlotPage.Information?
        var userChoice: PublicSlotPage.UserChoice?
        var confirmation: PublicSlotPage.Confirmation?
        var prescriberStep: PublicSlotPage.PrescriberStep?
        var beneficiaryStep: PublicSlotPage.BeneficiaryStep?
        if checked.isAvailable && request.state.prescripteur {
            (title, prescriberStep, beneficiaryStep) = prescriptionStep(
                checked, request: request, exchange: exchange, pairs: pairs, typed: prescription)
        } else if checked.isAvailable {
            if let user = exchange.user, let household = try db.household(userID: user.id) {
                let chosen = pairs.first { $0.name == "user_id" }.flatMap { Int64($0.value) }
                    .flatMap { id in household.everyone.first { $0.id == id } }
                if motif.locationType == .phone && (user.phoneNumber ?? "").isEmpty {
                    title = "Vos informations"
                    information = .init(
                        formPath: SiteURL.users(.informations).path, returnTo: here,
                        field: FormField(
                            name: "phone_number", label: "Numéro de téléphone", type: "tel", value: typed?.value ?? "",
                            autocomplete: "tel", hint: "Format attendu : 06 12 34 56 78", required: true,
                            error: typed?.error),
                        reason: "Ce rendez-vous a lieu par téléphone : indiquez le numéro auquel vous appeler.")
                } else if !household.relatives.isEmpty && chosen == nil {
                    title = "Choix de l'usager"
                    userChoice = .init(
                        formPath: SiteURL.publicSlot.path,
                        hidden: pairs.filter { $0.name != "user_id" }.map { HiddenField(name: $0.name, value: $0.value) },
                        choices: ChoiceGroup(
                            id: "user_id", name: "user_id", legend: "Pour qui est ce rendez-vous ?", hint: nil,
                            options: household.everyone.enumerated().map { index, member in
                                .init(
                                    id: "user_id_\(member.id)", value: "\(member.id)",
                                    label: index == 0 ? "Moi-même (\(member.displayName))" : member.displayName,
                                    isSelected: index == 0)
                            }, error: nil),
                        addRelativePath: ReturnPath.path(.users(.relatives), returnTo: here))
                } else {
                    let member = chosen ?? household.selfMember
                    title = "Confirmation"
                    let restriction = motif.restriction.flatMap { $0.isEmpty || request.state.restrictionAccepted ? nil : $0 }
                    confirmation = .init(
                        formPath: SiteURL.users(.rdvs).path,
                        hidden: pairs.filter { $0.name != "user_id" }.map { HiddenField(name: $0.name, value: $0.value) }
                            + [HiddenField(name: "user_id", value: "\(member.id)")],
                        forName: member.displayName, restriction: restriction, restrictionError: restrictionError,
                        otherUserPath: household.relatives.isEmpty ? nil : here,
                        addRelativePath: ReturnPath.path(.users(.relatives), returnTo: here))
                }
            } else {
                title = "Identifiez-vous"
                signIn = .init(
                    passwordPath: ReturnPath.path(.users(.signIn), returnTo: here),
                    codePath: ReturnPath.path(.users(.codeSignIn), returnTo: here),
                    signUpPath: ReturnPath.path(.users(.signUp), returnTo: here),
                    prescriberPath: BookingPolicy.mayBook(
                        BookableBy(rawValue: checked.query.motif.bookableBy) ?? .agents, as: .prescripteur)
                        ? Self.slotPath([("prescripteur", "1")] + pairs.filter { $0.name != "prescripteur" }) : nil)
            }
        }
        return PublicSlotPage(
            kicker: request.state.kicker, title: title, isAvailable: checked.isAvailable, motifName: motif.name,
            when: AppointmentFormat.long(request.startsAt, in: zone),
            whenISO: AppointmentFormat.iso(request.startsAt, in: zone),
            duration: NotificationFormat.duration(minutes: checked.durationInMinutes), placeName: checked.place?.name,
            placeAddress: checked.place?.address, locationLabel: PublicSearch.locationLabels[motif.locationType] ?? "",
            organisation: search.contact(checked.organisation), recalls: recalls, hasRecalls: !recalls.isEmpty,
            weekPath: request.state.departement == nil
                ? SiteURL.publicSearch.path : SiteURL.publicSearch.path(pairs: weekPairs),
            signIn: signIn, information: information, userChoice: userChoice, confirmation: confirmation,
            prescriberStep: prescriberStep, beneficiaryStep: beneficiaryStep)
    }
}
