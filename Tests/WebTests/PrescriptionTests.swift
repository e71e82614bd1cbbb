import Domain
import Foundation
import GRDB
import HTTPTestSupport
import Testing

@_spi(RawDatabase) @testable import Persistence
@testable import Web

/// External prescribers (booking.md §5.1) on the contract's example document, its motif « m1 »
/// opened to prescribers only (`agents_and_prescripteurs`): « Vos coordonnées de prescripteur »,
/// « Le bénéficiaire », the booking and its confirmation, through the pages.
@Suite("External prescription")
struct PrescriptionTests {
    static func forPrescribers(_ document: inout InterchangeDocument) {
        document.motifs[0].bookable_by = "agents_and_prescripteurs"
    }

    func slot(_ c: UserBookingTests.Context) -> String {
        "/prendre_rdv/creneau?prescripteur=1&motif_id=\(c.ids["m1"]!)&lieu_id=\(c.ids["l1"]!)&starts_at=2021-05-03T10%3A00%3A00%2B02%3A00"
    }

    /// The slot's fields a prescriber's forms carry.
    func slotFields(_ c: UserBookingTests.Context) -> [(String, String)] {
        [
            ("prescripteur", "1"), ("motif_id", "\(c.ids["m1"]!)"), ("lieu_id", "\(c.ids["l1"]!)"),
            ("starts_at", "2021-05-03T10:00:00+02:00"),
        ]
    }

    func details(_ email: String = "claire@relais.example.fr") -> [(String, String)] {
        [
            ("prescripteur_first_name", "Claire"), ("prescripteur_last_name", "Relais"), ("prescripteur_email", email),
            ("prescripteur_phone_number", "03 21 00 00 00"),
        ]
    }

