import Domain
import Foundation
import HTTP
import Logging
import Persistence

/// External prescribers (booking.md §5.1): the public search with `prescripteur=1` up to a slot,
/// then on the slot's own address « Vos coordonnées de prescripteur » (kept in a sealed cookie
/// for the next booking), « Le bénéficiaire », the booking, and its confirmation page.
struct PrescriptionTyped {
    var prescriber: PrescriberInput?
    var prescriberErrors: [String: String] = [:]
    var beneficiary: BeneficiaryInput?
    var beneficiaryErrors: [String: String] = [:]
    var restrictionError: String?
}

extension PublicSearchController {
    var prescriberCookies: PrescriberCookies { PrescriberCookies(db: db, clock: clock, https: sessions.https) }

    /// What a prescriber's forms do not carry back as the slot's state.
    static let prescriptionOwnFields: Set<String> = PrescriberInput.fieldNames.union(BeneficiaryInput.fieldNames)
        .union(["authenticity_token", "_method", "user_id", "modifier_prescripteur"])

    /// `/prendre_rdv_prescripteur`: the public search, for a prescriber.
    func prescriberSearch(_ exchange: inout Exchange) throws -> HTTPResponse {
        responses.redirect(to: SiteURL.publicSearch.path(pairs: [("prescripteur", "1")]))
    }

    /// Step 3 (`POST /prendre_rdv_prescripteur/coordonnees`): the prescriber's details, kept for
    /// this booking and the next; back to the slot, or its page again with the messages.
    func savePrescriberDetails(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let request = PublicSlotRequest(exchange.form), request.state.prescripteur else { throw WebError.badRequest }
        let pairs = exchange.form.pairs.filter { !Self.prescriptionOwnFields.contains($0.name) }
        let typed = PrescriberInput(exchange.form)
        let errors = typed.errors
        guard errors.isEmpty else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                try page(
                    try check(request), request: request, exchange: exchange, pairs: pairs,
                    prescription: PrescriptionTyped(prescriber: typed, prescriberErrors: errors)),
                layout: layout, status: HTTPStatus(422))
        }
        var cookie = prescriberCookies.read(exchange) ?? PrescriberCookie(prescriber: typed.prescriber, expiresAt: 0)
        cookie.prescriber = typed.prescriber
        try prescriberCookies.write(cookie, &exchange)
        return responses.redirect(to: Self.slotPath(pairs))
    }

    /// Steps 5–6 (`POST /prendre_rdv_prescripteur/rdvs`): the booking for the beneficiary,
    /// the slot taken in the transaction that checks it (409 « Ce créneau n'est plus disponible »).
    func prescribe(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let request = PublicSlotRequest(exchange.form), request.state.prescripteur else { throw WebError.badRequest }
        let pairs = exchange.form.pairs.filter { !Self.prescriptionOwnFields.contains($0.name) }
        // The details expired (or were never given): their step again, the slot kept.
        guard var cookie = prescriberCookies.read(exchange) else { return responses.redirect(to: Self.slotPath(pairs)) }
        let checked = try check(request)
        guard checked.isAvailable else {
            return try responses.page(
                try page(checked, request: request, exchange: exchange, pairs: pairs), layout: exchange.layout,
                status: HTTPStatus(409))
        }
        let typed = BeneficiaryInput(exchange.form)
        let errors = typed.errors(byPhone: checked.motif.locationType == .phone)
        let restrictionMissing =
            checked.motif.restriction != nil && !request.state.restrictionAccepted
            && exchange.form["restriction_accepted"] != "1"
        guard errors.isEmpty, !restrictionMissing else {
            var layout = exchange.layout
            layout.hasErrors = true
            return try responses.page(
                try page(
                    checked, request: request, exchange: exchange, pairs: pairs,
                    prescription: PrescriptionTyped(
                        beneficiary: typed, beneficiaryErrors: errors,
                        restrictionError: restrictionMissing
                            ? "Cochez cette case pour accepter les conditions de ce rendez-vous." : nil)),
                layout: layout, status: HTTPStatus(422))
        }
        let prescription = ExternalPrescription(
            slot: BookingRequest(
                motifID: checked.motif.id, placeID: checked.place?.id, startsAt: request.startsAt, userIDs: [],
                agents: checked.query.agents, createdByType: .prescripteur),
            collectiveAppointmentID: checked.collective, prescriber: cookie.prescriber, beneficiary: typed.beneficiary)
        let made: PrescriptionMade
        do {
            made = try db.prescribeExternally(prescription, clock: clock, random: random)
        } catch BookingError.slotTaken {
            return try gone(checked, request: request, exchange: exchange, pairs: pairs)
        }
        exchange.context.logger.notice("prescriber booked", metadata: ["rdv": "\(made.appointmentID)"])
        cookie.appointmentID = made.appointmentID
        cookie.beneficiaryUserID = made.userID
        try prescriberCookies.write(cookie, &exchange)
        return responses.redirect(.prescriberConfirmation)
    }

    /// Step 7: the booking this browser just made, and only it.
    func prescriptionConfirmation(_ exchange: inout Exchange) throws -> HTTPResponse {
        guard let cookie = prescriberCookies.read(exchange), let appointmentID = cookie.appointmentID,
            let userID = cookie.beneficiaryUserID,
            let summary = try db.prescriptionSummary(appointmentID: appointmentID, userID: userID)
        else { throw WebError.notFound }
        return try responses.page(
            PrescriptionConfirmationPage(summary, prescriberEmail: cookie.prescriber.email), layout: exchange.layout)
    }

    /// The prescriber's step on the slot page: their details first (or when « Modifier » asks
    /// for them), then the beneficiary.
    func prescriptionStep(
        _ checked: CheckedSlot, request: PublicSlotRequest, exchange: Exchange, pairs: [(name: String, value: String)],
        typed: PrescriptionTyped
    ) -> (String, PublicSlotPage.PrescriberStep?, PublicSlotPage.BeneficiaryStep?) {
        let cookie = prescriberCookies.read(exchange)
        let kept = pairs.filter { !Self.prescriptionOwnFields.contains($0.name) }
        let hidden = kept.map { HiddenField(name: $0.name, value: $0.value) }
        let editing = pairs.contains { $0.name == "modifier_prescripteur" }
        guard let prescriber = cookie?.prescriber, !editing, typed.prescriber == nil else {
            let input = typed.prescriber ?? cookie.map { PrescriberInput($0.prescriber) } ?? PrescriberInput()
            return (
                "Vos coordonnées de prescripteur",
                .init(
                    formPath: SiteURL.prescriberDetails.path, hidden: hidden,
                    fields: input.fields(errors: typed.prescriberErrors), errorCount: typed.prescriberErrors.count,
                    hasErrors: !typed.prescriberErrors.isEmpty),
                nil
            )
        }
        let input = typed.beneficiary ?? BeneficiaryInput()
        let restriction = checked.motif.restriction.flatMap { request.state.restrictionAccepted ? nil : $0 }
        return (
            "Le bénéficiaire", nil,
            .init(
                formPath: SiteURL.prescriberRdvs.path, hidden: hidden,
                fields: input.fields(errors: typed.beneficiaryErrors), errorCount: typed.beneficiaryErrors.count,
                hasErrors: !typed.beneficiaryErrors.isEmpty,
                prescriberName: "\(prescriber.firstName) \(prescriber.lastName)", prescriberEmail: prescriber.email,
                editPrescriberPath: Self.slotPath(kept + [("modifier_prescripteur", "1")]),
                restriction: restriction, restrictionError: typed.restrictionError)
        )
    }
}