    @Test func aPrescriberBooksForABeneficiaryWhoGetsAnSMSAndTheyGetTheirEmail() throws {
        try UserBookingTests().withBooking(Self.forPrescribers) { c in
            // Not open to users: the visitors' slot page does not know it.
            let visitors = try c.browser.request("GET", slot(c).replacingOccurrences(of: "prescripteur=1&", with: ""))
            #expect(visitors.status == 404)
            let first = try c.browser.request("GET", slot(c))
            #expect(first.status == 200)
            #expect(first.text.contains("<title>Vos coordonnées de prescripteur — Prendre rendez-vous — RDV Service Public</title>"))
            #expect(!first.text.contains("Le formulaire contient"))

            let wrong = try c.post("/prendre_rdv_prescripteur/coordonnees", first, slotFields(c) + details("claire.relais"))
            #expect(wrong.status == 422)
            #expect(wrong.text.contains(#"<p id="prescripteur_email-error" class="fr-error-text">Saisissez une adresse e-mail valide, par exemple nom@exemple.fr.</p>"#))
            #expect(wrong.text.contains(#"value="Claire""#))
            #expect(wrong.text.contains("<p>Le formulaire contient 1 erreur(s) : corrigez les champs signalés.</p>"))
            let saved = try c.post("/prendre_rdv_prescripteur/coordonnees", wrong, slotFields(c) + details())
            #expect(saved.status == 303)
            #expect(saved.header("Location") == SiteURL.publicSlot.path(pairs: slotFields(c)))

            let beneficiary = try c.browser.request("GET", slot(c))
            #expect(beneficiary.text.contains("<title>Le bénéficiaire — Prendre rendez-vous — RDV Service Public</title>"))
            #expect(beneficiary.text.contains("<dd>Claire Relais (claire@relais.example.fr) <a"))
            #expect(!beneficiary.text.contains("Le formulaire contient"))
            let landline = try c.post(
                "/prendre_rdv_prescripteur/rdvs", beneficiary,
                slotFields(c) + [("first_name", "Louis"), ("last_name", "Martin"), ("phone_number", "03 21 11 22 33")])
            #expect(landline.status == 422)
            #expect(landline.text.contains(BeneficiaryInput.notMobile.replacingOccurrences(of: "'", with: "&#39;")))
            #expect(try count(c.db, "SELECT count(*) FROM prescribers") == 0)

            let booked = try c.post(
                "/prendre_rdv_prescripteur/rdvs", landline,
                slotFields(c) + [("first_name", "Louis"), ("last_name", "Martin"), ("phone_number", "06 11 22 33 44")])
            #expect(booked.status == 303)
            #expect(booked.header("Location") == "/prendre_rdv_prescripteur/confirmation")
            let confirmation = try c.browser.request("GET", "/prendre_rdv_prescripteur/confirmation")
            #expect(confirmation.status == 200)
            #expect(confirmation.text.contains(#"<h1 class="fr-h2">Le rendez-vous de Louis Martin est confirmé.</h1>"#))
            #expect(confirmation.text.contains("Pour modifier ou annuler ce rendez-vous, contactez le service"))

            let row = try #require(
                try c.db.writer.read { db in
                    try Row.fetchOne(
                        db,
                        sql: """
                            SELECT a.created_by_type, a.created_by_id, p.created_by_type AS participation_by,
                                   p.created_by_id AS participation_by_id, u.created_through, u.phone_number_formatted,
                                   (SELECT id FROM prescribers WHERE email = 'claire@relais.example.fr') AS prescriber_id,
                                   (SELECT count(*) FROM user_profiles f WHERE f.user_id = u.id AND f.organisation_id = a.organisation_id) AS profiles
                            FROM appointments a JOIN participations p ON p.appointment_id = a.id JOIN users u ON u.id = p.user_id
                            WHERE a.starts_at = 1620028800 AND a.status = 'unknown'
                            """)
                })
            let prescriberID: Int64 = try #require(row["prescriber_id"])
            #expect(row["created_by_type"] == "Prescripteur")
            #expect(row["created_by_id"] == prescriberID)
            #expect(row["participation_by"] == "Prescripteur")
            #expect(row["participation_by_id"] == prescriberID)
            #expect(row["created_through"] == "prescripteur")
            #expect(row["phone_number_formatted"] == "+33611223344")
            #expect(row["profiles"] == 1)
            // notifications.md §8: the prescriber's e-mail, and `rdv_created` by SMS to the beneficiary.
            let subjects = try c.db.writer.read { db in
                try String.fetchAll(
                    db,
                    sql: """
                        SELECT json_extract(payload, '$.channel') || ' ' || json_extract(payload, '$.recipient') || ' '
                               || coalesce(json_extract(payload, '$.subject'), json_extract(payload, '$.event'))
                        FROM outbox_messages WHERE json_extract(payload, '$.recipient') IN ('claire@relais.example.fr', '+33611223344')
                        ORDER BY id
                        """)
            }
            #expect(subjects == ["sms +33611223344 rdv_created", "mail claire@relais.example.fr RDV confirmé pour Louis MARTIN le lundi 3 mai 2021 à 10h00"])
        }
    }

    /// The confirmation shows the booking of the browser that made it, from a sealed cookie:
    /// another browser, or an altered cookie, gets a 404.
    @Test func theConfirmationIsOnlyForTheBrowserThatBooked() throws {
        try UserBookingTests().withBooking(Self.forPrescribers) { c in
            let first = try c.browser.request("GET", slot(c))
            _ = try c.post("/prendre_rdv_prescripteur/coordonnees", first, slotFields(c) + details())
            let beneficiary = try c.browser.request("GET", slot(c))
            let booked = try c.post(
                "/prendre_rdv_prescripteur/rdvs", beneficiary, slotFields(c) + [("first_name", "Louis"), ("last_name", "Martin")])
            #expect(booked.status == 303)
            let sealed = try #require(c.browser.cookies[PrescriberCookie.name])
            #expect(!sealed.contains("Claire"))
            let other = Browser(app: try makeWebApplication(c.db, clock: c.clock))
            #expect(try other.request("GET", "/prendre_rdv_prescripteur/confirmation").status == 404)
            other.cookies[PrescriberCookie.name] = String(sealed.dropLast(4)) + "AAA="
            #expect(try other.request("GET", "/prendre_rdv_prescripteur/confirmation").status == 404)
            // Past its 4 hours, the cookie is nothing: the details are asked again.
            c.clock.advance(by: PrescriberCookie.lifetime + 1)
            #expect(try c.browser.request("GET", "/prendre_rdv_prescripteur/confirmation").status == 404)
        }
    }

    /// Without details (expired, or a forged form), the booking goes back to their step; a
    /// motif for agents only is not offered to prescribers.
    @Test func aBookingNeedsTheDetailsAndAMotifOpenToPrescribers() throws {
        try UserBookingTests().withBooking(Self.forPrescribers) { c in
            let first = try c.browser.request("GET", slot(c))
            let refused = try c.post(
                "/prendre_rdv_prescripteur/rdvs", first, slotFields(c) + [("first_name", "Louis"), ("last_name", "Martin")])
            #expect(refused.status == 303)
            #expect(refused.header("Location") == SiteURL.publicSlot.path(pairs: slotFields(c)))
            #expect(try count(c.db, "SELECT count(*) FROM appointments WHERE starts_at = 1620028800 AND status = 'unknown'") == 0)
        }
        try UserBookingTests().withBooking({ $0.motifs[0].bookable_by = "agents" }) { c in
            let page = try c.browser.request("GET", slot(c))
            #expect(page.status == 404)
        }
    }

    func count(_ db: AppDatabase, _ sql: String) throws -> Int {
        try db.writer.read { db in try Int.fetchOne(db, sql: sql) ?? 0 }
    }
}
